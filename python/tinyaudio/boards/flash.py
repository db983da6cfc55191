"""`tinyaudio flash PROJECT [--port P] [--dry-run]`: build and upload a generated project with PlatformIO,
then show the board's detections from its serial port.

Every failure a user meets at a desk is one line with the fix: PlatformIO missing, no board connected (no
serial port), the wrong board or firmware answering on the port (board name or model hash differ from the
project's), a project that does not fit (refused with the numbers unless forced).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinyaudio.boards.project import read_project
from tinyaudio.boards.registry import BoardError, get_board


@dataclass(frozen=True)
class FlashPlan:
    """The commands `flash` runs, in order (what --dry-run prints)."""

    project: Path
    board: str
    port: str | None
    commands: list[list[str]]
    baud: int


def find_pio() -> list[str] | None:
    """How to run PlatformIO: `pio` on PATH, else `python -m platformio` when the package is importable."""
    exe = shutil.which("pio") or shutil.which("platformio")
    if exe:
        return [exe]
    try:
        import platformio  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "platformio"]


def refuse_unless_fits(doc: dict[str, Any], force: bool, what: str) -> None:
    fit_doc = doc.get("fit") if "fit" in doc else doc
    if not fit_doc or force or fit_doc.get("fits", True):
        return
    parts = []
    for key, title in (("flash", "flash"), ("ram", "RAM")):
        budget = fit_doc[key]
        if budget["margin"] < 0:
            parts.append(
                f"{title} needs {budget['used']:,} B of {budget['capacity']:,} B "
                f"({-budget['margin']:,} B over)"
            )
    raise BoardError(
        f"{what}: the model does not fit {fit_doc['board']}: {'; '.join(parts)} "
        "(use --force to go ahead anyway)"
    )


def plan(project: Path, port: str | None = None, pio: list[str] | None = None) -> FlashPlan:
    doc = read_project(project)
    board = get_board(str(doc["board"]))
    runner = pio or find_pio() or ["pio"]
    upload = [*runner, "run", "-d", str(project), "-e", str(doc["environment"]), "-t", "upload"]
    if port:
        upload += ["--upload-port", port]
    monitor = [*runner, "device", "monitor", "-b", str(doc.get("serial_baud", 115200))]
    if port:
        monitor += ["-p", port]
    return FlashPlan(Path(project), board.name, port, [upload, monitor], int(doc.get("serial_baud", 115200)))


def serial_ports() -> list[str]:
    try:
        from serial.tools import list_ports
    except ImportError:
        raise BoardError("pyserial is not installed: pip install pyserial") from None
    return [p.device for p in list_ports.comports() if p.device]


def check_device(info_board: str, info_model: str, doc: dict[str, Any], port: str) -> None:
    if info_board != doc["board"]:
        raise BoardError(
            f"{port}: a {info_board} answered, but the project is for {doc['board']}: connect the "
            f"{doc['board']} or pass its port with --port"
        )
    if info_model != doc["model_sha256"]:
        raise BoardError(
            f"{port}: the board runs another model ({info_model[:16]}, the project has "
            f"{str(doc['model_sha256'])[:16]}): the upload did not take; press reset and retry"
        )


def flash(
    project: Path,
    *,
    port: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    listen_seconds: float | None = None,
    echo: Callable[[str], None] = print,
) -> FlashPlan:
    doc = read_project(project)
    refuse_unless_fits(doc, force, str(project))
    pio = find_pio()
    steps = plan(project, port, pio)
    if dry_run:
        for cmd in steps.commands:
            echo(" ".join(cmd))
        return steps
    if pio is None:
        raise BoardError(
            "PlatformIO is not installed: pip install platformio (then run tinyaudio flash again)"
        )
    if port is None:
        ports = serial_ports()
        if not ports:
            raise BoardError(
                f"no board found: no serial port is present; connect the {doc['board']} with a data "
                "USB cable (or pass --port)"
            )
    proc = subprocess.run(steps.commands[0])
    if proc.returncode != 0:
        raise BoardError(
            f"`{' '.join(steps.commands[0])}` failed (exit {proc.returncode}); its output is above"
        )
    listen(project, doc, port, steps.baud, listen_seconds, echo)
    return steps


def listen(
    project: Path,
    doc: dict[str, Any],
    port: str | None,
    baud: int,
    seconds: float | None,
    echo: Callable[[str], None],
) -> None:
    """Checks that the right board and model answer, then prints detections."""
    import time

    from tinyaudio.boards.serial_protocol import DeviceLink, ProtocolError, open_port

    candidates = [port] if port else serial_ports()
    last_error: Exception | None = None
    for candidate in candidates:
        time.sleep(1.0)  # the board resets after the upload
        try:
            link = DeviceLink(open_port(candidate, baud), timeout=5.0)
            info = link.info()
        except ProtocolError as err:
            last_error = err
            continue
        check_device(info.board, info.model_sha256, doc, candidate)
        echo(f"{candidate}: {info.board}, model {info.model_sha256[:16]}, labels {', '.join(info.labels)}")
        link.stream(1)
        for det in link.detections(seconds):
            echo(f"{det.time_ms / 1000:9.2f} s  {det.label:<16} score {det.score}")
        return
    raise BoardError(
        f"no tinyaudio board answered on {', '.join(candidates)} ({last_error}); press reset, or "
        "pass the right --port"
    )
