"""The flatbuffer reader: it reads real models, and refuses truncated, corrupted or inconsistent files with
one clear line (never a crash)."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from tests.support import models
from tests.support.tflite_builder import edit_model

from tinyaudio.compile.compiler import compile_tflite
from tinyaudio.compile.reader import parse_model
from tinyaudio.errors import CompileError

MICRO_SPEECH = models.tflm_models_dir() / "micro_speech_quantized.tflite"


def test_reader_reads_micro_speech() -> None:
    m = parse_model(MICRO_SPEECH.read_bytes(), source="ms.tflite")
    assert [op.name for op in m.operators] == ["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"]
    inp = m.tensors[m.inputs[0]]
    assert inp.shape == (1, 1960) and inp.type_name == "INT8" and inp.quant is not None
    weights = m.tensors[m.operators[1].inputs[1]]
    assert weights.is_constant and weights.array().shape == (1, 10, 8, 8)


def _compile_or_refuse(data: bytes) -> None:
    """Either compiles or raises CompileError; any other exception is a crash."""
    try:
        compile_tflite(data)
    except CompileError as err:
        assert str(err)  # a message, on one line
        assert "\n" not in str(err)


def test_truncated_files_give_clear_errors() -> None:
    data = MICRO_SPEECH.read_bytes()
    cuts = sorted({0, 1, 4, 7, 8, 12, 16, 64, 100, 1000} | set(range(0, len(data), 97)))
    for cut in cuts:
        with pytest.raises(CompileError):
            compile_tflite(data[:cut])


def test_random_byte_flips_never_crash() -> None:
    rng = np.random.default_rng(0)
    for path in (MICRO_SPEECH, models.tflm_models_dir() / "keyword_scrambled.tflite"):
        data = bytearray(path.read_bytes())
        # Structure (offsets, vtables, vectors) sits in the first and last few hundred bytes; hit those
        # hard, and the weights in between now and then.
        positions = np.concatenate(
            [
                rng.integers(0, 600, 150),
                rng.integers(len(data) - 600, len(data), 150),
                rng.integers(0, len(data), 100),
            ]
        )
        for pos in positions:
            corrupt = bytearray(data)
            for p in (int(pos), int(pos) + int(rng.integers(1, 8))):
                if p < len(corrupt):
                    corrupt[p] = int(rng.integers(0, 256))
            _compile_or_refuse(bytes(corrupt))


@pytest.mark.parametrize("value", [0.0, float("inf"), float("nan"), -1.0, 1e-45, 3e38])
def test_absurd_quantization_scales_are_refused(value: float) -> None:
    data = MICRO_SPEECH.read_bytes()
    model = parse_model(data)
    for t in model.tensors:
        if t.quant is None:
            continue
        pos = data.find(struct.pack("<f", t.quant.scales[0]))
        if pos >= 0:
            _compile_or_refuse(data[:pos] + struct.pack("<f", value) + data[pos + 4 :])


def test_wrong_version_two_subgraphs_and_missing_buffers_are_refused() -> None:
    data = MICRO_SPEECH.read_bytes()

    def set_version(m: object) -> None:
        m.version = 2  # type: ignore[attr-defined]

    def two_subgraphs(m: object) -> None:
        m.subgraphs.append(m.subgraphs[0])  # type: ignore[attr-defined]

    def bad_buffer(m: object) -> None:
        m.subgraphs[0].tensors[1].buffer = 999  # type: ignore[attr-defined]

    def short_weights(m: object) -> None:
        t = m.subgraphs[0].tensors[m.subgraphs[0].operators[1].inputs[1]]  # type: ignore[attr-defined]
        m.buffers[t.buffer].data = m.buffers[t.buffer].data[:10]  # type: ignore[attr-defined]

    def bad_tensor_index(m: object) -> None:
        op = m.subgraphs[0].operators[2]  # type: ignore[attr-defined]
        op.inputs = [int(i) for i in op.inputs]
        op.inputs[1] = 77

    for edit, pattern in [
        (set_version, "schema version 2"),
        (two_subgraphs, "2 subgraphs"),
        (bad_buffer, "refers to buffer 999"),
        (short_weights, "constant data is 10 bytes"),
        (bad_tensor_index, "op #2 FULLY_CONNECTED: inputs refers to tensor 77"),
    ]:
        with pytest.raises(CompileError, match=pattern):
            compile_tflite(edit_model(data, edit))


def test_not_a_tflite_file() -> None:
    with pytest.raises(CompileError, match="not a TFLite model"):
        compile_tflite(b"RIFF" + bytes(100))
    with pytest.raises(CompileError, match="too short"):
        compile_tflite(b"TFL3")
