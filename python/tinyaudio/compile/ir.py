"""The compiler's in-memory view of a .tflite model: tensors, operators, one subgraph."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tinyaudio.compile.flatbuf import Table
from tinyaudio.compile.schema import TENSOR_TYPE_CODES, TENSOR_TYPES, numpy_dtype


@dataclass(frozen=True)
class Quantization:
    """Affine quantization: real = scale * (q - zero_point), per tensor or per `axis` channel."""

    scales: tuple[float, ...]
    zero_points: tuple[int, ...]
    axis: int

    @property
    def per_channel(self) -> bool:
        return len(self.scales) > 1

    @property
    def scale(self) -> float:
        """The per-tensor scale (the first one for per-channel tensors)."""
        return self.scales[0]

    @property
    def zero_point(self) -> int:
        return self.zero_points[0]


@dataclass
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    type_name: str  # TensorType name, e.g. "INT8"
    quant: Quantization | None
    data: bytes | None  # constant contents, or None for activations
    is_variable: bool = False

    @property
    def is_constant(self) -> bool:
        return self.data is not None

    @property
    def num_elements(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def itemsize(self) -> int:
        return TENSOR_TYPES[TENSOR_TYPE_CODES[self.type_name]].itemsize

    @property
    def nbytes(self) -> int:
        return self.num_elements * self.itemsize

    @property
    def c_type(self) -> str | None:
        return TENSOR_TYPES[TENSOR_TYPE_CODES[self.type_name]].c_type

    def array(self) -> np.ndarray:
        """Constant contents as a numpy array of the tensor's shape."""
        if self.data is None:
            raise ValueError(f"tensor {self.index} ({self.name}) has no constant data")
        return np.frombuffer(self.data, dtype=numpy_dtype(self.type_name)).reshape(self.shape)

    def describe(self) -> str:
        """`#3 'name' INT8[1,49,10,1]` for messages."""
        dims = ",".join(str(d) for d in self.shape)
        return f"tensor #{self.index} '{self.name}' {self.type_name}[{dims}]"


@dataclass
class Operator:
    index: int
    name: str  # builtin op name, e.g. "CONV_2D" (or "CUSTOM:<code>")
    version: int
    inputs: tuple[int, ...]  # tensor indices, -1 for an omitted optional input
    outputs: tuple[int, ...]
    options_type: int  # BuiltinOptions union type code (0 = none)
    options: Table | None  # bounds-checked accessor for the options table
    intermediates: tuple[int, ...] = ()

    def describe(self) -> str:
        return f"op #{self.index} {self.name}"


@dataclass
class Model:
    """One-subgraph TFLite model."""

    version: int
    description: str
    tensors: list[Tensor]
    operators: list[Operator]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    tflite_bytes: int
    sha256: str
    source: str = "<bytes>"
    subgraph_name: str = ""
    op_versions: dict[str, int] = field(default_factory=dict)

    def tensor(self, index: int) -> Tensor:
        return self.tensors[index]
