"""RSQRT, LOGISTIC, TANH (int8, element-wise fixed-point) -> ta_rsqrt_s8 / ta_logistic_s8 / ta_tanh_s8."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import emit_elementwise_call, int8_quant, params_or_fail


@register("RSQRT", "LOGISTIC", "TANH")
def emit_unary(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    name = ctx.op.name
    if name == "RSQRT":
        params = params_or_fail(ctx, s8_params.rsqrt_params, qi.scale, qi.zero_point, qo.scale, qo.zero_point)
    elif name == "LOGISTIC":
        # TFLM writes Q0.8 with zero point -128 whatever the tensor says; refuse a mismatching tensor.
        ctx.require(qo.zero_point == -128 and abs(qo.scale * 256.0 - 1.0) < 1e-6,
                    "int8 LOGISTIC output must have scale 1/256 and zero point -128", out)
        params = params_or_fail(ctx, s8_params.logistic_params, qi.scale, qi.zero_point)
    else:
        ctx.require(qo.zero_point == 0 and abs(qo.scale * 128.0 - 1.0) < 1e-6,
                    "int8 TANH output must have scale 1/128 and zero point 0", out)
        params = params_or_fail(ctx, s8_params.tanh_params, qi.scale, qi.zero_point)
    kernel = f"ta_{name.lower()}_s8"
    emit_elementwise_call(ctx, kernel, f"{kernel}_params_t", params, inp, out)
