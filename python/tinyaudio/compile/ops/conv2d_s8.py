"""CONV_2D -> ta_conv2d_s8 (or ta_conv2d_s8_pointwise_inplace): int8 activations, int8 per-channel (or
per-tensor) weights, optional int32 bias, grouped convolutions."""

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
from tinyaudio.compile.schema import BuiltinOptionsType, Conv2DOptionsField


@register("CONV_2D")
def emit_conv2d(ctx: OpContext) -> None:
    inp, filt, out, bias, qin, qout, qf = weighted_op(ctx)

    n, _, _, ic = require_4d(ctx, inp, "input")
    on, _, _, oc = require_4d(ctx, out, "output")
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
    f = Conv2DOptionsField
    params = params_or_fail(
        ctx, kernel_params.conv2d_params, inp.shape, filt.shape,
        (option_int(opts, f.STRIDE_H), option_int(opts, f.STRIDE_W)),
        (option_int(opts, f.DILATION_H_FACTOR, 1), option_int(opts, f.DILATION_W_FACTOR, 1)),
        option_int(opts, f.PADDING, 0, "b"), option_int(opts, f.FUSED_ACTIVATION_FUNCTION, 0, "b"),
        qin.scale, qin.zero_point, qf.scales, qout.scale, qout.zero_point, tensor=out,
    )  # fmt: skip
    require_output_hw(ctx, out, params)
    folded = kernel_params.conv2d_pointwise_inplace_bias(
        params, filt.array(), bias.array() if bias is not None else None
    )
    struct = ctx.const_struct("ta_conv2d_s8_params_t", multiplier_arrays(ctx, params))
    ctx.use_kernel("ta_conv2d_s8")
    ctx.add_macs(n * out.shape[1] * out.shape[2] * oc * fh * fw * fc)
    if folded is not None:
        # The kernel writes each output pixel over its input pixel: no second activation buffer.
        folded_name = ctx.const_array("bias_with_offset", folded, "int32_t")
        scratch = ctx.scratch(ic)
        ctx.call(
            "ta_conv2d_s8_pointwise_inplace",
            f"&{struct}",
            ctx.ptr(inp),
            ctx.ptr(filt),
            folded_name,
            ctx.ptr(out),
            f"(int8_t *){scratch}",
        )
        ctx.inplace(0, 0)
        return
    ctx.call("ta_conv2d_s8", f"&{struct}", ctx.ptr(inp), ctx.ptr(filt), bias_pointer(ctx, bias), ctx.ptr(out))
