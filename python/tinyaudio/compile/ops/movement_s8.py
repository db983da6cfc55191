"""TRANSPOSE, STRIDED_SLICE (int8 data movement as a strided view) and CONCATENATION (int8 copies)."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import (
    STRIDED_SLICE_OPTIONS,
    c_struct_fields,
    int8_quant,
    params_or_fail,
    same_quant,
)
from tinyaudio.compile.schema import BuiltinOptionsType


@register("TRANSPOSE")
def emit_transpose(ctx: OpContext) -> None:
    inp, perm_t, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require(same_quant(qi, qo), "TRANSPOSE output quantization differs from the input's", out)
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
    qi, qo = int8_quant(ctx, inp), int8_quant(ctx, out)
    ctx.require(same_quant(qi, qo), "STRIDED_SLICE output quantization differs from the input's", out)
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
