"""Whole models: the compiled C (host, ASan/UBSan, -Werror) equals tflite-micro exactly on >= 200 inputs,
real features first, then random int8/int16 tensors; stateful models run as one sequence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.support import models
from tests.support.random_tensors import random_inputs
from tests.support.runner import assert_bit_exact
from tests.support.tflite_builder import edit_model
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tinyaudio.compile.compiler import compile_tflite
from tinyaudio.compile.reader import parse_model

pytestmark = pytest.mark.slow


def _check_varied(outputs: np.ndarray) -> None:
    """Guard against a vacuous comparison: the outputs must not all be one vector."""
    flat = outputs.reshape(len(outputs), -1)
    assert len({row.tobytes() for row in flat}) > len(flat) // 10, (
        "outputs barely vary; test inputs degenerate"
    )


def test_micro_speech_matches_tflm_on_real_and_random_features() -> None:
    model = (models.tflm_models_dir() / "micro_speech_quantized.tflite").read_bytes()
    real = models.micro_speech_features(60)
    rng = np.random.default_rng(10)
    inputs = np.concatenate([real, random_inputs(rng, 150, (1960,))])
    outputs = assert_bit_exact(model, inputs)
    _check_varied(outputs)


def _tap(model: bytes, op_index: int) -> bytes:
    """The model with its output moved to op `op_index`'s output (the later ops still run)."""

    def edit(m: Any) -> None:
        m.subgraphs[0].outputs = [m.subgraphs[0].operators[op_index].outputs[0]]

    return edit_model(model, edit)


def _logits_tap(model: bytes) -> bytes:
    """The classifier tapped before its softmax: a briefly trained model can saturate its softmax to the
    same one-hot row for most inputs, which would make the comparison vacuous; its logits do not."""
    m = schema.Model.GetRootAsModel(model, 0)
    graph = m.Subgraphs(0)
    codes = [
        max(m.OperatorCodes(i).BuiltinCode(), m.OperatorCodes(i).DeprecatedBuiltinCode())
        for i in range(m.OperatorCodesLength())
    ]
    fully_connected = [
        i
        for i in range(graph.OperatorsLength())
        if codes[graph.Operators(i).OpcodeIndex()] == schema.BuiltinOperator.FULLY_CONNECTED
    ]
    return _tap(model, fully_connected[-1])


@pytest.mark.parametrize(
    ("name", "tap"),
    [
        ("keyword_scrambled.tflite", None),
        ("keyword_scrambled.tflite", 1),
        ("keyword_scrambled.tflite", 9),
        ("keyword_scrambled_8bit.tflite", None),
    ],
)
def test_keyword_scrambled_matches_tflm_over_a_stateful_sequence(name: str, tap: int | None) -> None:
    """int16 in, SVDF state carried over 210 invocations, int32 out. The scrambled weights make the
    final output constant, so the outputs of SVDF ops #1 and #9 are compared as well. (The 8-bit
    variant saturates after its first SVDF for every input: it is compared whole, and its int8-state
    SVDF arithmetic is covered by the kernel tests with varied outputs.)"""
    model = (models.tflm_models_dir() / name).read_bytes()
    if tap is not None:
        model = _tap(model, tap)
    rng = np.random.default_rng(11)
    inputs = np.concatenate([random_inputs(rng, 70, (96,), np.int16, spread) for spread in (0.01, 0.05, 0.3)])
    outputs = assert_bit_exact(model, inputs)
    if tap is not None:
        _check_varied(outputs)


def _dscnn_inputs(model: bytes, n_real: int, n_random: int, seed: int) -> np.ndarray:
    m = parse_model(model)
    q = m.tensors[m.inputs[0]].quant
    assert q is not None
    real = models.quantize_features(models.speech_features(n_real, seed=seed), q.scale, q.zero_point)
    rng = np.random.default_rng(seed)
    return np.concatenate([real[..., None], random_inputs(rng, n_random, (49, 10, 1))])


def test_mlperf_dscnn_matches_tflm_and_fits_the_arena_target() -> None:
    model = models.mlperf_dscnn_tflite()
    compiled = compile_tflite(model)
    assert compiled.manifest["ops"] == {
        "CONV_2D": 5,
        "DEPTHWISE_CONV_2D": 4,
        "AVERAGE_POOL_2D": 1,
        "FULLY_CONNECTED": 1,
        "SOFTMAX": 1,
    }
    # TFLM needs 24,272 B for this model; the static plan must stay within 16.5 KB. With the in-place
    # depthwise/pointwise kernels one 8000 B activation buffer plus a 640 B row ring is enough.
    assert compiled.manifest["arena_bytes"] <= 16_896
    assert compiled.manifest["arena_bytes"] <= 8000 + 640 + 16
    inputs = _dscnn_inputs(model, 100, 100, seed=2)
    assert_bit_exact(model, inputs)
    _check_varied(assert_bit_exact(_logits_tap(model), inputs))


def test_project_dscnn_matches_tflm() -> None:
    model = models.project_dscnn_tflite()
    inputs = _dscnn_inputs(model, 100, 100, seed=3)
    assert_bit_exact(model, inputs)
    _check_varied(assert_bit_exact(_logits_tap(model), inputs))
