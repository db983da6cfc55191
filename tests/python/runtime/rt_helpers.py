"""Shared by the runtime tests: compile a model, run it on the host build (ASan/UBSan, -Werror) and
run the same inputs through the tflite-micro interpreter, the oracle."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from tinyaudio.compile.compiler import compile_tflite
from tinyaudio.emulate.host import build_host_runner, run_tensors


def run_compiled(
    model: bytes,
    inputs: np.ndarray,
    out_dir: Path | None = None,
    labels: list[str] | None = None,
    sanitize: bool = True,
) -> np.ndarray:
    """Outputs of the compiled C model for N stacked inputs (one model state carried across them)."""
    compiled = compile_tflite(model, labels=labels)
    if out_dir is None:
        out_dir = Path(tempfile.mkdtemp(prefix="ta_rt_"))
    compiled.write(out_dir)
    return run_tensors(build_host_runner(out_dir, sanitize=sanitize), inputs)


def run_tflm(model: bytes, inputs: np.ndarray, arena_size: int = 512 * 1024) -> np.ndarray:
    """Outputs of one tflite-micro interpreter invoked on each input in turn."""
    from tflite_micro.python.tflite_micro import runtime

    interp = runtime.Interpreter.from_bytes(model, arena_size=arena_size)
    outs = []
    for x in inputs:
        interp.set_input(np.ascontiguousarray(x.reshape(interp.get_input_details(0)["shape"])), 0)
        interp.invoke()
        outs.append(np.array(interp.get_output(0), copy=True))
    return np.stack(outs)


def assert_bit_exact(model: bytes, inputs: np.ndarray, **kwargs: object) -> np.ndarray:
    """C == TFLM element for element; returns the outputs."""
    ours = run_compiled(model, inputs, **kwargs)  # type: ignore[arg-type]
    ref = run_tflm(model, inputs).reshape(ours.shape)
    bad = np.argwhere(ours != ref)
    assert bad.size == 0, (
        f"{len(bad)} of {ours.size} outputs differ; first at {bad[0].tolist()}: "
        f"C {ours[tuple(bad[0])]} vs TFLM {ref[tuple(bad[0])]}"
    )
    return ours


def random_inputs(
    rng: np.random.Generator, n: int, shape: tuple[int, ...], dtype: type = np.int8, spread: float = 1.0
) -> np.ndarray:
    """n random tensors of `shape` in a centred range covering `spread` of the dtype's range."""
    info = np.iinfo(dtype)
    lo = int(info.min * spread)
    hi = int(info.max * spread)
    return rng.integers(lo, hi + 1, size=(n, *shape), dtype=dtype)
