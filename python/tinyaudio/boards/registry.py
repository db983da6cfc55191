"""The board registry: one YAML file per board in `tinyaudio/boards/data/`, validated into typed dataclasses.

Every field is checked strictly (unknown keys, wrong types, values out of range, inconsistent combinations
such as an FPU on a Cortex-M0+ or a QEMU target whose core differs from the board's); a bad file is refused
with one line naming the file and the field. Figures a file is not sure of are listed, with the reason, in
its `unverified` mapping (field path -> why), and every command that prints them says so.

The cycles-per-instruction table `CPI` lives here too: `tinyaudio fit` and benchmarks/bench_emulator.py read
the same numbers. QEMU counts instructions exactly but models no cycles, so a latency is always
instructions x an assumed CPI / the board's clock; each entry says what the assumption rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tinyaudio.errors import TinyaudioError


class BoardError(TinyaudioError):
    """A board file is invalid, or a board name is unknown."""


CORES = ("m0plus", "m4f", "m7", "m33", "m55", "xtensa", "riscv")
#: Core -> the arm-none-eabi-gcc CPU name of tinyaudio.cbuild.CORTEX_M_FLAGS (None: not a Cortex-M).
GCC_CPU: dict[str, str | None] = {
    "m0plus": "cortex-m0plus",
    "m4f": "cortex-m4",
    "m7": "cortex-m7",
    "m33": "cortex-m33",
    "m55": "cortex-m55",
    "xtensa": None,
    "riscv": None,
}
#: QEMU targets of tinyaudio.emulate and the core each one runs.
QEMU_TARGET_CORE = {"qemu-m4": "m4f", "qemu-m55": "m55"}
FPU_KINDS = ("none", "single", "double")
MIC_KINDS = ("pdm", "i2s", "none")
STORAGE_KINDS = ("flash", "ram")


@dataclass(frozen=True)
class CpiAssumption:
    """Cycles per instruction assumed for int8 kernel and frontend loops on one core.

    `method` says how instructions are counted for the core:
      - "measured": QEMU runs the core's own instruction set (`qemu_target`), the count is exact;
      - "measured-isa": the core's instruction set runs on another QEMU core that executes it unchanged
        (ARMv6-M code on the Cortex-M4 machine), the count is exact, the timing model is the CPI;
      - "none": no emulator runs this instruction set here; no latency is given.
    """

    cpi: float | None
    method: str
    qemu_target: str | None
    basis: str


CPI: dict[str, CpiAssumption] = {
    "m4f": CpiAssumption(
        1.25,
        "measured",
        "qemu-m4",
        "ASSUMED 1.25: Cortex-M4 executes most data-processing and MAC instructions in 1 cycle, loads in 2 "
        "(pipelined back to back), taken branches in 2-4; 1.25 for load/multiply-accumulate loops running "
        "from zero-wait-state memory (flash wait states hidden by the vendor's cache/accelerator). Not "
        "measured on silicon.",
    ),
    "m55": CpiAssumption(
        1.1,
        "measured",
        "qemu-m55",
        "ASSUMED 1.1: scalar code (the kernels are plain C, no Helium intrinsics) on the Cortex-M55's "
        "4-stage in-order pipeline with some dual issue, from TCM. Not measured on silicon.",
    ),
    "m0plus": CpiAssumption(
        1.4,
        "measured-isa",
        "qemu-m4",
        "ASSUMED 1.4: Cortex-M0+ (2-stage pipeline) takes 1 cycle for ALU ops and the single-cycle "
        "multiplier RP2040 has, 2 for loads/stores and taken branches. The instruction count is exact: the "
        "firmware is compiled for ARMv6-M (-mcpu=cortex-m0plus, soft float) and run on QEMU's Cortex-M4 "
        "machine, which executes ARMv6-M code unchanged. Flash is XIP over QSPI on RP2040: cache misses "
        "cost far more; not modelled.",
    ),
    "m7": CpiAssumption(
        None,
        "none",
        None,
        "no emulated Cortex-M7 target in tinyaudio.emulate (QEMU's mps2-an500 exists but has no platform "
        "layer here); no latency is given",
    ),
    "m33": CpiAssumption(
        None,
        "none",
        None,
        "no emulated Cortex-M33 target in tinyaudio.emulate (QEMU's mps2-an505 exists but has no platform "
        "layer here); no latency is given",
    ),
    "xtensa": CpiAssumption(
        None,
        "none",
        None,
        "QEMU here runs no Xtensa core and the Cortex-M instruction count does not transfer to another "
        "instruction set; no latency is given",
    ),
    "riscv": CpiAssumption(
        None,
        "none",
        None,
        "no RISC-V target in tinyaudio.emulate; no latency is given",
    ),
}


@dataclass(frozen=True)
class Microphone:
    kind: str  # pdm | i2s | none
    part: str  # e.g. MP34DT05, INMP441; "" for none
    sample_rate: int  # Hz the driver delivers (0 for none)
    pins: dict[str, str]  # signal -> pin name as the framework spells it
    on_board: bool  # soldered on the board (False: an external module wired as `pins` says)
    driver: str  # the API the platform layer uses, e.g. "Arduino mbed PDM library"


@dataclass(frozen=True)
class PlatformIO:
    platform: str
    board: str
    framework: str
    upload_protocol: str
    options: dict[str, str]  # extra platformio.ini lines of the environment


@dataclass(frozen=True)
class FrameworkUsage:
    """Flash/RAM the board's framework (core, RTOS, USB stack, drivers) takes before any tinyaudio code."""

    flash_bytes: int
    ram_bytes: int
    basis: str


