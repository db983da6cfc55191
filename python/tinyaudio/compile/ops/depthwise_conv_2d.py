"""DEPTHWISE_CONV_2D: int8 activations, int8 per-channel weights [1, fh, fw, out_c], optional bias."""

from __future__ import annotations

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

# DepthwiseConv2DOptions fields (schema.fbs)
_PADDING, _STRIDE_W, _STRIDE_H, _DEPTH_MULTIPLIER, _ACTIVATION, _DILATION_W, _DILATION_H = range(7)


@register("DEPTHWISE_CONV_2D")
def emit_depthwise_conv_2d(ctx: OpContext) -> None:
    inp, filt, out, bias, qin, qout, qf = weighted_op(ctx)

    n, ih, iw, ic = require_4d(ctx, inp, "input")
    on, oh, ow, oc = require_4d(ctx, out, "output")
    one, fh, fw, fc = require_4d(ctx, filt, "filter")
    ctx.require(one == 1, f"depthwise filter must have leading dimension 1, got {one}", filt)
    ctx.require(n == on, f"batch {n} in, {on} out", out)
    ctx.require(fc == oc, f"filter has {fc} channels, output has {oc}", filt)
    ctx.require(oc % ic == 0, f"output depth {oc} is not a multiple of input depth {ic}", out)
    depth_multiplier = oc // ic
    if qf.per_channel:
        ctx.require(qf.axis == 3, f"per-channel weights quantized along axis {qf.axis}, expected 3", filt)
    check_bias(ctx, bias, oc)

    opts = ctx.options(BuiltinOptionsType.DepthwiseConv2DOptions)
    padding = opts.get_int(_PADDING, 0, "b") if opts else 0
    stride_w = opts.get_int(_STRIDE_W, 0) if opts else 0
    stride_h = opts.get_int(_STRIDE_H, 0) if opts else 0
    option_multiplier = opts.get_int(_DEPTH_MULTIPLIER, 0) if opts else 0
    activation = opts.get_int(_ACTIVATION, 0, "b") if opts else 0
    dil_w = opts.get_int(_DILATION_W, 1) if opts else 1
    dil_h = opts.get_int(_DILATION_H, 1) if opts else 1
    # TFLM reads depth_multiplier from the options; it must agree with the shapes for the output to
    # mean anything, so a disagreement is refused rather than reproduced.
    ctx.require(option_multiplier == depth_multiplier,
                f"depth_multiplier option {option_multiplier} disagrees with shapes ({oc}/{ic})", filt)
    check_positive(ctx, stride_h=stride_h, stride_w=stride_w, dilation_h=dil_h, dilation_w=dil_w)
    win_h, win_w = output_windows(ctx, out, padding, (ih, iw), (fh, fw), (stride_h, stride_w), (dil_h, dil_w))
    act_min, act_max = fused_activation_range(ctx, activation, out)

    mult, shift = per_channel_multipliers(qin.scale, qf.scales, qout.scale, oc)
    mult_name, shift_name = multiplier_arrays(ctx, mult, shift)
    params = ctx.const_struct("ta_depthwise_conv2d_s8_params_t", {
        "batches": n, "input_h": ih, "input_w": iw, "input_c": ic,
        "filter_h": fh, "filter_w": fw, "output_h": oh, "output_w": ow, "output_c": oc,
        "depth_multiplier": depth_multiplier,
        "stride_h": stride_h, "stride_w": stride_w, "dilation_h": dil_h, "dilation_w": dil_w,
        "pad_h": win_h.pad, "pad_w": win_w.pad,
        "input_offset": -qin.zero_point, "output_offset": qout.zero_point,
        "activation_min": act_min, "activation_max": act_max,
        "output_multiplier": mult_name, "output_shift": shift_name,
    })
    ctx.use_kernel("ta_depthwise_conv2d_s8")
    ctx.add_macs(n * oh * ow * oc * fh * fw)
    bias_ptr = ctx.ptr(bias) if bias is not None else "0"
    unit_steps = (stride_h, stride_w, dil_h, dil_w, depth_multiplier) == (1, 1, 1, 1, 1)
    same_size = (oh, ow) == (ih, iw) and unit_steps
    if same_size and win_h.pad < fh:
        # A ring of pad_h + 1 saved input rows lets the output overwrite the input (no second buffer).
        scratch = ctx.scratch((win_h.pad + 1) * iw * ic)
        ctx.call("ta_depthwise_conv2d_s8_inplace", f"&{params}", ctx.ptr(inp), ctx.ptr(filt), bias_ptr,
                 ctx.ptr(out), f"(int8_t *){scratch}")
        ctx.inplace(0, 0)
        return
    ctx.call("ta_depthwise_conv2d_s8", f"&{params}", ctx.ptr(inp), ctx.ptr(filt), bias_ptr, ctx.ptr(out))
