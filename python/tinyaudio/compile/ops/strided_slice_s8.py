"""STRIDED_SLICE -> ta_strided_slice_s8 (a strided view of the input, copied by ta_strided_copy_s8). TFLM
copies the int8 bytes whatever the output's quantization says, and so does this."""

from __future__ import annotations

import math

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, option_bool, option_int, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, StridedSliceOptionsField


@register("STRIDED_SLICE")
def emit_strided_slice(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    int8_quant(ctx, inp)
    int8_quant(ctx, out)
    vectors = []
    for i in (1, 2, 3):
        t = ctx.input(i)
        ctx.require_type(t, "INT32")
        vectors.append([int(v) for v in ctx.require_const(t).reshape(-1)])
    opts = ctx.options(BuiltinOptionsType.StridedSliceOptions)
    f = StridedSliceOptionsField
    params, out_shape = params_or_fail(
        ctx, kernel_params.strided_slice_params, inp.shape, *vectors,
        option_int(opts, f.BEGIN_MASK), option_int(opts, f.END_MASK), option_int(opts, f.SHRINK_AXIS_MASK),
        option_int(opts, f.ELLIPSIS_MASK), option_int(opts, f.NEW_AXIS_MASK), option_bool(opts, f.OFFSET),
        tensor=out,
    )  # fmt: skip
    ctx.require(
        math.prod(out_shape) == out.num_elements,
        f"output shape {list(out.shape)} does not match the slice {out_shape}",
        out,
    )
    ctx.require(out.num_elements > 0, "empty slices are not supported", out)
    struct = ctx.const_struct("ta_strided_slice_s8_params_t", params)
    ctx.use_kernel("ta_strided_copy_s8")
    ctx.use_kernel("ta_strided_slice_s8")
    ctx.call("ta_strided_slice_s8", f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
