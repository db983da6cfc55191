"""`tinyaudio firmware COMPILED --board NAME -o PROJECT`: a complete PlatformIO project for one board.

Layout of the project (flat `src/`, so every framework's build finds every header):

    platformio.ini          one environment named after the board (platform/board/framework from the registry)
    tinyaudio.json          what was generated from what (board, model hash, sources, defines, fit report)
    README.md               how to build, flash and talk to it
    partitions.csv          ESP32 only: the flash partition that holds the learned head's A/B slots
    src/model.c, model.h    the compiled model (tinyaudio compile)
    src/ta_board_config.h   generated: board name, model hash, stride, ring size, pins
    src/...                 frontend, runtime (only the kernels the model uses), app core, serial protocol,
                            the board-independent device loop, and the board's platform layer

The board-independent sources are listed in tinyaudio.json (`portable_sources`) and cross-compile with
arm-none-eabi-gcc for every Cortex-M core of the registry without any vendor SDK; the platform layer
(`board_sources`) needs the board's framework, which PlatformIO installs.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinyaudio.boards.registry import Board, BoardError
from tinyaudio.manifest import ManifestError, read_manifest, write_manifest
from tinyaudio.resources import firmware_dir

PROJECT_FILE = "tinyaudio.json"
DEFAULT_RING_SAMPLES = 4096
DEFAULT_STRIDE_SECONDS = 0.25
SERIAL_BAUD = 115200


@dataclass(frozen=True)
class ProjectSettings:
    """Build-time sizes of the device image, derived from the model and the board."""

    stride_frames: int
    ring_samples: int
    defines: dict[str, str]  # -D flags shared by every source (frontend buffer sizes)

    @property
    def flags(self) -> list[str]:
        return [f"-D{k}={v}" for k, v in self.defines.items()]


def load_compiled(model_dir: Path) -> dict[str, Any]:
    """The compiled model's manifest, checked for what a board image needs."""
    model_dir = Path(model_dir)
    for name in ("model.c", "model.h"):
        if not (model_dir / name).is_file():
            raise BoardError(f"{model_dir}: no {name} (give the output directory of `tinyaudio compile`)")
    manifest = read_manifest(model_dir, "compiled-model")
    if not isinstance(manifest.get("frontend"), dict):
        raise BoardError(
            f"{model_dir}: the model was compiled without a frontend; a board needs one "
            "(tinyaudio compile --frontend PRESET)"
        )
    if not manifest.get("labels"):
        raise BoardError(
            f"{model_dir}: the model has no labels; the device reports label names "
            "(tinyaudio compile --labels a,b,...)"
        )
    return manifest


def settings_for(
    manifest: dict[str, Any], *, stride_frames: int | None = None, ring_samples: int | None = None
) -> ProjectSettings:
    frontend = manifest["frontend"]
    rate = int(frontend["sample_rate"])
    hop = int(frontend["hop_length"])
    stride = stride_frames or max(1, round(DEFAULT_STRIDE_SECONDS * rate / hop))
    ring = ring_samples or DEFAULT_RING_SAMPLES
    if ring & (ring - 1) or ring < 2 * hop:
        raise BoardError(f"ring of {ring} samples: must be a power of two of at least two hops ({2 * hop})")
    fft = int(frontend.get("fft_length", 512))
    mels = int(frontend.get("num_mel_bins", 40))
    defines = {
        "TA_FRONTEND_MAX_FFT": f"{fft}u",
        "TA_FRONTEND_MAX_MEL_BINS": f"{mels}u",
        "TA_APP_MAX_CLIP_SAMPLES": "0u",
    }
    return ProjectSettings(stride_frames=stride, ring_samples=ring, defines=defines)


# ------------------------------------------------------------------------------------------------ sources

_INCLUDE = re.compile(r'#include\s+"([^"]+)"')


def _kernel_closure(kernels_dir: Path, kernels: list[str]) -> list[Path]:
    """The kernels' .c files plus those of any kernel whose header they include."""
    todo = [kernels_dir / f"{k}.c" for k in kernels]
    seen: dict[Path, None] = {}
    while todo:
        src = todo.pop()
        if src in seen:
            continue
        if not src.is_file():
            raise BoardError(f"kernel source {src} not found (recompile the model with this tinyaudio)")
        seen[src] = None
        for header in _INCLUDE.findall(src.read_text()):
            dep = kernels_dir / (Path(header).stem + ".c")
            if dep.is_file() and dep not in seen:
                todo.append(dep)
    return sorted(seen)


