"""RELU, RELU6 -> ta_relu_s8 (ta_relu_s8, ta_relu6_s8): int8, element-wise."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_elementwise_call, int8_unary, params_or_fail


@register("RELU")
def emit_relu(ctx: OpContext) -> None:
    inp, out, qi, qo = int8_unary(ctx)
    params = params_or_fail(ctx, kernel_params.relu_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point)
    emit_elementwise_call(ctx, "ta_relu_s8", "ta_relu_s8_params_t", params, inp, out)


@register("RELU6")
def emit_relu6(ctx: OpContext) -> None:
    inp, out, qi, _ = int8_unary(ctx)
    params = params_or_fail(ctx, kernel_params.relu6_params, qi.scale, qi.zero_point)
    emit_elementwise_call(ctx, "ta_relu6_s8", "ta_relu6_s8_params_t", params, inp, out, kernel="ta_relu_s8")
