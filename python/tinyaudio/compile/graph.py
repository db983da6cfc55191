"""Whole-graph checks: data flow, graph inputs/outputs, and what the generated API can express."""

from __future__ import annotations

from tinyaudio.compile.ir import Model, Tensor
from tinyaudio.errors import CompileError

# Element types the generated model API accepts at its input and output (raw bytes behind int8_t *).
IO_TYPES = ("INT8", "INT16", "INT32")


def check_graph(model: Model) -> None:
    """Refuse graphs the generated code cannot run, naming the op and tensor at fault."""
    src = model.source
    if not model.operators:
        raise CompileError(f"{src}: the model has no operators")
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise CompileError(
            f"{src}: the model has {len(model.inputs)} inputs and {len(model.outputs)} outputs; "
            "tinyaudio compile supports exactly one of each"
        )
    for kind, idx in (("input", model.inputs[0]), ("output", model.outputs[0])):
        t = model.tensors[idx]
        if t.type_name not in IO_TYPES:
            raise CompileError(
                f"{src}: model {kind} {t.describe()} is {t.type_name}; tinyaudio runs full-integer models "
                f"(convert with inference_{kind}_type=tf.int8)"
            )
        if t.is_constant:
            raise CompileError(f"{src}: model {kind} {t.describe()} is a constant")

    available: set[int] = set(model.inputs)
    available.update(t.index for t in model.tensors if t.is_constant or t.is_variable)
    produced_by: dict[int, int] = {}
    for op in model.operators:
        where = f"{src}: {op.describe()}"
        for idx in op.inputs:
            if idx < 0:
                continue
            if idx not in available:
                t = model.tensors[idx]
                raise CompileError(f"{where}: input {t.describe()} is neither a constant, a model input "
                                   "nor produced by an earlier op")
        for idx in op.outputs:
            t = model.tensors[idx]
            if t.is_constant:
                raise CompileError(f"{where}: output {t.describe()} has constant data")
            if idx in produced_by:
                raise CompileError(
                    f"{where}: output {t.describe()} is also written by op #{produced_by[idx]}"
                )
            if idx in model.inputs:
                raise CompileError(f"{where}: output {t.describe()} overwrites the model input")
            produced_by[idx] = op.index
            available.add(idx)
    out = model.outputs[0]
    if out not in available:
        raise CompileError(f"{src}: model output {model.tensors[out].describe()} is never computed")


def io_tensors(model: Model) -> tuple[Tensor, Tensor]:
    return model.tensors[model.inputs[0]], model.tensors[model.outputs[0]]
