"""SOFTMAX: int8 input, int8 or int16 output (TFLite's fixed output quantization)."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.quant_math import calculate_input_radius, preprocess_softmax_scaling
from tinyaudio.compile.schema import BuiltinOptionsType

_SCALED_DIFF_INTEGER_BITS = 5
_BETA = 0
_MAX_DEPTH = 255  # beyond this the sum of exps can push TFLM's final shift past 31 bits


@register("SOFTMAX")
def emit_softmax(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8", "INT16")
    qin, qout = ctx.require_quant(inp), ctx.require_quant(out)
    ctx.require(len(inp.shape) >= 1 and inp.shape == out.shape, "input and output shapes differ", out)
    if out.type_name == "INT8":
        ctx.require(qout.zero_point == -128 and np.float32(qout.scale) == np.float32(1.0 / 256),
                    "int8 softmax output must have scale 1/256 and zero point -128", out)
    else:
        ctx.require(qout.zero_point == -32768 and abs(qout.scale - 1.0 / 65536) <= 0.001 / 65536,
                    "int16 softmax output must have scale 1/65536 and zero point -32768", out)
    opts = ctx.options(BuiltinOptionsType.SoftmaxOptions)
    beta = opts.get_float(_BETA, 0.0) if opts else 0.0
    ctx.require(beta > 0.0, f"beta {beta} must be positive")
    depth = inp.shape[-1]
    ctx.require(0 < depth <= _MAX_DEPTH,
                f"softmax over {depth} values is not supported (max {_MAX_DEPTH})", inp)
    multiplier, left_shift = preprocess_softmax_scaling(beta, qin.scale, _SCALED_DIFF_INTEGER_BITS)
    diff_min = -calculate_input_radius(_SCALED_DIFF_INTEGER_BITS, left_shift)
    params = ctx.const_struct("ta_softmax_s8_params_t", {
        "outer_size": inp.num_elements // depth, "depth": depth,
        "input_multiplier": multiplier, "input_left_shift": left_shift, "diff_min": diff_min,
    })
    ctx.use_kernel("ta_softmax_s8")
    func = "ta_softmax_s8" if out.type_name == "INT8" else "ta_softmax_s8_s16"
    ctx.call(func, f"&{params}", ctx.ptr(inp), ctx.ptr(out))
