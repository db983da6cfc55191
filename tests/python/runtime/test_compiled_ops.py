"""The convolution, pooling, fully-connected, softmax, (de)quantize and SVDF ops against tflite-micro,
through the whole compiler path: single-op models with random shapes, paddings, strides, dilations, depth
multipliers, per-channel and per-tensor quantization and fused activations -> compile -> host C
(ASan/UBSan) -> bit-exact. (The element-wise and data-movement ops: test_compiled_graphs.py here, and their
kernels directly in tests/python/kernels/.)"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from tests.support.random_tensors import random_inputs, random_weights
from tests.support.runner import assert_bit_exact
from tests.support.tflite_builder import GraphBuilder, edit_model

ACTS = [0, 1, 2, 3]  # NONE, RELU, RELU_N1_TO_1, RELU6
N_INPUTS = 12


def _out_size(padding: int, size: int, k: int, stride: int, dilation: int) -> int:
    eff = (k - 1) * dilation + 1
    return (size + stride - 1) // stride if padding == 0 else (size + stride - eff) // stride


def _out_scale(in_scale: float, w_scale: float, depth: int, rng: np.random.Generator) -> float:
    """An output scale under which a random accumulation spans a good part of int8 (few saturations)."""
    typical = math.sqrt(max(depth, 1)) * 75.0 * 75.0 * in_scale * w_scale
    return float(typical / 40.0 * rng.uniform(0.5, 2.0))


def _conv_model(
    rng: np.random.Generator, depthwise: bool, pointwise: bool = False, wide_multiplier: bool = False
) -> tuple[bytes, tuple[int, ...]]:
    while True:
        n = int(rng.integers(1, 3))
        ih, iw = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        fh, fw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        sh, sw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        dh, dw = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if rng.random() < 0.4 else (1, 1)
        padding = int(rng.integers(0, 2))
        if pointwise:  # the kernel's matrix-product path: 1x1, stride 1, no padding
            fh = fw = sh = sw = dh = dw = 1
        oh, ow = _out_size(padding, ih, fh, sh, dh), _out_size(padding, iw, fw, sw, dw)
        if oh > 0 and ow > 0:
            break
    if depthwise:
        ic = int(rng.integers(1, 7))
        mult = int(rng.integers(1, 4)) if not wide_multiplier else 33 + int(rng.integers(0, 4))
        oc = ic * mult
        wshape: tuple[int, ...] = (1, fh, fw, oc)
        depth = fh * fw
        qdim = 3
    else:
        groups = 1 if rng.random() < 0.8 or pointwise else 2
        fc = int(rng.integers(1, 6)) if not pointwise else int(rng.integers(1, 40))
        ic = fc * groups
        oc = int(rng.integers(1, 5)) * groups if not pointwise else int(rng.integers(1, 19))
        wshape = (oc, fh, fw, fc)
        depth = fh * fw * fc
        qdim = 0
    per_channel = rng.random() < 0.75
    in_scale = float(rng.uniform(0.01, 0.2))
    w_scales = list(rng.uniform(0.002, 0.05, oc)) if per_channel else [float(rng.uniform(0.002, 0.05))]
    out_scale = _out_scale(in_scale, float(np.mean(w_scales)), depth, rng)
    g = GraphBuilder()
    x = g.tensor("x", (n, ih, iw, ic), "int8", scale=in_scale, zero_point=int(rng.integers(-128, 128)))
    w = g.tensor(
        "w",
        wshape,
        "int8",
        scale=w_scales,
        zero_point=[0] * len(w_scales),
        data=random_weights(rng, wshape),
        quantized_dimension=qdim,
    )
    inputs = [x, w]
    if rng.random() < 0.85:
        bscale = [in_scale * s for s in (w_scales if per_channel else w_scales * oc)]
        inputs.append(
            g.tensor(
                "b", (oc,), "int32", scale=bscale, zero_point=[0] * oc, data=rng.integers(-3000, 3000, oc)
            )
        )
    act = int(rng.choice(ACTS))
    if act == 2:  # RELU_N1_TO_1 clamps to [-1, 1]: give that range most of int8
        out_scale = 2.0 / 200
    y = g.tensor("y", (n, oh, ow, oc), "int8", scale=out_scale, zero_point=int(rng.integers(-100, 100)))
    if depthwise:
        opts = (
            "DepthwiseConv2DOptions",
            {
                "padding": padding,
                "strideW": sw,
                "strideH": sh,
                "depthMultiplier": mult,
                "fusedActivationFunction": act,
                "dilationWFactor": dw,
                "dilationHFactor": dh,
            },
        )
        g.op("DEPTHWISE_CONV_2D", inputs, [y], options=opts)
    else:
        opts = (
            "Conv2DOptions",
            {
                "padding": padding,
                "strideW": sw,
                "strideH": sh,
                "fusedActivationFunction": act,
                "dilationWFactor": dw,
                "dilationHFactor": dh,
            },
        )
        g.op("CONV_2D", inputs, [y], options=opts)
    return g.build([x], [y]), (n, ih, iw, ic)


@pytest.mark.parametrize("seed", range(14))
def test_conv_2d_matches_tflm(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    model, shape = _conv_model(rng, depthwise=False)
    out = assert_bit_exact(model, random_inputs(rng, N_INPUTS, shape))
    assert len(np.unique(out)) > 1, "degenerate case: every output equal"


@pytest.mark.parametrize("seed", range(5))
def test_pointwise_conv_2d_matches_tflm(seed: int) -> None:
    rng = np.random.default_rng(1500 + seed)
    model, shape = _conv_model(rng, depthwise=False, pointwise=True)
    out = assert_bit_exact(model, random_inputs(rng, N_INPUTS, shape))
    assert len(np.unique(out)) > 1, "degenerate case: every output equal"


@pytest.mark.parametrize("seed", range(12))
def test_depthwise_conv_2d_matches_tflm(seed: int) -> None:
    rng = np.random.default_rng(2000 + seed)
    model, shape = _conv_model(rng, depthwise=True)
    assert_bit_exact(model, random_inputs(rng, N_INPUTS, shape))


@pytest.mark.parametrize("seed", range(2))
def test_depthwise_conv_2d_with_wide_depth_multiplier_matches_tflm(seed: int) -> None:
    """Depth multipliers above 32 (the per-channel path, as micro_speech's 8 takes too)."""
    rng = np.random.default_rng(2500 + seed)
    model, shape = _conv_model(rng, depthwise=True, wide_multiplier=True)
    assert_bit_exact(model, random_inputs(rng, N_INPUTS, shape))


@pytest.mark.parametrize("seed", range(10))
def test_fully_connected_matches_tflm(seed: int) -> None:
    rng = np.random.default_rng(3000 + seed)
    batches = int(rng.integers(1, 4))
    accum = int(rng.integers(1, 80))
    units = int(rng.integers(1, 20))
    per_channel = seed % 3 == 0
    in_scale = float(rng.uniform(0.01, 0.2))
    w_scales = list(rng.uniform(0.002, 0.05, units)) if per_channel else [float(rng.uniform(0.002, 0.05))]
    out_scale = _out_scale(in_scale, float(np.mean(w_scales)), accum, rng)
    g = GraphBuilder()
    in_shape = (batches, accum) if seed % 2 else (batches, 1, accum)
    x = g.tensor("x", in_shape, "int8", scale=in_scale, zero_point=int(rng.integers(-128, 128)))
    w = g.tensor(
        "w",
        (units, accum),
        "int8",
        scale=w_scales,
        zero_point=[0] * len(w_scales),
        data=random_weights(rng, (units, accum)),
    )
    inputs = [x, w]
    if seed % 4 != 1:
        bscale = [in_scale * s for s in w_scales]
        inputs.append(
            g.tensor(
                "b",
                (units,),
                "int32",
                scale=bscale,
                zero_point=[0] * len(bscale),
                data=rng.integers(-2000, 2000, units),
            )
        )
    y = g.tensor("y", (batches, units), "int8", scale=out_scale, zero_point=int(rng.integers(-100, 100)))
    g.op(
        "FULLY_CONNECTED",
        inputs,
        [y],
        options=(
            "FullyConnectedOptions",
            {"fusedActivationFunction": int(rng.choice(ACTS)), "keepNumDims": False},
        ),
    )
    assert_bit_exact(g.build([x], [y]), random_inputs(rng, N_INPUTS, in_shape))


@pytest.mark.parametrize("op", ["AVERAGE_POOL_2D", "MAX_POOL_2D"])
@pytest.mark.parametrize("seed", range(6))
def test_pool_2d_matches_tflm(op: str, seed: int) -> None:
    rng = np.random.default_rng(4000 + seed + (100 if op == "MAX_POOL_2D" else 0))
    while True:
        n, ih, iw, c = (
            int(rng.integers(1, 3)),
            int(rng.integers(1, 12)),
            int(rng.integers(1, 12)),
            int(rng.integers(1, 9)),
        )
        fh, fw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        sh, sw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        padding = int(rng.integers(0, 2))
        oh, ow = _out_size(padding, ih, fh, sh, 1), _out_size(padding, iw, fw, sw, 1)
        if oh > 0 and ow > 0:
            break
    scale, zp = float(rng.uniform(0.01, 0.2)), int(rng.integers(-128, 128))
    g = GraphBuilder()
    x = g.tensor("x", (n, ih, iw, c), "int8", scale=scale, zero_point=zp)
    y = g.tensor("y", (n, oh, ow, c), "int8", scale=scale, zero_point=zp)
    g.op(
        op,
        [x],
        [y],
        options=(
            "Pool2DOptions",
            {
                "padding": padding,
                "strideW": sw,
                "strideH": sh,
                "filterWidth": fw,
                "filterHeight": fh,
                "fusedActivationFunction": int(rng.choice(ACTS)),
            },
        ),
    )
    assert_bit_exact(g.build([x], [y]), random_inputs(rng, N_INPUTS, (n, ih, iw, c)))


@pytest.mark.parametrize("out_type", ["int8", "int16"])
@pytest.mark.parametrize("seed", range(5))
def test_softmax_matches_tflm(out_type: str, seed: int) -> None:
    rng = np.random.default_rng(5000 + seed + (50 if out_type == "int16" else 0))
    rows, depth = int(rng.integers(1, 6)), int(rng.integers(1, 60))
    beta = float(rng.choice([1.0, 0.5, 2.0, 0.1]))
    g = GraphBuilder()
    x = g.tensor(
        "x",
        (rows, depth),
        "int8",
        scale=float(rng.uniform(0.005, 0.5)),
        zero_point=int(rng.integers(-128, 128)),
    )
    if out_type == "int8":
        y = g.tensor("y", (rows, depth), "int8", scale=1.0 / 256, zero_point=-128)
    else:
        y = g.tensor("y", (rows, depth), "int16", scale=1.0 / 65536, zero_point=-32768)
    g.op("SOFTMAX", [x], [y], options=("SoftmaxOptions", {"beta": beta}))
    # Narrow and wide input spreads: saturated rows and near-uniform rows both occur.
    inputs = np.concatenate(
        [random_inputs(rng, 6, (rows, depth)), random_inputs(rng, 6, (rows, depth), spread=0.1)]
    )
    assert_bit_exact(g.build([x], [y]), inputs)


REQUANTIZE_PAIRS = [
    ("int8", "int8"),
    ("int16", "int8"),
    ("int8", "int16"),
    ("int16", "int16"),
    ("int16", "int32"),
    ("int8", "int32"),
]


@pytest.mark.parametrize(("src", "dst"), REQUANTIZE_PAIRS)
def test_quantize_requantization_matches_tflm(src: str, dst: str) -> None:
    rng = np.random.default_rng(7000 + REQUANTIZE_PAIRS.index((src, dst)))  # fixed seeds
    shape = (2, int(rng.integers(1, 40)))
    g = GraphBuilder()
    zp_in = 0 if src == "int16" else int(rng.integers(-128, 128))
    zp_out = {"int8": int(rng.integers(-128, 128)), "int16": 0, "int32": int(rng.integers(-50, 50))}[dst]
    x = g.tensor("x", shape, src, scale=float(rng.uniform(0.001, 0.1)), zero_point=zp_in)
    y = g.tensor("y", shape, dst, scale=float(rng.uniform(0.001, 0.1)), zero_point=zp_out)
    g.op("QUANTIZE", [x], [y])
    dtype = {"int8": np.int8, "int16": np.int16}[src]
    assert_bit_exact(g.build([x], [y]), random_inputs(rng, N_INPUTS, shape, dtype=dtype))


def test_dequantize_then_quantize_matches_tflm() -> None:
    """int8 -> float32 (DEQUANTIZE) -> int8 with another scale (float QUANTIZE), inside one model."""
    rng = np.random.default_rng(77)
    shape = (3, 17)
    g = GraphBuilder()
    x = g.tensor("x", shape, "int8", scale=0.037, zero_point=5)
    f = g.tensor("f", shape, "float32")
    y = g.tensor("y", shape, "int8", scale=0.011, zero_point=-7)
    g.op("DEQUANTIZE", [x], [f])
    g.op("QUANTIZE", [f], [y])
    assert_bit_exact(g.build([x], [y]), random_inputs(rng, N_INPUTS, shape))


def _mark_variable(model: bytes, tensor_index: int) -> bytes:
    """The builder has no variable tensors: flip is_variable on one through the object API."""

    def edit(m: Any) -> None:
        m.subgraphs[0].tensors[tensor_index].isVariable = True

    return edit_model(model, edit)


@pytest.mark.parametrize("state_type", ["int16", "int8"])
@pytest.mark.parametrize("seed", range(3))
def test_svdf_matches_tflm_over_a_sequence(state_type: str, seed: int) -> None:
    rng = np.random.default_rng(6000 + seed + (10 if state_type == "int8" else 0))
    batches, input_size = int(rng.integers(1, 3)), int(rng.integers(1, 20))
    rank, units, memory = int(rng.integers(1, 3)), int(rng.integers(1, 9)), int(rng.integers(2, 9))
    filters = rank * units
    in_scale, wf_scale, wt_scale = 0.05, float(rng.uniform(0.002, 0.02)), float(rng.uniform(0.0001, 0.01))
    state_scale = float(rng.uniform(0.01, 0.1))
    state_zp = 0 if state_type == "int16" else int(rng.integers(-20, 20))
    g = GraphBuilder()
    x = g.tensor("x", (batches, input_size), "int8", scale=in_scale, zero_point=int(rng.integers(-50, 50)))
    wf = g.tensor(
        "wf",
        (filters, input_size),
        "int8",
        scale=wf_scale,
        zero_point=0,
        data=random_weights(rng, (filters, input_size)),
    )
    wt_data = (
        rng.integers(-3000, 3000, (filters, memory))
        if state_type == "int16"
        else rng.integers(-127, 128, (filters, memory))
    )
    wt = g.tensor("wt", (filters, memory), state_type, scale=wt_scale, zero_point=0, data=wt_data)
    b = g.tensor(
        "b",
        (units,),
        "int32",
        scale=state_scale * wt_scale,
        zero_point=0,
        data=rng.integers(-500, 500, units),
    )
    state = g.tensor("state", (batches, memory * filters), state_type, scale=state_scale, zero_point=state_zp)
    y = g.tensor(
        "y",
        (batches, units),
        "int8",
        scale=float(rng.uniform(0.02, 0.2)),
        zero_point=int(rng.integers(-20, 20)),
    )
    g.op(
        "SVDF",
        [x, wf, wt, b, state],
        [y],
        options=("SVDFOptions", {"rank": rank, "fusedActivationFunction": 1}),
    )
    model = _mark_variable(g.build([x], [y]), state)
    assert_bit_exact(model, random_inputs(rng, 16, (batches, input_size)))


@pytest.mark.parametrize("seed", range(4))
def test_in_place_depthwise_and_pointwise_chain_matches_tflm(seed: int) -> None:
    """x -> depthwise (SAME, stride 1) -> depthwise -> pointwise: the second depthwise and the pointwise
    write over their dying inputs (ring of saved rows / saved pixel), and stay bit-exact."""
    rng = np.random.default_rng(7000 + seed)
    h, w, c = int(rng.integers(1, 10)), int(rng.integers(1, 10)), int(rng.integers(1, 70))
    oc = int(rng.integers(1, c + 1))
    g = GraphBuilder()
    scales = [float(rng.uniform(0.02, 0.1)) for _ in range(4)]
    x = g.tensor("x", (1, h, w, c), "int8", scale=scales[0], zero_point=int(rng.integers(-128, 128)))
    prev, prev_scale = x, scales[0]
    outs = []
    for i in range(2):
        k = int(rng.choice([1, 3, 5]))
        ws = list(rng.uniform(0.005, 0.03, c))
        wt = g.tensor(
            f"dw{i}",
            (1, k, k, c),
            "int8",
            scale=ws,
            zero_point=[0] * c,
            data=random_weights(rng, (1, k, k, c)),
            quantized_dimension=3,
        )
        b = g.tensor(
            f"b{i}",
            (c,),
            "int32",
            scale=[prev_scale * s for s in ws],
            zero_point=[0] * c,
            data=rng.integers(-500, 500, c),
        )
        y = g.tensor(
            f"y{i}", (1, h, w, c), "int8", scale=scales[i + 1], zero_point=int(rng.integers(-50, 50))
        )
        g.op(
            "DEPTHWISE_CONV_2D",
            [prev, wt, b],
            [y],
            options=(
                "DepthwiseConv2DOptions",
                {
                    "padding": 0,
                    "strideW": 1,
                    "strideH": 1,
                    "depthMultiplier": 1,
                    "fusedActivationFunction": int(rng.choice(ACTS)),
                    "dilationWFactor": 1,
                    "dilationHFactor": 1,
                },
            ),
        )
        outs.append(y)
        prev, prev_scale = y, scales[i + 1]
    ws = list(rng.uniform(0.005, 0.03, oc))
    pw = g.tensor(
        "pw", (oc, 1, 1, c), "int8", scale=ws, zero_point=[0] * oc, data=random_weights(rng, (oc, 1, 1, c))
    )
    pb = g.tensor(
        "pb",
        (oc,),
        "int32",
        scale=[prev_scale * s for s in ws],
        zero_point=[0] * oc,
        data=rng.integers(-500, 500, oc),
    )
    out = g.tensor(
        "out",
        (1, h, w, oc),
        "int8",
        scale=_out_scale(prev_scale, float(np.mean(ws)), c, rng),
        zero_point=int(rng.integers(-50, 50)),
    )
    g.op(
        "CONV_2D",
        [prev, pw, pb],
        [out],
        options=("Conv2DOptions", {"padding": 1, "strideW": 1, "strideH": 1}),
    )
    model = g.build([x], [out])
    from tinyaudio.compile.compiler import compile_tflite

    offsets = compile_tflite(model).plan.tensor_offsets
    assert offsets[outs[0]] == offsets[outs[1]] == offsets[out]  # one buffer for the whole chain
    assert_bit_exact(model, random_inputs(rng, N_INPUTS, (1, h, w, c)))
