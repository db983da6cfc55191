"""`tinyaudio run OUT_DIR --target host --input X.npy --output Y.npy`: raw tensors through compiled C.

Each target is one entry in `TENSOR_RUNNERS` (target name -> function of (model_dir, inputs) returning
outputs); emulated targets register theirs next to the host's. X.npy stacks N input tensors on a
leading axis, (N, *input_shape_without_batch), in the model's input dtype; Y.npy gets the N outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from tinyaudio.cli._app import app
from tinyaudio.errors import BuildError


def _run_host(model_dir: Path, inputs: np.ndarray) -> np.ndarray:
    from tinyaudio.emulate.host import build_host_runner, run_tensors

    return run_tensors(build_host_runner(model_dir), inputs)


def _run_qemu(target: str) -> Callable[[Path, np.ndarray], np.ndarray]:
    def run(model_dir: Path, inputs: np.ndarray) -> np.ndarray:
        from tinyaudio.emulate.qemu_tensors import run_tensors_qemu

        return run_tensors_qemu(model_dir, target, inputs).outputs

    return run


TENSOR_RUNNERS: dict[str, Callable[[Path, np.ndarray], np.ndarray]] = {
    "host": _run_host,
    "qemu-m4": _run_qemu("qemu-m4"),
    "qemu-m55": _run_qemu("qemu-m55"),
}


def _load_inputs(path: Path) -> np.ndarray:
    try:
        arr = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as err:
        raise BuildError(f"{path}: cannot read a .npy array ({err})") from None
    if not isinstance(arr, np.ndarray):
        raise BuildError(f"{path}: expected one array (.npy), got an archive")
    return arr


@app.command("run")
def run_command(
    model_dir: Annotated[Path, typer.Argument(help="Output directory of `tinyaudio compile`.")],
    more_wavs: Annotated[
        list[Path] | None, typer.Argument(help="More WAV files after --wav (--wav a.wav b.wav ...).")
    ] = None,
    target: Annotated[str, typer.Option("--target", help="Where to run: host, qemu-m4, qemu-m55.")] = "host",
    input_path: Annotated[
        Path | None, typer.Option("--input", help="N stacked input tensors (.npy, model input dtype).")
    ] = None,
    output_path: Annotated[
        Path | None, typer.Option("--output", help="Where to write the N outputs (.npy).")
    ] = None,
    wav: Annotated[
        list[Path] | None, typer.Option("--wav", help="WAV clip(s) through the firmware frontend + model.")
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="A dataset folder: every clip through the firmware.")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="With --wav/--data: write per-clip results, counts, sizes.")
    ] = None,
) -> None:
    """Build the compiled model for a target (cached) and run raw input tensors through it, or run WAV
    clips through the whole firmware (C frontend + model) with --wav/--data."""
    if more_wavs and not wav:
        extra = " ".join(str(p) for p in more_wavs)
        raise BuildError(f"unexpected argument(s) {extra} (WAV files go after --wav)")
    if wav or data is not None:
        from tinyaudio.emulate.cli_support import run_audio

        run_audio(model_dir, target, list(wav or []) + list(more_wavs or []), data, json_path)
        return
    if input_path is None or output_path is None:
        raise BuildError("give --input X.npy and --output Y.npy, or --wav FILE... / --data DIR")
    runner = TENSOR_RUNNERS.get(target)
    if runner is None:
        raise BuildError(
            f"raw-tensor runs on target '{target}' are not available (available: {', '.join(TENSOR_RUNNERS)})"
        )
    outputs = runner(model_dir, _load_inputs(input_path))
    try:
        np.save(output_path, outputs)
    except OSError as err:
        raise BuildError(f"{output_path}: cannot write: {err.strerror or err}") from None
    shape = list(outputs.shape[1:])
    typer.echo(f"{output_path}: {outputs.shape[0]} outputs of shape {shape} ({outputs.dtype})")
