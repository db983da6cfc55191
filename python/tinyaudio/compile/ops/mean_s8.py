"""MEAN -> ta_mean_s8: int8, up to two axes, keep_dims."""

from __future__ import annotations

import math

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, option_bool, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, ReducerOptionsField


@register("MEAN")
def emit_mean(ctx: OpContext) -> None:
    inp, axis_t, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require_type(axis_t, "INT32")
    axes = [int(a) for a in ctx.require_const(axis_t).reshape(-1)]
    keep = option_bool(ctx.options(BuiltinOptionsType.ReducerOptions), ReducerOptionsField.KEEP_DIMS)
    want = params_or_fail(ctx, kernel_params.mean_output_shape, inp.shape, axes, keep, tensor=out)
    ctx.require(
        math.prod(want) == out.num_elements,
        f"output shape {list(out.shape)} does not match MEAN's {want}",
        out,
    )
    params = params_or_fail(
        ctx,
        kernel_params.mean_params,
        inp.shape,
        axes,
        qi.scale,
        qi.zero_point,
        qo.scale,
        qo.zero_point,
        tensor=inp,
    )
    struct = ctx.const_struct("ta_mean_s8_params_t", params)
    ctx.use_kernel("ta_mean_s8")
    ctx.call("ta_mean_s8", f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
    ctx.add_macs(inp.num_elements)
