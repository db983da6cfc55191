"""ADD, SUB, MUL, SQUARED_DIFFERENCE int8 kernels vs tflite-micro over random shapes, broadcasting
patterns, quantization parameters and fused activations (fixed seeds)."""

from __future__ import annotations

import numpy as np
import pytest
from kernel_harness import Case, Harness
from tests.support.oracle import invoke_tflm
from tests.support.random_tensors import random_int8, random_scale, random_zp
from tests.support.tflite_builder import single_op

from tinyaudio.compile import kernel_params

OPTIONS = {
    "ADD": "AddOptions",
    "SUB": "SubOptions",
    "MUL": "MulOptions",
    "SQUARED_DIFFERENCE": "SquaredDifferenceOptions",
}
CASES_PER_OP = 90


def random_broadcast_shapes(rng: np.random.Generator, max_rank: int) -> tuple[list[int], list[int]]:
    rank = int(rng.integers(1, max_rank + 1))
    full = [int(d) for d in rng.integers(1, 6 if rank <= 4 else 4, size=rank)]
    pattern = rng.integers(0, 5)
    a, b = list(full), list(full)
    if pattern == 1:  # b broadcast on random dims
        b = [1 if rng.random() < 0.5 else d for d in full]
    elif pattern == 2:  # both broadcast on different dims
        a = [1 if rng.random() < 0.4 else d for d in full]
        b = [d if a[i] == 1 else (1 if rng.random() < 0.5 else d) for i, d in enumerate(full)]
    elif pattern == 3:  # b has lower rank (trailing dims)
        b = full[int(rng.integers(0, rank)) :] or [1]
    elif pattern == 4:  # scalar-like b
        b = [1]
    if rng.random() < 0.5:
        a, b = b, a
    return a, b


CaseData = tuple[dict, dict, list[int], list[np.ndarray], bytes]


def make_cases(op: str, seed: int, n: int) -> list[CaseData]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        # TFLM broadcasts ADD/SUB up to 6-D, MUL and SQUARED_DIFFERENCE up to 4-D.
        a_shape, b_shape = random_broadcast_shapes(rng, 6 if op in ("ADD", "SUB") else 4)
        out_shape = kernel_params.broadcast_shape(a_shape, b_shape)
        s1, s2, so = random_scale(rng), random_scale(rng), random_scale(rng)
        if op == "SQUARED_DIFFERENCE":
            so = random_scale(rng, 1e-4, 0.5)
        z1, z2, zo = random_zp(rng), random_zp(rng), random_zp(rng)
        act = int(rng.choice([0, 1, 2, 3])) if op != "SQUARED_DIFFERENCE" else 0
        if op in ("ADD", "SUB"):
            params = kernel_params.add_params(s1, z1, s2, z2, so, zo, act)
        elif op == "MUL":
            params = kernel_params.mul_params(s1, z1, s2, z2, so, zo, act)
        else:
            params = kernel_params.squared_difference_params(s1, z1, s2, z2, so, zo)
        bcast = kernel_params.broadcast_params(a_shape, b_shape)
        opts = {"fusedActivationFunction": act} if op != "SQUARED_DIFFERENCE" else {}
        model = single_op(
            op,
            [dict(shape=a_shape, scale=s1, zero_point=z1), dict(shape=b_shape, scale=s2, zero_point=z2)],
            dict(shape=out_shape, scale=so, zero_point=zo),
            (OPTIONS[op], opts),
        )
        xs = [random_int8(rng, a_shape), random_int8(rng, b_shape)]
        out.append((params, bcast, out_shape, xs, model))
    return out


@pytest.mark.parametrize("op,seed", [("ADD", 1), ("SUB", 2), ("MUL", 3), ("SQUARED_DIFFERENCE", 4)])
def test_binary_matches_tflm(harness: Harness, op: str, seed: int) -> None:
    cases = make_cases(op, seed, CASES_PER_OP)
    c_cases = [
        Case(kernel_params.flatten(p) + kernel_params.flatten(b), xs, int(np.prod(shape)))
        for p, b, shape, xs, _ in cases
    ]
    results = harness.run(op.lower(), c_cases)
    for (params, _, _, xs, model), (status, got) in zip(cases, results, strict=True):
        want = invoke_tflm(model, xs)[0].reshape(-1)
        assert status == 0, (op, params)
        np.testing.assert_array_equal(got, want, err_msg=f"{op} {[x.shape for x in xs]} {params}")


def test_add_rejects_bad_shift(harness: Harness) -> None:
    p = kernel_params.add_params(0.1, 0, 0.1, 0, 0.1, 0)
    p["input1_shift"] = 3
    b = kernel_params.broadcast_params([4], [4])
    ((status, _),) = harness.run(
        "add", [Case(kernel_params.flatten(p) + kernel_params.flatten(b), [np.zeros(4, np.int8)] * 2, 4)]
    )
    assert status == 3  # TA_ERR_PARAM
