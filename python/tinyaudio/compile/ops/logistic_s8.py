"""LOGISTIC -> ta_logistic_s8: int8, element-wise fixed point (output at scale 1/256, zero point -128)."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_elementwise_call, int8_unary, params_or_fail


@register("LOGISTIC")
def emit_logistic(ctx: OpContext) -> None:
    inp, out, qi, qo = int8_unary(ctx)
    # TFLM writes Q0.8 with zero point -128 whatever the tensor says; refuse a mismatching tensor.
    ctx.require(
        qo.zero_point == -128 and abs(qo.scale * 256.0 - 1.0) < 1e-6,
        "int8 LOGISTIC output must have scale 1/256 and zero point -128",
        out,
    )
    params = params_or_fail(ctx, kernel_params.logistic_params, qi.scale, qi.zero_point)
    emit_elementwise_call(ctx, "ta_logistic_s8", "ta_logistic_s8_params_t", params, inp, out)
