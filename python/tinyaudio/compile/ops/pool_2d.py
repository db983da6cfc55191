"""AVERAGE_POOL_2D and MAX_POOL_2D, int8, input and output with the same quantization."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._common import check_positive, fused_activation_range, output_windows, require_4d
from tinyaudio.compile.schema import BuiltinOptionsType

# Pool2DOptions fields (schema.fbs)
_PADDING, _STRIDE_W, _STRIDE_H, _FILTER_W, _FILTER_H, _ACTIVATION = range(6)

_KERNELS = {"AVERAGE_POOL_2D": "ta_average_pool2d_s8", "MAX_POOL_2D": "ta_max_pool2d_s8"}


@register("AVERAGE_POOL_2D", "MAX_POOL_2D")
def emit_pool_2d(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "INT8")
    ctx.require_type(out, "INT8")
    qin, qout = ctx.require_quant(inp), ctx.require_quant(out)
    ctx.require(qin.zero_point == qout.zero_point and qin.scale == qout.scale,
                "input and output quantization differ (pooling does not rescale)", out)
    n, ih, iw, c = require_4d(ctx, inp, "input")
    on, oh, ow, oc = require_4d(ctx, out, "output")
    ctx.require((on, oc) == (n, c), f"output batch/depth {on}/{oc} differ from input {n}/{c}", out)

    opts = ctx.options(BuiltinOptionsType.Pool2DOptions)
    ctx.require(opts is not None, "missing Pool2DOptions")
    assert opts is not None
    padding = opts.get_int(_PADDING, 0, "b")
    stride_w, stride_h = opts.get_int(_STRIDE_W, 0), opts.get_int(_STRIDE_H, 0)
    filter_w, filter_h = opts.get_int(_FILTER_W, 0), opts.get_int(_FILTER_H, 0)
    activation = opts.get_int(_ACTIVATION, 0, "b")
    check_positive(ctx, stride_h=stride_h, stride_w=stride_w, filter_h=filter_h, filter_w=filter_w)
    win_h, win_w = output_windows(ctx, out, padding, (ih, iw), (filter_h, filter_w), (stride_h, stride_w))
    act_min, act_max = fused_activation_range(ctx, activation, out)

    params = ctx.const_struct("ta_pool2d_s8_params_t", {
        "batches": n, "input_h": ih, "input_w": iw, "channels": c, "output_h": oh, "output_w": ow,
        "filter_h": filter_h, "filter_w": filter_w, "stride_h": stride_h, "stride_w": stride_w,
        "pad_h": win_h.pad, "pad_w": win_w.pad, "activation_min": act_min, "activation_max": act_max,
    })
    kernel = _KERNELS[ctx.op.name]
    ctx.use_kernel(kernel)
    ctx.call(kernel, f"&{params}", ctx.ptr(inp), ctx.ptr(out))
    if ctx.op.name == "AVERAGE_POOL_2D":
        ctx.add_macs(n * oh * ow * c * filter_h * filter_w)
