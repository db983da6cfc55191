"""The audio side of `tinyaudio run` (--wav / --data): clips through the whole firmware, a summary
table, and the --json document."""

from __future__ import annotations

import json
from pathlib import Path

from tinyaudio.errors import BuildError


def run_audio(
    model_dir: Path, target: str, wavs: list[Path], data: Path | None, json_path: Path | None
) -> None:
    import typer

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
    names = run.predicted_labels()
    if len(paths) <= 20:
        for path, name, scores in zip(paths, names, run.scores, strict=True):
            typer.echo(f"{path}: {name}  scores {' '.join(str(int(v)) for v in scores)}")
    summary = f"{target}: {len(paths)} clips"
    if true_labels is not None:
        correct = sum(p == t for p, t in zip(names, true_labels, strict=True))
        summary += f", accuracy {correct / len(paths):.4f} ({correct}/{len(paths)})"
    if run.instructions_per_inference is not None:
        summary += f", {run.instructions_per_inference:,.0f} instructions/inference"
    if run.frontend_instructions_per_second_of_audio is not None:
        summary += f", frontend {run.frontend_instructions_per_second_of_audio:,.0f} instructions/s of audio"
    if run.size is not None:
        summary += f", flash {run.size.flash_bytes:,} B, RAM {run.size.ram_bytes:,} B"
    typer.echo(summary)
    if json_path is not None:
        doc = run.to_json(paths, true_labels)
        try:
            json_path.write_text(json.dumps(doc, indent=2))
        except OSError as err:
            raise BuildError(f"{json_path}: cannot write: {err.strerror or err}") from None
