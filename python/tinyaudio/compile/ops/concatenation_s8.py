"""CONCATENATION, PACK -> ta_concatenation_s8 (block copies). CONCATENATION is refused when quantizations
differ because TFLM refuses it in Prepare; PACK copies bytes as TFLM does."""

from __future__ import annotations

import math

import numpy as np

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ir import Tensor
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, option_int, params_or_fail, same_quant
from tinyaudio.compile.schema import (
    ActivationFunctionType,
    BuiltinOptionsType,
    ConcatenationOptionsField,
    PackOptionsField,
)


def _emit_copy_blocks(ctx: OpContext, inputs: list[Tensor], outer: int, sizes: list[int]) -> None:
    # A C99 compound literal holds the input pointers (arena and constant tensors alike).
    table = "(const int8_t *const[]){" + ", ".join(ctx.ptr(t) for t in inputs) + "}"
    sizes_name = ctx.const_array("sizes", np.array(sizes, dtype=np.int32), "int32_t")
    ctx.use_kernel("ta_concatenation_s8")
    ctx.call("ta_concatenation_s8", str(len(inputs)), table, sizes_name, str(outer), ctx.ptr(ctx.output(0)))


@register("CONCATENATION")
def emit_concatenation(ctx: OpContext) -> None:
    out = ctx.output(0)
    qo = int8_quant(ctx, out)
    inputs = [ctx.input(i) for i in range(ctx.num_inputs())]
    for t in inputs:
        qi = int8_quant(ctx, t)
        # TFLM copies int8 inputs without requantizing; the converter aligns their quantization.
        ctx.require(same_quant(qi, qo), "CONCATENATION input quantization differs from the output's", t)
    opts = ctx.options(BuiltinOptionsType.ConcatenationOptions)
    axis = option_int(opts, ConcatenationOptionsField.AXIS)
    activation = option_int(opts, ConcatenationOptionsField.FUSED_ACTIVATION_FUNCTION, 0, "b")
    ctx.require(
        activation == ActivationFunctionType.NONE,
        f"fused activation {activation} on CONCATENATION is not supported",
    )
    outer, sizes, out_shape = params_or_fail(
        ctx, kernel_params.concatenation_params, [t.shape for t in inputs], axis, tensor=out
    )
    ctx.require(list(out_shape) == list(out.shape), f"output shape {list(out.shape)} != {out_shape}", out)
    _emit_copy_blocks(ctx, inputs, outer, sizes)


@register("PACK")
def emit_pack(ctx: OpContext) -> None:
    out = ctx.output(0)
    int8_quant(ctx, out)
    inputs = [ctx.input(i) for i in range(ctx.num_inputs())]
    for t in inputs:
        int8_quant(ctx, t)
    axis = option_int(ctx.options(BuiltinOptionsType.PackOptions), PackOptionsField.AXIS)
    outer, sizes, out_shape = params_or_fail(
        ctx, kernel_params.pack_params, [t.shape for t in inputs], axis, tensor=out
    )
    ctx.require(out.num_elements == math.prod(out_shape), "PACK output size mismatch", out)
    _emit_copy_blocks(ctx, inputs, outer, sizes)
