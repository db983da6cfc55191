"""MUL, SQUARED_DIFFERENCE (int8, broadcasting) -> ta_mul_s8 / ta_squared_difference_s8."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import (
    SQUARED_DIFFERENCE_OPTIONS,
    emit_broadcast_call,
    int8_quant,
    params_or_fail,
    require_broadcast_output,
)
from tinyaudio.compile.schema import BuiltinOptionsType

# TFLM's MUL and SQUARED_DIFFERENCE broadcast through 4-D "slow" loops only.
MAX_BROADCAST_RANK = 4


@register("MUL", "SQUARED_DIFFERENCE")
def emit_mul(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
    is_mul = ctx.op.name == "MUL"
    if is_mul:
        opts = ctx.options(BuiltinOptionsType.MulOptions)
        activation = opts.get_int(0, 0, "b") if opts else 0
        ctx.require(activation in (0, 1, 2, 3), f"fused activation {activation} is not supported for int8")
    else:
        ctx.options(SQUARED_DIFFERENCE_OPTIONS)
        activation = 0
    if tuple(a.shape) != tuple(b.shape):
        ctx.require(max(len(a.shape), len(b.shape)) <= MAX_BROADCAST_RANK,
                    f"broadcasting above {MAX_BROADCAST_RANK}-D is not supported by TFLM's {ctx.op.name}",
                    out)
    require_broadcast_output(ctx, a, b, out)
    if is_mul:
        params = params_or_fail(ctx, s8_params.mul_params, qa.scale, qa.zero_point, qb.scale, qb.zero_point,
                                qo.scale, qo.zero_point, activation, tensor=out)
        kernel = "ta_mul_s8"
    else:
        params = params_or_fail(ctx, s8_params.squared_difference_params, qa.scale, qa.zero_point,
                                qb.scale, qb.zero_point, qo.scale, qo.zero_point, tensor=out)
        kernel = "ta_squared_difference_s8"
    emit_broadcast_call(ctx, kernel, a, b, out, params)
    ctx.add_macs(out.num_elements)
