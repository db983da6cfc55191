"""Read and validate a .tflite flatbuffer into `ir.Model`, without TensorFlow.

Every structural problem (truncation, offsets outside the file, wrong version, several subgraphs,
unknown types, missing buffers, inconsistent quantization) raises `CompileError` with the file and the
tensor or operator at fault. Nothing here crashes on garbage: all reads go through `flatbuf`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from tinyaudio.compile.flatbuf import Buffer, FlatbufferError, Table
from tinyaudio.compile.ir import Model, Operator, Quantization, Tensor
from tinyaudio.compile.schema import (
    BUILTIN_OPERATOR_NAMES,
    FILE_IDENTIFIER,
    SCHEMA_VERSION,
    TENSOR_TYPES,
    BufferField,
    ModelField,
    OperatorCodeField,
    OperatorField,
    QuantizationField,
    SubGraphField,
    TensorField,
)
from tinyaudio.errors import CompileError

MAX_TENSOR_ELEMENTS = 1 << 28  # far beyond any microcontroller; guards against absurd shapes
MAX_RANK = 8


def read_model(path: str | Path) -> Model:
    """Read and validate a .tflite file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CompileError(f"{path}: cannot read: {err.strerror or err}") from err
    return parse_model(data, source=str(path))


def parse_model(data: bytes, source: str = "<bytes>") -> Model:
    """Parse and validate .tflite bytes; `source` names the file in error messages."""
    try:
        return _parse(data, source)
    except FlatbufferError as err:
        raise CompileError(f"{source}: malformed TFLite flatbuffer: {err}") from err


def _parse(data: bytes, source: str) -> Model:
    if len(data) < 8:
        raise CompileError(f"{source}: {len(data)} bytes is too short to be a TFLite model")
    buf = Buffer(data)
    if not buf.has_identifier(FILE_IDENTIFIER):
        raise CompileError(f"{source}: not a TFLite model (file identifier is not 'TFL3')")
    root = buf.root("model")
    version = root.get_int(ModelField.VERSION, 0, "I")
    if version != SCHEMA_VERSION:
        raise CompileError(
            f"{source}: TFLite schema version {version}, only version {SCHEMA_VERSION} is supported"
        )
    description = root.string(ModelField.DESCRIPTION, "description") or ""

    buffers = _read_buffers(buf, root, source)
    opcodes = _read_opcodes(root, source)

    subgraphs = root.vector_tables(ModelField.SUBGRAPHS, "subgraphs") or []
    if len(subgraphs) != 1:
        raise CompileError(
            f"{source}: the model has {len(subgraphs)} subgraphs; tinyaudio compiles exactly one "
            "(control flow such as IF/WHILE/CALL_ONCE is not supported)"
        )
    graph = subgraphs[0]
    tensors = _read_tensors(graph, buffers, source)
    n = len(tensors)
    inputs = _tensor_list(graph, SubGraphField.INPUTS, "inputs", n, source, allow_optional=False)
    outputs = _tensor_list(graph, SubGraphField.OUTPUTS, "outputs", n, source, allow_optional=False)
    operators = _read_operators(graph, opcodes, n, source)
    op_versions: dict[str, int] = {}
    for name, ver in opcodes:
        op_versions[name] = max(op_versions.get(name, 0), ver)
    return Model(
        version=version,
        description=description,
        tensors=tensors,
        operators=operators,
        inputs=inputs,
        outputs=outputs,
        tflite_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        source=source,
        subgraph_name=graph.string(SubGraphField.NAME, "name") or "",
        op_versions=op_versions,
    )


def _read_buffers(buf: Buffer, root: Table, source: str) -> list[bytes | None]:
    """Contents of every buffer; None for empty ones (activations use the empty buffer 0)."""
    result: list[bytes | None] = []
    for i, table in enumerate(root.vector_tables(ModelField.BUFFERS, "buffers") or []):
        vec = table.vector_bytes(BufferField.DATA, "data")
        offset = table.get_int(BufferField.OFFSET, 0, "Q")
        size = table.get_int(BufferField.SIZE, 0, "Q")
        if vec is not None and vec[1] > 0:
            start, length = vec
            result.append(buf.data[start : start + length])
        elif offset > 1:
            # Large models keep buffer data after the flatbuffer, addressed from the file start.
            if offset + size > buf.size:
                raise CompileError(
                    f"{source}: buffer {i} data [{offset}, {offset + size}) lies outside the "
                    f"{buf.size}-byte file (truncated?)"
                )
            result.append(buf.data[offset : offset + size])
        else:
            result.append(None)
    return result


def _read_opcodes(root: Table, source: str) -> list[tuple[str, int]]:
    result = []
    for i, table in enumerate(root.vector_tables(ModelField.OPERATOR_CODES, "operator_codes") or []):
        deprecated = table.get_int(OperatorCodeField.DEPRECATED_BUILTIN_CODE, 0, "b")
        builtin = table.get_int(OperatorCodeField.BUILTIN_CODE, 0, "i")
        code = max(deprecated, builtin)
        version = table.get_int(OperatorCodeField.VERSION, 1, "i")
        if code < 0 or code >= len(BUILTIN_OPERATOR_NAMES) or not BUILTIN_OPERATOR_NAMES[code]:
            raise CompileError(f"{source}: operator code {i} has unknown builtin code {code}")
        name = BUILTIN_OPERATOR_NAMES[code]
        if name == "CUSTOM":
            name = f"CUSTOM:{table.string(OperatorCodeField.CUSTOM_CODE, 'custom_code') or '?'}"
        result.append((name, version))
    return result


