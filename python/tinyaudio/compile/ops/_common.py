"""Helpers shared by the conv/pool emitters: TFLite padding arithmetic and fused activations."""

from __future__ import annotations

from dataclasses import dataclass

from tinyaudio.compile.ir import Tensor
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