def portable_sources(manifest: dict[str, Any], board: Board) -> list[Path]:
    """Firmware files every project of this model and board carries, from firmware/ (headers included)."""
    fw = firmware_dir()
    files: list[Path] = []
    files += sorted((fw / "frontend").glob("*.[ch]"))
    files += sorted((fw / "runtime").glob("*.[ch]"))
    files += sorted((fw / "runtime" / "support").glob("*.[ch]"))
    files += sorted((fw / "runtime" / "kernels").glob("*.h"))
    files += _kernel_closure(fw / "runtime" / "kernels", list(manifest.get("kernels") or []))
    app = fw / "app"
    files += [
        app / n
        for n in (
            "ta_app.c",
            "ta_app.h",
            "ta_probe.c",
            "ta_probe.h",
            "ta_serial_protocol.c",
            "ta_serial_protocol.h",
        )
    ]
    files += [fw / "platform" / "ta_platform.h"]
    boards = fw / "platform" / "boards"
    files += [
        boards / "ta_board.h",
        boards / "common" / "ta_board_main.c",
        boards / "common" / "ta_pcm_ring.c",
        boards / "common" / "ta_pcm_ring.h",
    ]
    if board.microphone.kind == "pdm" and board.platform_layer == "pico":
        files += [boards / "common" / "ta_pdm_cic.c", boards / "common" / "ta_pdm_cic.h"]
    missing = [p for p in files if not p.is_file()]
    if missing:
        raise BoardError(f"firmware file {missing[0]} is missing (reinstall tinyaudio)")
    return files


def board_layer_sources(board: Board) -> list[Path]:
    """The board's platform layer (needs its framework): firmware/platform/boards/<layer>/ and the mbed
    layer shared by the Arduino-mbed boards."""
    if board.platform_layer is None:
        raise BoardError(
            f"board {board.name} is an emulated machine ({board.qemu_machine}), not a PlatformIO "
            f"board: run the model there with `tinyaudio run COMPILED --target {board.qemu_target}`"
        )
    root = firmware_dir() / "platform" / "boards"
    layer = root / board.platform_layer
    files = sorted(p for p in layer.iterdir() if p.suffix in (".c", ".cpp", ".h") and p.is_file())
    if board.platformio is not None and board.platformio.platform in ("nordicnrf52", "raspberrypi"):
        files += sorted(p for p in (root / "mbed").iterdir() if p.suffix in (".c", ".cpp", ".h"))
    if not files:
        raise BoardError(f"no platform layer sources in {layer}")
    return files


# -------------------------------------------------------------------------------------------- generation


def _c_string(text: str) -> str:
    from tinyaudio.cgen import c_string

    return c_string(text)


