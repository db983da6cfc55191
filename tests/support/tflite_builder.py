"""Test-only builder of small int8 .tflite models (one op or a few) with chosen shapes and quantization.

Kernel tests need models whose shapes and scales they pick themselves, so that the tflite-micro
interpreter can serve as the oracle for each C kernel. The flatbuffer is written with the object API of
the schema module shipped inside the ``tflite_micro`` wheel (no TensorFlow import, fast).

Example::

    g = GraphBuilder()
    a = g.tensor("a", (1, 4, 8), "int8", scale=0.05, zero_point=-3)
    b = g.tensor("b", (8,), "int8", scale=0.02, zero_point=1)
    y = g.tensor("y", (1, 4, 8), "int8", scale=0.07, zero_point=5)
    g.op("ADD", [a, b], [y], options=("AddOptions", {"fusedActivationFunction": 0}))
    model_bytes = g.build(inputs=[a, b], outputs=[y])
    outs = invoke_tflm(model_bytes, [xa, xb])   # tests/support/oracle.py
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import flatbuffers
import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

_DTYPES: dict[str, tuple[int, type[np.generic]]] = {
    "int8": (schema.TensorType.INT8, np.int8),
    "int16": (schema.TensorType.INT16, np.int16),
    "int32": (schema.TensorType.INT32, np.int32),
    "int64": (schema.TensorType.INT64, np.int64),
    "float32": (schema.TensorType.FLOAT32, np.float32),
    "uint8": (schema.TensorType.UINT8, np.uint8),
    "bool": (schema.TensorType.BOOL, np.bool_),
}

ACTIVATIONS = {"NONE": 0, "RELU": 1, "RELU_N1_TO_1": 2, "RELU6": 3}


@dataclass
class _Tensor:
    name: str
    shape: tuple[int, ...]
    dtype: str
    scale: list[float] | None
    zero_point: list[int] | None
    quantized_dimension: int
    data: np.ndarray | None


@dataclass
class GraphBuilder:
    """Collects tensors and operators of one subgraph, then serializes a TFLite model."""

    tensors: list[_Tensor] = field(default_factory=list)
    operators: list[tuple[int, list[int], list[int], tuple[str, dict[str, Any]] | None]] = field(
        default_factory=list
    )

    def tensor(
        self,
        name: str,
        shape: Sequence[int],
        dtype: str = "int8",
        scale: float | Sequence[float] | None = None,
        zero_point: int | Sequence[int] | None = None,
        data: np.ndarray | None = None,
        quantized_dimension: int = 0,
    ) -> int:
        """Adds a tensor (a constant when ``data`` is given) and returns its index."""
        if dtype not in _DTYPES:
            raise ValueError(f"unknown dtype {dtype}")
        scales = None if scale is None else [float(s) for s in np.atleast_1d(scale)]
        zps = None
        if scales is not None:
            zps = [int(z) for z in np.atleast_1d(0 if zero_point is None else zero_point)]
            if len(zps) == 1 and len(scales) > 1:
                zps = zps * len(scales)
        if data is not None:
            data = np.ascontiguousarray(np.asarray(data, dtype=_DTYPES[dtype][1]).reshape(tuple(shape)))
        self.tensors.append(
            _Tensor(name, tuple(int(d) for d in shape), dtype, scales, zps, quantized_dimension, data)
        )
        return len(self.tensors) - 1

    def const(self, name: str, values: Any, dtype: str = "int32", **quant: Any) -> int:
        """A constant tensor holding ``values`` (e.g. an axis or permutation list)."""
        arr = np.asarray(values, dtype=_DTYPES[dtype][1])
        return self.tensor(name, arr.shape, dtype, data=arr, **quant)

    def op(
        self,
        name: str,
        inputs: Sequence[int],
        outputs: Sequence[int],
        options: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """Adds builtin operator ``name`` (e.g. "ADD"); ``options`` is (OptionsTableName, {field: value})."""
        code = getattr(schema.BuiltinOperator, name)
        self.operators.append((code, list(inputs), list(outputs), options))

    def build(self, inputs: Sequence[int], outputs: Sequence[int]) -> bytes:
        model = schema.ModelT()
        model.version = 3
        model.description = "tinyaudio test model"
        buffers = [schema.BufferT()]  # buffer 0: the empty sentinel every tflite file has
        sub = schema.SubGraphT()
        sub.name = "main"
        sub.tensors = []
        for t in self.tensors:
            tt = schema.TensorT()
            tt.name = t.name
            tt.shape = list(t.shape)
            tt.type = _DTYPES[t.dtype][0]
            tt.buffer = 0
            if t.data is not None:
                buf = schema.BufferT()
                buf.data = list(t.data.tobytes())
                buffers.append(buf)
                tt.buffer = len(buffers) - 1
            if t.scale is not None:
                q = schema.QuantizationParametersT()
                q.scale = list(t.scale)
                q.zeroPoint = list(t.zero_point or [0])
                q.quantizedDimension = t.quantized_dimension
                tt.quantization = q
            sub.tensors.append(tt)
        codes: list[int] = []
        sub.operators = []
        for code, ins, outs, options in self.operators:
            if code not in codes:
                codes.append(code)
            o = schema.OperatorT()
            o.opcodeIndex = codes.index(code)
            o.inputs = ins
            o.outputs = outs
            if options is not None:
                table, fields = options
                opt = getattr(schema, table + "T")()
                for k, v in fields.items():
                    setattr(opt, k, v)
                o.builtinOptionsType = getattr(schema.BuiltinOptions, table)
                o.builtinOptions = opt
            sub.operators.append(o)
        sub.inputs = list(inputs)
        sub.outputs = list(outputs)
        model.subgraphs = [sub]
        model.buffers = buffers
        model.operatorCodes = []
        for code in codes:
            oc = schema.OperatorCodeT()
            oc.builtinCode = code
            oc.deprecatedBuiltinCode = min(code, 127)
            oc.version = 1
            model.operatorCodes.append(oc)
        fb = flatbuffers.Builder(1024)
        fb.Finish(model.Pack(fb), file_identifier=b"TFL3")
        return bytes(fb.Output())


def edit_model(model: bytes, edit: Callable[[Any], None]) -> bytes:
    """`model` re-serialized after `edit` changed its object-API form (schema.ModelT) in place: taps on an
    inner tensor, corrupted fields, variable tensors the builder cannot make."""
    m = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model, 0))
    edit(m)
    fb = flatbuffers.Builder(1024)
    fb.Finish(m.Pack(fb), file_identifier=b"TFL3")
    return bytes(fb.Output())


def single_op(
    name: str,
    inputs: Sequence[dict[str, Any]],
    output: dict[str, Any],
    options: tuple[str, dict[str, Any]] | None = None,
) -> bytes:
    """A one-op model. Each input/output is a dict of GraphBuilder.tensor keyword arguments; inputs
    with ``data`` become constants, the others graph inputs (in order)."""
    g = GraphBuilder()
    idx = []
    graph_inputs = []
    for k, spec in enumerate(inputs):
        t = g.tensor(spec.get("name", f"in{k}"), **{k2: v for k2, v in spec.items() if k2 != "name"})
        idx.append(t)
        if spec.get("data") is None:
            graph_inputs.append(t)
    y = g.tensor(output.get("name", "out"), **{k2: v for k2, v in output.items() if k2 != "name"})
    g.op(name, idx, [y], options)
    return g.build(graph_inputs, [y])
