"""The tflite-micro interpreter as the oracle of every bit-exactness test (the one place tests run it).

`run_tflm` pushes N stacked inputs through one interpreter, one invocation each, so a stateful model
(SVDF) carries its state across them as the compiled C does; `invoke_tflm` runs one invocation with
several inputs and returns several outputs (kernel tests of two-input ops).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

DEFAULT_ARENA_BYTES = 512 * 1024


def interpreter(model: bytes, arena_size: int = DEFAULT_ARENA_BYTES) -> Any:
    from tflite_micro.python.tflite_micro import runtime

    return runtime.Interpreter.from_bytes(model, arena_size=arena_size)


def invoke_tflm(
    model: bytes, inputs: Sequence[np.ndarray], num_outputs: int = 1, arena_size: int = DEFAULT_ARENA_BYTES
) -> list[np.ndarray]:
    """One invocation: input i gets inputs[i]; returns the first `num_outputs` outputs."""
    interp = interpreter(model, arena_size)
    for i, x in enumerate(inputs):
        interp.set_input(np.ascontiguousarray(x), i)
    interp.invoke()
    return [np.array(interp.get_output(i), copy=True) for i in range(num_outputs)]


def run_tflm(model: bytes, batch: np.ndarray, arena_size: int = DEFAULT_ARENA_BYTES) -> np.ndarray:
    """Outputs (stacked) of one interpreter invoked on each of the N stacked single-input tensors in turn."""
    interp = interpreter(model, arena_size)
    shape = interp.get_input_details(0)["shape"]
    outs = []
    for x in batch:
        interp.set_input(np.ascontiguousarray(np.asarray(x).reshape(shape)), 0)
        interp.invoke()
        outs.append(np.array(interp.get_output(0), copy=True))
    return np.stack(outs)