def board_config_header(board: Board, manifest: dict[str, Any], settings: ProjectSettings) -> str:
    """ta_board_config.h: the per-project settings of the device loop and the board layer."""
    from tinyaudio.cgen import c_comment as _safe

    def c_comment(text: str) -> str:
        return f"/* {_safe(text)} */"

    frontend = manifest["frontend"]
    lines = [
        c_comment(
            f"Generated by `tinyaudio firmware` for board {board.name} ({board.title}) and model "
            f"{manifest.get('model_sha256', '?')[:16]}. Regenerate instead of editing."
        ),
        "#ifndef TA_BOARD_CONFIG_H",
        "#define TA_BOARD_CONFIG_H",
        "",
        f"#define TA_BOARD_NAME {_c_string(board.name)}",
        f"#define TA_BOARD_MODEL_SHA256 {_c_string(str(manifest.get('model_sha256', '')))}",
        f"#define TA_BOARD_SAMPLE_RATE {int(frontend['sample_rate'])}u",
        f"#define TA_BOARD_HOP_SAMPLES {int(frontend['hop_length'])}u",
        c_comment("Frames between inferences (streaming stride)."),
        f"#define TA_BOARD_STRIDE_FRAMES {settings.stride_frames}u",
        c_comment("int16 samples the microphone ring holds (a power of two): it must outlast one inference."),
        f"#define TA_BOARD_PCM_RING_SAMPLES {settings.ring_samples}u",
        f"#define TA_BOARD_SERIAL_BAUD {SERIAL_BAUD}u",
        c_comment("Flash reserved for the learned head's A/B slots (the platform storage interface)."),
        f"#define TA_BOARD_STORAGE_RESERVED_BYTES {board.storage.reserved_bytes}u",
        f"#define TA_BOARD_STORAGE_ERASE_BYTES {board.storage.erase_bytes}u",
    ]
    if board.microphone.kind != "none":
        for signal, pin in sorted(board.microphone.pins.items()):
            macro = f"TA_BOARD_{board.microphone.kind.upper()}_{signal.upper()}_PIN"
            value = pin[2:] if pin.startswith("GP") and pin[2:].isdigit() else pin
            value = pin[4:] if pin.startswith("GPIO") and pin[4:].isdigit() else value
            lines.append(f"#define {macro} {value}")
    lines += ["", "#endif /* TA_BOARD_CONFIG_H */", ""]
    return "\n".join(lines)


def platformio_ini(board: Board, model_dir: Path, settings: ProjectSettings) -> str:
    assert board.platformio is not None
    pio = board.platformio
    flags = "\n".join(f"    -D {k}={v}" for k, v in settings.defines.items())
    lines = [
        f"; Generated by `tinyaudio firmware --board {board.name}` from {model_dir.name}.",
        "; Regenerate instead of editing: `tinyaudio flash` builds and uploads this project with PlatformIO.",
        "[platformio]",
        f"default_envs = {board.name}",
        "",
        f"[env:{board.name}]",
        f"platform = {pio.platform}",
        f"board = {pio.board}",
        f"framework = {pio.framework}",
        f"upload_protocol = {pio.upload_protocol}",
        f"monitor_speed = {SERIAL_BAUD}",
        "build_flags =",
        flags,
    ]
    lines += [f"{k} = {v}" for k, v in pio.options.items()]
    return "\n".join(lines) + "\n"


ESP32_PARTITIONS = """\
# Name,     Type, SubType, Offset,   Size
nvs,        data, nvs,     0x9000,   0x5000
phy_init,   data, phy,     0xe000,   0x1000
factory,    app,  factory, 0x10000,  0x300000
tinyaudio,  data, 0x40,    0x310000, 0x8000
"""


def project_readme(
    board: Board, manifest: dict[str, Any], settings: ProjectSettings, fit_summary: list[str]
) -> str:
    frontend = manifest["frontend"]
    assert board.platformio is not None
    mic = board.microphone
    pins = ", ".join(f"{k} = {v}" for k, v in sorted(mic.pins.items()))
    labels = ", ".join(str(x) for x in manifest["labels"])
    return "\n".join(
        [
            f"# tinyaudio on {board.title}",
            "",
            f"Model `{manifest.get('source', '?')}` (sha256 `{manifest.get('model_sha256', '?')[:16]}`), "
            "labels: "
            f"{labels}.",
            f"Frontend: {frontend.get('preset', 'custom')}, {frontend['sample_rate']} Hz, hop "
            f"{frontend['hop_length']} samples; an inference every {settings.stride_frames} frames.",
            f"Microphone: {mic.kind.upper()} {mic.part} "
            f"({'on board' if mic.on_board else 'external'}; {pins}).",
            "",
            "## Build, flash, listen",
            "",
            "```sh",
            "tinyaudio flash .              # pio run -t upload, then detections from the serial port",
            "tinyaudio flash . --dry-run    # the exact commands",
            "pio run -t upload && pio device monitor   # the same by hand",
            "```",
            "",
            f"Upload: {board.flashing}.",
            "",
            "## Fit",
            "",
            *[f"    {line}" for line in fit_summary],
            "",
            "## Serial protocol",
            "",
            f"{SERIAL_BAUD} baud, one command per line (`AT+INFO?`, `AT+STREAM=1`, `AT+LABEL=<i>`, "
            "`AT+HEAD?`, `AT+HEAD=<len>,<crc>`...); see tinyaudio's `python/tinyaudio/boards/PROTOCOL.md`.",
            "",
            "## Files",
            "",
            "`src/ta_board_config.h` and `platformio.ini` are generated; the platform layer for this board "
            "is "
            f"`src/{', src/'.join(p.name for p in board_layer_sources(board))}`; the rest of `src/` is the "
            "board-independent firmware (frontend, runtime kernels, app core, serial protocol, device loop).",
            "",
        ]
    )


