"""CONV_2D: int8 activations, int8 per-channel (or per-tensor) weights, optional int32 bias."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._common import (
    check_bias,
    check_positive,
    fused_activation_range,
    multiplier_arrays,
    output_windows,
    require_4d,
    weighted_op,
)
from tinyaudio.compile.quant_math import per_channel_multipliers
from tinyaudio.compile.schema import BuiltinOptionsType

# Conv2DOptions fields (schema.fbs)
_PADDING, _STRIDE_W, _STRIDE_H, _ACTIVATION, _DILATION_W, _DILATION_H = range(6)


@register("CONV_2D")
def emit_conv_2d(ctx: OpContext) -> None:
    inp, filt, out, bias, qin, qout, qf = weighted_op(ctx)

    n, ih, iw, ic = require_4d(ctx, inp, "input")
    on, oh, ow, oc = require_4d(ctx, out, "output")
    fo, fh, fw, fc = require_4d(ctx, filt, "filter")
    ctx.require(n == on, f"batch {n} in, {on} out", out)
    ctx.require(fo == oc, f"filter has {fo} output channels, output has {oc}", filt)
    ctx.require(fc > 0 and ic % fc == 0, f"input depth {ic} is not a multiple of filter depth {fc}", filt)
    groups = ic // fc
    ctx.require(oc % groups == 0, f"{oc} output channels do not split into {groups} groups", filt)
    if qf.per_channel:
        ctx.require(qf.axis == 0, f"per-channel weights quantized along axis {qf.axis}, expected 0", filt)
    check_bias(ctx, bias, oc)

    opts = ctx.options(BuiltinOptionsType.Conv2DOptions)
    padding = opts.get_int(_PADDING, 0, "b") if opts else 0
    stride_w = opts.get_int(_STRIDE_W, 0) if opts else 0
    stride_h = opts.get_int(_STRIDE_H, 0) if opts else 0
    activation = opts.get_int(_ACTIVATION, 0, "b") if opts else 0
    dil_w = opts.get_int(_DILATION_W, 1) if opts else 1
    dil_h = opts.get_int(_DILATION_H, 1) if opts else 1
    check_positive(ctx, stride_h=stride_h, stride_w=stride_w, dilation_h=dil_h, dilation_w=dil_w)
    win_h, win_w = output_windows(ctx, out, padding, (ih, iw), (fh, fw), (stride_h, stride_w), (dil_h, dil_w))
    act_min, act_max = fused_activation_range(ctx, activation, out)

    mult, shift = per_channel_multipliers(qin.scale, qf.scales, qout.scale, oc)
    mult_name, shift_name = multiplier_arrays(ctx, mult, shift)
    params = ctx.const_struct("ta_conv2d_s8_params_t", {
        "batches": n, "input_h": ih, "input_w": iw, "input_c": ic,
        "filter_h": fh, "filter_w": fw, "filter_c": fc,
        "output_h": oh, "output_w": ow, "output_c": oc,
        "stride_h": stride_h, "stride_w": stride_w, "dilation_h": dil_h, "dilation_w": dil_w,
        "pad_h": win_h.pad, "pad_w": win_w.pad,
        "input_offset": -qin.zero_point, "output_offset": qout.zero_point,
        "activation_min": act_min, "activation_max": act_max,
        "output_multiplier": mult_name, "output_shift": shift_name,
    })
    ctx.use_kernel("ta_conv2d_s8")
    ctx.add_macs(n * oh * ow * oc * fh * fw * fc)
    pointwise = (fh, fw, stride_h, stride_w, win_h.pad, win_w.pad, groups) == (1, 1, 1, 1, 0, 0, 1)
    if pointwise and (oh, ow) == (ih, iw) and oc <= ic:
        # Fold bias + input_offset * sum(filter row) at compile time; the kernel can then write each
        # output pixel over its input pixel, so the layer needs no second activation buffer.
        weights = filt.array().reshape(oc, ic).astype(np.int64)
        folded = weights.sum(axis=1) * -qin.zero_point
        if bias is not None:
            folded = folded + bias.array().astype(np.int64)
        if np.all(np.abs(folded) < 2**31):
            folded_name = ctx.const_array("bias_with_offset", folded.astype(np.int32), "int32_t")
            scratch = ctx.scratch(ic)
            ctx.call("ta_conv2d_s8_pointwise_inplace", f"&{params}", ctx.ptr(inp), ctx.ptr(filt), folded_name,
                     ctx.ptr(out), f"(int8_t *){scratch}")
            ctx.inplace(0, 0)
            return
    ctx.call("ta_conv2d_s8", f"&{params}", ctx.ptr(inp), ctx.ptr(filt),
             ctx.ptr(bias) if bias is not None else "0", ctx.ptr(out))