def _read_tensors(graph: Table, buffers: list[bytes | None], source: str) -> list[Tensor]:
    tensors = []
    for i, table in enumerate(graph.vector_tables(SubGraphField.TENSORS, "tensors") or []):
        name = table.string(TensorField.NAME, "name") or f"t{i}"
        where = f"{source}: tensor #{i} '{name}'"
        shape = table.vector_ints(TensorField.SHAPE, "shape") or ()
        if len(shape) > MAX_RANK:
            raise CompileError(f"{where}: rank {len(shape)} is above the supported {MAX_RANK}")
        if any(d < 0 for d in shape):
            raise CompileError(f"{where}: dynamic or negative dimension in shape {list(shape)}")
        elements = 1
        for d in shape:
            elements *= d
        if elements > MAX_TENSOR_ELEMENTS:
            raise CompileError(f"{where}: {elements} elements is beyond any supported size")
        type_code = table.get_int(TensorField.TYPE, 0, "b")
        if type_code < 0 or type_code >= len(TENSOR_TYPES):
            raise CompileError(f"{where}: unknown tensor type code {type_code}")
        type_info = TENSOR_TYPES[type_code]
        buffer_index = table.get_int(TensorField.BUFFER, 0, "I")
        if buffer_index >= len(buffers) and buffer_index != 0:
            raise CompileError(f"{where}: refers to buffer {buffer_index}, the model has {len(buffers)}")
        data = buffers[buffer_index] if buffer_index < len(buffers) else None
        if data is not None and type_info.numpy_dtype is not None:
            expected = elements * type_info.itemsize
            if len(data) != expected:
                raise CompileError(
                    f"{where}: constant data is {len(data)} bytes, shape {list(shape)} of "
                    f"{type_info.name} needs {expected}"
                )
        if table.has(TensorField.SPARSITY):
            raise CompileError(f"{where}: sparse tensors are not supported")
        quant = _read_quantization(table, shape, where)
        tensors.append(
            Tensor(
                index=i,
                name=name,
                shape=tuple(shape),
                type_name=type_info.name,
                quant=quant,
                data=data,
                is_variable=table.get_bool(TensorField.IS_VARIABLE),
            )
        )
    return tensors


def _read_quantization(table: Table, shape: tuple[int, ...], where: str) -> Quantization | None:
    q = table.table(TensorField.QUANTIZATION, "quantization")
    if q is None:
        return None
    scales = q.vector_array(QuantizationField.SCALE, "f", "scale")
    zero_points = q.vector_array(QuantizationField.ZERO_POINT, "q", "zero_point")
    if scales is None or len(scales) == 0:
        return None  # min/max only (float tensors) carry no affine quantization
    if zero_points is None or len(zero_points) != len(scales):
        got = 0 if zero_points is None else len(zero_points)
        raise CompileError(f"{where}: {len(scales)} quantization scales but {got} zero points")
    if not all(np.isfinite(scales)) or any(scales < 0):
        raise CompileError(
            f"{where}: quantization scale {scales.tolist()[:4]} is not a finite positive number"
        )
    axis = q.get_int(QuantizationField.QUANTIZED_DIMENSION, 0, "i")
    if len(scales) > 1 and not (0 <= axis < len(shape) and shape[axis] == len(scales)):
        raise CompileError(
            f"{where}: {len(scales)} per-channel scales do not match dimension {axis} of shape {list(shape)}"
        )
    return Quantization(
        scales=tuple(float(s) for s in scales),
        zero_points=tuple(int(z) for z in zero_points),
        axis=axis,
    )


def _tensor_list(
    table: Table, field: int, what: str, n_tensors: int, where: str, allow_optional: bool
) -> tuple[int, ...]:
    indices = table.vector_ints(field, what) or ()
    for idx in indices:
        if idx == -1 and allow_optional:
            continue
        if not 0 <= idx < n_tensors:
            raise CompileError(f"{where}: {what} refers to tensor {idx}, the subgraph has {n_tensors}")
    return indices


def _read_operators(
    graph: Table, opcodes: list[tuple[str, int]], n_tensors: int, source: str
) -> list[Operator]:
    ops = []
    for i, table in enumerate(graph.vector_tables(SubGraphField.OPERATORS, "operators") or []):
        opcode_index = table.get_int(OperatorField.OPCODE_INDEX, 0, "I")
        if opcode_index >= len(opcodes):
            raise CompileError(
                f"{source}: op #{i} uses operator code {opcode_index}, the model has {len(opcodes)}"
            )
        name, version = opcodes[opcode_index]
        where = f"{source}: op #{i} {name}"
        inputs = _tensor_list(table, OperatorField.INPUTS, "inputs", n_tensors, where, allow_optional=True)
        outputs = _tensor_list(
            table, OperatorField.OUTPUTS, "outputs", n_tensors, where, allow_optional=False
        )
        intermediates = _tensor_list(
            table, OperatorField.INTERMEDIATES, "intermediates", n_tensors, where, allow_optional=True
        )
        options_type = table.get_int(OperatorField.BUILTIN_OPTIONS_TYPE, 0, "B")
        options = table.table(OperatorField.BUILTIN_OPTIONS, "builtin_options")
        ops.append(
            Operator(
                index=i,
                name=name,
                version=version,
                inputs=inputs,
                outputs=outputs,
                options_type=options_type,
                options=options,
                intermediates=intermediates,
            )
        )
    return ops
