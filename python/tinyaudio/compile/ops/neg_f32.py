"""NEG (float32) -> ta_neg_f32: the float island Keras' LayerNormalization leaves in an int8 model
(DEQUANTIZE -> NEG -> QUANTIZE around the mean). Negation is exact, so the island stays bit-exact
with TFLM as long as DEQUANTIZE/QUANTIZE are."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register


@register("NEG")
def emit_neg(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require_type(inp, "FLOAT32")
    ctx.require_type(out, "FLOAT32")
    ctx.require(inp.num_elements == out.num_elements, "input and output sizes differ", out)
    ctx.use_kernel("ta_neg_f32")
    ctx.call("ta_neg_f32", ctx.ptr(inp), ctx.ptr(out), str(out.num_elements))
    ctx.inplace(0, 0)
