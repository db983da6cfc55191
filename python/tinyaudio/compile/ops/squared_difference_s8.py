"""SQUARED_DIFFERENCE -> ta_squared_difference_s8: int8, broadcasting (up to 4-D, as TFLM)."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import (
    emit_broadcast_call,
    int8_quant,
    params_or_fail,
    require_broadcast_output,
    require_tflm_broadcast_rank,
)
from tinyaudio.compile.schema import BuiltinOptionsType


@register("SQUARED_DIFFERENCE")
def emit_squared_difference(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
    ctx.options(BuiltinOptionsType.SquaredDifferenceOptions)  # no fields; another table type is refused
    require_tflm_broadcast_rank(ctx, a, b, out)
    require_broadcast_output(ctx, a, b, out)
    params = params_or_fail(
        ctx,
        kernel_params.squared_difference_params,
        qa.scale,
        qa.zero_point,
        qb.scale,
        qb.zero_point,
        qo.scale,
        qo.zero_point,
        tensor=out,
    )
    emit_broadcast_call(ctx, "ta_squared_difference_s8", a, b, out, params)
    ctx.add_macs(out.num_elements)
