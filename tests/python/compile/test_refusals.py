"""The compiler refuses what TFLM (or our kernels) cannot run, with one line naming the model file, the op,
its index and the tensor, before anything is written: float and hybrid models, unsupported and custom ops,
options that disagree with the shapes, and the limits of the int8 emitters."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.support import models
from tests.support.tflite_builder import GraphBuilder

from tinyaudio.compile.compiler import compile_model, compile_tflite
from tinyaudio.errors import CompileError

MICRO_SPEECH = models.tflm_models_dir() / "micro_speech_quantized.tflite"


def _compile_error(g: GraphBuilder, x: int, y: int) -> str:
    with pytest.raises(CompileError) as info:
        compile_tflite(g.build([x], [y]))
    return str(info.value)


def test_mean_over_three_axes_is_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", [2, 3, 4, 5], scale=0.1, zero_point=0)
    axes = g.const("axes", [1, 2, 3])
    y = g.tensor("y", [2], scale=0.1, zero_point=0)
    g.op("MEAN", [x, axes], [y], ("ReducerOptions", {"keepDims": False}))
    msg = _compile_error(g, x, y)
    assert "op #0 MEAN" in msg and "3 axes" in msg


def test_concatenation_with_different_quantization_is_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", [1, 4], scale=0.1, zero_point=0)
    c = g.tensor("c", [1, 4], data=np.zeros((1, 4), np.int8), scale=0.2, zero_point=0)
    y = g.tensor("y", [1, 8], scale=0.1, zero_point=0)
    g.op("CONCATENATION", [x, c], [y], ("ConcatenationOptions", {"axis": 1}))
    msg = _compile_error(g, x, y)
    assert "CONCATENATION" in msg and "'c'" in msg


def test_gelu_is_refused_with_advice() -> None:
    g = GraphBuilder()
    x = g.tensor("x", [1, 8], scale=0.1, zero_point=0)
    y = g.tensor("y", [1, 8], scale=0.05, zero_point=-10)
    g.op("GELU", [x], [y], ("GeluOptions", {"approximate": False}))
    msg = _compile_error(g, x, y)
    assert "GELU" in msg and "ReLU" in msg


def test_float_add_is_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", [1, 8], scale=0.1, zero_point=0)
    xf = g.tensor("xf", [1, 8], "float32")
    g.op("DEQUANTIZE", [x], [xf])
    c = g.tensor("c", [1, 8], "float32", data=np.ones((1, 8), np.float32))
    s = g.tensor("s", [1, 8], "float32")
    g.op("ADD", [xf, c], [s], ("AddOptions", {"fusedActivationFunction": 0}))
    y = g.tensor("y", [1, 8], scale=0.1, zero_point=0)
    g.op("QUANTIZE", [s], [y])
    msg = _compile_error(g, x, y)
    assert "op #1 ADD" in msg and "FLOAT32" in msg


def test_logistic_with_nonstandard_output_quantization_is_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", [1, 8], scale=0.1, zero_point=0)
    y = g.tensor("y", [1, 8], scale=0.01, zero_point=0)
    g.op("LOGISTIC", [x], [y])
    assert "1/256" in _compile_error(g, x, y)


def test_strided_slice_with_ellipsis_is_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", [2, 3, 4], scale=0.1, zero_point=0)
    b, e, s = g.const("b", [0, 0]), g.const("e", [1, 2]), g.const("s", [1, 1])
    y = g.tensor("y", [2, 3, 2], scale=0.1, zero_point=0)
    g.op("STRIDED_SLICE", [x, b, e, s], [y], ("StridedSliceOptions", {"ellipsisMask": 1}))
    assert "ellipsis" in _compile_error(g, x, y)


def _float_fc_model() -> bytes:
    g = GraphBuilder()
    x = g.tensor("x", (1, 4), "float32")
    w = g.tensor("w", (3, 4), "float32", data=np.ones((3, 4), np.float32))
    y = g.tensor("y", (1, 3), "float32")
    g.op("FULLY_CONNECTED", [x, w], [y], options=("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    return g.build([x], [y])


def _hybrid_fc_model() -> bytes:
    """int8 I/O around a FULLY_CONNECTED whose weights are float (not a full-integer model)."""
    g = GraphBuilder()
    x = g.tensor("x", (1, 4), "int8", scale=0.1, zero_point=0)
    w = g.tensor("weights_f32", (3, 4), "float32", data=np.ones((3, 4), np.float32))
    y = g.tensor("y", (1, 3), "int8", scale=0.1, zero_point=0)
    g.op("FULLY_CONNECTED", [x, w], [y], options=("FullyConnectedOptions", {"fusedActivationFunction": 0}))
    return g.build([x], [y])


def test_float_model_is_refused_before_writing(tmp_path: Path) -> None:
    src = tmp_path / "float.tflite"
    src.write_bytes(_float_fc_model())
    out = tmp_path / "out"
    with pytest.raises(CompileError, match="FLOAT32.*inference_input_type"):
        compile_model(src, out)
    assert not out.exists()


def test_hybrid_layer_is_refused_naming_op_index_and_tensor(tmp_path: Path) -> None:
    src = tmp_path / "hybrid.tflite"
    src.write_bytes(_hybrid_fc_model())
    with pytest.raises(CompileError) as err:
        compile_model(src, tmp_path / "out")
    msg = str(err.value)
    assert "op #0 FULLY_CONNECTED" in msg and "weights_f32" in msg and "FLOAT32" in msg
    assert not (tmp_path / "out").exists()


def test_unsupported_op_is_refused_naming_op_index_and_tensor() -> None:
    lstm = models.tflm_models_dir() / "micro_speech_lstm.tflite"
    with pytest.raises(CompileError) as err:
        compile_tflite(lstm.read_bytes())
    msg = str(err.value)
    assert "op #0 UNIDIRECTIONAL_SEQUENCE_LSTM" in msg and "not supported" in msg and "tensor #" in msg


def test_custom_ops_are_refused() -> None:
    pre = models.tflm_models_dir() / "audio_preprocessor_int8.tflite"
    with pytest.raises(CompileError, match="INT16|CUSTOM"):
        compile_tflite(pre.read_bytes())


def test_inconsistent_options_are_refused() -> None:
    g = GraphBuilder()
    x = g.tensor("x", (1, 8, 8, 2), "int8", scale=0.1, zero_point=0)
    w = g.tensor("w", (3, 3, 3, 2), "int8", scale=0.01, zero_point=0, data=np.ones((3, 3, 3, 2)))
    y = g.tensor("y", (1, 8, 8, 3), "int8", scale=0.1, zero_point=0)  # VALID 3x3 stride 1 gives 6x6
    g.op("CONV_2D", [x, w], [y], options=("Conv2DOptions", {"padding": 1, "strideW": 1, "strideH": 1}))
    with pytest.raises(CompileError, match=r"op #0 CONV_2D: output is 8x8 but the options give 6x6"):
        compile_tflite(g.build([x], [y]))
