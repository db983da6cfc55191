"""`tinyaudio run OUT_DIR --target T`: a compiled model on the host or an emulated Cortex-M.

Two modes, one report (tinyaudio.emulate.results.RunReport, written by --json with kind `run-result`):
- `--input X.npy`: raw tensors through the compiled C model. X.npy stacks N input tensors on a leading axis,
  (N, *input_shape_without_batch), in the model's input dtype; `--output Y.npy` gets the N raw outputs.
- `--wav FILE...` / `--data DIR`: clips through the whole firmware (C frontend + model + app core).
On QEMU targets both measure instruction counts, flash and RAM. Each target's raw-tensor runner is one entry
in `TENSOR_RUNNERS` (target name -> function of (model_dir, inputs) returning a RunReport).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer

from tinyaudio.cli._app import app
from tinyaudio.errors import BuildError

if TYPE_CHECKING:
    from tinyaudio.emulate.results import RunReport

TensorRunner = Callable[[Path, np.ndarray], "RunReport"]


def _labels(manifest: dict[str, object], count: int) -> list[str]:
    labels = manifest.get("labels")
    return [str(x) for x in labels] if isinstance(labels, list) and len(labels) == count else []


def _run_host(model_dir: Path, inputs: np.ndarray) -> RunReport:
    from tinyaudio.emulate.host import build_host_runner, run_tensors
    from tinyaudio.emulate.results import RunReport

    build = build_host_runner(model_dir)
    outputs = run_tensors(build, inputs)
    per_item = int(np.prod(outputs.shape[1:]))
    return RunReport("host", "tensors", outputs, _labels(build.manifest, per_item))


def _run_qemu(target: str) -> TensorRunner:
    def run(model_dir: Path, inputs: np.ndarray) -> RunReport:
        from tinyaudio.emulate.build import build_firmware
        from tinyaudio.emulate.qemu_tensors import run_tensors_qemu
        from tinyaudio.emulate.results import RunReport
        from tinyaudio.emulate.size import size_report
        from tinyaudio.emulate.targets import get_target
        from tinyaudio.manifest import read_manifest

        result = run_tensors_qemu(model_dir, target, inputs, count_instructions=True)
        manifest = read_manifest(model_dir, "compiled-model")
        elf = build_firmware(model_dir, get_target(target)).tensor  # cached: the build that just ran
        assert elf is not None  # run_tensors_qemu refuses a build without the tensor runner
        per_item = int(np.prod(result.outputs.shape[1:]))
        return RunReport(
            target,
            "tensors",
            result.outputs,
            _labels(manifest, per_item),
            instructions=result.instructions,
            stack_high_water=result.stack_high_water,
            size=size_report(elf, manifest, result.stack_high_water),
        )

    return run


TENSOR_RUNNERS: dict[str, TensorRunner] = {
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


def run_audio(model_dir: Path, target: str, wavs: list[Path], data: Path | None) -> RunReport:
    """Clips (WAV files, or every clip of a dataset with its labels) through the whole firmware; with a
    dataset whose labels are the model's, the accuracy comes from tinyaudio.evaluate.score."""
    from tinyaudio.emulate.firmware import run_wav_files
    from tinyaudio.emulate.targets import get_target

    get_target(target)  # an unknown target is reported before any file is read
    paths: list[Path] = list(wavs)
    true_labels: list[str] | None = None
    if data is not None:
        if wavs:
            raise BuildError("give either --wav FILE... or --data DIR, not both")
        from tinyaudio.data import open_dataset

        ds = open_dataset(data)
        paths = [c.path for c in ds.clips]
        true_labels = [c.label for c in ds.clips]
    if not paths:
        raise BuildError("no clips to run")
    run = run_wav_files(model_dir, target, paths)
    accuracy = None
    if true_labels is not None:
        unknown = sorted(set(true_labels) - set(run.labels))
        if unknown:
            typer.echo(
                f"warning: no accuracy: the dataset's labels {', '.join(unknown)} are not the model's",
                err=True,
            )
        else:
            from tinyaudio.evaluate import score

            index = {name: i for i, name in enumerate(run.labels)}
            y = np.array([index[label] for label in true_labels], dtype=np.int64)
            accuracy = score(run.scores, y, run.labels, "firmware").accuracy
    return run.report(paths, true_labels, accuracy)


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
        Path | None, typer.Option("--output", help="Write the N raw outputs here (.npy, model output dtype).")
    ] = None,
    wav: Annotated[
        list[Path] | None, typer.Option("--wav", help="WAV clip(s) through the firmware frontend + model.")
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="A dataset folder: every clip through the firmware.")
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the run report: per-item raw outputs, instruction counts, sizes."),
    ] = None,
) -> None:
    """Build the compiled model for a target (cached) and run raw input tensors through it (--input), or WAV
    clips through the whole firmware, C frontend + model (--wav/--data). On QEMU targets the report has
    instruction counts, flash and RAM."""
    if more_wavs and not wav:
        extra = " ".join(str(p) for p in more_wavs)
        raise BuildError(f"unexpected argument(s) {extra} (WAV files go after --wav)")
    audio = bool(wav) or data is not None
    if audio and input_path is not None:
        raise BuildError("give --input X.npy or --wav FILE... / --data DIR, not both")
    if audio:
        report = run_audio(model_dir, target, list(wav or []) + list(more_wavs or []), data)
        if len(report.outputs) <= 20 and report.paths is not None:
            for path, name, scores in zip(
                report.paths, report.predicted_labels(), report.outputs, strict=True
            ):
                typer.echo(f"{path}: {name}  scores {' '.join(str(int(v)) for v in scores)}")
    elif input_path is not None:
        runner = TENSOR_RUNNERS.get(target)
        if runner is None:
            raise BuildError(
                f"raw-tensor runs on target '{target}' are not available "
                f"(available: {', '.join(TENSOR_RUNNERS)})"
            )
        report = runner(model_dir, _load_inputs(input_path))
    else:
        raise BuildError("give --input X.npy, or --wav FILE... / --data DIR")
    if output_path is not None:
        try:
            np.save(output_path, report.outputs)
        except OSError as err:
            raise BuildError(f"{output_path}: cannot write: {err.strerror or err}") from None
        shape = list(report.outputs.shape[1:])
        typer.echo(
            f"{output_path}: {report.outputs.shape[0]} outputs of shape {shape} ({report.outputs.dtype})"
        )
    typer.echo(report.summary())
    if json_path is not None:
        report.write(json_path)
