"""`tinyaudio firmware`: a PlatformIO project per board that PlatformIO's own parser reads offline, and
board-independent sources that cross-compile for every Cortex-M core the registry lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyaudio.boards.project import generate_project, load_compiled, settings_for, stage_portable
from tinyaudio.boards.registry import GCC_CPU, BoardError, get_board, load_boards
from tinyaudio.cbuild import STRICT_FLAGS, cortex_m_flags, run
from tinyaudio.cli import main

PIO_BOARDS = [name for name, b in load_boards().items() if b.platformio is not None]
CORTEX_M_CORES = sorted({b.core for b in load_boards().values() if GCC_CPU[b.core] is not None})


@pytest.mark.parametrize("name", PIO_BOARDS)
def test_project_parses_with_platformio(compiled_model: Path, tmp_path: Path, name: str) -> None:
    from platformio.project.config import ProjectConfig

    board = get_board(name)
    assert board.platformio is not None
    out = generate_project(compiled_model, board, tmp_path / name)
    config = ProjectConfig(str(out / "platformio.ini"))
    config.validate(silent=True)
    assert config.envs() == [name]
    env = f"env:{name}"
    assert config.get(env, "platform") == board.platformio.platform
    assert config.get(env, "board") == board.platformio.board
    assert config.get(env, "framework") == [board.platformio.framework]
    assert config.get(env, "upload_protocol") == board.platformio.upload_protocol
    assert "-D TA_FRONTEND_MAX_FFT=512u" in config.get(env, "build_flags")
    doc = json.loads((out / "tinyaudio.json").read_text())
    assert doc["kind"] == "firmware-project" and doc["board"] == name
    for src in doc["portable_sources"] + doc["board_sources"]:
        assert (out / "src" / src).is_file()
    assert doc["board_sources"], "the board's platform layer is in the project"
    assert {"model.c", "ta_board_main.c", "ta_serial_protocol.c", "ta_app.c"} <= set(doc["portable_sources"])
    assert set(load_compiled(compiled_model)["kernels"]) <= {Path(s).stem for s in doc["portable_sources"]}
    assert (out / "README.md").read_text().startswith(f"# tinyaudio on {board.title}")
    if board.platformio.platform == "espressif32":
        assert "tinyaudio,  data, 0x40" in (out / "partitions.csv").read_text()


@pytest.mark.parametrize("core", CORTEX_M_CORES)
def test_portable_sources_cross_compile(compiled_model: Path, tmp_path: Path, core: str) -> None:
    from tinyaudio.emulate.tools import require

    cpu = GCC_CPU[core]
    assert cpu is not None
    board = next(b for b in load_boards().values() if b.core == core)
    manifest = load_compiled(compiled_model)
    settings = settings_for(manifest)
    src = tmp_path / "src"
    sources = stage_portable(compiled_model, manifest, get_board("pico"), settings, src)  # + the CIC
    gcc = require("arm-none-eabi-gcc")
    for source in sources:
        run(
            [
                gcc,
                *cortex_m_flags(cpu),
                *STRICT_FLAGS,
                "-O2",
                *settings.flags,
                f"-I{src}",
                "-c",
                str(source),
                "-o",
                str(tmp_path / (source.stem + ".o")),
            ],
            f"cross-compiling {source.name} for {cpu} ({board.name})",
        )
    assert len(list(tmp_path.glob("*.o"))) == len(sources) >= 15


def test_emulated_machines_get_no_project(compiled_model: Path, tmp_path: Path) -> None:
    with pytest.raises(BoardError, match="emulated machine .*tinyaudio run COMPILED --target qemu-m55"):
        generate_project(compiled_model, get_board("mps3-an547"), tmp_path / "p")


def test_model_without_frontend_is_refused(micro_speech_dir: Path, tmp_path: Path) -> None:
    from tinyaudio.compile.compiler import compile_model

    bare = tmp_path / "bare"
    compile_model(micro_speech_dir / "models" / "micro_speech_quantized.tflite", bare, labels=list("abcd"))
    with pytest.raises(BoardError, match="compiled without a frontend"):
        generate_project(bare, get_board("nano33ble"), tmp_path / "p")


def test_firmware_command_writes_the_project(
    compiled_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "proj"
    assert (
        main(
            [
                "firmware",
                str(compiled_model),
                "--board",
                "disco_l475vg_iot01a",
                "-o",
                str(out),
                "--no-latency",
            ]
        )
        == 0
    )
    assert "PlatformIO project for disco_l475vg_iot01a (fits)" in capsys.readouterr().out
    doc = json.loads((out / "tinyaudio.json").read_text())
    assert doc["fit"]["fits"] is True and doc["fit"]["board"] == "disco_l475vg_iot01a"
    # a folder that is not a tinyaudio project is never overwritten
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert (
        main(["firmware", str(compiled_model), "--board", "nano33ble", "-o", str(other), "--no-latency"]) == 2
    )
    assert "is not a tinyaudio project" in capsys.readouterr().err
