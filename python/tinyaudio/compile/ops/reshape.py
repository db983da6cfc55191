"""RESHAPE, SQUEEZE, EXPAND_DIMS: the output is the input's memory re-read with another shape.

TFLM copies the bytes unless input and output share a buffer; the planner always makes them share
one, so these ops emit no code at all.
"""

from __future__ import annotations

from tinyaudio.compile.ops import OpContext, register


@register("RESHAPE", "SQUEEZE", "EXPAND_DIMS")
def emit_reshape(ctx: OpContext) -> None:
    inp, out = ctx.input(0), ctx.output(0)
    ctx.require(
        inp.type_name == out.type_name, f"input is {inp.type_name} but output is {out.type_name}", out
    )
    ctx.require(
        inp.num_elements == out.num_elements,
        f"{inp.num_elements} input elements reshaped to {out.num_elements}",
        out,
    )
    ctx.alias(0, 0)
