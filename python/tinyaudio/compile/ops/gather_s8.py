"""GATHER -> ta_gather_s8: int8 data, constant or int32 indices, batch_dims 0."""

from __future__ import annotations

import numpy as np

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, option_int, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType, GatherOptionsField


@register("GATHER")
def emit_gather(ctx: OpContext) -> None:
    data, idx, out = ctx.input(0), ctx.input(1), ctx.output(0)
    int8_quant(ctx, data)
    int8_quant(ctx, out)
    opts = ctx.options(BuiltinOptionsType.GatherOptions)
    params = params_or_fail(
        ctx, kernel_params.gather_params, data.shape, option_int(opts, GatherOptionsField.AXIS),
        option_int(opts, GatherOptionsField.BATCH_DIMS), idx.num_elements, tensor=data,
    )  # fmt: skip
    p = kernel_params.int_fields(params)
    ctx.require(
        out.num_elements == p["outer"] * idx.num_elements * p["inner"], "GATHER output size mismatch", out
    )
    if idx.is_constant:
        ctx.require_type(idx, "INT32", "INT64")
        values = ctx.require_const(idx).reshape(-1).astype(np.int64)
        ctx.require(
            bool(((values >= 0) & (values < p["axis_size"])).all()),
            f"GATHER index out of range [0, {p['axis_size']})",
            idx,
        )
        indices = ctx.const_array("indices", values.astype(np.int32), "int32_t")
    else:
        ctx.require_type(idx, "INT32")
        indices = ctx.ptr(idx)
    struct = ctx.const_struct("ta_gather_s8_params_t", params)
    ctx.use_kernel("ta_gather_s8")
    ctx.call("ta_gather_s8", f"&{struct}", ctx.ptr(data), indices, ctx.ptr(out))
