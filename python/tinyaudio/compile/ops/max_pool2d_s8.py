"""MAX_POOL_2D -> ta_max_pool2d_s8 (int8, input and output with the same quantization)."""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_pool2d


@register("MAX_POOL_2D")
def emit_max_pool2d(ctx: OpContext) -> None:
    emit_pool2d(ctx, "ta_max_pool2d_s8")
