"""BATCH_MATMUL (int8 x int8, adj_x/adj_y, broadcast batch dims) -> ta_batch_matmul_s8."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import BATCH_MATMUL_OPTIONS, c_struct_fields, int8_quant, params_or_fail


@register("BATCH_MATMUL")
def emit_batch_matmul(ctx: OpContext) -> None:
    lhs, rhs, out = ctx.input(0), ctx.input(1), ctx.output(0)
    ql, qr, qo = int8_quant(ctx, lhs), int8_quant(ctx, rhs), int8_quant(ctx, out)
    opts = ctx.options(BATCH_MATMUL_OPTIONS)
    adj_x = bool(opts.get_bool(0, False)) if opts else False
    adj_y = bool(opts.get_bool(1, False)) if opts else False
    params, out_shape = params_or_fail(
        ctx, s8_params.batch_matmul_params, lhs.shape, rhs.shape, adj_x, adj_y,
        ql.scale, ql.zero_point, qr.scale, qr.zero_point, qo.scale, qo.zero_point, tensor=out,
    )
    n = 1
    for d in out_shape:
        n *= d
    ctx.require(n == out.num_elements, f"output shape {list(out.shape)} does not match {out_shape}", out)
    p = ctx.const_struct("ta_batch_matmul_s8_params_t", c_struct_fields(params))
    ctx.use_kernel("ta_batch_matmul_s8")
    ctx.call("ta_batch_matmul_s8", f"&{p}", ctx.ptr(lhs), ctx.ptr(rhs), ctx.ptr(out))
    ctx.add_macs(n * int(params["depth"]))  # type: ignore[arg-type]
