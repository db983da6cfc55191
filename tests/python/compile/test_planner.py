"""The static memory plan: live tensors never share bytes, RESHAPE-like ops alias their input, the plan is the
smallest of the orderings tried and deterministic, in-place ops take over their dying input."""

from __future__ import annotations

import numpy as np
import pytest
from tests.support import models
from tests.support.runner import assert_bit_exact
from tests.support.tflite_builder import GraphBuilder

from tinyaudio.compile.compiler import compile_tflite
from tinyaudio.compile.ir import Model
from tinyaudio.compile.planner import plan_memory

MICRO_SPEECH = models.tflm_models_dir() / "micro_speech_quantized.tflite"


def _check_plan(model: Model, plan_rows: list[dict[str, object]], arena: int) -> None:
    """No two tensors that are alive at the same op share bytes (unless aliased on purpose)."""
    rows = [r for r in plan_rows if r["tensor"] is not None]
    for r in rows:
        assert 0 <= int(r["offset"]) and int(r["offset"]) + int(r["bytes"]) <= arena  # type: ignore[call-overload]
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            overlap_time = not (a["last_op"] < b["first_op"] or b["last_op"] < a["first_op"])  # type: ignore[operator]
            a0, a1 = int(a["offset"]), int(a["offset"]) + int(a["bytes"])  # type: ignore[call-overload]
            b0, b1 = int(b["offset"]), int(b["offset"]) + int(b["bytes"])  # type: ignore[call-overload]
            if overlap_time and a0 < b1 and b0 < a1:
                # Only aliases may share: same offset, same group lifetime (RESHAPE-like ops).
                assert a0 == b0 and (a["first_op"], a["last_op"]) == (b["first_op"], b["last_op"]), (a, b)


@pytest.mark.parametrize(
    "name", ["micro_speech_quantized.tflite", "keyword_scrambled.tflite", "keyword_scrambled_8bit.tflite"]
)
def test_memory_plan_never_overlaps_live_tensors(name: str) -> None:
    compiled = compile_tflite((models.tflm_models_dir() / name).read_bytes())
    _check_plan(compiled.model, compiled.manifest["tensors"], compiled.manifest["arena_bytes"])


def test_reshape_is_aliased_not_copied() -> None:
    compiled = compile_tflite(MICRO_SPEECH.read_bytes())
    plan = compiled.plan
    reshape = compiled.model.operators[0]
    assert plan.tensor_offsets[reshape.inputs[0]] == plan.tensor_offsets[reshape.outputs[0]]
    assert compiled.lowered[0].calls == []


def test_plan_is_smallest_of_the_orderings_and_deterministic() -> None:
    compiled = compile_tflite(MICRO_SPEECH.read_bytes())
    again = plan_memory(compiled.model, compiled.lowered)
    assert again.arena_bytes == compiled.plan.arena_bytes
    # micro_speech: input 1960 B + depthwise output 4000 B live together; nothing else needs more.
    assert compiled.plan.arena_bytes == 4000 + 1968


def test_in_place_requantization_shares_the_dying_input_and_stays_exact() -> None:
    rng = np.random.default_rng(9)
    g = GraphBuilder()
    x = g.tensor("x", (1, 24), "int8", scale=0.05, zero_point=3)
    w = g.tensor("w", (10, 24), "int8", scale=0.01, zero_point=0, data=rng.integers(-127, 128, (10, 24)))
    h = g.tensor("h", (1, 10), "int8", scale=0.08, zero_point=-4)
    r = g.tensor("r", (1, 10), "int8", scale=0.05, zero_point=10)
    y = g.tensor("y", (1, 10), "int8", scale=1.0 / 256, zero_point=-128)
    g.op("FULLY_CONNECTED", [x, w], [h], options=("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    g.op("QUANTIZE", [h], [r])
    g.op("SOFTMAX", [r], [y], options=("SoftmaxOptions", {"beta": 1.0}))
    model = g.build([x], [y])
    plan = compile_tflite(model).plan
    assert plan.tensor_offsets[h] == plan.tensor_offsets[r]  # QUANTIZE wrote over its input
    assert plan.tensor_offsets[x] != plan.tensor_offsets[h]
    assert_bit_exact(model, rng.integers(-128, 128, (20, 24), dtype=np.int8))
