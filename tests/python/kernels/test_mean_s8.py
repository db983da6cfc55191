"""MEAN int8 kernel vs tflite-micro: random ranks (1-5), one or two axes (negative and duplicate
axes too), keep_dims, equal and different input/output quantization (fixed seed)."""

from __future__ import annotations

import numpy as np
from kernel_harness import Case, Harness
from tests.support.oracle import invoke_tflm
from tests.support.random_tensors import random_int8, random_scale, random_zp
from tests.support.tflite_builder import single_op

from tinyaudio.compile import kernel_params

CASES = 150


def test_mean_matches_tflm(harness: Harness) -> None:
    rng = np.random.default_rng(21)
    cases, models, inputs = [], [], []
    for k in range(CASES):
        rank = int(rng.integers(1, 6))
        shape = [int(d) for d in rng.integers(1, 7, size=rank)]
        if k % 10 == 0:
            shape = [1, int(rng.integers(20, 80)), 32]  # token-mean shapes of the transformer
            rank = 3
        n_axes = int(rng.integers(1, min(2, rank) + 1))
        axes = [int(a) for a in rng.choice(rank, size=n_axes, replace=False)]
        axes = [a - rank if rng.random() < 0.3 else a for a in axes]
        if rng.random() < 0.1:
            axes = axes + axes[:1]  # duplicates are ignored by TFLM
        keep = bool(rng.random() < 0.5)
        s_in, zp_in = random_scale(rng), random_zp(rng)
        s_out, zp_out = (s_in, zp_in) if rng.random() < 0.3 else (random_scale(rng), random_zp(rng))
        out_shape = kernel_params.mean_output_shape(shape, axes, keep)
        params = kernel_params.mean_params(shape, axes, s_in, zp_in, s_out, zp_out)
        model = single_op(
            "MEAN",
            [
                dict(shape=shape, scale=s_in, zero_point=zp_in),
                dict(shape=[len(axes)], dtype="int32", data=np.array(axes, np.int32)),
            ],
            dict(shape=out_shape, scale=s_out, zero_point=zp_out),
            ("ReducerOptions", {"keepDims": keep}),
        )
        x = random_int8(rng, shape)
        cases.append(Case(kernel_params.flatten(params), [x], int(np.prod(out_shape))))
        models.append(model)
        inputs.append(x)
    for model, x, (status, got) in zip(models, inputs, harness.run("mean", cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, [x])[0].reshape(-1))
