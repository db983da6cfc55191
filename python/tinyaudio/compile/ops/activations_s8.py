"""Stand-alone int8 activations: RELU, RELU6, LEAKY_RELU, HARD_SWISH, ABS (element-wise kernels) and
MAXIMUM, MINIMUM (broadcasting raw comparisons)."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import (
    emit_broadcast_call,
    emit_elementwise_call,
    int8_quant,
    params_or_fail,
    require_broadcast_output,
)

LEAKY_RELU_OPTIONS = 75  # BuiltinOptions union code of LeakyReluOptions (schema.fbs)


@register("RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "ABS")
def emit_activation(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    name = ctx.op.name
    if name == "RELU":
        params = params_or_fail(ctx, s8_params.relu_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point)
        kernel, c_type = "ta_relu_s8", "ta_relu_s8_params_t"
        func = "ta_relu_s8"
    elif name == "RELU6":
        params = params_or_fail(ctx, s8_params.relu6_params, qi.scale, qi.zero_point)
        kernel, c_type, func = "ta_relu_s8", "ta_relu6_s8_params_t", "ta_relu6_s8"
    elif name == "LEAKY_RELU":
        opts = ctx.options(LEAKY_RELU_OPTIONS)
        alpha = opts.get_float(0, 0.0) if opts else 0.0
        params = params_or_fail(ctx, s8_params.leaky_relu_params, qi.scale, qi.zero_point, qo.scale,
                                qo.zero_point, alpha)
        kernel = func = "ta_leaky_relu_s8"
        c_type = "ta_leaky_relu_s8_params_t"
    elif name == "HARD_SWISH":
        params = params_or_fail(ctx, s8_params.hard_swish_params, qi.scale, qi.zero_point, qo.scale,
                                qo.zero_point, tensor=out)
        kernel = func = "ta_hard_swish_s8"
        c_type = "ta_hard_swish_s8_params_t"
    else:
        params = params_or_fail(ctx, s8_params.abs_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point)
        kernel = func = "ta_abs_s8"
        c_type = "ta_abs_s8_params_t"
    emit_elementwise_call(ctx, func, c_type, params, inp, out, kernel)


@register("MAXIMUM", "MINIMUM")
def emit_maximum_minimum(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    for t in (a, b, out):
        int8_quant(ctx, t)
    require_broadcast_output(ctx, a, b, out)
    emit_broadcast_call(ctx, f"ta_{ctx.op.name.lower()}_s8", a, b, out)
