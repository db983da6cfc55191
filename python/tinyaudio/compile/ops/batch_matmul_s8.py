"""BATCH_MATMUL -> ta_batch_matmul_s8: int8 x int8, adj_x/adj_y, broadcast batch dimensions."""

from __future__ import annotations

import math

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, option_bool, params_or_fail
from tinyaudio.compile.schema import BatchMatMulOptionsField, BuiltinOptionsType


@register("BATCH_MATMUL")
def emit_batch_matmul(ctx: OpContext) -> None:
    lhs, rhs, out = ctx.input(0), ctx.input(1), ctx.output(0)
    ql, qr, qo = int8_quant(ctx, lhs), int8_quant(ctx, rhs), int8_quant(ctx, out)
    opts = ctx.options(BuiltinOptionsType.BatchMatMulOptions)
    adj_x = option_bool(opts, BatchMatMulOptionsField.ADJ_X)
    adj_y = option_bool(opts, BatchMatMulOptionsField.ADJ_Y)
    params, out_shape = params_or_fail(
        ctx, kernel_params.batch_matmul_params, lhs.shape, rhs.shape, adj_x, adj_y,
        ql.scale, ql.zero_point, qr.scale, qr.zero_point, qo.scale, qo.zero_point, tensor=out,
    )  # fmt: skip
    n = math.prod(out_shape)
    ctx.require(n == out.num_elements, f"output shape {list(out.shape)} does not match {out_shape}", out)
    struct = ctx.const_struct("ta_batch_matmul_s8_params_t", params)
    ctx.use_kernel("ta_batch_matmul_s8")
    ctx.call("ta_batch_matmul_s8", f"&{struct}", ctx.ptr(lhs), ctx.ptr(rhs), ctx.ptr(out))
    ctx.add_macs(n * kernel_params.int_fields(params)["depth"])
