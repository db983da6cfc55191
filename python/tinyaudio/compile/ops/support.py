"""Helpers shared by several emitters (the compiler-side twin of firmware/runtime/support/): tensor checks,
turning kernel_params refusals into the compiler's error format, and the call patterns of the kernel
families (weighted ops with per-channel multipliers, 2-D pooling, broadcasting and element-wise kernels).

No parameter arithmetic here: that is compile/kernel_params.py. No emitter here: this module registers
nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import numpy as np

from tinyaudio.compile import kernel_params
from tinyaudio.compile.flatbuf import Table
from tinyaudio.compile.ir import Quantization, Tensor
from tinyaudio.compile.kernel_params import KernelParamError, Params
from tinyaudio.compile.ops import OpContext
from tinyaudio.compile.schema import BuiltinOptionsType, Pool2DOptionsField

T = TypeVar("T")

# TFLM's MUL and SQUARED_DIFFERENCE broadcast through 4-D "slow" loops only.
MAX_TFLM_BROADCAST_RANK = 4


def params_or_fail(ctx: OpContext, fn: Callable[..., T], *args: Any, tensor: Tensor | None = None) -> T:
    """Calls a kernel_params function; its refusals (KernelParamError) become the compiler's error naming
    the op and `tensor`. (Arithmetic on impossible values, a ValueError, is refused by lower_op.)"""
    try:
        return fn(*args)
    except KernelParamError as err:
        ctx.fail(str(err), tensor)


def option_int(opts: Table | None, field: int, default: int = 0, fmt: str = "i") -> int:
    """An integer field of an options table (`fmt` "b" for byte enums), the schema default without one."""
    return opts.get_int(field, default, fmt) if opts is not None else default


def option_float(opts: Table | None, field: int, default: float = 0.0) -> float:
    return opts.get_float(field, default) if opts is not None else default


def option_bool(opts: Table | None, field: int, default: bool = False) -> bool:
    return bool(opts.get_bool(field, default)) if opts is not None else default


def int8_quant(ctx: OpContext, t: Tensor) -> Quantization:
    """The tensor must be per-tensor quantized int8."""
    ctx.require_type(t, "INT8")
    return ctx.require_quant(t)


def same_quant(a: Quantization, b: Quantization) -> bool:
    return a.scale == b.scale and a.zero_point == b.zero_point


def require_4d(ctx: OpContext, tensor: Tensor, what: str) -> tuple[int, int, int, int]:
    ctx.require(len(tensor.shape) == 4, f"{what} must be 4-D (NHWC), got shape {list(tensor.shape)}", tensor)
    n, h, w, c = tensor.shape
    return n, h, w, c


def require_output_hw(ctx: OpContext, out: Tensor, params: Params) -> None:
    """The NHWC output's height and width are the ones the options give."""
    oh, ow = out.shape[1], out.shape[2]
    want = (params["output_h"], params["output_w"])
    ctx.require((oh, ow) == want, f"output is {oh}x{ow} but the options give {want[0]}x{want[1]}", out)


# ---- weighted ops: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED (ta_conv_s8_common.h) ----------------------


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
    """Inputs 0, 1, 2 are data, weights, optional bias: int8 input, output and constant weights, all
    quantized (weights possibly per channel)."""
    inp, filt, out = ctx.input(0), ctx.input(1), ctx.output(0)
    bias = ctx.optional_input(2)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8")
    ctx.require_type(filt, "INT8")
    ctx.require(filt.is_constant, "weights must be constant", filt)
    qin, qout = ctx.require_quant(inp), ctx.require_quant(out)
    qf = ctx.require_quant(filt, per_channel_ok=True)
    return WeightedOp(inp, filt, out, bias, qin, qout, qf)


def check_bias(ctx: OpContext, bias: Tensor | None, channels: int) -> None:
    if bias is None:
        return
    ctx.require_type(bias, "INT32")
    ctx.require(bias.is_constant, "bias must be a constant tensor", bias)
    ctx.require(
        bias.num_elements == channels, f"bias has {bias.num_elements} values for {channels} channels", bias
    )


def multiplier_arrays(ctx: OpContext, params: Params) -> dict[str, object]:
    """The params with output_multiplier / output_shift (per-channel lists) moved into const int32 arrays
    `op<i>_multiplier` / `op<i>_shift`; the struct's pointer fields name them."""
    fields: dict[str, object] = dict(params)
    for key, suffix in (("output_multiplier", "multiplier"), ("output_shift", "shift")):
        fields[key] = ctx.const_array(suffix, np.array(params[key], dtype=np.int32), "int32_t")
    return fields


def bias_pointer(ctx: OpContext, bias: Tensor | None) -> str:
    return ctx.ptr(bias) if bias is not None else "0"


# ---- 2-D pooling: AVERAGE_POOL_2D, MAX_POOL_2D (ta_pool2d_s8.h) -------------------------------------------


