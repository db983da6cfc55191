"""FULLY_CONNECTED: int8 input/output, int8 weights (per-tensor or per-channel), optional int32 bias."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._common import check_bias, fused_activation_range, multiplier_arrays, weighted_op
from tinyaudio.compile.quant_math import per_channel_multipliers, quantize_multiplier
from tinyaudio.compile.schema import BuiltinOptionsType

# FullyConnectedOptions fields (schema.fbs)
_ACTIVATION, _WEIGHTS_FORMAT, _KEEP_NUM_DIMS, _ASYMMETRIC_QUANTIZE_INPUTS = range(4)


@register("FULLY_CONNECTED")
def emit_fully_connected(ctx: OpContext) -> None:
    inp, filt, out, bias, qin, qout, qf = weighted_op(ctx)

    opts = ctx.options(BuiltinOptionsType.FullyConnectedOptions)
    activation = opts.get_int(_ACTIVATION, 0, "b") if opts else 0
    weights_format = opts.get_int(_WEIGHTS_FORMAT, 0, "b") if opts else 0
    ctx.require(weights_format == 0, f"weights format {weights_format} (shuffled) is not supported", filt)

    ctx.require(len(filt.shape) == 2, f"weights must be 2-D, got shape {list(filt.shape)}", filt)
    ctx.require(len(out.shape) >= 1, "output has no dimensions", out)
    units, accum_depth = filt.shape
    output_depth = out.shape[-1]
    ctx.require(output_depth <= units, f"output depth {output_depth} exceeds {units} weight rows", out)
    ctx.require(output_depth > 0 and accum_depth > 0, "empty weights", filt)
    batches = out.num_elements // output_depth
    ctx.require(inp.num_elements == batches * accum_depth,
                f"input has {inp.num_elements} values, expected {batches} x {accum_depth}", inp)
    check_bias(ctx, bias, units)
    act_min, act_max = fused_activation_range(ctx, activation, out)

    if qf.per_channel:
        ctx.require(qf.axis == 0, f"per-channel weights quantized along axis {qf.axis}, expected 0", filt)
        mult, shift = per_channel_multipliers(qin.scale, qf.scales, qout.scale, len(qf.scales))
    else:
        # TFLM GetQuantizedConvolutionMultipler: the input*filter product is formed in float32.
        product = float(np.float32(qin.scale) * np.float32(qf.scale))
        m, s = quantize_multiplier(product / float(qout.scale))
        mult, shift = [m], [s]
    mult_name, shift_name = multiplier_arrays(ctx, mult, shift)
    params = ctx.const_struct("ta_fully_connected_s8_params_t", {
        "batches": batches, "accum_depth": accum_depth, "output_depth": output_depth,
        "input_offset": -qin.zero_point, "filter_offset": -qf.zero_point, "output_offset": qout.zero_point,
        "activation_min": act_min, "activation_max": act_max,
        "per_channel": 1 if qf.per_channel else 0,
        "output_multiplier": mult_name, "output_shift": shift_name,
    })
    ctx.use_kernel("ta_fully_connected_s8")
    ctx.call("ta_fully_connected_s8", f"&{params}", ctx.ptr(inp), ctx.ptr(filt),
             ctx.ptr(bias) if bias is not None else "0", ctx.ptr(out))
    ctx.add_macs(batches * output_depth * accum_depth)
