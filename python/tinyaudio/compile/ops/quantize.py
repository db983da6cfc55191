"""QUANTIZE (integer requantization, float32 -> int8) and DEQUANTIZE (int8/int16 -> float32)."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.quant_math import quantize_multiplier

_SHORT = {"INT8": "s8", "INT16": "s16", "INT32": "s32", "FLOAT32": "f32"}
_REQUANTIZE = {("INT8", "INT8"), ("INT8", "INT16"), ("INT8", "INT32"), ("INT16", "INT8"), ("INT16", "INT16"),
               ("INT16", "INT32"), ("INT32", "INT8"), ("INT32", "INT16")}


@register("QUANTIZE")
def emit_quantize(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    qout = ctx.require_quant(out)
    pair = (inp.type_name, out.type_name)
    ctx.use_kernel("ta_quantize_s8")
    if inp.type_name == "FLOAT32":
        ctx.require_type(out, "INT8")
        params = ctx.const_struct("ta_affine_quantize_params_t", {
            "size": out.num_elements, "zero_point": qout.zero_point, "scale": qout.scale,
        })
        ctx.call("ta_quantize_f32_s8", f"&{params}", ctx.ptr(inp), ctx.ptr(out))
        return
    if pair not in _REQUANTIZE:
        ctx.fail(f"QUANTIZE from {inp.type_name} to {out.type_name} is not supported", out)
    qin = ctx.require_quant(inp)
    multiplier, shift = quantize_multiplier(float(qin.scale) / float(qout.scale))
    params = ctx.const_struct("ta_requantize_params_t", {
        "size": out.num_elements, "input_zero_point": qin.zero_point, "output_zero_point": qout.zero_point,
        "multiplier": multiplier, "shift": shift,
    })
    func = f"ta_requantize_{_SHORT[inp.type_name]}_{_SHORT[out.type_name]}"
    ctx.call(func, f"&{params}", ctx.ptr(inp), ctx.ptr(out))
    if inp.type_name == out.type_name:
        ctx.inplace(0, 0)


@register("DEQUANTIZE")
def emit_dequantize(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "INT8", "INT16")
    ctx.require_type(out, "FLOAT32")
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    qin = ctx.require_quant(inp)
    params = ctx.const_struct("ta_affine_quantize_params_t", {
        "size": out.num_elements, "zero_point": qin.zero_point, "scale": qin.scale,
    })
    ctx.use_kernel("ta_quantize_s8")
    ctx.call(f"ta_dequantize_{_SHORT[inp.type_name]}_f32", f"&{params}", ctx.ptr(inp), ctx.ptr(out))
