"""Compiled models on the host or an emulated Cortex-M, for tests: `tinyaudio.compile` then the library's own
runners (tinyaudio.emulate.host, tinyaudio.emulate.qemu_tensors), so tests exercise what users run.

`assert_bit_exact` is the assertion most runtime tests make: the compiled C equals tflite-micro on every
element of every output.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from tests.support.oracle import run_tflm

from tinyaudio.compile.compiler import compile_tflite
from tinyaudio.emulate.host import build_host_runner, run_tensors
from tinyaudio.emulate.qemu_tensors import run_tensors_qemu


def compile_to(model: bytes, out_dir: Path | None = None, labels: list[str] | None = None) -> Path:
    """`model` compiled into `out_dir` (a new temporary directory by default)."""
    if out_dir is None:
        out_dir = Path(tempfile.mkdtemp(prefix="ta_compiled_"))
    compile_tflite(model, labels=labels).write(out_dir)
    return out_dir


def run_compiled_dir(
    model_dir: Path, inputs: np.ndarray, target: str = "host", sanitize: bool = True
) -> np.ndarray:
    """N stacked inputs through an already compiled model: host build (ASan/UBSan by default) or QEMU."""
    if target == "host":
        return run_tensors(build_host_runner(model_dir, sanitize=sanitize), inputs)
    return run_tensors_qemu(model_dir, target, inputs).outputs


def run_compiled(
    model: bytes,
    inputs: np.ndarray,
    *,
    target: str = "host",
    out_dir: Path | None = None,
    labels: list[str] | None = None,
    sanitize: bool = True,
) -> np.ndarray:
    """Outputs of the compiled C model for N stacked inputs (one model state carried across them)."""
    return run_compiled_dir(compile_to(model, out_dir, labels), inputs, target, sanitize)


def assert_bit_exact(model: bytes, inputs: np.ndarray, **kwargs: object) -> np.ndarray:
    """C == TFLM element for element; returns the outputs."""
    ours = run_compiled(model, inputs, **kwargs)  # type: ignore[arg-type]
    ref = run_tflm(model, inputs).reshape(ours.shape)
    bad = np.argwhere(ours != ref)
    assert bad.size == 0, (
        f"{len(bad)} of {ours.size} outputs differ; first at {bad[0].tolist()}: "
        f"C {ours[tuple(bad[0])]} vs TFLM {ref[tuple(bad[0])]}"
    )
    return ours
