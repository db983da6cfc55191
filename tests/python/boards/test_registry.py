"""The board registry: every shipped file is valid, the required boards are there, bad files are refused with
one line naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tinyaudio.boards.registry import CORES, CPI, BoardError, get_board, load_board_file, load_boards
from tinyaudio.cli import main

SHIPPED = load_boards()
NANO = next(p for p in (Path(b.source) for b in SHIPPED.values() if b.source) if p.stem == "nano33ble")


def test_shipped_registry_has_the_required_boards() -> None:
    assert {"nano33ble", "pico", "esp32s3", "disco_l475vg_iot01a", "mps2-an386", "mps3-an547"} <= set(SHIPPED)
    nano = SHIPPED["nano33ble"]
    assert (nano.core, nano.clock_hz, nano.ram_bytes) == ("m4f", 64_000_000, 256 * 1024)
    assert nano.platformio is not None and (nano.platformio.platform, nano.platformio.board) == (
        "nordicnrf52",
        "nano33ble",
    )
    assert nano.microphone.kind == "pdm" and nano.qemu_target == "qemu-m4"
    pico = SHIPPED["pico"]
    assert pico.core == "m0plus" and pico.fpu == "none" and pico.cpi.method == "measured-isa"
    assert SHIPPED["esp32s3"].core == "xtensa" and SHIPPED["esp32s3"].microphone.kind == "i2s"
    assert SHIPPED["esp32s3"].cpi.cpi is None  # no latency for a core nothing here emulates
    assert SHIPPED["mps3-an547"].qemu_target == "qemu-m55"


def test_cpi_table_covers_every_core_and_states_its_basis() -> None:
    assert set(CPI) == set(CORES)
    for core, entry in CPI.items():
        assert entry.basis, core
        assert (entry.cpi is None) == (entry.method == "none"), core
        if entry.cpi is not None:
            assert "ASSUMED" in entry.basis and entry.qemu_target in ("qemu-m4", "qemu-m55")


def test_unknown_board_lists_the_known_ones() -> None:
    with pytest.raises(BoardError, match="unknown board 'nano33' .*nano33ble"):
        get_board("nano33")


def _write_variant(tmp_path: Path, edit: dict[str, object], drop: str | None = None) -> Path:
    doc = yaml.safe_load(NANO.read_text())
    for dotted, value in edit.items():
        node = doc
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node[p]
        node[leaf] = value
    if drop:
        del doc[drop]
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize(
    ("edit", "drop", "message"),
    [
        ({"colour": "blue"}, None, r"variant.yaml: unknown field\(s\) colour"),
        ({"clock_hz": "64 MHz"}, None, r"variant.yaml: clock_hz: expected an integer, got str"),
        ({"core": "m3"}, None, r"variant.yaml: core: 'm3' is not one of m0plus, m4f"),
        ({"microphone.kind": "analog"}, None, r"variant.yaml: microphone.kind: 'analog' is not one of"),
        ({"microphone.pins": {"clk": "P0.26"}}, None, r"microphone.pins: a pdm microphone needs pins data"),
        ({"core": "m0plus"}, None, r"fpu: a Cortex-M0\+ has neither an FPU nor DSP"),
        ({"qemu_target": "qemu-m55"}, None, r"qemu_target: qemu-m55 runs a m55 core, not m4f"),
        ({"storage.erase_bytes": 3000}, None, r"storage.erase_bytes: 3000 is not a power of two"),
        ({"unverified": {"clock": "why"}}, None, r"unverified: names no field: clock"),
        ({"framework.ram_bytes": 300000}, None, r"framework: the framework alone would fill the board"),
        ({}, "flash_bytes", r"variant.yaml: flash_bytes: missing"),
    ],
)
def test_bad_board_file_is_refused_with_one_line(
    tmp_path: Path, edit: dict[str, object], drop: str | None, message: str
) -> None:
    path = _write_variant(tmp_path, edit, drop)
    with pytest.raises(BoardError, match=message) as info:
        load_board_file(path)
    assert "\n" not in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("title: x\ncore: [m4f\n")
    with pytest.raises(BoardError, match=r"broken.yaml: not valid YAML at line"):
        load_board_file(path)


def test_boards_command_lists_every_board(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["boards"]) == 0
    out = capsys.readouterr().out
    for name in SHIPPED:
        assert name in out
    assert "not verified" in out  # the unsure figures are flagged


def test_boards_command_refuses_a_bad_registry_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_variant(tmp_path, {"fpu": "quad"})
    assert main(["boards", "--registry", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "fpu: 'quad' is not one of none, single, double" in err
    assert len(err.splitlines()) == 1
