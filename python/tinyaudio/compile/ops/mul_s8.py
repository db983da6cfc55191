"""MUL -> ta_mul_s8: int8, broadcasting (up to 4-D, as TFLM), fused activation."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.add_s8 import INT8_FUSED_ACTIVATIONS
from tinyaudio.compile.ops.support import (
    emit_broadcast_call,
    int8_quant,
    option_int,
    params_or_fail,
    require_broadcast_output,
    require_tflm_broadcast_rank,
)
from tinyaudio.compile.schema import BuiltinOptionsType, MulOptionsField


@register("MUL")
def emit_mul(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
    opts = ctx.options(BuiltinOptionsType.MulOptions)
    activation = option_int(opts, MulOptionsField.FUSED_ACTIVATION_FUNCTION, 0, "b")
    ctx.require(
        activation in INT8_FUSED_ACTIVATIONS, f"fused activation {activation} is not supported for int8"
    )
    require_tflm_broadcast_rank(ctx, a, b, out)
    require_broadcast_output(ctx, a, b, out)
    params = params_or_fail(
        ctx,
        kernel_params.mul_params,
        qa.scale,
        qa.zero_point,
        qb.scale,
        qb.zero_point,
        qo.scale,
        qo.zero_point,
        activation,
        tensor=out,
    )
    emit_broadcast_call(ctx, "ta_mul_s8", a, b, out, params)
    ctx.add_macs(out.num_elements)