@dataclass(frozen=True)
class Storage:
    """Where the learned head's A/B slots live: `kind` flash pages (or RAM), erase size and address."""

    kind: str
    erase_bytes: int
    program_bytes: int
    reserved_bytes: int  # flash set aside for the slots (excluded from the program's flash)
    location: str


@dataclass(frozen=True)
class Board:
    name: str
    title: str
    mcu: str
    core: str
    clock_hz: int
    flash_bytes: int  # flash the application may use (after any bootloader)
    ram_bytes: int
    fpu: str
    dsp: bool
    microphone: Microphone
    platformio: PlatformIO | None  # None: not a PlatformIO board (the QEMU machines)
    flashing: str  # the tool that writes the image
    qemu_target: str | None  # tinyaudio.emulate target that runs this core, if any
    qemu_machine: str | None
    framework: FrameworkUsage
    storage: Storage
    platform_layer: str | None  # directory under firmware/platform/boards/ (None: QEMU/host platform)
    unverified: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    source: Path | None = None

    @property
    def gcc_cpu(self) -> str | None:
        return GCC_CPU[self.core]

    @property
    def cpi(self) -> CpiAssumption:
        return CPI[self.core]

    @property
    def is_emulated_machine(self) -> bool:
        return self.platformio is None


# ---------------------------------------------------------------------------------------------- validation


class _Checker:
    """Reads one mapping strictly; every error names the file and the dotted field path."""

    def __init__(self, where: str, doc: Any, path: str = "") -> None:
        self.where = where
        self.path = path
        if not isinstance(doc, dict):
            self.fail(f"expected a mapping, got {type(doc).__name__}")
        self.doc: dict[str, Any] = doc
        self.seen: set[str] = set()

    def fail(self, message: str, key: str | None = None) -> None:
        name = ".".join(p for p in (self.path, key or "") if p)
        raise BoardError(f"{self.where}: {name + ': ' if name else ''}{message}")

    def _get(self, key: str, optional: bool) -> Any:
        self.seen.add(key)
        if key not in self.doc:
            if optional:
                return None
            self.fail("missing", key)
        return self.doc[key]

    def text(
        self, key: str, *, choices: tuple[str, ...] | None = None, empty: bool = False, optional: bool = False
    ) -> str | None:
        value = self._get(key, optional)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            self.fail(f"expected text, got {type(value).__name__} {value!r}", key)
        if not empty and not value.strip():
            self.fail("must not be empty", key)
        if choices is not None and value not in choices:
            self.fail(f"{value!r} is not one of {', '.join(choices)}", key)
        return value

    def req_text(self, key: str, *, choices: tuple[str, ...] | None = None, empty: bool = False) -> str:
        value = self.text(key, choices=choices, empty=empty)
        assert value is not None
        return value

    def integer(self, key: str, *, minimum: int = 1, maximum: int = 1 << 40) -> int:
        value = self._get(key, False)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"expected an integer, got {type(value).__name__} {value!r}", key)
        if not minimum <= value <= maximum:
            self.fail(f"{value} is outside [{minimum}, {maximum}]", key)
        return int(value)

    def flag(self, key: str) -> bool:
        value = self._get(key, False)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {value!r}", key)
        return bool(value)

    def str_map(self, key: str, optional: bool = False) -> dict[str, str]:
        value = self._get(key, optional)
        if value is None and optional:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int) for k, v in value.items()
        ):
            self.fail("expected a mapping of names to text", key)
        return {k: str(v) for k, v in value.items()}

    def sub(self, key: str, optional: bool = False) -> _Checker | None:
        value = self._get(key, optional)
        if value is None:
            if optional:
                return None
            self.fail("missing", key)
        return _Checker(self.where, value, f"{self.path}.{key}" if self.path else key)

    def done(self) -> None:
        extra = sorted(set(self.doc) - self.seen)
        if extra:
            self.fail(f"unknown field(s) {', '.join(extra)}")


