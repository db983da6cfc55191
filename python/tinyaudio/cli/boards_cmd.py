"""`tinyaudio boards`, `fit`, `firmware`, `flash`: the board registry and getting a model onto a board."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app


def _mib(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):g} MB"


@app.command("boards")
def boards_command(
    folder: Annotated[
        Path | None, typer.Option("--registry", help="Validate and list another folder of board files.")
    ] = None,
) -> None:
    """List the boards tinyaudio knows (the registry under tinyaudio/boards/data), validated."""
    from rich.console import Console
    from rich.table import Table

    from tinyaudio.boards.registry import load_boards

    boards = load_boards(folder)
    table = Table(title="tinyaudio boards", show_lines=False)
    for col in (
        "name",
        "MCU",
        "core",
        "clock",
        "flash",
        "RAM",
        "FPU",
        "microphone",
        "PlatformIO",
        "QEMU",
        "latency from",
    ):
        table.add_column(col, no_wrap=col in ("name", "PlatformIO"))
    for b in boards.values():
        mic = (
            "none"
            if b.microphone.kind == "none"
            else f"{b.microphone.kind.upper()} {b.microphone.sample_rate} Hz"
        )
        pio = f"{b.platformio.platform}/{b.platformio.board}" if b.platformio else "-"
        qemu = b.qemu_machine or "-"
        method = {
            "measured": f"{b.cpi.qemu_target} count",
            "measured-isa": "ARMv6-M count on qemu-m4",
            "none": "none",
        }[b.cpi.method]
        table.add_row(
            b.name,
            b.mcu,
            b.core,
            f"{b.clock_hz / 1e6:g} MHz",
            _mib(b.flash_bytes),
            _mib(b.ram_bytes),
            b.fpu,
            mic,
            pio,
            qemu,
            method,
        )
    console = Console(width=None if Console().is_terminal else 200)
    console.print(table)
    unsure = [f"{b.name}: {', '.join(b.unverified)}" for b in boards.values() if b.unverified]
    if unsure:
        console.print("Figures not verified (see each file's `unverified`): " + "; ".join(unsure))


@app.command("fit")
def fit_command(
    model_dir: Annotated[
        Path, typer.Argument(help="Output directory of `tinyaudio compile` (with a frontend).")
    ],
    board: Annotated[str, typer.Option("--board", help="Board name (see `tinyaudio boards`).")],
    stride: Annotated[
        int | None, typer.Option("--stride-frames", help="Frames between inferences (default: ~0.25 s).")
    ] = None,
    no_latency: Annotated[
        bool, typer.Option("--no-latency", help="Skip the QEMU instruction count.")
    ] = False,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the report as JSON.")] = None,
) -> None:
    """Does the compiled model fit the board: flash and RAM with margins, latency at the board's clock."""
    from tinyaudio.boards.fit import fit
    from tinyaudio.boards.project import load_compiled, settings_for
    from tinyaudio.boards.registry import get_board
    from tinyaudio.manifest import write_json_atomic

    b = get_board(board)
    settings = settings_for(load_compiled(model_dir), stride_frames=stride)
    report = fit(model_dir, b, settings=settings, measure_latency=not no_latency)
    typer.echo(f"{model_dir} on {b.name} ({b.title}): {'FITS' if report.fits else 'DOES NOT FIT'}")
    for line in report.summary_lines():
        typer.echo(f"  {line}")
    if json_path is not None:
        write_json_atomic(json_path, report.to_json())
    if not report.fits:
        raise typer.Exit(1)


@app.command("firmware")
def firmware_command(
    model_dir: Annotated[
        Path, typer.Argument(help="Output directory of `tinyaudio compile` (with a frontend).")
    ],
    board: Annotated[str, typer.Option("--board", help="Board name (see `tinyaudio boards`).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the PlatformIO project.")],
    stride: Annotated[
        int | None, typer.Option("--stride-frames", help="Frames between inferences (default: ~0.25 s).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write the project even if the model does not fit.")
    ] = False,
    no_latency: Annotated[
        bool, typer.Option("--no-latency", help="Skip the QEMU instruction count.")
    ] = False,
) -> None:
    """Write a complete PlatformIO project (platformio.ini, src/, README) for the board."""
    from tinyaudio.boards.fit import fit
    from tinyaudio.boards.flash import refuse_unless_fits
    from tinyaudio.boards.project import board_layer_sources, generate_project, load_compiled, settings_for
    from tinyaudio.boards.registry import get_board

    b = get_board(board)
    board_layer_sources(b)  # an emulated machine is refused before any measurement
    settings = settings_for(load_compiled(model_dir), stride_frames=stride)
    report = fit(model_dir, b, settings=settings, measure_latency=not no_latency)
    refuse_unless_fits(report.to_json(), force, str(model_dir))
    generate_project(
        model_dir, b, out, settings=settings, fit_doc=report.to_json(), fit_summary=report.summary_lines()
    )
    typer.echo(
        f"{out}: PlatformIO project for {b.name} ({'fits' if report.fits else 'does NOT fit, forced'}); "
        f"build and upload with `tinyaudio flash {out}`"
    )


@app.command("flash")
def flash_command(
    project: Annotated[Path, typer.Argument(help="A project written by `tinyaudio firmware`.")],
    port: Annotated[str | None, typer.Option("--port", help="Serial port of the board.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the exact commands; run nothing.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Upload even if the model does not fit.")] = False,
    seconds: Annotated[
        float | None, typer.Option("--listen", help="Seconds to show detections (default: until Ctrl-C).")
    ] = None,
) -> None:
    """Build and upload the project with PlatformIO, then show detections from the serial port."""
    from tinyaudio.boards.flash import flash

    try:
        flash(project, port=port, dry_run=dry_run, force=force, listen_seconds=seconds, echo=typer.echo)
    except KeyboardInterrupt:
        typer.echo("stopped")
