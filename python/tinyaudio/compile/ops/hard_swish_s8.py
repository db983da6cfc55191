"""HARD_SWISH -> ta_hard_swish_s8: int8, element-wise."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_elementwise_call, int8_unary, params_or_fail


@register("HARD_SWISH")
def emit_hard_swish(ctx: OpContext) -> None:
    inp, out, qi, qo = int8_unary(ctx)
    params = params_or_fail(
        ctx, kernel_params.hard_swish_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point, tensor=out
    )
    emit_elementwise_call(ctx, "ta_hard_swish_s8", "ta_hard_swish_s8_params_t", params, inp, out)
