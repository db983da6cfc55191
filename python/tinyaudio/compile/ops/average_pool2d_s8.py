"""AVERAGE_POOL_2D -> ta_average_pool2d_s8 (int8, input and output with the same quantization)."""

from __future__ import annotations

from tinyaudio.compile.kernel_params import int_fields
from tinyaudio.compile.ops import OpContext, register
from tinyaudio.compile.ops.support import emit_pool2d


@register("AVERAGE_POOL_2D")
def emit_average_pool2d(ctx: OpContext) -> None:
    p = int_fields(emit_pool2d(ctx, "ta_average_pool2d_s8"))
    ctx.add_macs(p["batches"] * p["output_h"] * p["output_w"] * p["channels"] * p["filter_h"] * p["filter_w"])