def _microphone(c: _Checker) -> Microphone:
    kind = c.req_text("kind", choices=MIC_KINDS)
    mic = Microphone(
        kind=kind,
        part=c.req_text("part", empty=kind == "none"),
        sample_rate=c.integer("sample_rate", minimum=0 if kind == "none" else 8000, maximum=192000),
        pins=c.str_map("pins"),
        on_board=c.flag("on_board"),
        driver=c.req_text("driver"),
    )
    c.done()
    if kind == "none" and (mic.pins or mic.sample_rate):
        c.fail("a board without a microphone has no pins and sample_rate 0")
    required = {"pdm": {"clk", "data"}, "i2s": {"bclk", "ws", "data"}, "none": set()}[kind]
    missing = required - set(mic.pins)
    if missing:
        c.fail(f"a {kind} microphone needs pins {', '.join(sorted(missing))}", "pins")
    return mic


def _platformio(c: _Checker) -> PlatformIO:
    pio = PlatformIO(
        platform=c.req_text("platform"),
        board=c.req_text("board"),
        framework=c.req_text("framework"),
        upload_protocol=c.req_text("upload_protocol"),
        options=c.str_map("options", optional=True),
    )
    c.done()
    return pio


def _framework(c: _Checker) -> FrameworkUsage:
    usage = FrameworkUsage(
        flash_bytes=c.integer("flash_bytes", minimum=0),
        ram_bytes=c.integer("ram_bytes", minimum=0),
        basis=c.req_text("basis"),
    )
    c.done()
    return usage


def _storage(c: _Checker) -> Storage:
    st = Storage(
        kind=c.req_text("kind", choices=STORAGE_KINDS),
        erase_bytes=c.integer("erase_bytes"),
        program_bytes=c.integer("program_bytes"),
        reserved_bytes=c.integer("reserved_bytes", minimum=0),
        location=c.req_text("location"),
    )
    c.done()
    for key in ("erase_bytes", "program_bytes"):
        value = getattr(st, key)
        if value & (value - 1):
            c.fail(f"{value} is not a power of two", key)
    if st.program_bytes > st.erase_bytes:
        c.fail("program_bytes is larger than erase_bytes", "program_bytes")
    if st.kind == "flash" and st.reserved_bytes % st.erase_bytes:
        c.fail(
            f"{st.reserved_bytes} is not a whole number of {st.erase_bytes}-byte erase pages",
            "reserved_bytes",
        )
    return st


def parse_board(doc: Any, where: str, name: str) -> Board:
    """One board from its parsed YAML document; `name` is the file stem (the board's name)."""
    c = _Checker(where, doc)
    core = c.req_text("core", choices=CORES)
    mic_c = c.sub("microphone")
    pio_c = c.sub("platformio", optional=True)
    fw_c = c.sub("framework")
    st_c = c.sub("storage")
    assert mic_c is not None and fw_c is not None and st_c is not None
    unverified = c.str_map("unverified", optional=True)
    notes_raw = c._get("notes", True) or []
    if not isinstance(notes_raw, list) or not all(isinstance(n, str) for n in notes_raw):
        c.fail("expected a list of text lines", "notes")
    board = Board(
        name=name,
        title=c.req_text("title"),
        mcu=c.req_text("mcu"),
        core=core,
        clock_hz=c.integer("clock_hz", minimum=1_000_000, maximum=2_000_000_000),
        flash_bytes=c.integer("flash_bytes", minimum=16 * 1024),
        ram_bytes=c.integer("ram_bytes", minimum=4 * 1024),
        fpu=c.req_text("fpu", choices=FPU_KINDS),
        dsp=c.flag("dsp"),
        microphone=_microphone(mic_c),
        platformio=_platformio(pio_c) if pio_c is not None else None,
        flashing=c.req_text("flashing"),
        qemu_target=c.text("qemu_target", choices=tuple(QEMU_TARGET_CORE), optional=True),
        qemu_machine=c.text("qemu_machine", optional=True),
        framework=_framework(fw_c),
        storage=_storage(st_c),
        platform_layer=c.text("platform_layer", optional=True),
        unverified=unverified,
        notes=tuple(notes_raw),
        source=Path(where),
    )
    c.done()
    _cross_check(board, c)
    return board


