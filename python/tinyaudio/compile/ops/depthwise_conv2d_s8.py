"""DEPTHWISE_CONV_2D -> ta_depthwise_conv2d_s8 (or ta_depthwise_conv2d_s8_inplace): int8 activations, int8
per-channel weights [1, fh, fw, out_c], optional int32 bias."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import (
    bias_pointer,
    check_bias,
    multiplier_arrays,
    option_int,
    params_or_fail,
    require_4d,
    require_output_hw,
    weighted_op,
)
from tinyaudio.compile.schema import BuiltinOptionsType, DepthwiseConv2DOptionsField


@register("DEPTHWISE_CONV_2D")
def emit_depthwise_conv2d(ctx: OpContext) -> None:
    inp, filt, out, bias, qin, qout, qf = weighted_op(ctx)

    n, _, _, ic = require_4d(ctx, inp, "input")
    on, _, _, oc = require_4d(ctx, out, "output")
    one, fh, fw, fc = require_4d(ctx, filt, "filter")
    ctx.require(one == 1, f"depthwise filter must have leading dimension 1, got {one}", filt)
    ctx.require(n == on, f"batch {n} in, {on} out", out)
    ctx.require(fc == oc, f"filter has {fc} channels, output has {oc}", filt)
    ctx.require(oc % ic == 0, f"output depth {oc} is not a multiple of input depth {ic}", out)
    if qf.per_channel:
        ctx.require(qf.axis == 3, f"per-channel weights quantized along axis {qf.axis}, expected 3", filt)
    check_bias(ctx, bias, oc)

    opts = ctx.options(BuiltinOptionsType.DepthwiseConv2DOptions)
    f = DepthwiseConv2DOptionsField
    # TFLM reads depth_multiplier from the options; it must agree with the shapes for the output to
    # mean anything, so a disagreement is refused rather than reproduced.
    option_multiplier = option_int(opts, f.DEPTH_MULTIPLIER)
    ctx.require(
        option_multiplier == oc // ic,
        f"depth_multiplier option {option_multiplier} disagrees with shapes ({oc}/{ic})",
        filt,
    )
    params = params_or_fail(
        ctx, kernel_params.depthwise_conv2d_params, inp.shape, filt.shape,
        (option_int(opts, f.STRIDE_H), option_int(opts, f.STRIDE_W)),
        (option_int(opts, f.DILATION_H_FACTOR, 1), option_int(opts, f.DILATION_W_FACTOR, 1)),
        option_int(opts, f.PADDING, 0, "b"), option_int(opts, f.FUSED_ACTIVATION_FUNCTION, 0, "b"),
        qin.scale, qin.zero_point, qf.scales, qout.scale, qout.zero_point, tensor=out,
    )  # fmt: skip
    require_output_hw(ctx, out, params)
    struct = ctx.const_struct("ta_depthwise_conv2d_s8_params_t", multiplier_arrays(ctx, params))
    ctx.use_kernel("ta_depthwise_conv2d_s8")
    ctx.add_macs(n * out.shape[1] * out.shape[2] * oc * fh * fw)
    scratch_bytes = kernel_params.depthwise_conv2d_inplace_scratch(params)
    if scratch_bytes is not None:
        # A ring of pad_h + 1 saved input rows lets the output overwrite the input (no second buffer).
        scratch = ctx.scratch(scratch_bytes)
        ctx.call(
            "ta_depthwise_conv2d_s8_inplace",
            f"&{struct}",
            ctx.ptr(inp),
            ctx.ptr(filt),
            bias_pointer(ctx, bias),
            ctx.ptr(out),
            f"(int8_t *){scratch}",
        )
        ctx.inplace(0, 0)
        return
    ctx.call(
        "ta_depthwise_conv2d_s8",
        f"&{struct}",
        ctx.ptr(inp),
        ctx.ptr(filt),
        bias_pointer(ctx, bias),
        ctx.ptr(out),
    )
