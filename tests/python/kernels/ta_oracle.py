"""Random int8 test cases and the tflite-micro oracle for the kernel tests."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.tflite_builder import GraphBuilder, run_tflm  # noqa: E402


def random_scale(rng: np.random.Generator, lo: float = 1e-3, hi: float = 0.5) -> float:
    return float(np.float32(np.exp(rng.uniform(np.log(lo), np.log(hi)))))


def random_zp(rng: np.random.Generator) -> int:
    return int(rng.integers(-128, 128))


def random_int8(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    return rng.integers(-128, 128, size=tuple(shape)).astype(np.int8)


def one_op_model(
    op: str,
    inputs: Sequence[dict[str, Any]],
    output: dict[str, Any],
    options: tuple[str, dict[str, Any]] | None = None,
) -> tuple[bytes, list[int]]:
    """A single-op model; returns (bytes, indices into `inputs` that are graph inputs)."""
    g = GraphBuilder()
    idx, graph_inputs = [], []
    for k, spec in enumerate(inputs):
        t = g.tensor(f"in{k}", **spec)
        idx.append(t)
        if spec.get("data") is None:
            graph_inputs.append(k)
    y = g.tensor("out", **output)
    g.op(op, idx, [y], options)
    return g.build([idx[k] for k in graph_inputs], [y]), graph_inputs


def oracle(model: bytes, inputs: Sequence[np.ndarray]) -> np.ndarray:
    return run_tflm(model, inputs)[0]
