"""Helpers shared by the emitters of the int8 element-wise, reduction, matmul and data-movement ops
(ADD, SUB, MUL, SQUARED_DIFFERENCE, MEAN, RSQRT, LOGISTIC, TANH, TRANSPOSE, STRIDED_SLICE,
CONCATENATION, BATCH_MATMUL). The parameter arithmetic itself lives in compile/s8_params.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tinyaudio.compile.ir import Quantization, Tensor
from tinyaudio.compile.ops import OpContext
from tinyaudio.compile.s8_params import KernelParamError, Params

# BuiltinOptions union codes (schema.fbs) of option tables these emitters read that
# compile/schema.py does not list.
STRIDED_SLICE_OPTIONS = 32
PACK_OPTIONS = 59
UNPACK_OPTIONS = 64
SQUARED_DIFFERENCE_OPTIONS = 76
BATCH_MATMUL_OPTIONS = 101


def c_struct_fields(params: Params) -> dict[str, object]:
    """Params with list fields rendered as C brace initializers."""
    out: dict[str, object] = {}
    for k, v in params.items():
        out[k] = "{" + ", ".join(str(int(x)) for x in v) + "}" if isinstance(v, list) else int(v)
    return out


def int8_quant(ctx: OpContext, t: Tensor) -> Quantization:
    """The tensor must be per-tensor quantized int8."""
    ctx.require_type(t, "INT8")
    return ctx.require_quant(t)


T = TypeVar("T")


def params_or_fail(ctx: OpContext, fn: Callable[..., T], *args: Any, tensor: Tensor | None = None) -> T:
    """Calls a s8_params function, turning its refusals into the compiler's error format."""
    try:
        return fn(*args)
    except (KernelParamError, ValueError) as err:
        ctx.fail(str(err), tensor)


def same_quant(a: Quantization, b: Quantization) -> bool:
    return a.scale == b.scale and a.zero_point == b.zero_point
