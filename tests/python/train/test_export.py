"""Full-int8 export: int8 in/out, per-channel weights, only ops our runtime runs, no float fallback."""

from __future__ import annotations

import numpy as np
import pytest

from tinyaudio.quantize.export import (
    SUPPORTED_OPS,
    QuantizationError,
    check_int8_model,
    convert_int8,
    io_details,
    tflite_ops,
)


def _convert(name: str, shape: tuple[int, ...], **params: object) -> tuple[object, bytes]:
    from tinyaudio.models import build_model

    model = build_model(name, shape, 5, (-40.0, 15.0), **params)
    rep = np.random.default_rng(0).normal(-40, 15, (40, *shape)).astype(np.float32)
    return model, convert_int8(model, rep)


@pytest.mark.slow
def test_dscnn_int8_export(tf_ready: None) -> None:
    model, fb = _convert("dscnn", (49, 10, 1), filters=16, blocks=2, first_padding="valid")
    check_int8_model(fb)
    ops = tflite_ops(fb)
    assert set(ops) <= SUPPORTED_OPS
    assert ops.get("CONV_2D", 0) == 3 and ops.get("DEPTHWISE_CONV_2D", 0) == 2
    assert "SUB" not in ops  # the input normalization folded into the VALID first convolution
    io = io_details(fb)
    assert io["input"]["dtype"] == "int8" and io["output"]["dtype"] == "int8"
    assert io["input"]["shape"] == [1, 49, 10, 1] and io["output"]["shape"] == [1, 5]
    assert io["output"]["scale"] == pytest.approx(1 / 256) and io["output"]["zero_point"] == -128
    _check_per_channel(fb)


def _check_per_channel(fb: bytes) -> None:
    """Convolution weights carry one scale per output channel."""
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=fb)
    tensors = {t["index"]: t for t in interp.get_tensor_details()}
    convs = [op for op in interp._get_ops_details() if op["op_name"] in ("CONV_2D", "DEPTHWISE_CONV_2D")]
    assert convs
    for op in convs:
        w = tensors[op["inputs"][1]]
        scales = w["quantization_parameters"]["scales"]
        channels = w["shape"][0] if op["op_name"] == "CONV_2D" else w["shape"][-1]
        assert len(scales) == channels > 1


@pytest.mark.slow
@pytest.mark.parametrize("heads", [1, 2])
def test_tiny_transformer_int8_export_runs_on_tflm(tf_ready: None, heads: int) -> None:
    from tinyaudio.evaluate import run_engine

    model, fb = _convert("tiny_transformer", (78, 32, 1), heads=heads)
    if heads == 1:  # the smallest setting of the paper is ~6k parameters
        assert 4000 <= model.count_params() <= 10000
    check_int8_model(fb)
    ops = tflite_ops(fb)
    assert set(ops) <= SUPPORTED_OPS, set(ops) - SUPPORTED_OPS
    assert "GELU" not in ops  # TFLM has no GELU kernel; the default MLP activation avoids it
    assert {"BATCH_MATMUL", "SOFTMAX", "RSQRT", "MEAN", "LOGISTIC"} <= set(ops)
    x = np.random.default_rng(1).integers(-128, 128, (4, 78, 32, 1)).astype(np.int8)
    lite, micro = run_engine("litert", fb, x), run_engine("tflm", fb, x)
    assert lite.dtype == np.int8 and micro.shape == lite.shape
    assert np.abs(lite.astype(int) - micro.astype(int)).max() <= 2


@pytest.mark.slow
def test_check_rejects_float_io_and_unsupported_ops(tf_ready: None) -> None:
    import tensorflow as tf

    from tinyaudio.models import build_model

    model = build_model("dscnn", (20, 8, 1), 3, filters=8, blocks=1)
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    float_fb = converter.convert()  # plain float model
    with pytest.raises(QuantizationError, match="not int8"):
        check_int8_model(float_fb)
    _, fb = _convert("tiny_transformer", (16, 16, 1), patch=(4, 4), depth=1, mlp_activation="gelu")
    with pytest.raises(QuantizationError, match="GELU"):
        check_int8_model(fb, SUPPORTED_OPS - {"GELU"})
