"""TRANSPOSE -> ta_transpose_s8 (a strided view of the input, copied by ta_strided_copy_s8). TFLM copies the
int8 bytes whatever the output's quantization says, and so does this."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import int8_quant, params_or_fail


@register("TRANSPOSE")
def emit_transpose(ctx: OpContext) -> None:
    inp, perm_t, out = ctx.input(0), ctx.input(1), ctx.output(0)
    int8_quant(ctx, inp)
    int8_quant(ctx, out)
    ctx.require_type(perm_t, "INT32")
    perm = [int(p) for p in ctx.require_const(perm_t).reshape(-1)]
    params = params_or_fail(ctx, kernel_params.transpose_params, inp.shape, perm, tensor=perm_t)
    ctx.require(out.num_elements == inp.num_elements, "TRANSPOSE changes the element count", out)
    struct = ctx.const_struct("ta_transpose_s8_params_t", params)
    ctx.use_kernel("ta_strided_copy_s8")
    ctx.use_kernel("ta_transpose_s8")
    ctx.call("ta_transpose_s8", f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
