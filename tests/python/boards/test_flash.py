"""`tinyaudio flash`: --dry-run prints the exact commands; missing PlatformIO, no board and the wrong board
each end in one line with the fix."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import tinyaudio.boards.flash as flash_mod
from tinyaudio.boards.project import generate_project
from tinyaudio.boards.registry import BoardError, get_board
from tinyaudio.cli import main


@pytest.fixture(scope="module")
def project(compiled_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_project(compiled_model, get_board("nano33ble"), tmp_path_factory.mktemp("flash") / "p")


def test_dry_run_prints_the_exact_commands(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flash", str(project), "--dry-run", "--port", "/dev/ttyACM7"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    pio = flash_mod.find_pio()
    assert pio is not None  # platformio is a test dependency (constraints.txt)
    runner = " ".join(pio)
    assert lines == [
        f"{runner} run -d {project} -e nano33ble -t upload --upload-port /dev/ttyACM7",
        f"{runner} device monitor -b 115200 -p /dev/ttyACM7",
    ]


def test_missing_platformio_says_how_to_install(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(flash_mod, "find_pio", lambda: None)
    assert main(["flash", str(project)]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: PlatformIO is not installed: pip install platformio (then run tinyaudio flash again)"
    )


def test_no_board_connected(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(flash_mod, "find_pio", lambda: [sys.executable, "-c", "pass"])
    monkeypatch.setattr(flash_mod, "serial_ports", lambda: [])
    assert main(["flash", str(project)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no board found") and "connect the nano33ble" in err


def test_wrong_board_or_model_on_the_port(project: Path) -> None:
    doc = flash_mod.read_project(project)
    with pytest.raises(BoardError, match="a pico answered, but the project is for nano33ble"):
        flash_mod.check_device("pico", doc["model_sha256"], doc, "/dev/ttyACM0")
    with pytest.raises(BoardError, match="runs another model"):
        flash_mod.check_device("nano33ble", "0" * 64, doc, "/dev/ttyACM0")
    flash_mod.check_device("nano33ble", doc["model_sha256"], doc, "/dev/ttyACM0")


def test_not_a_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flash", str(tmp_path), "--dry-run"]) == 2
    assert "not a tinyaudio firmware project" in capsys.readouterr().err
