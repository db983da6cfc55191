"""FULLY_CONNECTED -> ta_fully_connected_s8: int8 input/output, int8 weights (per-tensor or per-channel),
optional int32 bias."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import (
    bias_pointer,
    check_bias,
    multiplier_arrays,
    option_int,
    params_or_fail,
    weighted_op,
)
from tinyaudio.compile.schema import (
    BuiltinOptionsType,
    FullyConnectedOptionsField,
    FullyConnectedOptionsWeightsFormat,
)


@register("FULLY_CONNECTED")
def emit_fully_connected(ctx: OpContext) -> None:
    inp, filt, out, bias, qin, qout, qf = weighted_op(ctx)

    opts = ctx.options(BuiltinOptionsType.FullyConnectedOptions)
    f = FullyConnectedOptionsField
    activation = option_int(opts, f.FUSED_ACTIVATION_FUNCTION, 0, "b")
    weights_format = option_int(opts, f.WEIGHTS_FORMAT, 0, "b")
    ctx.require(
        weights_format == FullyConnectedOptionsWeightsFormat.DEFAULT,
        f"weights format {weights_format} (shuffled) is not supported",
        filt,
    )

    ctx.require(len(filt.shape) == 2, f"weights must be 2-D, got shape {list(filt.shape)}", filt)
    ctx.require(len(out.shape) >= 1, "output has no dimensions", out)
    units, accum_depth = filt.shape
    output_depth = out.shape[-1]
    ctx.require(output_depth <= units, f"output depth {output_depth} exceeds {units} weight rows", out)
    ctx.require(output_depth > 0 and accum_depth > 0, "empty weights", filt)
    batches = out.num_elements // output_depth
    ctx.require(
        inp.num_elements == batches * accum_depth,
        f"input has {inp.num_elements} values, expected {batches} x {accum_depth}",
        inp,
    )
    check_bias(ctx, bias, units)
    if qf.per_channel:
        ctx.require(qf.axis == 0, f"per-channel weights quantized along axis {qf.axis}, expected 0", filt)

    params = params_or_fail(
        ctx, kernel_params.fully_connected_params, batches, accum_depth, output_depth, activation,
        qin.scale, qin.zero_point, qf.scales, qf.zero_point, qf.per_channel, qout.scale, qout.zero_point,
        tensor=out,
    )  # fmt: skip
    struct = ctx.const_struct("ta_fully_connected_s8_params_t", multiplier_arrays(ctx, params))
    ctx.use_kernel("ta_fully_connected_s8")
    ctx.call(
        "ta_fully_connected_s8",
        f"&{struct}",
        ctx.ptr(inp),
        ctx.ptr(filt),
        bias_pointer(ctx, bias),
        ctx.ptr(out),
    )
    ctx.add_macs(batches * output_depth * accum_depth)
