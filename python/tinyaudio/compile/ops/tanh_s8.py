"""TANH -> ta_tanh_s8: int8, element-wise fixed point (output fixed at scale 1/128, zero point 0)."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_elementwise_call, int8_unary, params_or_fail


@register("TANH")
def emit_tanh(ctx: OpContext) -> None:
    inp, out, qi, qo = int8_unary(ctx)
    ctx.require(
        qo.zero_point == 0 and abs(qo.scale * 128.0 - 1.0) < 1e-6,
        "int8 TANH output must have scale 1/128 and zero point 0",
        out,
    )
    params = params_or_fail(ctx, kernel_params.tanh_params, qi.scale, qi.zero_point)
    emit_elementwise_call(ctx, "ta_tanh_s8", "ta_tanh_s8_params_t", params, inp, out)
