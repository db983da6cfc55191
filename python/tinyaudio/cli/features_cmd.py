"""`tinyaudio features`: WAV files or a whole dataset -> a float32 (clips, frames, coeffs) .npy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tinyaudio.cli._app import app

if TYPE_CHECKING:
    import numpy as np

    from tinyaudio.frontend import AnyFrontendConfig


def effective_config(preset_name: str, config_file: Path | None, settings: list[str]) -> AnyFrontendConfig:
    """The preset, then the fields of --config (a full or partial JSON config), then each --set."""
    from tinyaudio.errors import FrontendConfigError
    from tinyaudio.frontend import any_preset, config_from_dict

    fields: dict[str, Any] = any_preset(preset_name).to_dict()
    if config_file is not None:
        try:
            data = json.loads(config_file.read_text())
        except OSError as err:
            raise FrontendConfigError(f"{config_file}: cannot read frontend config: {err.strerror}") from err
        except json.JSONDecodeError as err:
            raise FrontendConfigError(f"{config_file}: not valid JSON: {err}") from err
        if not isinstance(data, dict):
            raise FrontendConfigError(f"{config_file}: a frontend config must be a JSON object")
        if data.get("kind", "mel") != fields.get("kind", "mel"):
            fields = {}  # a config of the other kind of frontend replaces the preset entirely
        fields.update(data)
    for setting in settings:
        key, sep, text = setting.partition("=")
        if not sep:
            raise FrontendConfigError(f"--set {setting!r}: expected FIELD=VALUE, e.g. num_mel_bins=64")
        try:
            fields[key.strip()] = json.loads(text)
        except json.JSONDecodeError:
            fields[key.strip()] = text  # bare strings such as mel_scale=slaney
    return config_from_dict(fields)


def features_of_wavs(paths: list[Path], config: AnyFrontendConfig, progress: bool) -> np.ndarray:
    """Decode (resampling to config.sample_rate), pad/crop, and run the C frontend on each file."""
    import numpy as np
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tinyaudio.data import fit_length, load_wav
    from tinyaudio.frontend import compute_features

    out = np.empty((len(paths), config.num_frames, config.num_features), dtype=np.float32)
    columns = (TextColumn("features"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, disable=not progress) as bar:
        task = bar.add_task("features", total=len(paths))
        for i, path in enumerate(paths):
            out[i] = compute_features(
                fit_length(load_wav(path, config.sample_rate), config.clip_samples), config
            )
            bar.advance(task)
    return out


def _readable(items: Any, config: AnyFrontendConfig) -> list[int]:
    """Indices of the clips that decode; each one that does not is named in a warning on stderr."""
    import logging

    from tinyaudio.data import load_audio
    from tinyaudio.errors import DatasetError

    logging.basicConfig(format="warning: %(message)s", level=logging.WARNING)
    _, kept = load_audio(items, config.sample_rate, config.clip_samples, skip_bad=True)
    if len(kept) == 0:
        raise DatasetError("no readable WAV file left after --skip-bad")
    return [int(i) for i in kept]


@app.command("features")
def features(
    wavs: Annotated[
        list[Path] | None, typer.Argument(help="WAV files, in the order of the output rows.")
    ] = None,
    preset_name: Annotated[
        str,
        typer.Option(
            "--preset",
            "-p",
            help="Frontend preset: mlperf-mfcc, logmel, mfcc, micro-frontend or micro-frontend-speech.",
        ),
    ] = "mlperf-mfcc",
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="JSON frontend config; its fields replace the preset's (full or partial)."
        ),
    ] = None,
    settings: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Override one field, FIELD=VALUE (repeatable), e.g. --set num_mel_bins=64."
        ),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", "-d", help="A dataset folder or CSV manifest instead of WAV files (cached)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output .npy (clips, frames, features): float32; micro-frontend presets: the op's out_type "
            "(uint16 by default).",
        ),
    ] = None,
    write_config: Annotated[
        Path | None, typer.Option("--write-config", help="Write the effective config JSON here.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="With --data: recompute, do not use the cache.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary line.")] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Leave out unreadable WAVs with a warning instead of stopping.")
    ] = False,
) -> None:
    """Compute features with the C frontend (the same code the firmware runs).

    Writes OUT.npy and, beside it, OUT.json (frontend config, shape, clip paths, labels for --data).
    """
    import numpy as np

    from tinyaudio.errors import TinyaudioError

    config = effective_config(preset_name, config_file, settings or [])
    if write_config is not None:
        config.save(write_config)
        if not quiet:
            typer.echo(f"wrote {write_config} ({config.num_frames} frames x {config.num_features} features)")
    wavs = wavs or []
    if not wavs and data is None:
        if write_config is not None:
            return
        raise TinyaudioError("nothing to do: give WAV files or --data DIR (and -o OUT.npy)")
    if wavs and data is not None:
        raise TinyaudioError("give either WAV files or --data DIR, not both")
    if output is None:
        raise TinyaudioError("missing -o OUT.npy")
    if output.suffix != ".npy":
        raise TinyaudioError(f"{output}: the output must be a .npy file")

    meta: dict[str, Any] = {"frontend": config.to_dict()}
    if data is not None:
        from tinyaudio.data import extract_features, open_dataset

        dataset = open_dataset(data)
        if skip_bad:
            dataset = dataset.subset(_readable(dataset.clips, config))
        result = extract_features(dataset, config, progress=not quiet, use_cache=not no_cache)
        meta["dataset"] = str(data)
        meta["labels"] = list(dataset.labels)
        meta["clips"] = [{"path": str(c.path), "label": c.label, "group": c.group} for c in dataset.clips]
    else:
        if skip_bad:
            wavs = [wavs[i] for i in _readable(wavs, config)]
        result = features_of_wavs(wavs, config, progress=not quiet)
        meta["clips"] = [{"path": str(p)} for p in wavs]
    # The micro frontend's values are exact in float32; they are written in the op's own out_type.
    dtype = getattr(config, "output_dtype", np.dtype(np.float32))
    result = np.ascontiguousarray(result, dtype=dtype)
    meta["shape"] = list(result.shape)
    meta["dtype"] = str(result.dtype)

    output.parent.mkdir(parents=True, exist_ok=True)
    np.save(output, result)
    output.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    if not quiet:
        source = f"config {config_file}" if config_file is not None else f"preset {preset_name}"
        extra = f" with {', '.join(settings)}" if settings else ""
        typer.echo(f"wrote {output}: {tuple(result.shape)} {result.dtype} ({source}{extra})")
