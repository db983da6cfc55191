"""GELU: refused with advice. The int8 GELU of TFLite is a 256-entry table, but the tflite-micro
interpreter we verify every kernel against has no GELU kernel registered, so a GELU kernel could not be
shown bit-exact; models should use ReLU, or x * sigmoid(1.702 x) (MUL + LOGISTIC + MUL), instead."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register


@register("GELU")
def emit_gelu(ctx: OpContext) -> None:
    ctx.fail(
        "GELU is not supported: tflite-micro has no GELU kernel to verify against; use ReLU or "
        "x * sigmoid(1.702 * x) in the model",
        ctx.output(0),
    )