def _known_paths() -> set[str]:
    top = {f.name for f in fields(Board)} - {"name", "unverified", "notes", "source"}
    nested = {
        "microphone": Microphone,
        "platformio": PlatformIO,
        "framework": FrameworkUsage,
        "storage": Storage,
    }
    out = set(top)
    for key, cls in nested.items():
        out |= {f"{key}.{f.name}" for f in fields(cls)}
    out |= {"microphone.pins"}
    return out


def _cross_check(b: Board, c: _Checker) -> None:
    if b.core == "m0plus" and (b.fpu != "none" or b.dsp):
        c.fail("a Cortex-M0+ has neither an FPU nor DSP instructions", "fpu")
    if b.core == "m4f" and b.fpu != "single":
        c.fail("a Cortex-M4F has a single-precision FPU (fpu: single)", "fpu")
    if b.core in ("m4f", "m7", "m55") and not b.dsp:
        c.fail(f"a {b.core} core has the DSP extension (dsp: true)", "dsp")
    if b.qemu_target is not None and QEMU_TARGET_CORE[b.qemu_target] != b.core:
        c.fail(f"{b.qemu_target} runs a {QEMU_TARGET_CORE[b.qemu_target]} core, not {b.core}", "qemu_target")
    if (b.qemu_target is None) != (b.qemu_machine is None):
        c.fail("give both qemu_target and qemu_machine, or neither", "qemu_machine")
    if b.platformio is None and b.qemu_target is None:
        c.fail("a board without PlatformIO settings must be a QEMU machine (qemu_target)", "platformio")
    if b.platformio is not None and b.platform_layer is None:
        c.fail(
            "a PlatformIO board needs its platform layer (firmware/platform/boards/<dir>)", "platform_layer"
        )
    if b.framework.flash_bytes >= b.flash_bytes or b.framework.ram_bytes >= b.ram_bytes:
        c.fail("the framework alone would fill the board", "framework")
    if b.storage.reserved_bytes >= b.flash_bytes:
        c.fail("the storage reserve is larger than the flash", "storage.reserved_bytes")
    bad = sorted(set(b.unverified) - _known_paths())
    if bad:
        c.fail(f"names no field: {', '.join(bad)}", "unverified")


# ------------------------------------------------------------------------------------------------- loading


def data_dir() -> Path:
    """The folder of the shipped board files."""
    return Path(str(resources.files("tinyaudio.boards") / "data"))


def load_board_file(path: Path) -> Board:
    """Reads and validates one board file."""
    try:
        doc = yaml.safe_load(path.read_text())
    except OSError as err:
        raise BoardError(f"{path}: cannot read: {err.strerror or err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise BoardError(f"{path}: not valid YAML{where}") from None
    return parse_board(doc, str(path), path.stem)


def load_boards(folder: Path | None = None) -> dict[str, Board]:
    """Every board file of `folder` (default: the shipped registry), by name, in file-name order."""
    root = folder or data_dir()
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise BoardError(f"{root}: no board files (*.yaml)")
    return {p.stem: load_board_file(p) for p in files}


@cache
def _shipped() -> dict[str, Board]:
    return load_boards()


def get_board(name: str) -> Board:
    """The shipped board called `name`, or a BoardError listing the known names."""
    boards = _shipped()
    if name not in boards:
        raise BoardError(f"unknown board {name!r} (known: {', '.join(boards)}; see `tinyaudio boards`)")
    return boards[name]


def board_names() -> list[str]:
    return list(_shipped())