def emit_pool2d(ctx: OpContext, kernel: str) -> Params:
    """Checks a pooling op, writes its ta_pool2d_s8_params_t and the call to `kernel`; returns the params."""
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8")
    qin, qout = ctx.require_quant(inp), ctx.require_quant(out)
    ctx.require(
        qin.zero_point == qout.zero_point and qin.scale == qout.scale,
        "input and output quantization differ (pooling does not rescale)",
        out,
    )
    n, _, _, c = require_4d(ctx, inp, "input")
    on, _, _, oc = require_4d(ctx, out, "output")
    ctx.require((on, oc) == (n, c), f"output batch/depth {on}/{oc} differ from input {n}/{c}", out)

    opts = ctx.options(BuiltinOptionsType.Pool2DOptions)
    ctx.require(opts is not None, "missing Pool2DOptions")
    f = Pool2DOptionsField
    params = params_or_fail(
        ctx, kernel_params.pool2d_params, inp.shape,
        (option_int(opts, f.FILTER_HEIGHT), option_int(opts, f.FILTER_WIDTH)),
        (option_int(opts, f.STRIDE_H), option_int(opts, f.STRIDE_W)),
        option_int(opts, f.PADDING, 0, "b"), option_int(opts, f.FUSED_ACTIVATION_FUNCTION, 0, "b"),
        qout.scale, qout.zero_point, tensor=out,
    )  # fmt: skip
    require_output_hw(ctx, out, params)
    p = ctx.const_struct("ta_pool2d_s8_params_t", params)
    ctx.use_kernel(kernel)
    ctx.call(kernel, f"&{p}", ctx.ptr(inp), ctx.ptr(out))
    return params


# ---- broadcasting and element-wise kernels (ta_broadcast.h, ta_elementwise_s8.h) ---------------------------


def require_broadcast_output(ctx: OpContext, a: Tensor, b: Tensor, out: Tensor) -> None:
    """The inputs' shapes broadcast, to as many elements as the output holds."""
    bshape = params_or_fail(ctx, kernel_params.broadcast_shape, a.shape, b.shape, tensor=out)
    ctx.require(
        math.prod(bshape) == out.num_elements,
        f"output shape {list(out.shape)} is not the broadcast shape {bshape}",
        out,
    )


def require_tflm_broadcast_rank(ctx: OpContext, a: Tensor, b: Tensor, out: Tensor) -> None:
    """MUL and SQUARED_DIFFERENCE: TFLM broadcasts unequal shapes up to 4-D only."""
    if tuple(a.shape) != tuple(b.shape):
        rank = MAX_TFLM_BROADCAST_RANK
        ctx.require(
            max(len(a.shape), len(b.shape)) <= rank,
            f"broadcasting above {rank}-D is not supported by TFLM's {ctx.op.name}",
            out,
        )


def emit_broadcast_call(
    ctx: OpContext, kernel: str, a: Tensor, b: Tensor, out: Tensor, params: Params | None = None
) -> None:
    """Records `kernel([&params,] &shape, a, b, out)` for a two-input broadcasting kernel (the walk in
    firmware/runtime/support/ta_elementwise_s8.h) and offers the planner to run it in place."""
    shape = params_or_fail(ctx, kernel_params.broadcast_params, a.shape, b.shape, tensor=out)
    args = [] if params is None else ["&" + ctx.const_struct(f"{kernel}_params_t", params)]
    s = ctx.const_struct("ta_broadcast_t", shape, suffix="shape")
    ctx.use_kernel(kernel)
    ctx.call(kernel, *args, f"&{s}", ctx.ptr(a), ctx.ptr(b), ctx.ptr(out))
    # The output may overwrite one full-shape input (element k is read before it is written). Offer
    # only one: two hints would let the planner put both inputs in the same buffer.
    for i, t in enumerate((a, b)):
        if tuple(t.shape) == tuple(out.shape):
            ctx.inplace(0, i)
            break


def emit_elementwise_call(
    ctx: OpContext,
    func: str,
    c_type: str,
    params: Params,
    inp: Tensor,
    out: Tensor,
    kernel: str | None = None,
) -> None:
    """Records `func(&params, input, output, n)` for a one-input element-wise kernel (kernel file
    `kernel`, by default named as the function); element k is read before it is written, so the
    output may take the input's memory."""
    p = ctx.const_struct(c_type, params)
    ctx.use_kernel(kernel or func)
    ctx.call(func, f"&{p}", ctx.ptr(inp), ctx.ptr(out), str(out.num_elements))
    ctx.inplace(0, 0)


def int8_unary(ctx: OpContext) -> tuple[Tensor, Tensor, Quantization, Quantization]:
    """Input 0 and output 0 of a one-input int8 op: per-tensor quantized, the same element count."""
    inp, out = ctx.input(0), ctx.output(0)
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    return inp, out, qi, qo
