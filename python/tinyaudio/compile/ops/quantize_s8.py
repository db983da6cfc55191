"""QUANTIZE (integer requantization, float32 -> int8) and DEQUANTIZE (int8/int16 -> float32) ->
ta_quantize_s8 (ta_requantize_<in>_<out>, ta_quantize_f32_s8, ta_dequantize_<in>_f32)."""

from __future__ import annotations

from tinyaudio.compile import kernel_params
from tinyaudio.compile.ops import OpContext, register

_SHORT = {"INT8": "s8", "INT16": "s16", "INT32": "s32", "FLOAT32": "f32"}
_REQUANTIZE = {
    ("INT8", "INT8"),
    ("INT8", "INT16"),
    ("INT8", "INT32"),
    ("INT16", "INT8"),
    ("INT16", "INT16"),
    ("INT16", "INT32"),
    ("INT32", "INT8"),
    ("INT32", "INT16"),
}


@register("QUANTIZE")
def emit_quantize(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    qout = ctx.require_quant(out)
    ctx.use_kernel("ta_quantize_s8")
    if inp.type_name == "FLOAT32":
        ctx.require_type(out, "INT8")
        params = kernel_params.affine_quantize_params(out.num_elements, qout.scale, qout.zero_point)
        struct = ctx.const_struct("ta_affine_quantize_params_t", params)
        ctx.call("ta_quantize_f32_s8", f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
        return
    if (inp.type_name, out.type_name) not in _REQUANTIZE:
        ctx.fail(f"QUANTIZE from {inp.type_name} to {out.type_name} is not supported", out)
    qin = ctx.require_quant(inp)
    params = kernel_params.requantize_params(
        out.num_elements, qin.scale, qin.zero_point, qout.scale, qout.zero_point
    )
    struct = ctx.const_struct("ta_requantize_params_t", params)
    func = f"ta_requantize_{_SHORT[inp.type_name]}_{_SHORT[out.type_name]}"
    ctx.call(func, f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
    if inp.type_name == out.type_name:
        ctx.inplace(0, 0)


@register("DEQUANTIZE")
def emit_dequantize(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "INT8", "INT16")
    ctx.require_type(out, "FLOAT32")
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    qin = ctx.require_quant(inp)
    params = kernel_params.affine_quantize_params(out.num_elements, qin.scale, qin.zero_point)
    struct = ctx.const_struct("ta_affine_quantize_params_t", params)
    ctx.use_kernel("ta_quantize_s8")
    ctx.call(f"ta_dequantize_{_SHORT[inp.type_name]}_f32", f"&{struct}", ctx.ptr(inp), ctx.ptr(out))
