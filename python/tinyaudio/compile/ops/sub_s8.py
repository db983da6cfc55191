"""SUB -> ta_sub_s8: int8, broadcasting, fused activation (the parameters of ADD)."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.add_s8 import emit_add_or_sub
from tinyaudio.compile.schema import BuiltinOptionsType


@register("SUB")
def emit_sub(ctx: OpContext) -> None:
    emit_add_or_sub(ctx, "ta_sub_s8", BuiltinOptionsType.SubOptions)
