"""Helpers shared by the emitters of the int8 element-wise, reduction, matmul and data-movement ops
(ADD, SUB, MUL, SQUARED_DIFFERENCE, MEAN, RSQRT, LOGISTIC, TANH, TRANSPOSE, STRIDED_SLICE,
CONCATENATION, BATCH_MATMUL). The parameter arithmetic itself lives in compile/s8_params.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

from tinyaudio.compile import s8_params
from tinyaudio.compile.ir import Quantization, Tensor
from tinyaudio.compile.ops import OpContext
from tinyaudio.compile.s8_params import KernelParamError, Params

# BuiltinOptions union codes (schema.fbs) of option tables these emitters read that
# compile/schema.py does not list.
STRIDED_SLICE_OPTIONS = 32
PACK_OPTIONS = 59
UNPACK_OPTIONS = 64
SQUARED_DIFFERENCE_OPTIONS = 76
BATCH_MATMUL_OPTIONS = 101


def c_struct_fields(params: Params) -> dict[str, object]:
    """Params with list fields rendered as C brace initializers."""
    out: dict[str, object] = {}
    for k, v in params.items():
        out[k] = "{" + ", ".join(str(int(x)) for x in v) + "}" if isinstance(v, list) else int(v)
    return out


def int8_quant(ctx: OpContext, t: Tensor) -> Quantization:
    """The tensor must be per-tensor quantized int8."""
    ctx.require_type(t, "INT8")
    return ctx.require_quant(t)


T = TypeVar("T")


def params_or_fail(ctx: OpContext, fn: Callable[..., T], *args: Any, tensor: Tensor | None = None) -> T:
    """Calls a s8_params function, turning its refusals into the compiler's error format."""
    try:
        return fn(*args)
    except (KernelParamError, ValueError) as err:
        ctx.fail(str(err), tensor)


def same_quant(a: Quantization, b: Quantization) -> bool:
    return a.scale == b.scale and a.zero_point == b.zero_point


def require_broadcast_output(ctx: OpContext, a: Tensor, b: Tensor, out: Tensor) -> None:
    """The inputs' shapes broadcast, to as many elements as the output holds."""
    bshape = params_or_fail(ctx, s8_params.broadcast_shape, a.shape, b.shape, tensor=out)
    ctx.require(math.prod(bshape) == out.num_elements,
                f"output shape {list(out.shape)} is not the broadcast shape {bshape}", out)


def emit_broadcast_call(ctx: OpContext, kernel: str, a: Tensor, b: Tensor, out: Tensor,
                        params: Params | None = None) -> None:
    """Records `kernel([&params,] &shape, a, b, out)` for a two-input broadcasting kernel (the walk in
    firmware/runtime/support/ta_elementwise_s8.h) and offers the planner to run it in place."""
    shape = params_or_fail(ctx, s8_params.broadcast_params, a.shape, b.shape, tensor=out)
    args = [] if params is None else ["&" + ctx.const_struct(f"{kernel}_params_t", c_struct_fields(params))]
    s = ctx.const_struct("ta_broadcast_t", c_struct_fields(shape), suffix="shape")
    ctx.use_kernel(kernel)
    ctx.call(kernel, *args, f"&{s}", ctx.ptr(a), ctx.ptr(b), ctx.ptr(out))
    # The output may overwrite one full-shape input (element k is read before it is written). Offer
    # only one: two hints would let the planner put both inputs in the same buffer.
    for i, t in enumerate((a, b)):
        if tuple(t.shape) == tuple(out.shape):
            ctx.inplace(0, i)
            break


def emit_elementwise_call(ctx: OpContext, func: str, c_type: str, params: Params, inp: Tensor, out: Tensor,
                          kernel: str | None = None) -> None:
    """Records `func(&params, input, output, n)` for a one-input element-wise kernel (kernel file
    `kernel`, by default named as the function); element k is read before it is written, so the
    output may take the input's memory."""
    p = ctx.const_struct(c_type, c_struct_fields(params))
    ctx.use_kernel(kernel or func)
    ctx.call(func, f"&{p}", ctx.ptr(inp), ctx.ptr(out), str(out.num_elements))
    ctx.inplace(0, 0)
