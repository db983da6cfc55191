"""`tinyaudio fit`: flash/RAM budgets with measured parts and margins, latency from QEMU instruction counts at
the board's clock, and a clear refusal, with the numbers, when the model does not fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tinyaudio.boards.fit import fit
from tinyaudio.boards.registry import get_board, load_board_file
from tinyaudio.cli import main


def test_nano33ble_fits_with_measured_latency(compiled_model: Path) -> None:
    report = fit(compiled_model, get_board("nano33ble"))
    manifest = json.loads((compiled_model / "manifest.json").read_text())
    assert report.fits
    flash = {p.name: p for p in report.flash.parts}
    ram = {p.name: p for p in report.ram.parts}
    assert flash["  of which model weights"].bytes == manifest["weights_bytes"]
    assert flash["tinyaudio constants (.rodata, .data)"].bytes > manifest["weights_bytes"]
    assert ram["tinyaudio static RAM (.data, .bss)"].bytes > manifest["arena_bytes"] + 2 * 4096
    assert ram["stack (high-water mark)"].basis == "measured on qemu-m4"
    assert report.flash.used == sum(p.bytes for p in report.flash.parts if not p.name.startswith("  "))
    assert report.flash.margin == 983040 - report.flash.used
    lat = report.latency
    assert lat is not None and lat.cpi == 1.25 and lat.clock_hz == 64_000_000
    # micro_speech: 336,000 MACs; an int8 kernel needs at least one instruction per MAC
    assert lat.model_instructions > manifest["macs"]
    assert lat.ms_per_inference == pytest.approx(lat.model_instructions * 1.25 / 64e6 * 1e3)
    assert lat.cpu_load is not None and 0.0 < lat.cpu_load < 1.0
    text = "\n".join(report.summary_lines())
    assert "CPI 1.25 (assumed)" in text and "exact instruction count on qemu-m4" in text


def test_pico_counts_armv6m_instructions_and_flags_the_missing_fpu(compiled_model: Path) -> None:
    report = fit(compiled_model, get_board("pico"))
    m4 = fit(compiled_model, get_board("mps2-an386"))
    assert report.latency is not None and m4.latency is not None
    assert "ARMv6-M" in report.latency.method
    # no FPU, no DSP: the same model and frontend take more instructions than on the M4F
    assert report.latency.frontend_instructions_per_second is not None
    assert m4.latency.frontend_instructions_per_second is not None
    assert report.latency.frontend_instructions_per_second > m4.latency.frontend_instructions_per_second
    assert any("no FPU" in n for n in report.notes)


def test_xtensa_board_gets_no_latency_and_says_why(compiled_model: Path) -> None:
    report = fit(compiled_model, get_board("esp32s3"))
    assert report.latency is None and "Xtensa" in report.latency_note
    assert any("cortex-m4 build" in n for n in report.notes)


@pytest.fixture
def tiny_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of the nano33ble file with 40 KB of RAM, registered as the board 'tiny'."""
    import tinyaudio.boards.registry as registry

    source = get_board("nano33ble").source
    assert source is not None
    doc = yaml.safe_load(Path(source).read_text())
    doc["ram_bytes"] = 40 * 1024
    doc["framework"]["ram_bytes"] = 30 * 1024
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(doc))
    board = load_board_file(path)
    boards = dict(registry._shipped())
    boards["tiny"] = board
    monkeypatch.setattr(registry, "_shipped", lambda: boards)
    return "tiny"


def test_model_that_does_not_fit_is_refused_with_numbers(
    compiled_model: Path, tiny_board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = fit(compiled_model, get_board(tiny_board), measure_latency=False)
    assert not report.fits and report.ram.margin < 0 and report.flash.margin > 0
    assert main(["fit", str(compiled_model), "--board", tiny_board, "--no-latency"]) == 1
    out = capsys.readouterr().out
    assert "DOES NOT FIT" in out and f"of {40 * 1024:,} B" in out
    project = tmp_path / "p"
    assert (
        main(["firmware", str(compiled_model), "--board", tiny_board, "-o", str(project), "--no-latency"])
        == 2
    )
    err = capsys.readouterr().err
    assert "does not fit tiny: RAM needs" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert not project.exists()
    assert (
        main(
            [
                "firmware",
                str(compiled_model),
                "--board",
                tiny_board,
                "-o",
                str(project),
                "--no-latency",
                "--force",
            ]
        )
        == 0
    )
    assert "does NOT fit, forced" in capsys.readouterr().out
    # flash refuses the forced project too, unless forced again
    assert main(["flash", str(project), "--dry-run"]) == 2
    assert "does not fit tiny" in capsys.readouterr().err
    assert main(["flash", str(project), "--dry-run", "--force"]) == 0
