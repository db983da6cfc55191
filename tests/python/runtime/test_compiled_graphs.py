"""The int8 op emitters end to end: small graphs compiled by `tinyaudio.compile`, built for the host
(ASan/UBSan) and run on random inputs; outputs must equal tflite-micro's exactly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.support.oracle import run_tflm
from tests.support.random_tensors import random_int8
from tests.support.runner import run_compiled
from tests.support.tflite_builder import GraphBuilder

N_INPUTS = 20


def _q(rng: np.random.Generator, lo: float = 0.005, hi: float = 0.1) -> dict:
    return dict(scale=float(np.float32(rng.uniform(lo, hi))), zero_point=int(rng.integers(-20, 20)))


def _const(g: GraphBuilder, rng: np.random.Generator, name: str, shape: list[int]) -> int:
    return g.tensor(name, shape, data=random_int8(rng, shape), **_q(rng))


def g_add(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    x = g.tensor("x", [1, 4, 8], **_q(rng))
    c = _const(g, rng, "c", [8])
    y = g.tensor("y", [1, 4, 8], **_q(rng, 0.01, 0.2))
    g.op("ADD", [x, c], [y], ("AddOptions", {"fusedActivationFunction": 1}))
    return g, x, y


def g_sub_mul_sqdiff(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    x = g.tensor("x", [1, 4, 8], scale=0.05, zero_point=3)
    c1 = g.tensor("c1", [1, 1, 8], data=random_int8(rng, [1, 1, 8]), scale=0.04, zero_point=-2)
    a = g.tensor("a", [1, 4, 8], scale=0.09, zero_point=1)
    g.op("SUB", [c1, x], [a], ("SubOptions", {"fusedActivationFunction": 0}))
    c2 = g.tensor("c2", [4, 1], data=random_int8(rng, [4, 1]), scale=0.01, zero_point=0)
    b = g.tensor("b", [1, 4, 8], scale=0.01, zero_point=-128)
    g.op("MUL", [a, c2], [b], ("MulOptions", {"fusedActivationFunction": 3}))
    c3 = g.tensor("c3", [1, 4, 1], data=random_int8(rng, [1, 4, 1]), scale=0.01, zero_point=-5)
    y = g.tensor("y", [1, 4, 8], scale=0.05, zero_point=-128)
    g.op("SQUARED_DIFFERENCE", [b, c3], [y], ("SquaredDifferenceOptions", {}))
    return g, x, y


def g_mean(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    x = g.tensor("x", [1, 6, 5, 4], **_q(rng))
    ax1 = g.const("ax1", [1, 2])
    m = g.tensor("m", [1, 1, 1, 4], **_q(rng))
    g.op("MEAN", [x, ax1], [m], ("ReducerOptions", {"keepDims": True}))
    ax2 = g.const("ax2", [-1])
    y = g.tensor("y", [1, 1, 1], **_q(rng))
    g.op("MEAN", [m, ax2], [y], ("ReducerOptions", {"keepDims": False}))
    return g, x, y


def g_unary(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    x = g.tensor("x", [1, 64], scale=0.01, zero_point=-128)
    r = g.tensor("r", [1, 64], **_q(rng, 0.05, 0.5))
    g.op("RSQRT", [x], [r])
    s = g.tensor("s", [1, 64], scale=1.0 / 256, zero_point=-128)
    g.op("LOGISTIC", [r], [s])
    y = g.tensor("y", [1, 64], scale=1.0 / 128, zero_point=0)
    g.op("TANH", [s], [y])
    return g, x, y


def g_movement(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    q = _q(rng)
    x = g.tensor("x", [1, 4, 3, 8], **q)
    perm = g.const("perm", [0, 2, 1, 3])
    t = g.tensor("t", [1, 3, 4, 8], **q)
    g.op("TRANSPOSE", [x, perm], [t], ("TransposeOptions", {}))
    shape = g.const("shape", [1, 12, 8])
    r = g.tensor("r", [1, 12, 8], **q)
    g.op("RESHAPE", [t, shape], [r], ("ReshapeOptions", {"newShape": [1, 12, 8]}))
    cls = g.tensor("cls", [1, 1, 8], data=random_int8(rng, [1, 1, 8]), **q)
    cat = g.tensor("cat", [1, 13, 8], **q)
    g.op("CONCATENATION", [cls, r], [cat], ("ConcatenationOptions", {"axis": 1}))
    b, e, s = g.const("b", [0, 0, 0]), g.const("e", [1, 1, 8]), g.const("s", [1, 1, 1])
    y = g.tensor("y", [1, 8], **q)
    g.op("STRIDED_SLICE", [cat, b, e, s], [y], ("StridedSliceOptions", {"shrinkAxisMask": 2}))
    return g, x, y


def g_strided(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    q = _q(rng)
    x = g.tensor("x", [1, 9, 6], **q)
    b, e, s = g.const("b", [0, -2, 5]), g.const("e", [1, 0, 0]), g.const("s", [1, -2, -2])
    y = g.tensor("y", [1, 4, 3], **q)
    g.op("STRIDED_SLICE", [x, b, e, s], [y], ("StridedSliceOptions", {"endMask": 4}))
    return g, x, y


def g_attention(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    x = g.tensor("x", [1, 6, 8], scale=0.02, zero_point=-4)
    perm = g.const("perm", [0, 2, 1])
    xt = g.tensor("xt", [1, 8, 6], **_same(g, x))
    g.op("TRANSPOSE", [x, perm], [xt], ("TransposeOptions", {}))
    s1 = g.tensor("s1", [1, 6, 6], scale=0.06, zero_point=-10)
    g.op("BATCH_MATMUL", [x, xt], [s1], ("BatchMatMulOptions", {"adjX": False, "adjY": False}))
    s2 = g.tensor("s2", [1, 6, 8], scale=0.05, zero_point=2)
    g.op("BATCH_MATMUL", [s1, xt], [s2], ("BatchMatMulOptions", {"adjX": False, "adjY": True}))
    w = g.tensor("w", [2, 8, 3], data=random_int8(rng, [2, 8, 3]), scale=0.01, zero_point=0)
    y = g.tensor("y", [2, 6, 3], scale=0.15, zero_point=0)
    g.op("BATCH_MATMUL", [s2, w], [y], ("BatchMatMulOptions", {"adjX": False, "adjY": False}))
    return g, x, y


def _same(g: GraphBuilder, t: int) -> dict:
    src = g.tensors[t]
    return dict(scale=src.scale[0], zero_point=src.zero_point[0])


GRAPHS: dict[str, Callable[[np.random.Generator], tuple[GraphBuilder, int, int]]] = {
    "add": g_add,
    "sub_mul_squared_difference": g_sub_mul_sqdiff,
    "mean": g_mean,
    "rsqrt_logistic_tanh": g_unary,
    "transpose_reshape_concat_slice": g_movement,
    "strided_slice_negative": g_strided,
    "transpose_batch_matmul": g_attention,
}


def g_split_pack(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    """SPLIT / SPLIT_V / UNPACK / SLICE / PACK, every piece reaching the output through a concat."""
    g = GraphBuilder()
    q = dict(scale=0.05, zero_point=-3)
    x = g.tensor("x", [2, 6, 4], **q)
    axis = g.tensor("axis", [], "int32", data=np.array(1, np.int32))
    parts = [g.tensor(f"p{i}", [2, 2, 4], **q) for i in range(3)]
    g.op("SPLIT", [axis, x], parts, ("SplitOptions", {"numSplits": 3}))
    sizes = g.const("sizes", [1, -1])
    axis2 = g.tensor("axis2", [], "int32", data=np.array(-1, np.int32))
    v = [g.tensor("v0", [2, 2, 1], **q), g.tensor("v1", [2, 2, 3], **q)]
    g.op("SPLIT_V", [parts[2], sizes, axis2], v, ("SplitVOptions", {"numSplits": 2}))
    u = [g.tensor(f"u{i}", [2, 4], **q) for i in range(2)]
    g.op("UNPACK", [parts[0]], u, ("UnpackOptions", {"num": 2, "axis": 1}))
    packed = g.tensor("packed", [2, 2, 4], **q)
    g.op("PACK", [u[1], u[0]], [packed], ("PackOptions", {"valuesCount": 2, "axis": 1}))
    b, s = g.const("b", [1, 0, 1]), g.const("s", [1, -1, 2])
    sl = g.tensor("sl", [1, 2, 2], **q)
    g.op("SLICE", [parts[1], b, s], [sl], ("SliceOptions", {}))
    flat = []
    for name, t, n in (("f0", packed, 16), ("f1", sl, 4), ("f2", v[0], 4), ("f3", v[1], 12)):
        shp = g.const(f"{name}_shape", [1, n])
        f = g.tensor(name, [1, n], **q)
        g.op("RESHAPE", [t, shp], [f], ("ReshapeOptions", {"newShape": [1, n]}))
        flat.append(f)
    y = g.tensor("y", [1, 36], **q)
    g.op("CONCATENATION", flat, [y], ("ConcatenationOptions", {"axis": 1}))
    return g, x, y


GRAPHS["split_splitv_unpack_pack_slice"] = g_split_pack


def g_activations(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    x = g.tensor("x", [1, 5, 12], scale=0.04, zero_point=7)
    r = g.tensor("r", [1, 5, 12], scale=0.03, zero_point=-128)
    g.op("RELU", [x], [r])
    lk = g.tensor("lk", [1, 5, 12], scale=0.02, zero_point=-100)
    g.op("LEAKY_RELU", [x], [lk], ("LeakyReluOptions", {"alpha": 0.1}))
    hs = g.tensor("hs", [1, 5, 12], scale=0.03, zero_point=-60)
    g.op("HARD_SWISH", [lk], [hs])
    ab = g.tensor("ab", [1, 5, 12], scale=0.03, zero_point=-128)
    g.op("ABS", [hs], [ab])
    c = g.tensor("c", [12], data=random_int8(rng, [12]), scale=0.03, zero_point=-128)
    mx = g.tensor("mx", [1, 5, 12], scale=0.03, zero_point=-128)
    g.op("MAXIMUM", [ab, c], [mx])
    mn = g.tensor("mn", [1, 5, 12], scale=0.03, zero_point=-128)
    g.op("MINIMUM", [mx, r], [mn])
    y = g.tensor("y", [1, 5, 12], scale=0.03, zero_point=-128)
    g.op("RELU6", [mn], [y])
    return g, x, y


GRAPHS["relu_leaky_hardswish_abs_max_min_relu6"] = g_activations


def g_gather(rng: np.random.Generator) -> tuple[GraphBuilder, int, int]:
    g = GraphBuilder()
    q = dict(scale=0.05, zero_point=1)
    x = g.tensor("x", [2, 5, 3], **q)
    idx = g.const("idx", [[4, 0], [2, 2]])
    a = g.tensor("a", [2, 2, 2, 3], **q)
    g.op("GATHER", [x, idx], [a], ("GatherOptions", {"axis": 1}))
    idx2 = g.tensor("idx2", [], "int32", data=np.array(0, np.int32))
    y = g.tensor("y", [2, 2, 3], **q)
    g.op("GATHER", [a, idx2], [y], ("GatherOptions", {"axis": -2}))
    return g, x, y


GRAPHS["gather"] = g_gather


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_compiled_graph_matches_tflm(name: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(sorted(GRAPHS).index(name) + 100)
    g, x, y = GRAPHS[name](rng)
    model = g.build([x], [y])
    xs = np.stack([random_int8(rng, g.tensors[x].shape) for _ in range(N_INPUTS)])
    got = run_compiled(model, xs, out_dir=tmp_path)
    want = run_tflm(model, xs)
    np.testing.assert_array_equal(got.reshape(len(xs), -1), want.reshape(len(xs), -1))
