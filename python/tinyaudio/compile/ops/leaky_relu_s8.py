"""LEAKY_RELU -> ta_leaky_relu_s8: int8, element-wise."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_elementwise_call, int8_unary, option_float, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, LeakyReluOptionsField


@register("LEAKY_RELU")
def emit_leaky_relu(ctx: OpContext) -> None:
    inp, out, qi, qo = int8_unary(ctx)
    alpha = option_float(ctx.options(BuiltinOptionsType.LeakyReluOptions), LeakyReluOptionsField.ALPHA)
    params = params_or_fail(
        ctx, kernel_params.leaky_relu_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point, alpha
    )
    emit_elementwise_call(ctx, "ta_leaky_relu_s8", "ta_leaky_relu_s8_params_t", params, inp, out)
