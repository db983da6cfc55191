"""The parts of the TFLite flatbuffer schema (tensorflow/lite/schema/schema.fbs) the compiler reads.

Field numbers are the order of fields in schema.fbs tables (vtable slot = field number). The enum
tables, option union codes and option field numbers are copied from schema.fbs;
tests/python/compile/test_schema.py checks every one against the schema module generated from it (shipped
in the tflite-micro wheel), so they cannot drift silently. This is the only module that knows a TFLite
code: emitters name them from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FILE_IDENTIFIER = b"TFL3"
SCHEMA_VERSION = 3

# BuiltinOperator enum: index = code.
BUILTIN_OPERATOR_NAMES: tuple[str, ...] = (
    "ADD",
    "AVERAGE_POOL_2D",
    "CONCATENATION",
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "DEPTH_TO_SPACE",
    "DEQUANTIZE",
    "EMBEDDING_LOOKUP",
    "FLOOR",
    "FULLY_CONNECTED",
    "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION",
    "L2_POOL_2D",
    "LOCAL_RESPONSE_NORMALIZATION",
    "LOGISTIC",
    "LSH_PROJECTION",
    "LSTM",
    "MAX_POOL_2D",
    "MUL",
    "RELU",
    "RELU_N1_TO_1",
    "RELU6",
    "RESHAPE",
    "RESIZE_BILINEAR",
    "RNN",
    "SOFTMAX",
    "SPACE_TO_DEPTH",
    "SVDF",
    "TANH",
    "CONCAT_EMBEDDINGS",
    "SKIP_GRAM",
    "CALL",
    "CUSTOM",
    "EMBEDDING_LOOKUP_SPARSE",
    "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN",
    "GATHER",
    "BATCH_TO_SPACE_ND",
    "SPACE_TO_BATCH_ND",
    "TRANSPOSE",
    "MEAN",
    "SUB",
    "DIV",
    "SQUEEZE",
    "UNIDIRECTIONAL_SEQUENCE_LSTM",
    "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN",
    "EXP",
    "TOPK_V2",
    "SPLIT",
    "LOG_SOFTMAX",
    "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM",
    "CAST",
    "PRELU",
    "MAXIMUM",
    "ARG_MAX",
    "MINIMUM",
    "LESS",
    "NEG",
    "PADV2",
    "GREATER",
    "GREATER_EQUAL",
    "LESS_EQUAL",
    "SELECT",
    "SLICE",
    "SIN",
    "TRANSPOSE_CONV",
    "SPARSE_TO_DENSE",
    "TILE",
    "EXPAND_DIMS",
    "EQUAL",
    "NOT_EQUAL",
    "LOG",
    "SUM",
    "SQRT",
    "RSQRT",
    "SHAPE",
    "POW",
    "ARG_MIN",
    "FAKE_QUANT",
    "REDUCE_PROD",
    "REDUCE_MAX",
    "PACK",
    "LOGICAL_OR",
    "ONE_HOT",
    "LOGICAL_AND",
    "LOGICAL_NOT",
    "UNPACK",
    "REDUCE_MIN",
    "FLOOR_DIV",
    "REDUCE_ANY",
    "SQUARE",
    "ZEROS_LIKE",
    "FILL",
    "FLOOR_MOD",
    "RANGE",
    "RESIZE_NEAREST_NEIGHBOR",
    "LEAKY_RELU",
    "SQUARED_DIFFERENCE",
    "MIRROR_PAD",
    "ABS",
    "SPLIT_V",
    "UNIQUE",
    "CEIL",
    "REVERSE_V2",
    "ADD_N",
    "GATHER_ND",
    "COS",
    "WHERE",
    "RANK",
    "ELU",
    "REVERSE_SEQUENCE",
    "MATRIX_DIAG",
    "QUANTIZE",
    "MATRIX_SET_DIAG",
    "ROUND",
    "HARD_SWISH",
    "IF",
    "WHILE",
    "NON_MAX_SUPPRESSION_V4",
    "NON_MAX_SUPPRESSION_V5",
    "SCATTER_ND",
    "SELECT_V2",
    "DENSIFY",
    "SEGMENT_SUM",
    "BATCH_MATMUL",
    "PLACEHOLDER_FOR_GREATER_OP_CODES",
    "CUMSUM",
    "CALL_ONCE",
    "BROADCAST_TO",
    "RFFT2D",
    "CONV_3D",
    "IMAG",
    "REAL",
    "COMPLEX_ABS",
    "HASHTABLE",
    "HASHTABLE_FIND",
    "HASHTABLE_IMPORT",
    "HASHTABLE_SIZE",
    "REDUCE_ALL",
    "CONV_3D_TRANSPOSE",
    "VAR_HANDLE",
    "READ_VARIABLE",
    "ASSIGN_VARIABLE",
    "BROADCAST_ARGS",
    "RANDOM_STANDARD_NORMAL",
    "BUCKETIZE",
    "RANDOM_UNIFORM",
    "MULTINOMIAL",
    "GELU",
    "DYNAMIC_UPDATE_SLICE",
    "RELU_0_TO_1",
    "UNSORTED_SEGMENT_PROD",
    "UNSORTED_SEGMENT_MAX",
    "UNSORTED_SEGMENT_SUM",
    "ATAN2",
    "UNSORTED_SEGMENT_MIN",
    "SIGN",
    "BITCAST",
    "BITWISE_XOR",
    "RIGHT_SHIFT",
    "STABLEHLO_LOGISTIC",
    "STABLEHLO_ADD",
    "STABLEHLO_DIVIDE",
    "STABLEHLO_MULTIPLY",
    "STABLEHLO_MAXIMUM",
    "STABLEHLO_RESHAPE",
    "STABLEHLO_CLAMP",
    "STABLEHLO_CONCATENATE",
    "STABLEHLO_BROADCAST_IN_DIM",
    "STABLEHLO_CONVOLUTION",
    "STABLEHLO_SLICE",
    "STABLEHLO_CUSTOM_CALL",
    "STABLEHLO_REDUCE",
    "STABLEHLO_ABS",
    "STABLEHLO_AND",
    "STABLEHLO_COSINE",
    "STABLEHLO_EXPONENTIAL",
    "STABLEHLO_FLOOR",
    "STABLEHLO_LOG",
    "STABLEHLO_MINIMUM",
    "STABLEHLO_NEGATE",
    "STABLEHLO_OR",
    "STABLEHLO_POWER",
    "STABLEHLO_REMAINDER",
    "STABLEHLO_RSQRT",
    "STABLEHLO_SELECT",
    "STABLEHLO_SUBTRACT",
    "STABLEHLO_TANH",
    "STABLEHLO_SCATTER",
    "STABLEHLO_COMPARE",
    "STABLEHLO_CONVERT",
    "STABLEHLO_DYNAMIC_SLICE",
    "STABLEHLO_DYNAMIC_UPDATE_SLICE",
    "STABLEHLO_PAD",
    "STABLEHLO_IOTA",
    "STABLEHLO_DOT_GENERAL",
    "STABLEHLO_REDUCE_WINDOW",
    "STABLEHLO_SORT",
    "STABLEHLO_WHILE",
    "STABLEHLO_GATHER",
    "STABLEHLO_TRANSPOSE",
    "DILATE",
    "STABLEHLO_RNG_BIT_GENERATOR",
    "REDUCE_WINDOW",
    "STABLEHLO_COMPOSITE",
    "STABLEHLO_SHIFT_LEFT",
    "STABLEHLO_CBRT",
    "STABLEHLO_CASE",
)


@dataclass(frozen=True)
class TensorTypeInfo:
    """A TensorType: schema name, numpy dtype (None when numpy has none), bytes per element, C type."""

    name: str
    numpy_dtype: str | None
    itemsize: int
    c_type: str | None


# TensorType enum: index = code.
TENSOR_TYPES: tuple[TensorTypeInfo, ...] = (
    TensorTypeInfo("FLOAT32", "<f4", 4, "float"),
    TensorTypeInfo("FLOAT16", "<f2", 2, None),
    TensorTypeInfo("INT32", "<i4", 4, "int32_t"),
    TensorTypeInfo("UINT8", "u1", 1, "uint8_t"),
    TensorTypeInfo("INT64", "<i8", 8, "int64_t"),
    TensorTypeInfo("STRING", None, 1, None),
    TensorTypeInfo("BOOL", "?", 1, "uint8_t"),
    TensorTypeInfo("INT16", "<i2", 2, "int16_t"),
    TensorTypeInfo("COMPLEX64", "<c8", 8, None),
    TensorTypeInfo("INT8", "i1", 1, "int8_t"),
    TensorTypeInfo("FLOAT64", "<f8", 8, "double"),
    TensorTypeInfo("COMPLEX128", "<c16", 16, None),
    TensorTypeInfo("UINT64", "<u8", 8, "uint64_t"),
    TensorTypeInfo("RESOURCE", None, 1, None),
    TensorTypeInfo("VARIANT", None, 1, None),
    TensorTypeInfo("UINT32", "<u4", 4, "uint32_t"),
    TensorTypeInfo("UINT16", "<u2", 2, "uint16_t"),
    TensorTypeInfo("INT4", None, 1, None),
    TensorTypeInfo("BFLOAT16", None, 2, None),
    TensorTypeInfo("INT2", None, 1, None),
    TensorTypeInfo("UINT4", None, 1, None),
)

TENSOR_TYPE_CODES: dict[str, int] = {info.name: code for code, info in enumerate(TENSOR_TYPES)}


def numpy_dtype(type_name: str) -> np.dtype:
    """numpy dtype of a TensorType name (little-endian, as stored in the flatbuffer)."""
    info = TENSOR_TYPES[TENSOR_TYPE_CODES[type_name]]
    if info.numpy_dtype is None:
        raise KeyError(f"{type_name} has no numpy dtype")
    return np.dtype(info.numpy_dtype)


# BuiltinOptions union: the type codes of the option tables an emitter may ask for.
class BuiltinOptionsType:
    NONE = 0
    Conv2DOptions = 1
    DepthwiseConv2DOptions = 2
    Pool2DOptions = 5
    SVDFOptions = 6
    FullyConnectedOptions = 8
    SoftmaxOptions = 9
    ConcatenationOptions = 10
    AddOptions = 11
    ReshapeOptions = 17
    MulOptions = 21
    GatherOptions = 23
    TransposeOptions = 26
    ReducerOptions = 27
    SubOptions = 28
    SqueezeOptions = 30
    StridedSliceOptions = 32
    DequantizeOptions = 38
    ExpandDimsOptions = 52
    PackOptions = 59
    UnpackOptions = 64
    LeakyReluOptions = 75
    SquaredDifferenceOptions = 76
    QuantizeOptions = 89
    BatchMatMulOptions = 101


# Enums used inside option tables.
class Padding:
    SAME = 0
    VALID = 1


class ActivationFunctionType:
    NONE = 0
    RELU = 1
    RELU_N1_TO_1 = 2
    RELU6 = 3
    TANH = 4
    SIGN_BIT = 5


ACTIVATION_NAMES = ("NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT")  # index = code


class FullyConnectedOptionsWeightsFormat:
    DEFAULT = 0
    SHUFFLED4x16INT8 = 1


# Field numbers of the option tables the emitters read.
class Conv2DOptionsField:
    PADDING = 0
    STRIDE_W = 1
    STRIDE_H = 2
    FUSED_ACTIVATION_FUNCTION = 3
    DILATION_W_FACTOR = 4
    DILATION_H_FACTOR = 5


class DepthwiseConv2DOptionsField:
    PADDING = 0
    STRIDE_W = 1
    STRIDE_H = 2
    DEPTH_MULTIPLIER = 3
    FUSED_ACTIVATION_FUNCTION = 4
    DILATION_W_FACTOR = 5
    DILATION_H_FACTOR = 6


class Pool2DOptionsField:
    PADDING = 0
    STRIDE_W = 1
    STRIDE_H = 2
    FILTER_WIDTH = 3
    FILTER_HEIGHT = 4
    FUSED_ACTIVATION_FUNCTION = 5


class FullyConnectedOptionsField:
    FUSED_ACTIVATION_FUNCTION = 0
    WEIGHTS_FORMAT = 1
    KEEP_NUM_DIMS = 2
    ASYMMETRIC_QUANTIZE_INPUTS = 3


class SoftmaxOptionsField:
    BETA = 0


class SVDFOptionsField:
    RANK = 0
    FUSED_ACTIVATION_FUNCTION = 1


class ConcatenationOptionsField:
    AXIS = 0
    FUSED_ACTIVATION_FUNCTION = 1


class AddOptionsField:
    FUSED_ACTIVATION_FUNCTION = 0


class SubOptionsField:
    FUSED_ACTIVATION_FUNCTION = 0


class MulOptionsField:
    FUSED_ACTIVATION_FUNCTION = 0


class ReducerOptionsField:
    KEEP_DIMS = 0


class GatherOptionsField:
    AXIS = 0
    BATCH_DIMS = 1


class StridedSliceOptionsField:
    BEGIN_MASK = 0
    END_MASK = 1
    ELLIPSIS_MASK = 2
    NEW_AXIS_MASK = 3
    SHRINK_AXIS_MASK = 4
    OFFSET = 5


class PackOptionsField:
    VALUES_COUNT = 0
    AXIS = 1


class UnpackOptionsField:
    NUM = 0
    AXIS = 1


class LeakyReluOptionsField:
    ALPHA = 0


class BatchMatMulOptionsField:
    ADJ_X = 0
    ADJ_Y = 1


# Field numbers (vtable slots) of the tables the reader walks.
class ModelField:
    VERSION = 0
    OPERATOR_CODES = 1
    SUBGRAPHS = 2
    DESCRIPTION = 3
    BUFFERS = 4


class OperatorCodeField:
    DEPRECATED_BUILTIN_CODE = 0
    CUSTOM_CODE = 1
    VERSION = 2
    BUILTIN_CODE = 3


class SubGraphField:
    TENSORS = 0
    INPUTS = 1
    OUTPUTS = 2
    OPERATORS = 3
    NAME = 4


class TensorField:
    SHAPE = 0
    TYPE = 1
    BUFFER = 2
    NAME = 3
    QUANTIZATION = 4
    IS_VARIABLE = 5
    SPARSITY = 6
    SHAPE_SIGNATURE = 7


class QuantizationField:
    MIN = 0
    MAX = 1
    SCALE = 2
    ZERO_POINT = 3
    DETAILS_TYPE = 4
    DETAILS = 5
    QUANTIZED_DIMENSION = 6


class OperatorField:
    OPCODE_INDEX = 0
    INPUTS = 1
    OUTPUTS = 2
    BUILTIN_OPTIONS_TYPE = 3
    BUILTIN_OPTIONS = 4
    CUSTOM_OPTIONS = 5
    CUSTOM_OPTIONS_FORMAT = 6
    MUTATING_VARIABLE_INPUTS = 7
    INTERMEDIATES = 8


class BufferField:
    DATA = 0
    OFFSET = 1
    SIZE = 2
