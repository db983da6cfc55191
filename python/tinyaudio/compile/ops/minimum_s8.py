"""MINIMUM -> ta_minimum_s8: int8, broadcasting, raw comparison (TFLM does not rescale)."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_broadcast_call, int8_quant, require_broadcast_output


@register("MINIMUM")
def emit_minimum(ctx: OpContext) -> None:
    a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
    for t in (a, b, out):
        int8_quant(ctx, t)
    require_broadcast_output(ctx, a, b, out)
    emit_broadcast_call(ctx, "ta_minimum_s8", a, b, out)
