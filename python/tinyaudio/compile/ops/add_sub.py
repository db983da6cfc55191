"""ADD, SUB (int8, broadcasting, fused activation) -> ta_add_s8 / ta_sub_s8."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import (
    emit_broadcast_call,
    int8_quant,
    params_or_fail,
    require_broadcast_output,
)
from tinyaudio.compile.schema import BuiltinOptionsType


@register("ADD", "SUB")
def emit_add_sub(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
    is_add = ctx.op.name == "ADD"
    opts = ctx.options(BuiltinOptionsType.AddOptions if is_add else BuiltinOptionsType.SubOptions)
    activation = opts.get_int(0, 0, "b") if opts else 0
    ctx.require(activation in (0, 1, 2, 3), f"fused activation {activation} is not supported for int8")
    require_broadcast_output(ctx, a, b, out)
    params = params_or_fail(ctx, s8_params.add_params, qa.scale, qa.zero_point, qb.scale, qb.zero_point,
                            qo.scale, qo.zero_point, activation, tensor=out)
    emit_broadcast_call(ctx, "ta_add_s8" if is_add else "ta_sub_s8", a, b, out, params)