def stage_portable(
    model_dir: Path, manifest: dict[str, Any], board: Board, settings: ProjectSettings, dest: Path
) -> list[Path]:
    """Copies the board-independent sources, the model and a generated ta_board_config.h into `dest` (flat);
    returns the .c files there."""
    dest.mkdir(parents=True, exist_ok=True)
    names: set[str] = set()
    for path in portable_sources(manifest, board):
        if path.name in names:
            raise BoardError(f"two firmware files are both called {path.name}")
        names.add(path.name)
        shutil.copyfile(path, dest / path.name)
    for name in ("model.c", "model.h"):
        shutil.copyfile(Path(model_dir) / name, dest / name)
    (dest / "ta_board_config.h").write_text(board_config_header(board, manifest, settings))
    return sorted(dest.glob("*.c"))


def generate_project(
    model_dir: Path,
    board: Board,
    out: Path,
    *,
    settings: ProjectSettings | None = None,
    fit_doc: dict[str, Any] | None = None,
    fit_summary: list[str] | None = None,
) -> Path:
    """Writes the PlatformIO project for `board` into `out` (created; an existing tinyaudio project there is
    replaced, any other non-empty folder is refused)."""
    model_dir = Path(model_dir).resolve()
    manifest = load_compiled(model_dir)
    if board.platformio is None:
        board_layer_sources(board)  # raises the emulated-machine message
    assert board.platformio is not None
    settings = settings or settings_for(manifest)
    if int(manifest["frontend"]["sample_rate"]) != board.microphone.sample_rate:
        raise BoardError(
            f"{model_dir}: the model's frontend expects {manifest['frontend']['sample_rate']} Hz "
            f"but {board.name}'s microphone driver delivers {board.microphone.sample_rate} Hz"
        )
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / PROJECT_FILE).is_file():
        raise BoardError(f"{out}: exists and is not a tinyaudio project; choose an empty or new folder")
    src = out / "src"
    if src.exists():
        shutil.rmtree(src)
    portable_c = stage_portable(model_dir, manifest, board, settings, src)
    layer = board_layer_sources(board)
    for path in layer:
        if (src / path.name).exists():
            raise BoardError(f"two firmware files are both called {path.name}")
        shutil.copyfile(path, src / path.name)
    (out / "platformio.ini").write_text(platformio_ini(board, model_dir, settings))
    if board.platformio.platform == "espressif32":
        (out / "partitions.csv").write_text(ESP32_PARTITIONS)
    (out / "README.md").write_text(project_readme(board, manifest, settings, fit_summary or []))
    doc = {
        "board": board.name,
        "environment": board.name,
        "model_dir": str(model_dir),
        "model_sha256": manifest.get("model_sha256"),
        "labels": manifest["labels"],
        "stride_frames": settings.stride_frames,
        "ring_samples": settings.ring_samples,
        "defines": settings.defines,
        "portable_sources": sorted(p.name for p in portable_c),
        "board_sources": [p.name for p in layer if p.suffix in (".c", ".cpp")],
        "serial_baud": SERIAL_BAUD,
        "fit": fit_doc,
    }
    write_manifest(out / PROJECT_FILE, doc, "firmware-project")
    return out


def read_project(project: Path) -> dict[str, Any]:
    """The tinyaudio.json of a generated project, or a BoardError saying how to make one."""
    path = Path(project) / PROJECT_FILE
    if not path.is_file():
        raise BoardError(
            f"{project}: not a tinyaudio firmware project (no {PROJECT_FILE}); create one with "
            "`tinyaudio firmware COMPILED --board NAME -o PROJECT`"
        )
    try:
        return read_manifest(path, "firmware-project")
    except ManifestError as err:
        raise BoardError(str(err)) from None
