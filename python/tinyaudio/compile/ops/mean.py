"""MEAN (int8, up to two axes, keep_dims) -> ta_mean_s8."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import c_struct_fields, int8_quant, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType


@register("MEAN")
def emit_mean(ctx: OpContext) -> None:
    inp, axis_t, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require_type(axis_t, "INT32")
    axes = [int(a) for a in ctx.require_const(axis_t).reshape(-1)]
    opts = ctx.options(BuiltinOptionsType.ReducerOptions)
    keep = bool(opts.get_bool(0, False)) if opts else False
    want = params_or_fail(ctx, s8_params.mean_output_shape, inp.shape, axes, keep, tensor=out)
    n = 1
    for d in want:
        n *= d
    ctx.require(n == out.num_elements, f"output shape {list(out.shape)} does not match MEAN's {want}", out)
    params = params_or_fail(ctx, s8_params.mean_params, inp.shape, axes, qi.scale, qi.zero_point,
                            qo.scale, qo.zero_point, tensor=inp)
    p = ctx.const_struct("ta_mean_s8_params_t", c_struct_fields(params))
    ctx.use_kernel("ta_mean_s8")
    ctx.call("ta_mean_s8", f"&{p}", ctx.ptr(inp), ctx.ptr(out))
    ctx.add_macs(inp.num_elements)
