"""RSQRT, LOGISTIC, TANH int8 kernels vs tflite-micro: every int8 input value for many random
quantizations (fixed seeds)."""

from __future__ import annotations

import numpy as np
import pytest
from kernel_harness import Case, Harness
from tests.support.oracle import invoke_tflm
from tests.support.random_tensors import random_scale, random_zp
from tests.support.tflite_builder import single_op

from tinyaudio.compile import kernel_params

CONFIGS = 40


def all_int8(rng: np.random.Generator) -> np.ndarray:
    x = np.arange(-128, 128, dtype=np.int8)
    rng.shuffle(x)
    return x


@pytest.mark.parametrize("op", ["LOGISTIC", "TANH"])
def test_sigmoid_like_matches_tflm(harness: Harness, op: str) -> None:
    rng = np.random.default_rng(11 if op == "LOGISTIC" else 12)
    cases, models, inputs = [], [], []
    for k in range(CONFIGS):
        s_in = random_scale(rng, 1e-3, 0.3) if k else 0.1
        zp = random_zp(rng)
        if op == "LOGISTIC":
            out_q = dict(scale=1.0 / 256, zero_point=-128)
        else:
            out_q = dict(scale=1.0 / 128, zero_point=0)
        params = (
            kernel_params.logistic_params(s_in, zp)
            if op == "LOGISTIC"
            else kernel_params.tanh_params(s_in, zp)
        )
        x = all_int8(rng).reshape(1, 16, 16)
        model = single_op(op, [dict(shape=x.shape, scale=s_in, zero_point=zp)], dict(shape=x.shape, **out_q))
        cases.append(Case(kernel_params.flatten(params), [x], x.size))
        models.append(model)
        inputs.append(x)
    for model, x, (status, got) in zip(models, inputs, harness.run(op.lower(), cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, [x])[0].reshape(-1))


def test_rsqrt_matches_tflm(harness: Harness) -> None:
    rng = np.random.default_rng(13)
    cases, models, inputs = [], [], []
    for k in range(CONFIGS):
        s_in = random_scale(rng, 1e-4, 0.5)
        s_out = random_scale(rng, 1e-3, 1.0)
        zp_in = -128 if k % 3 == 0 else random_zp(rng)
        zp_out = random_zp(rng)
        # TFLM refuses inputs below the zero point; use every admissible value.
        x = np.arange(zp_in, 128, dtype=np.int8)
        rng.shuffle(x)
        params = kernel_params.rsqrt_params(s_in, zp_in, s_out, zp_out)
        model = single_op(
            "RSQRT",
            [dict(shape=x.shape, scale=s_in, zero_point=zp_in)],
            dict(shape=x.shape, scale=s_out, zero_point=zp_out),
        )
        cases.append(Case(kernel_params.flatten(params), [x], x.size))
        models.append(model)
        inputs.append(x)
    for model, x, (status, got) in zip(models, inputs, harness.run("rsqrt", cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, [x])[0].reshape(-1))


def test_rsqrt_rejects_values_below_zero_point(harness: Harness) -> None:
    params = kernel_params.rsqrt_params(0.01, 0, 0.05, 0)
    ((status, _),) = harness.run(
        "rsqrt", [Case(kernel_params.flatten(params), [np.array([3, -1], np.int8)], 2)]
    )
    assert status == 3  # TA_ERR_PARAM, as TFLM fails the invoke
