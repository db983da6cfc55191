"""The int8 op emitters refuse what TFLM (or our kernels) cannot run, with a message naming the op,
its index and the tensor, before anything is written."""

from __future__ import annotations

import numpy as np
import pytest
from tests.support.tflite_builder import GraphBuilder

from tinyaudio.compile.compiler import compile_tflite
from tinyaudio.errors import CompileError


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
