"""Helpers shared by the conv/pool/fully-connected emitters: TFLite padding arithmetic, fused activations,
the checks of weighted ops and their per-channel multiplier arrays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from tinyaudio.compile.ir import Quantization, Tensor
from tinyaudio.compile.ops import OpContext
from tinyaudio.compile.quant_math import activation_range_int8
from tinyaudio.compile.schema import ACTIVATION_NAMES, PADDING_SAME, PADDING_VALID


@dataclass(frozen=True)
class Window:
    """Output size and top/left padding of one spatial dimension (TFLite ComputePaddingHeightWidth)."""

    out_size: int
    pad: int


def compute_window(padding: int, in_size: int, filter_size: int, stride: int, dilation: int) -> Window:
    effective = (filter_size - 1) * dilation + 1
    if padding == PADDING_SAME:
        out = (in_size + stride - 1) // stride
    else:
        out = (in_size + stride - effective) // stride
    total = max((out - 1) * stride + effective - in_size, 0)
    return Window(out_size=out, pad=total // 2)


def check_padding(ctx: OpContext, padding: int) -> None:
    ctx.require(padding in (PADDING_SAME, PADDING_VALID), f"unknown padding type {padding}")


def output_windows(
    ctx: OpContext,
    out: Tensor,
    padding: int,
    in_hw: tuple[int, int],
    filter_hw: tuple[int, int],
    stride_hw: tuple[int, int],
    dilation_hw: tuple[int, int] = (1, 1),
) -> tuple[Window, Window]:
    """Height and width windows of a 2-D sliding op over NHWC tensors (strides and dilations already
    checked positive); refuses an unknown padding and an output whose size is not the one the options
    give."""
    check_padding(ctx, padding)
    win_h = compute_window(padding, in_hw[0], filter_hw[0], stride_hw[0], dilation_hw[0])
    win_w = compute_window(padding, in_hw[1], filter_hw[1], stride_hw[1], dilation_hw[1])
    oh, ow = out.shape[1], out.shape[2]
    ctx.require((win_h.out_size, win_w.out_size) == (oh, ow),
                f"output is {oh}x{ow} but the options give {win_h.out_size}x{win_w.out_size}", out)
    return win_h, win_w


def fused_activation_range(ctx: OpContext, activation: int, output: Tensor) -> tuple[int, int]:
    """int8 clamp range of a fused activation; TANH/SIGN_BIT fused activations are refused."""
    q = ctx.require_quant(output)
    if activation not in (0, 1, 2, 3):
        name = ACTIVATION_NAMES[activation] if 0 <= activation < len(ACTIVATION_NAMES) else str(activation)
        ctx.fail(f"fused activation {name} is not supported", output)
    return activation_range_int8(activation, q.scale, q.zero_point)


def require_4d(ctx: OpContext, tensor: Tensor, what: str) -> tuple[int, int, int, int]:
    ctx.require(len(tensor.shape) == 4, f"{what} must be 4-D (NHWC), got shape {list(tensor.shape)}", tensor)
    n, h, w, c = tensor.shape
    return n, h, w, c


def check_bias(ctx: OpContext, bias: Tensor | None, channels: int) -> None:
    if bias is None:
        return
    ctx.require_type(bias, "INT32")
    ctx.require(bias.is_constant, "bias must be a constant tensor", bias)
    ctx.require(bias.num_elements == channels,
                f"bias has {bias.num_elements} values for {channels} channels", bias)


def check_positive(ctx: OpContext, **values: int) -> None:
    for name, value in values.items():
        ctx.require(value > 0, f"{name} must be positive, got {value}")


class WeightedOp(NamedTuple):
    """The checked tensors of an int8 op with constant int8 weights and an optional int32 bias."""

    inp: Tensor
    filt: Tensor
    out: Tensor
    bias: Tensor | None
    qin: Quantization
    qout: Quantization
    qf: Quantization  # per-tensor or per-channel


def weighted_op(ctx: OpContext) -> WeightedOp:
    """CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED: int8 input, output and constant weights, all
    quantized (weights possibly per channel); inputs 0, 1, 2 are data, weights, optional bias."""
    inp, filt, out = ctx.input(0), ctx.input(1), ctx.output(0)
    bias = ctx.optional_input(2)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8")
    ctx.require_type(filt, "INT8")
    ctx.require(filt.is_constant, "weights must be constant", filt)
    qin, qout = ctx.require_quant(inp), ctx.require_quant(out)
    qf = ctx.require_quant(filt, per_channel_ok=True)
    return WeightedOp(inp, filt, out, bias, qin, qout, qf)


def multiplier_arrays(ctx: OpContext, multipliers: Sequence[int], shifts: Sequence[int]) -> tuple[str, str]:
    """The const int32 arrays of per-channel output multipliers and shifts; returns their C names."""
    return (ctx.const_array("multiplier", np.array(multipliers, dtype=np.int32), "int32_t"),
            ctx.const_array("shift", np.array(shifts, dtype=np.int32), "int32_t"))
