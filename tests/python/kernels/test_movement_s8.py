"""TRANSPOSE, STRIDED_SLICE, CONCATENATION int8 kernels vs tflite-micro over random shapes,
permutations, slices (masks, negative indices and strides, shrink axes) and axes (fixed seeds)."""

from __future__ import annotations

import numpy as np
from kernel_harness import Case, Harness
from tests.support.oracle import invoke_tflm
from tests.support.random_tensors import random_int8, random_scale, random_zp
from tests.support.tflite_builder import single_op

from tinyaudio.compile import kernel_params


def test_transpose_matches_tflm(harness: Harness) -> None:
    rng = np.random.default_rng(31)
    cases, models, inputs = [], [], []
    for _ in range(80):
        rank = int(rng.integers(1, 6))
        shape = [int(d) for d in rng.integers(1, 6, size=rank)]
        perm = [int(p) for p in rng.permutation(rank)]
        s, zp = random_scale(rng), random_zp(rng)
        params = kernel_params.transpose_params(shape, perm)
        model = single_op(
            "TRANSPOSE",
            [
                dict(shape=shape, scale=s, zero_point=zp),
                dict(shape=[rank], dtype="int32", data=np.array(perm)),
            ],
            dict(shape=[shape[p] for p in perm], scale=s, zero_point=zp),
            ("TransposeOptions", {}),
        )
        x = random_int8(rng, shape)
        cases.append(Case(kernel_params.flatten(params), [x], x.size))
        models.append(model)
        inputs.append(x)
    for model, x, (status, got) in zip(models, inputs, harness.run("transpose", cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, [x])[0].reshape(-1))


def test_strided_slice_matches_tflm(harness: Harness) -> None:
    rng = np.random.default_rng(32)
    cases, models, inputs = [], [], []
    while len(cases) < 80:
        rank = int(rng.integers(1, 5))
        shape = [int(d) for d in rng.integers(1, 8, size=rank)]
        begin = [int(rng.integers(-d, d)) for d in shape]
        end = [int(rng.integers(-d, d + 1)) for d in shape]
        strides = [int(rng.choice([1, 1, 1, 2, 3, -1, -2])) for _ in shape]
        begin_mask = int(rng.integers(0, 1 << rank))
        end_mask = int(rng.integers(0, 1 << rank))
        shrink = int(rng.integers(0, 1 << rank)) if rng.random() < 0.3 else 0
        for a in range(rank):
            if shrink & (1 << a):
                strides[a] = 1  # TFLite requires a positive stride on shrunk axes
        params, out_shape = kernel_params.strided_slice_params(
            shape, begin, end, strides, begin_mask, end_mask, shrink
        )
        n_out = int(np.prod(out_shape)) if out_shape else 1
        if n_out == 0:
            continue  # empty slices: TFLM and the compiler both reject zero-size tensors elsewhere
        s, zp = random_scale(rng), random_zp(rng)
        consts = [dict(shape=[rank], dtype="int32", data=np.array(v)) for v in (begin, end, strides)]
        model = single_op(
            "STRIDED_SLICE",
            [dict(shape=shape, scale=s, zero_point=zp), *consts],
            dict(shape=out_shape, scale=s, zero_point=zp),
            ("StridedSliceOptions", {"beginMask": begin_mask, "endMask": end_mask, "shrinkAxisMask": shrink}),
        )
        x = random_int8(rng, shape)
        cases.append(Case(kernel_params.flatten(params), [x], n_out))
        models.append(model)
        inputs.append(x)
    for model, x, (status, got) in zip(models, inputs, harness.run("strided_slice", cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, [x])[0].reshape(-1))


def test_concatenation_matches_tflm(harness: Harness) -> None:
    rng = np.random.default_rng(33)
    cases, models, inputs = [], [], []
    for _ in range(60):
        rank = int(rng.integers(1, 5))
        base = [int(d) for d in rng.integers(1, 5, size=rank)]
        axis = int(rng.integers(-rank, rank))
        n_in = int(rng.integers(1, 5))
        shapes = []
        for _ in range(n_in):
            sh = list(base)
            sh[axis] = int(rng.integers(1, 5))
            shapes.append(sh)
        s, zp = random_scale(rng), random_zp(rng)
        outer, sizes, out_shape = kernel_params.concatenation_params(shapes, axis)
        model = single_op(
            "CONCATENATION",
            [dict(shape=sh, scale=s, zero_point=zp) for sh in shapes],
            dict(shape=out_shape, scale=s, zero_point=zp),
            ("ConcatenationOptions", {"axis": axis, "fusedActivationFunction": 0}),
        )
        xs = [random_int8(rng, sh) for sh in shapes]
        cases.append(Case([outer, *sizes], xs, int(np.prod(out_shape))))
        models.append(model)
        inputs.append(xs)
    for model, xs, (status, got) in zip(models, inputs, harness.run("concatenation", cases), strict=True):
        assert status == 0
        np.testing.assert_array_equal(got, invoke_tflm(model, xs)[0].reshape(-1))
