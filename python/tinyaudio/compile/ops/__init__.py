"""Op emitters: one module per kernel, named as the kernel, registered by the TFLite builtin op names.

An emitter turns one TFLite operator into C: it checks the op (types, quantization, options, shapes),
asks compile/kernel_params.py for everything TFLM's kernel would compute in Prepare (multipliers, shifts,
activation ranges, paddings), and records one call to a kernel in firmware/runtime/kernels/. It never
writes files: the compiler runs every emitter first and writes model.c/model.h/manifest.json only if all
succeed.

Layout (checked by tests/python/compile/test_emitters.py)
--------------------------------------------------------
- ``ops/<name>.py`` emits calls into ``firmware/runtime/kernels/ta_<name>.c``: ``conv2d_s8.py`` ->
  ``ta_conv2d_s8.c``, ``quantize_s8.py`` (QUANTIZE, DEQUANTIZE) -> ``ta_quantize_s8.c``, ...
- ``ops/support.py``: helpers several emitters share (the twin of firmware/runtime/support/).
- Modules without a kernel: ``reshape.py`` (RESHAPE/SQUEEZE/EXPAND_DIMS alias their input's memory)
  and ``gelu.py`` (refused with advice).
- TFLite codes (option union types, option field numbers, padding and activation enums) come from
  compile/schema.py only; parameter arithmetic from compile/kernel_params.py only.

How to add an op
----------------
1. Kernel: ``firmware/runtime/kernels/ta_<op>_s8.{c,h}`` -- C99, no heap, returns ``ta_status_t``
   (firmware/runtime/ta_status.h), requantizes with firmware/runtime/support/ta_quant.h so it is
   bit-exact with TFLM. Parameters the compiler precomputes go in a ``ta_<op>_s8_params_t`` struct.
2. Parameters: ``<op>_params(...)`` in compile/kernel_params.py returns that struct as an ordered dict,
   reproducing TFLM's Prepare (refusals raise KernelParamError).
3. Emitter: ``python/tinyaudio/compile/ops/<op>_s8.py`` (modules are discovered; no list to edit)::

       from tinyaudio.compile import kernel_params
       from tinyaudio.compile.ops import OpContext, register
       from tinyaudio.compile.ops.support import int8_quant, option_int, params_or_fail
       from tinyaudio.compile.schema import BuiltinOptionsType, SubOptionsField

       @register("SUB")
       def emit_sub(ctx: OpContext) -> None:
           a, b, out = ctx.input(0), ctx.input(1), ctx.output(0)
           qa, qb, qo = int8_quant(ctx, a), int8_quant(ctx, b), int8_quant(ctx, out)
           opts = ctx.options(BuiltinOptionsType.SubOptions)      # flatbuf.Table or None
           act = option_int(opts, SubOptionsField.FUSED_ACTIVATION_FUNCTION, 0, "b")
           params = params_or_fail(ctx, kernel_params.add_params, qa.scale, qa.zero_point,
                                   qb.scale, qb.zero_point, qo.scale, qo.zero_point, act, tensor=out)
           struct = ctx.const_struct("ta_sub_s8_params_t", params)
           ctx.use_kernel("ta_sub_s8")          # #include "ta_sub_s8.h", compiles kernels/ta_sub_s8.c
           ctx.call("ta_sub_s8", f"&{struct}", ctx.ptr(a), ctx.ptr(b), ctx.ptr(out))
           ctx.add_macs(out.num_elements)

   (the real SUB also passes the broadcast shape: ``support.emit_broadcast_call``).
4. Tests: the kernel against tflite-micro on random parameters (tests/python/kernels/, through the C
   harness, when its parameters are int32-only) and the op through the whole compiler path
   (tests/python/runtime/test_compiled_ops.py: single-op model -> compile -> host C with ASan/UBSan ->
   bit-exact with the interpreter).

What an emitter can use (all on `OpContext`)
--------------------------------------------
- ``ctx.op`` (ir.Operator: index, name, version, inputs, outputs, options_type, options),
  ``ctx.model`` (ir.Model), ``ctx.input(i)`` / ``ctx.optional_input(i)`` / ``ctx.output(i)``
  -> ir.Tensor (shape, type_name, quant, data, array(), num_elements, nbytes, describe()).
- Refusals: ``ctx.fail(msg, tensor)`` / ``ctx.require(cond, msg, tensor)`` / ``ctx.require_type`` /
  ``ctx.require_quant`` / ``ctx.require_const``. They raise CompileError naming the model file, the op
  index and name, and the tensor -- the one error format users see.
- Options: ``ctx.options(expected_type)`` returns the bounds-checked options table (None when the op
  has none); ``support.option_int/option_float/option_bool(table, field, default)`` read a field or
  give the schema default. A different union type is refused.
- C pieces: ``ctx.ptr(tensor)`` (typed pointer expression for any tensor: arena activations and
  const weights alike), ``ctx.const_array(suffix, np_array, c_type)``, ``ctx.const_struct(c_type,
  fields)`` (numbers and lists written by tinyaudio.cgen; a str is C text such as an array's name),
  ``ctx.scratch(nbytes)`` (arena bytes valid only during this op), ``ctx.use_kernel(name)``,
  ``ctx.call(func, *args)`` (status-checked call), ``ctx.add_macs(n)``.
- Memory hints: ``ctx.alias(out_i, in_i)`` -- the output IS the input's memory (RESHAPE-like ops,
  no call needed); ``ctx.inplace(out_i, in_i)`` -- the kernel is correct when the output starts at
  the input's address (elementwise ops that read element k before writing it; kernels with a small
  scratch such as the in-place depthwise/pointwise convolutions); the planner uses it only when the
  input dies at this op and the output is not larger than the input.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn

import numpy as np

from tinyaudio.cgen import c_value
from tinyaudio.compile.flatbuf import FlatbufferError, Table
from tinyaudio.compile.ir import Model, Operator, Quantization, Tensor
from tinyaudio.errors import CompileError

Emitter = Callable[["OpContext"], None]

_REGISTRY: dict[str, Emitter] = {}
_DISCOVERED = False


def register(*names: str) -> Callable[[Emitter], Emitter]:
    """Decorator: register an emitter for one or more builtin op names."""

    def wrap(fn: Emitter) -> Emitter:
        for name in names:
            if name in _REGISTRY and _REGISTRY[name] is not fn:
                raise RuntimeError(f"two emitters registered for {name}")
            _REGISTRY[name] = fn
        return fn

    return wrap


def registry() -> dict[str, Emitter]:
    """All registered emitters, importing every module of this package once."""
    global _DISCOVERED
    if not _DISCOVERED:
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{__name__}.{info.name}")
        _DISCOVERED = True
    return _REGISTRY


def supported_ops() -> list[str]:
    return sorted(registry())


@dataclass
class ConstArray:
    name: str
    c_type: str
    values: np.ndarray
    comment: str = ""

    @property
    def nbytes(self) -> int:
        return int(self.values.size * self.values.dtype.itemsize)


@dataclass
class ConstStruct:
    name: str
    c_type: str
    fields: dict[str, str]


@dataclass
class LoweredOp:
    """What one emitter produced for one operator."""

    op: Operator
    calls: list[str] = field(default_factory=list)
    kernels: list[str] = field(default_factory=list)
    arrays: list[ConstArray] = field(default_factory=list)
    structs: list[ConstStruct] = field(default_factory=list)
    scratch_bytes: int = 0
    macs: int = 0
    aliases: list[tuple[int, int]] = field(default_factory=list)  # (output tensor, input tensor)
    inplace: list[tuple[int, int]] = field(default_factory=list)  # (output tensor, input tensor)
    referenced: set[int] = field(default_factory=set)  # tensors whose pointers the C code uses


def tensor_macro(index: int) -> str:
    """Name of the C macro that codegen defines as the pointer to tensor `index`."""
    return f"TA_T{index}"


def scratch_macro(op_index: int) -> str:
    return f"TA_SCRATCH_OP{op_index}"


class OpContext:
    """Everything an emitter may use; see the module docstring."""

    def __init__(self, model: Model, op: Operator) -> None:
        self.model = model
        self.op = op
        self.lowered = LoweredOp(op=op)

    # ---- errors -------------------------------------------------------------------------------
    def fail(self, message: str, tensor: Tensor | None = None) -> NoReturn:
        where = f"{self.model.source}: {self.op.describe()}"
        suffix = f" ({tensor.describe()})" if tensor is not None else ""
        raise CompileError(f"{where}: {message}{suffix}")

    def require(self, condition: bool, message: str, tensor: Tensor | None = None) -> None:
        if not condition:
            self.fail(message, tensor)

    def require_type(self, tensor: Tensor, *type_names: str) -> None:
        if tensor.type_name not in type_names:
            expected = "/".join(type_names)
            self.fail(f"{tensor.type_name} tensors are not supported here (expected {expected})", tensor)

    def require_quant(self, tensor: Tensor, per_channel_ok: bool = False) -> Quantization:
        q = tensor.quant
        if q is None:
            self.fail("tensor has no quantization parameters (float or hybrid model?)", tensor)
        if q.per_channel and not per_channel_ok:
            self.fail("per-channel quantization is not supported for this tensor", tensor)
        return q

    def require_const(self, tensor: Tensor) -> np.ndarray:
        if tensor.data is None:
            self.fail("this input must be a constant tensor", tensor)
        return tensor.array()

    # ---- tensors ------------------------------------------------------------------------------
    def num_inputs(self) -> int:
        return len(self.op.inputs)

    def input(self, i: int) -> Tensor:
        if i >= len(self.op.inputs) or self.op.inputs[i] < 0:
            self.fail(f"input {i} is missing (the op has {len(self.op.inputs)} inputs)")
        return self.model.tensors[self.op.inputs[i]]

    def optional_input(self, i: int) -> Tensor | None:
        if i >= len(self.op.inputs) or self.op.inputs[i] < 0:
            return None
        return self.model.tensors[self.op.inputs[i]]

    def output(self, i: int) -> Tensor:
        if i >= len(self.op.outputs):
            self.fail(f"output {i} is missing (the op has {len(self.op.outputs)} outputs)")
        return self.model.tensors[self.op.outputs[i]]

    def options(self, expected_type: int) -> Table | None:
        if self.op.options_type == 0 or self.op.options is None:
            return None
        if self.op.options_type != expected_type:
            self.fail(f"builtin options of union type {self.op.options_type}, expected {expected_type}")
        return self.op.options

    # ---- C pieces -----------------------------------------------------------------------------
    def ptr(self, tensor: Tensor) -> str:
        self.lowered.referenced.add(tensor.index)
        return tensor_macro(tensor.index)

    def _name(self, suffix: str) -> str:
        return f"op{self.op.index}_{suffix}"

    def const_array(self, suffix: str, values: np.ndarray, c_type: str, comment: str = "") -> str:
        name = self._name(suffix)
        self.lowered.arrays.append(ConstArray(name, c_type, np.asarray(values).ravel(), comment))
        return name

    def const_struct(self, c_type: str, fields: Mapping[str, object], suffix: str = "params") -> str:
        """A const struct `op<i>_<suffix>`; numbers and lists of numbers are written by tinyaudio.cgen, a str
        is C text the emitter made (the name of one of its const arrays)."""
        name = self._name(suffix)
        text = {k: v if isinstance(v, str) else c_value(v) for k, v in fields.items()}
        self.lowered.structs.append(ConstStruct(name, c_type, text))
        return name

    def scratch(self, nbytes: int) -> str:
        self.require(nbytes >= 0, f"negative scratch size {nbytes}")
        self.lowered.scratch_bytes = max(self.lowered.scratch_bytes, nbytes)
        return scratch_macro(self.op.index)

    def use_kernel(self, name: str) -> None:
        if name not in self.lowered.kernels:
            self.lowered.kernels.append(name)

    def call(self, func: str, *args: str) -> None:
        self.lowered.calls.append(f"{func}({', '.join(args)})")

    def add_macs(self, n: int) -> None:
        self.lowered.macs += int(n)

    # ---- memory hints -------------------------------------------------------------------------
    def alias(self, output_index: int = 0, input_index: int = 0) -> None:
        out, inp = self.output(output_index), self.input(input_index)
        self.require(out.nbytes == inp.nbytes, f"cannot alias {out.nbytes} output bytes to {inp.nbytes}", out)
        self.require(not inp.is_constant, "reshaping a constant tensor is not supported", inp)
        self.lowered.aliases.append((out.index, inp.index))

    def inplace(self, output_index: int = 0, input_index: int = 0) -> None:
        out, inp = self.output(output_index), self.input(input_index)
        if out.nbytes <= inp.nbytes and not inp.is_constant:
            self.lowered.inplace.append((out.index, inp.index))


def lower_op(model: Model, op: Operator) -> LoweredOp:
    """Run the emitter registered for `op`; refusals and malformed options become CompileError."""
    emitters = registry()
    emitter = emitters.get(op.name)
    ctx = OpContext(model, op)
    if emitter is None:
        ctx.fail(
            f"operator {op.name} is not supported by tinyaudio compile "
            f"(supported: {', '.join(sorted(emitters))})",
            model.tensors[op.outputs[0]] if op.outputs else None,
        )
    try:
        emitter(ctx)
    except FlatbufferError as err:
        ctx.fail(f"malformed builtin options: {err}")
    except (ValueError, ZeroDivisionError, OverflowError) as err:
        # Arithmetic on impossible parameters (zero or non-finite scales, absurd sizes): a refusal.
        ctx.fail(f"invalid parameters: {err}")
    return ctx.lowered
