"""ADD -> ta_add_s8: int8, broadcasting, fused activation."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import (
    emit_broadcast_call,
    int8_quant,
    option_int,
    params_or_fail,
    require_broadcast_output,
)
from tinyaudio.compile.schema import ActivationFunctionType, AddOptionsField, BuiltinOptionsType

INT8_FUSED_ACTIVATIONS = (
    ActivationFunctionType.NONE,
    ActivationFunctionType.RELU,
    ActivationFunctionType.RELU_N1_TO_1,
    ActivationFunctionType.RELU6,
)


def emit_add_or_sub(ctx: OpContext, kernel: str, options_type: int) -> None:
    """ADD and SUB share their parameters (TFLM's sub.cc mirrors add.cc; ta_sub_s8_params_t is
    ta_add_s8_params_t) and their fused-activation field (AddOptionsField = SubOptionsField)."""
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
    activation = option_int(ctx.options(options_type), AddOptionsField.FUSED_ACTIVATION_FUNCTION, 0, "b")
    ctx.require(
        activation in INT8_FUSED_ACTIVATIONS, f"fused activation {activation} is not supported for int8"
    )
    require_broadcast_output(ctx, a, b, out)
    params = params_or_fail(
        ctx,
        kernel_params.add_params,
        qa.scale,
        qa.zero_point,
        qb.scale,
        qb.zero_point,
        qo.scale,
        qo.zero_point,
        activation,
        tensor=out,
    )
    emit_broadcast_call(ctx, kernel, a, b, out, params)


@register("ADD")
def emit_add(ctx: OpContext) -> None:
    emit_add_or_sub(ctx, "ta_add_s8", BuiltinOptionsType.AddOptions)
