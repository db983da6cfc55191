"""BATCH_MATMUL int8 kernel vs tflite-micro: random ranks 2-4, adj_x/adj_y, broadcast batch dims,
quantization parameters (fixed seed)."""

from __future__ import annotations

import numpy as np
from kernel_harness import Case, Harness
from tests.support.oracle import invoke_tflm
from tests.support.random_tensors import random_int8, random_scale, random_zp
from tests.support.tflite_builder import single_op

from tinyaudio.compile import kernel_params


def test_batch_matmul_matches_tflm(harness: Harness) -> None:
    rng = np.random.default_rng(41)
    cases, models, inputs = [], [], []
    for k in range(100):
        nb = int(rng.integers(0, 4))  # up to 5-D operands, as TFLM allows
        batch = [int(d) for d in rng.integers(1, 4, size=nb)]
        lb = [1 if rng.random() < 0.3 else d for d in batch]
        rb = [
            d if lb[i] == 1 and rng.random() < 0.5 else (1 if rng.random() < 0.3 else d)
            for i, d in enumerate(batch)
        ]
        if rng.random() < 0.3 and rb:
            rb = rb[1:]  # lower-rank rhs
        m, kd, n = (int(d) for d in rng.integers(1, 9, size=3))
        if k % 10 == 0:
            m, kd, n = 17, 16, 17  # attention-score shapes
        adj_x, adj_y = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
        lhs_shape = lb + ([kd, m] if adj_x else [m, kd])
        rhs_shape = rb + ([n, kd] if adj_y else [kd, n])
        sl, sr = random_scale(rng, 0.005, 0.1), random_scale(rng, 0.005, 0.1)
        so = random_scale(rng, 0.01, 1.0)
        zl, zr, zo = random_zp(rng), random_zp(rng), random_zp(rng)
        params, out_shape = kernel_params.batch_matmul_params(
            lhs_shape, rhs_shape, adj_x, adj_y, sl, zl, sr, zr, so, zo
        )
        model = single_op(
            "BATCH_MATMUL",
            [dict(shape=lhs_shape, scale=sl, zero_point=zl), dict(shape=rhs_shape, scale=sr, zero_point=zr)],
            dict(shape=out_shape, scale=so, zero_point=zo),
            ("BatchMatMulOptions", {"adjX": adj_x, "adjY": adj_y}),
        )
        xs = [random_int8(rng, lhs_shape), random_int8(rng, rhs_shape)]
        cases.append(Case(kernel_params.flatten(params), xs, int(np.prod(out_shape))))
        models.append(model)
        inputs.append(xs)
    for model, xs, (status, got) in zip(models, inputs, harness.run("batch_matmul", cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, xs)[0].reshape(-1))
