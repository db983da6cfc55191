"""SOFTMAX -> ta_softmax_s8 / ta_softmax_s8_s16: int8 input, int8 or int16 output (TFLite's fixed output
quantization)."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import option_float, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, SoftmaxOptionsField


@register("SOFTMAX")
def emit_softmax(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8", "INT16")
    qin, qout = ctx.require_quant(inp), ctx.require_quant(out)
    ctx.require(len(inp.shape) >= 1 and inp.shape == out.shape, "input and output shapes differ", out)
    if out.type_name == "INT8":
        ctx.require(
            qout.zero_point == -128 and np.float32(qout.scale) == np.float32(1.0 / 256),
            "int8 softmax output must have scale 1/256 and zero point -128",
            out,
        )
    else:
        ctx.require(
            qout.zero_point == -32768 and abs(qout.scale - 1.0 / 65536) <= 0.001 / 65536,
            "int16 softmax output must have scale 1/65536 and zero point -32768",
            out,
        )
    opts = ctx.options(BuiltinOptionsType.SoftmaxOptions)
    beta = option_float(opts, SoftmaxOptionsField.BETA)
    params = params_or_fail(ctx, kernel_params.softmax_params, inp.shape, beta, qin.scale, tensor=inp)
    struct = ctx.const_struct("ta_softmax_s8_params_t", params)
    ctx.use_kernel("ta_softmax_s8")
    func = "ta_softmax_s8" if out.type_name == "INT8" else "ta_softmax_s8_s16"
    ctx.call(func, f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
