"""Int8 data movement: TRANSPOSE, STRIDED_SLICE, SLICE, SPLIT, SPLIT_V, UNPACK (strided views of the
input, ta_strided_copy_s8) and CONCATENATION, PACK (block copies, ta_concatenation_s8).

TFLM copies int8 bytes through TRANSPOSE/SLICE/STRIDED_SLICE/SPLIT/UNPACK whatever the output's
quantization says, so these emitters do too (bit-exactness first); CONCATENATION is refused when
quantizations differ because TFLM refuses it in Prepare."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import (
    PACK_OPTIONS,
    STRIDED_SLICE_OPTIONS,
    UNPACK_OPTIONS,
    c_struct_fields,
    int8_quant,
    params_or_fail,
    same_quant,
)
from tinyaudio.compile.schema import BuiltinOptionsType


@register("TRANSPOSE")
def emit_transpose(ctx: OpContext) -> None:
    inp, perm_t, out = ctx.input(0), ctx.input(1), ctx.output(0)
    int8_quant(ctx, inp)
    int8_quant(ctx, out)
    ctx.require_type(perm_t, "INT32")
    perm = [int(p) for p in ctx.require_const(perm_t).reshape(-1)]
    params = params_or_fail(ctx, s8_params.transpose_params, inp.shape, perm, tensor=perm_t)
    ctx.require(out.num_elements == inp.num_elements, "TRANSPOSE changes the element count", out)
    p = ctx.const_struct("ta_transpose_s8_params_t", c_struct_fields(params))
    ctx.use_kernel("ta_strided_copy_s8")
    ctx.use_kernel("ta_transpose_s8")
    ctx.call("ta_transpose_s8", f"&{p}", ctx.ptr(inp), ctx.ptr(out))


@register("STRIDED_SLICE")
def emit_strided_slice(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    int8_quant(ctx, inp)
    int8_quant(ctx, out)
    vectors = []
    for i in (1, 2, 3):
        t = ctx.input(i)
        ctx.require_type(t, "INT32")
        vectors.append([int(v) for v in ctx.require_const(t).reshape(-1)])
    opts = ctx.options(STRIDED_SLICE_OPTIONS)
    masks = [opts.get_int(f, 0) if opts else 0 for f in range(5)]
    offset = bool(opts.get_bool(5, False)) if opts else False
    begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_mask = masks
    params, out_shape = params_or_fail(
        ctx, s8_params.strided_slice_params, inp.shape, *vectors, begin_mask, end_mask, shrink_mask,
        ellipsis_mask, new_axis_mask, offset, tensor=out,
    )
    ctx.require(int(np.prod(out_shape)) == out.num_elements,
                f"output shape {list(out.shape)} does not match the slice {out_shape}", out)
    ctx.require(out.num_elements > 0, "empty slices are not supported", out)
    p = ctx.const_struct("ta_strided_slice_s8_params_t", c_struct_fields(params))
    ctx.use_kernel("ta_strided_copy_s8")
    ctx.use_kernel("ta_strided_slice_s8")
    ctx.call("ta_strided_slice_s8", f"&{p}", ctx.ptr(inp), ctx.ptr(out))


@register("CONCATENATION")
def emit_concatenation(ctx: OpContext) -> None:
    out = ctx.output(0)
    qo = int8_quant(ctx, out)
    inputs = [ctx.input(i) for i in range(ctx.num_inputs())]
    for t in inputs:
        qi = int8_quant(ctx, t)
        # TFLM copies int8 inputs without requantizing; the converter aligns their quantization.
        ctx.require(same_quant(qi, qo), "CONCATENATION input quantization differs from the output's", t)
    opts = ctx.options(BuiltinOptionsType.ConcatenationOptions)
    axis = opts.get_int(0, 0) if opts else 0
    activation = opts.get_int(1, 0, "b") if opts else 0
    ctx.require(activation == 0, f"fused activation {activation} on CONCATENATION is not supported")
    outer, sizes, out_shape = params_or_fail(ctx, s8_params.concatenation_params,
                                             [t.shape for t in inputs], axis, tensor=out)
    ctx.require(list(out_shape) == list(out.shape), f"output shape {list(out.shape)} != {out_shape}", out)
    # A C99 compound literal holds the input pointers (arena and constant tensors alike).
    table = "(const int8_t *const[]){" + ", ".join(ctx.ptr(t) for t in inputs) + "}"
    sizes_name = ctx.const_array("sizes", np.array(sizes, dtype=np.int32), "int32_t")
    ctx.use_kernel("ta_concatenation_s8")
    ctx.call("ta_concatenation_s8", str(len(inputs)), table, sizes_name, str(outer), ctx.ptr(out))


def _const_ints(ctx: OpContext, index: int) -> list[int]:
    t = ctx.input(index)
    ctx.require_type(t, "INT32", "INT64")
    return [int(v) for v in ctx.require_const(t).reshape(-1)]


def _copy_view(ctx: OpContext, params: s8_params.Params, inp_ptr: str, out_index: int) -> None:
    p = ctx.const_struct("ta_strided_view_t", c_struct_fields(params), suffix=f"view{out_index}")
    ctx.use_kernel("ta_strided_copy_s8")
    ctx.call("ta_copy_strided_s8", f"&{p}", inp_ptr, ctx.ptr(ctx.output(out_index)))


@register("SLICE")
def emit_slice(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    int8_quant(ctx, inp)
    int8_quant(ctx, out)
    begin, size = _const_ints(ctx, 1), _const_ints(ctx, 2)
    params = params_or_fail(ctx, s8_params.slice_view, inp.shape, begin, size, tensor=out)
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
        params = params_or_fail(ctx, s8_params.slice_view, inp.shape, begin, extent, tensor=out)
        ctx.require(out.num_elements == inp.num_elements // max(inp.shape[axis], 1) * size,
                    "output size does not match its piece", out)
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
    ctx.require(0 <= axis < len(inp.shape) and inp.shape[axis] % n == 0,
                f"axis {axis_vals[0]} of {list(inp.shape)} does not split into {n}", inp)
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
    opts = ctx.options(UNPACK_OPTIONS)
    axis = opts.get_int(1, 0) if opts else 0
    if axis < 0:
        axis += len(inp.shape)
    ctx.require(0 <= axis < len(inp.shape), f"UNPACK axis {axis} out of range", inp)
    _split_along(ctx, 0, axis, [1] * inp.shape[axis])


@register("PACK")
def emit_pack(ctx: OpContext) -> None:
    out = ctx.output(0)
    int8_quant(ctx, out)
    inputs = [ctx.input(i) for i in range(ctx.num_inputs())]
    opts = ctx.options(PACK_OPTIONS)
    axis = opts.get_int(1, 0) if opts else 0
    rank = len(inputs[0].shape)
    if axis < 0:
        axis += rank + 1
    ctx.require(0 <= axis <= rank, f"PACK axis {axis} out of range", out)
    for t in inputs:
        int8_quant(ctx, t)
        ctx.require(tuple(t.shape) == tuple(inputs[0].shape), "PACK inputs differ in shape", t)
    # Stacking along `axis` is concatenating blocks of prod(shape[axis:]) per outer index.
    outer = 1
    for d in inputs[0].shape[:axis]:
        outer *= int(d)
    block = inputs[0].num_elements // max(outer, 1)
    ctx.require(out.num_elements == block * outer * len(inputs), "PACK output size mismatch", out)
    table = "(const int8_t *const[]){" + ", ".join(ctx.ptr(t) for t in inputs) + "}"
    sizes_name = ctx.const_array("sizes", np.array([block] * len(inputs), dtype=np.int32), "int32_t")
    ctx.use_kernel("ta_concatenation_s8")
    ctx.call("ta_concatenation_s8", str(len(inputs)), table, sizes_name, str(outer), ctx.ptr(out))


GATHER_OPTIONS = 23  # BuiltinOptions union code of GatherOptions (schema.fbs)


@register("GATHER")
def emit_gather(ctx: OpContext) -> None:
    data, idx, out = ctx.input(0), ctx.input(1), ctx.output(0)
    int8_quant(ctx, data)
    int8_quant(ctx, out)
    opts = ctx.options(GATHER_OPTIONS)
    axis = opts.get_int(0, 0) if opts else 0
    batch_dims = opts.get_int(1, 0) if opts else 0
    ctx.require(batch_dims == 0, f"GATHER with batch_dims {batch_dims} is not supported")
    rank = len(data.shape)
    if axis < 0:
        axis += rank
    ctx.require(0 <= axis < rank, f"GATHER axis {axis} out of range", data)
    outer = 1
    for d in data.shape[:axis]:
        outer *= int(d)
    inner = 1
    for d in data.shape[axis + 1:]:
        inner *= int(d)
    ctx.require(out.num_elements == outer * idx.num_elements * inner, "GATHER output size mismatch", out)
    if idx.is_constant:
        ctx.require_type(idx, "INT32", "INT64")
        values = ctx.require_const(idx).reshape(-1).astype(np.int64)
        ctx.require(bool(((values >= 0) & (values < data.shape[axis])).all()),
                    f"GATHER index out of range [0, {data.shape[axis]})", idx)
        indices = ctx.const_array("indices", values.astype(np.int32), "int32_t")
    else:
        ctx.require_type(idx, "INT32")
        indices = ctx.ptr(idx)
    p = ctx.const_struct("ta_gather_s8_params_t", {
        "outer": outer, "axis_size": int(data.shape[axis]), "inner": inner, "num_indices": idx.num_elements,
    })
    ctx.use_kernel("ta_gather_s8")
    ctx.call("ta_gather_s8", f"&{p}", ctx.ptr(data), indices, ctx.ptr(out))
