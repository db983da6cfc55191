"""RELU, RELU6, LEAKY_RELU, HARD_SWISH, ABS int8 kernels vs tflite-micro on every int8 input value for
random quantizations; MAXIMUM/MINIMUM with broadcasting (fixed seeds)."""

from __future__ import annotations

import numpy as np
import pytest
from kernel_harness import Case, Harness
from tests.support.oracle import invoke_tflm
from tests.support.random_tensors import random_int8, random_scale, random_zp
from tests.support.tflite_builder import single_op

from tinyaudio.compile import kernel_params

CONFIGS = 30


def _params(
    op: str, s_in: float, zp_in: int, s_out: float, zp_out: int, alpha: float
) -> kernel_params.Params:
    if op == "RELU":
        return kernel_params.relu_params(s_in, zp_in, s_out, zp_out)
    if op == "RELU6":
        return kernel_params.relu6_params(s_in, zp_in)
    if op == "LEAKY_RELU":
        return kernel_params.leaky_relu_params(s_in, zp_in, s_out, zp_out, alpha)
    if op == "HARD_SWISH":
        return kernel_params.hard_swish_params(s_in, zp_in, s_out, zp_out)
    return kernel_params.abs_params(s_in, zp_in, s_out, zp_out)


@pytest.mark.parametrize("op", ["RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "ABS"])
def test_activation_matches_tflm(harness: Harness, op: str) -> None:
    rng = np.random.default_rng(["RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "ABS"].index(op) + 51)
    cases, models, inputs = [], [], []
    while len(cases) < CONFIGS:
        s_in, zp_in = random_scale(rng, 0.005, 0.2), random_zp(rng)
        s_out, zp_out = random_scale(rng, 0.005, 0.2), random_zp(rng)
        if len(cases) % 5 == 0:
            s_out = s_in  # equal scales: ABS takes its no-rescale path
        alpha = float(np.float32(rng.uniform(0.01, 0.5)))
        try:
            params = _params(op, s_in, zp_in, s_out, zp_out, alpha)
        except kernel_params.KernelParamError:
            continue  # HARD_SWISH: TFLM refuses these scales too
        x = np.arange(-128, 128, dtype=np.int8).reshape(1, 256)
        rng.shuffle(x[0])
        opts = ("LeakyReluOptions", {"alpha": alpha}) if op == "LEAKY_RELU" else None
        model = single_op(
            op,
            [dict(shape=x.shape, scale=s_in, zero_point=zp_in)],
            dict(shape=x.shape, scale=s_out, zero_point=zp_out),
            opts,
        )
        cases.append(Case(kernel_params.flatten(params), [x], x.size))
        models.append(model)
        inputs.append(x)
    for model, x, (status, got) in zip(models, inputs, harness.run(op.lower(), cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, [x])[0].reshape(-1))


@pytest.mark.parametrize("op", ["MAXIMUM", "MINIMUM"])
def test_maximum_minimum_matches_tflm(harness: Harness, op: str) -> None:
    rng = np.random.default_rng(61 if op == "MAXIMUM" else 62)
    cases, models, inputs = [], [], []
    for _ in range(40):
        rank = int(rng.integers(1, 5))
        full = [int(d) for d in rng.integers(1, 6, size=rank)]
        a = list(full)
        b = [1 if rng.random() < 0.5 else d for d in full]
        if rng.random() < 0.5:
            a, b = b, a
        out_shape = kernel_params.broadcast_shape(a, b)
        q = dict(scale=random_scale(rng), zero_point=random_zp(rng))
        model = single_op(op, [dict(shape=a, **q), dict(shape=b, **q)], dict(shape=out_shape, **q))
        xs = [random_int8(rng, a), random_int8(rng, b)]
        cases.append(
            Case(kernel_params.flatten(kernel_params.broadcast_params(a, b)), xs, int(np.prod(out_shape)))
        )
        models.append(model)
        inputs.append(xs)
    for model, xs, (status, got) in zip(models, inputs, harness.run(op.lower(), cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, xs)[0].reshape(-1))
