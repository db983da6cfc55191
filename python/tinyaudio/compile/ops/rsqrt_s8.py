"""RSQRT -> ta_rsqrt_s8: int8, element-wise fixed point."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_elementwise_call, int8_unary, params_or_fail


@register("RSQRT")
def emit_rsqrt(ctx: OpContext) -> None:
    inp, out, qi, qo = int8_unary(ctx)
    params = params_or_fail(ctx, kernel_params.rsqrt_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point)
    emit_elementwise_call(ctx, "ta_rsqrt_s8", "ta_rsqrt_s8_params_t", params, inp, out)
