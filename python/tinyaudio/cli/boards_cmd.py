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
    for col in ("name", "MCU", "core", "clock", "flash", "RAM", "FPU", "microphone", "PlatformIO",
                "QEMU", "latency from"):
        table.add_column(col, no_wrap=col in ("name", "PlatformIO"))
    for b in boards.values():
        mic = "none" if b.microphone.kind == "none" else f"{b.microphone.kind.upper()} {b.microphone.sample_rate} Hz"
        pio = f"{b.platformio.platform}/{b.platformio.board}" if b.platformio else "-"
        qemu = b.qemu_machine or "-"
        method = {"measured": f"{b.cpi.qemu_target} count", "measured-isa": "ARMv6-M count on qemu-m4",
                  "none": "none"}[b.cpi.method]
        table.add_row(b.name, b.mcu, b.core, f"{b.clock_hz / 1e6:g} MHz", _mib(b.flash_bytes),
                      _mib(b.ram_bytes), b.fpu, mic, pio, qemu, method)
    console = Console(width=None if Console().is_terminal else 200)
    console.print(table)
    unsure = [f"{b.name}: {', '.join(b.unverified)}" for b in boards.values() if b.unverified]
    if unsure:
        console.print("Figures not verified (see each file's `unverified`): " + "; ".join(unsure))
