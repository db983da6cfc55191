"""SLICE, SPLIT, SPLIT_V, UNPACK -> ta_copy_strided_s8 (kernel file ta_strided_copy_s8): each output is a
strided view of the input. TFLM copies the int8 bytes whatever the outputs' quantization says, and so does
this."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, option_int, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, UnpackOptionsField


def _const_ints(ctx: OpContext, index: int) -> list[int]:
    t = ctx.input(index)
    ctx.require_type(t, "INT32", "INT64")
    return [int(v) for v in ctx.require_const(t).reshape(-1)]


def _copy_view(ctx: OpContext, params: kernel_params.Params, inp_ptr: str, out_index: int) -> None:
    struct = ctx.const_struct("ta_strided_view_t", params, suffix=f"view{out_index}")
    ctx.use_kernel("ta_strided_copy_s8")
    ctx.call("ta_copy_strided_s8", f"&{struct}", inp_ptr, ctx.ptr(ctx.output(out_index)))


@register("SLICE")
def emit_slice(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    int8_quant(ctx, inp)
    int8_quant(ctx, out)
    begin, size = _const_ints(ctx, 1), _const_ints(ctx, 2)
    params = params_or_fail(ctx, kernel_params.slice_view, inp.shape, begin, size, tensor=out)
    n = 1
    for d in params["dims"]:  # type: ignore[union-attr]
        n *= int(d)
    ctx.require(n == out.num_elements, f"output {list(out.shape)} does not match the slice", out)
    _copy_view(ctx, params, ctx.ptr(inp), 0)


def _split_along(ctx: OpContext, inp_index: int, axis: int, sizes: list[int]) -> None:
    inp = ctx.input(inp_index)
    int8_quant(ctx, inp)
    rank = len(inp.shape)
    if axis < 0:
        axis += rank
    ctx.require(0 <= axis < rank, f"split axis {axis} out of range", inp)
    ctx.require(len(sizes) == len(ctx.op.outputs), f"{len(sizes)} pieces for {len(ctx.op.outputs)} outputs")
    start = 0
    for k, size in enumerate(sizes):
        out = ctx.output(k)
        int8_quant(ctx, out)
        begin = [0] * rank
        begin[axis] = start
        extent = list(inp.shape)
        extent[axis] = size
        params = params_or_fail(ctx, kernel_params.slice_view, inp.shape, begin, extent, tensor=out)
        ctx.require(
            out.num_elements == inp.num_elements // max(inp.shape[axis], 1) * size,
            "output size does not match its piece",
            out,
        )
        _copy_view(ctx, params, ctx.ptr(inp), k)
        start += size
    ctx.require(start == inp.shape[axis], f"pieces {sizes} do not cover axis {axis}", inp)


@register("SPLIT")
def emit_split(ctx: OpContext) -> None:
    axis_vals = _const_ints(ctx, 0)
    ctx.require(len(axis_vals) == 1, "SPLIT axis must be a scalar")
    inp = ctx.input(1)
    axis = axis_vals[0] + (len(inp.shape) if axis_vals[0] < 0 else 0)
    n = len(ctx.op.outputs)
    ctx.require(
        0 <= axis < len(inp.shape) and inp.shape[axis] % n == 0,
        f"axis {axis_vals[0]} of {list(inp.shape)} does not split into {n}",
        inp,
    )
    _split_along(ctx, 1, axis, [inp.shape[axis] // n] * n)


@register("SPLIT_V")
def emit_split_v(ctx: OpContext) -> None:
    inp = ctx.input(0)
    sizes = _const_ints(ctx, 1)
    axis_vals = _const_ints(ctx, 2)
    ctx.require(len(axis_vals) == 1, "SPLIT_V axis must be a scalar")
    axis = axis_vals[0] + (len(inp.shape) if axis_vals[0] < 0 else 0)
    ctx.require(0 <= axis < len(inp.shape), f"axis {axis_vals[0]} out of range", inp)
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = inp.shape[axis] - (sum(sizes) + 1)
    _split_along(ctx, 0, axis, sizes)


@register("UNPACK")
def emit_unpack(ctx: OpContext) -> None:
    inp = ctx.input(0)
    axis = option_int(ctx.options(BuiltinOptionsType.UnpackOptions), UnpackOptionsField.AXIS)
    if axis < 0:
        axis += len(inp.shape)
    ctx.require(0 <= axis < len(inp.shape), f"UNPACK axis {axis} out of range", inp)
    _split_along(ctx, 0, axis, [1] * inp.shape[axis])
