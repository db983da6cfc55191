"""`tinyaudio datasets ...`: look at a dataset before training on it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app

datasets_app = typer.Typer(help="Inspect and fetch datasets.", no_args_is_help=True)
app.add_typer(datasets_app, name="datasets")


@datasets_app.command("info")
def info(
    path: Annotated[Path, typer.Argument(help="Dataset folder or CSV manifest.")],
    subset: Annotated[str | None, typer.Option(help="'esc10' to pick ESC-10 out of ESC-50.")] = None,
) -> None:
    """Print classes, clip counts, durations, sample rates and groups (speakers/folds) found."""
    import soundfile
    from rich.console import Console
    from rich.table import Table

    from tinyaudio.data import open_dataset, standard_split
    from tinyaudio.errors import WavError

    ds = open_dataset(path, subset=subset)
    rates: Counter[int] = Counter()
    channels: Counter[int] = Counter()
    seconds: dict[str, list[float]] = {label: [] for label in ds.labels}
    unreadable: list[str] = []
    for clip in ds.clips:
        try:
            meta = soundfile.info(str(clip.path))
        except Exception as err:  # report, do not stop: `info` is how users find bad files
            unreadable.append(str(WavError(clip.path, str(err).strip())))
            continue
        rates[meta.samplerate] += 1
        channels[meta.channels] += 1
        seconds[clip.label].append(meta.frames / meta.samplerate)

    console = Console()
    groups = Counter(ds.groups())
    console.print(f"[bold]{ds.root}[/bold]  layout: {ds.layout}  clips: {len(ds)}  classes: {len(ds.labels)}")
    table = Table("label", "clips", "total s", "min s", "mean s", "max s")
    for label in ds.labels:
        d = seconds[label]
        if d:
            table.add_row(
                label,
                str(len(d)),
                f"{sum(d):.1f}",
                f"{min(d):.3f}",
                f"{sum(d) / len(d):.3f}",
                f"{max(d):.3f}",
            )
        else:
            table.add_row(label, "0", "-", "-", "-", "-")
    console.print(table)
    console.print("sample rates: " + ", ".join(f"{r} Hz × {n}" for r, n in sorted(rates.items())))
    console.print("channels: " + ", ".join(f"{c} × {n}" for c, n in sorted(channels.items())))
    shown = ", ".join(f"{g} ({n})" for g, n in sorted(groups.items())[:12])
    console.print(f"groups: {len(groups)}: {shown}{' …' if len(groups) > 12 else ''}")
    console.print(f"standard split: {standard_split(ds).describe()}")
    for line in unreadable:
        console.print(f"[red]unreadable:[/red] {line}")


@datasets_app.command("fetch")
def fetch(
    name: Annotated[str, typer.Argument(help="Dataset name: fsdd.")],
    cache_dir: Annotated[
        Path | None, typer.Option(help="Where to keep it (default: the user's cache directory).")
    ] = None,
) -> None:
    """Download a public dataset (pinned commit, verified digest) and print where it is."""
    from tinyaudio.data.download import fetch as fetch_dataset

    typer.echo(fetch_dataset(name, cache_dir))
