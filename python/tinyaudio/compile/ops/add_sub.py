"""ADD, SUB (int8, broadcasting, fused activation) -> ta_add_s8 / ta_sub_s8."""

from __future__ import annotations

from tinyaudio.compile import s8_params
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops._s8_common import c_struct_fields, int8_quant, params_or_fail
from tinyaudio.compile.schema import BuiltinOptionsType


@register("ADD", "SUB")
def emit_add_sub(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
    is_add = ctx.op.name == "ADD"
    opts = ctx.options(BuiltinOptionsType.AddOptions if is_add else BuiltinOptionsType.SubOptions)
    activation = opts.get_int(0, 0, "b") if opts else 0
    ctx.require(activation in (0, 1, 2, 3), f"fused activation {activation} is not supported for int8")
    bshape = params_or_fail(ctx, s8_params.broadcast_shape, a.shape, b.shape, tensor=out)
    ctx.require(list(bshape) == list(out.shape) or _prod(bshape) == out.num_elements,
                f"output shape {list(out.shape)} is not the broadcast shape {bshape}", out)
    params = params_or_fail(ctx, s8_params.add_params, qa.scale, qa.zero_point, qb.scale, qb.zero_point,
                            qo.scale, qo.zero_point, activation, tensor=out)
    shape = params_or_fail(ctx, s8_params.broadcast_params, a.shape, b.shape, tensor=out)
    kernel = "ta_add_s8" if is_add else "ta_sub_s8"
    p = ctx.const_struct(f"{kernel}_params_t", c_struct_fields(params))
    s = ctx.const_struct("ta_broadcast_t", c_struct_fields(shape), suffix="shape")
    ctx.use_kernel(kernel)
    ctx.call(kernel, f"&{p}", f"&{s}", ctx.ptr(a), ctx.ptr(b), ctx.ptr(out))
    # The output may overwrite one full-shape input (element k is read before it is written). Offer
    # only one: two hints would let the planner put both inputs in the same buffer.
    for i, t in enumerate((a, b)):
        if tuple(t.shape) == tuple(out.shape):
            ctx.inplace(0, i)
            break


def _prod(dims: list[int]) -> int:
    n = 1
    for d in dims:
        n *= int(d)
    return n
