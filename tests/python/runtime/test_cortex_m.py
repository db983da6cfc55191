"""The Cortex-M build of the kernels (DSP/SMLAD paths included) against tflite-micro on QEMU: the same
compiled model, raw int8 tensors through the firmware's tensor runner on mps2-an386 (Cortex-M4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from tests.support.oracle import run_tflm
from tests.support.random_tensors import random_inputs, random_weights
from tests.support.runner import run_compiled
from tests.support.tflite_builder import GraphBuilder

pytestmark = [
    pytest.mark.slow,
    pytest.mark.qemu,
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("qemu-system-arm", "arm-none-eabi-gcc", "cmake")),
        reason="needs qemu-system-arm, arm-none-eabi-gcc and cmake",
    ),
]


def _pointwise_chain(rng: np.random.Generator, c: int, oc: int) -> bytes:
    """x -> 1x1 conv (c -> c, in place) -> 1x1 conv (c -> oc): both pointwise kernel variants, in_c not a
    multiple of 4 so the SMLAD loop and its scalar tail both run."""
    g = GraphBuilder()
    x = g.tensor("x", (1, 5, 3, c), "int8", scale=0.05, zero_point=-7)
    prev, prev_scale = x, 0.05
    for i, out_c in enumerate((c, oc)):
        ws = list(rng.uniform(0.005, 0.03, out_c))
        w = g.tensor(
            f"w{i}",
            (out_c, 1, 1, c),
            "int8",
            scale=ws,
            zero_point=[0] * out_c,
            data=random_weights(rng, (out_c, 1, 1, c)),
        )
        b = g.tensor(
            f"b{i}",
            (out_c,),
            "int32",
            scale=[prev_scale * s for s in ws],
            zero_point=[0] * out_c,
            data=rng.integers(-800, 800, out_c),
        )
        scale = float(np.sqrt(c) * 75 * 75 * prev_scale * np.mean(ws) / 40)
        y = g.tensor(f"y{i}", (1, 5, 3, out_c), "int8", scale=scale, zero_point=int(rng.integers(-30, 30)))
        g.op(
            "CONV_2D",
            [prev, w, b],
            [y],
            options=(
                "Conv2DOptions",
                {"padding": 1, "strideW": 1, "strideH": 1, "fusedActivationFunction": 1},
            ),
        )
        prev, prev_scale = y, scale
    return g.build([x], [prev])


@pytest.mark.parametrize(("c", "oc"), [(37, 13), (64, 64)])
def test_pointwise_kernels_on_cortex_m4_match_tflm(tmp_path: Path, c: int, oc: int) -> None:
    rng = np.random.default_rng(c)
    model = _pointwise_chain(rng, c, oc)
    x = random_inputs(rng, 8, (5, 3, c))
    ours = run_compiled(model, x, target="qemu-m4", out_dir=tmp_path / "m")
    ref = run_tflm(model, x).reshape(ours.shape)
    assert np.array_equal(ours, ref)
    assert len(np.unique(ours)) > 4
