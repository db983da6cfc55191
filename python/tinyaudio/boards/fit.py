"""`tinyaudio fit COMPILED --board NAME`: does the model fit the board, with what margins, and how long does
an inference take at the board's clock.

Flash and RAM are the sum of
  - the tinyaudio image: the board-independent device sources (device loop, app core, frontend, runtime
    kernels, the model's weights, serial protocol, PCM ring) linked for the board's core with
    arm-none-eabi-gcc -O2 --gc-sections and a do-nothing board layer (firmware/platform/boards/size_stub),
    measured from the ELF's sections (weights and arena are shown as parts of it, from manifest.json);
  - the stack: measured (stack painting) on QEMU when the core's instructions run there, else an assumed
    reserve;
  - the framework's own flash/RAM, and the flash reserved for the learned head's A/B slots, from the registry
    (the framework figures are assumptions stated in each board file).
Xtensa and RISC-V boards have no cross-compiler here: their image sizes use the Cortex-M4 build as a proxy
(weights, arena and buffers are the same bytes; code size differs), and the report says so.

Latency: instructions counted exactly by the project's QEMU plugin (model invocation and frontend hops of
the firmware run on one deterministic noise clip), times the core's assumed cycles per instruction
(registry.CPI), divided by the board's clock. Cortex-M0+ code is counted by running the ARMv6-M build on
QEMU's Cortex-M4 machine; cores with no emulation get no latency.
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.boards.project import ProjectSettings, load_compiled, settings_for, stage_portable
from tinyaudio.boards.registry import Board
from tinyaudio.cbuild import STRICT_FLAGS, cortex_m_flags, run
from tinyaudio.errors import BuildError
from tinyaudio.resources import firmware_dir, include_dirs

ASSUMED_STACK_BYTES = 8192
PROXY_CPU = "cortex-m4"


@dataclass(frozen=True)
class Part:
    name: str
    bytes: int
    basis: str  # "measured", "manifest", "registry (assumed)", ...


@dataclass(frozen=True)
class Budget:
    capacity: int
    parts: list[Part]

    @property
    def used(self) -> int:
        return sum(p.bytes for p in self.parts if not p.name.startswith("  "))

    @property
    def margin(self) -> int:
        return self.capacity - self.used


@dataclass(frozen=True)
class Latency:
    model_instructions: float
    frontend_instructions_per_second: float | None
    cpi: float
    clock_hz: int
    method: str
    basis: str
    inferences_per_second: float

    @property
    def ms_per_inference(self) -> float:
        return self.model_instructions * self.cpi / self.clock_hz * 1e3

    @property
    def cpu_load(self) -> float | None:
        """Fraction of the core the frontend plus the model at this stride keep busy."""
        if self.frontend_instructions_per_second is None:
            return None
        per_second = (
            self.frontend_instructions_per_second + self.model_instructions * self.inferences_per_second
        )
        return per_second * self.cpi / self.clock_hz


@dataclass(frozen=True)
class FitReport:
    board: str
    model_dir: str
    flash: Budget
    ram: Budget
    latency: Latency | None
    latency_note: str
    notes: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return self.flash.margin >= 0 and self.ram.margin >= 0

    def to_json(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["fits"] = self.fits
        for key in ("flash", "ram"):
            budget: Budget = getattr(self, key)
            doc[key].update(used=budget.used, margin=budget.margin)
        if self.latency is not None:
            doc["latency"].update(
                ms_per_inference=self.latency.ms_per_inference, cpu_load=self.latency.cpu_load
            )
        return doc

    def summary_lines(self) -> list[str]:
        lines = []
        for key, title in (("flash", "flash"), ("ram", "RAM")):
            budget: Budget = getattr(self, key)
            verdict = "fits" if budget.margin >= 0 else "DOES NOT FIT"
            lines.append(
                f"{title}: {budget.used:,} of {budget.capacity:,} B, margin {budget.margin:,} B ({verdict})"
            )
            for part in budget.parts:
                lines.append(f"  {part.name:<38} {part.bytes:>10,} B  {part.basis}")
        if self.latency is not None:
            lat = self.latency
            load = f", CPU load {100 * lat.cpu_load:.1f} %" if lat.cpu_load is not None else ""
            lines.append(
                f"latency: {lat.ms_per_inference:.2f} ms per inference at {lat.clock_hz / 1e6:g} MHz "
                f"({lat.model_instructions:,.0f} instructions x CPI {lat.cpi} (assumed){load}, "
                f"{lat.inferences_per_second:g} inferences/s)"
            )
            lines.append(f"  counted by: {lat.method}")
        else:
            lines.append(f"latency: none ({self.latency_note})")
        lines += [f"note: {n}" for n in self.notes]
        return lines


# ------------------------------------------------------------------------------------------------ images


def _sections(elf: Path) -> dict[str, int]:
    from tinyaudio.emulate.size import section_sizes

    return section_sizes(elf)


def link_portable_image(
    model_dir: Path, board: Board, settings: ProjectSettings, work: Path, cpu: str
) -> Path:
    """Links the board-independent device sources with the size stub for `cpu`; returns the ELF."""
    from tinyaudio.emulate.tools import require

    manifest = load_compiled(model_dir)
    src = work / "src"
    sources = stage_portable(model_dir, manifest, board, settings, src)
    stub = firmware_dir() / "platform" / "boards" / "size_stub" / "ta_board_size_stub.c"
    elf = work / f"image_{cpu}.elf"
    cmd = [
        require("arm-none-eabi-gcc"),
        *cortex_m_flags(cpu),
        *STRICT_FLAGS,
        "-O2",
        "-ffunction-sections",
        "-fdata-sections",
        *settings.flags,
        f"-I{src}",
        "--specs=nano.specs",
        "--specs=nosys.specs",
        "-Wl,--gc-sections",
        "-o",
        str(elf),
        *(str(s) for s in sources),
        str(stub),
        "-lm",
    ]
    run(cmd, f"linking the device image of {model_dir.name} for {cpu}")
    return elf


@dataclass(frozen=True)
class _Counts:
    model: float
    frontend_per_second: float | None
    stack: int | None


def _noise_clip(frontend: dict[str, Any]) -> np.ndarray:
    rng = np.random.default_rng(0)
    clip = rng.normal(0.0, 0.1, int(frontend["clip_samples"])).astype(np.float32)
    return np.clip(clip, -1.0, 1.0)[None, :]


def _count_on_target(model_dir: Path, target: str) -> _Counts:
    from tinyaudio.emulate.firmware import run_clips

    frontend = load_compiled(model_dir)["frontend"]
    run = run_clips(model_dir, target, _noise_clip(frontend), count_instructions=True)
    if run.instructions_per_inference is None:
        raise BuildError(f"{target}: the run reported no model instruction count")
    return _Counts(
        run.instructions_per_inference, run.frontend_instructions_per_second_of_audio, run.stack_high_water
    )


def build_armv6m_on_m4(model_dir: Path, work: Path) -> Path:
    """The QEMU firmware (app + frontend + model + QEMU platform) compiled for ARMv6-M (Cortex-M0+, soft
    float), linked for mps2-an386. The startup code (fault handler in ARMv7-M assembly) is the only part
    compiled for the M4; it runs before and after the counted regions."""
    from tinyaudio.emulate.build import BuildOptions
    from tinyaudio.emulate.tools import require

    manifest = load_compiled(model_dir)
    opts = BuildOptions.from_manifest(manifest)
    fw = firmware_dir()
    qemu = fw / "platform" / "qemu"
    kernels = fw / "runtime" / "kernels"
    from tinyaudio.boards.project import _kernel_closure

    sources = [
        *sorted((fw / "frontend").glob("*.c")),
        *sorted((fw / "runtime").glob("*.c")),
        *sorted((fw / "runtime" / "support").glob("*.c")),
        *_kernel_closure(kernels, list(manifest.get("kernels") or [])),
        model_dir / "model.c",
        fw / "app" / "ta_probe.c",
        fw / "app" / "ta_app.c",
        fw / "app" / "ta_app_main.c",
        fw / "platform" / "ta_storage_ram.c",
        fw / "platform" / "ta_result_format.c",
        qemu / "ta_platform_qemu.c",
        qemu / "ta_semihost.c",
        qemu / "ta_syscalls.c",
    ]
    defines = [
        f"-DTA_FRONTEND_MAX_FFT={opts.frontend_max_fft}u",
        f"-DTA_FRONTEND_MAX_MEL_BINS={opts.frontend_max_mel_bins}u",
        f"-DTA_APP_MAX_CLIP_SAMPLES={opts.app_max_clip_samples}u",
        "-DTA_QEMU_CPU_HZ=25000000u",
    ]
    includes = [f"-I{d}" for d in (*include_dirs(), model_dir, qemu)]
    gcc = require("arm-none-eabi-gcc")
    common = [*STRICT_FLAGS, "-O2", "-ffunction-sections", "-fdata-sections", *defines, *includes]
    startup = work / "ta_startup_m4.o"
    run(
        [
            gcc,
            "-mcpu=cortex-m4",
            "-mthumb",
            "-mfloat-abi=soft",
            *common,
            "-c",
            str(qemu / "ta_startup.c"),
            "-o",
            str(startup),
        ],
        "compiling the QEMU startup code for the ARMv6-M image",
    )
    elf = work / "ta_app_armv6m.elf"
    run(
        [
            gcc,
            *cortex_m_flags("cortex-m0plus"),
            *common,
            "--specs=rdimon.specs",
            "-nostartfiles",
            f"-L{qemu}",
            "-Tmps2_an386.ld",
            "-Wl,--gc-sections",
            f"-Wl,--defsym=TA_STACK_SIZE={opts.stack_bytes}",
            "-Wl,--defsym=TA_HEAP_SIZE=0",
            "-o",
            str(elf),
            str(startup),
            *(str(s) for s in sources),
            "-lm",
        ],
        f"building the ARMv6-M firmware of {model_dir.name}",
    )
    return elf


def _count_armv6m(model_dir: Path) -> _Counts:
    from tinyaudio.emulate.qemu import check, run_qemu
    from tinyaudio.emulate.results import console_value
    from tinyaudio.emulate.targets import get_target

    frontend = load_compiled(model_dir)["frontend"]
    with tempfile.TemporaryDirectory(prefix="ta_fit_v6m_") as tmp:
        work = Path(tmp)
        elf = build_armv6m_on_m4(model_dir, work)
        pcm = work / "clip.f32"
        _noise_clip(frontend).astype("<f4").tofile(pcm)
        result = check(
            run_qemu(elf, get_target("qemu-m4"), [str(pcm), str(work / "out.txt")], count_instructions=True),
            "the ARMv6-M firmware on qemu-m4",
        )
    counts = result.instructions
    if counts is None or "model" not in counts.regions:
        raise BuildError("the ARMv6-M run reported no model instruction count")
    seconds = int(frontend["clip_samples"]) / float(frontend["sample_rate"])
    fe = counts.regions.get("frontend")
    return _Counts(
        counts.regions["model"].per_call,
        fe.instructions / seconds if fe else None,
        console_value(result.stdout, "TA_STACK_HWM"),
    )


# ------------------------------------------------------------------------------------------------- fit


def fit(
    model_dir: str | Path,
    board: Board,
    *,
    settings: ProjectSettings | None = None,
    measure_latency: bool = True,
) -> FitReport:
    """Flash/RAM budget of `model_dir` (a `tinyaudio compile` output with a frontend) on `board`."""
    model_dir = Path(model_dir).resolve()
    manifest = load_compiled(model_dir)
    settings = settings or settings_for(manifest)
    notes: list[str] = []
    frontend = manifest["frontend"]
    if board.fpu == "none" and str(frontend.get("preset", "")) != "micro-frontend":
        notes.append(
            f"{board.core} has no FPU: the {frontend.get('preset', 'float')} frontend runs in "
            "software floating point; the fixed-point micro-frontend preset suits this core"
        )
    if str(frontend.get("normalize", "none")) != "none":
        notes.append("the frontend normalizes whole clips; a microphone stream has none (gain 1 is used)")

    # Instruction counts (and the measured stack) first: the stack is part of RAM.
    counts: _Counts | None = None
    latency_note = board.cpi.basis
    cpi = board.cpi
    if measure_latency and cpi.method == "measured" and cpi.qemu_target:
        counts = _count_on_target(model_dir, cpi.qemu_target)
    elif measure_latency and cpi.method == "measured-isa":
        counts = _count_armv6m(model_dir)
    elif not measure_latency:
        latency_note = "not measured (--no-latency)"

    cpu = board.gcc_cpu or PROXY_CPU
    if board.gcc_cpu is None:
        notes.append(
            f"no {board.core} compiler here: image sizes are those of the {PROXY_CPU} build (same "
            "weights, arena and buffers; code size differs)"
        )
    with tempfile.TemporaryDirectory(prefix="ta_fit_") as tmp:
        elf = link_portable_image(model_dir, board, settings, Path(tmp), cpu)
        sections = _sections(elf)
    text = (
        sections.get(".text", 0)
        + sections.get(".ARM.exidx", 0)
        + sections.get(".init", 0)
        + sections.get(".fini", 0)
    )
    rodata = sections.get(".rodata", 0)
    data = sections.get(".data", 0)
    bss = sections.get(".bss", 0)
    weights = int(manifest.get("weights_bytes") or 0)
    arena = int(manifest.get("arena_bytes") or 0)
    basis = "measured (ELF sections)" if board.gcc_cpu else f"measured on the {PROXY_CPU} build (proxy)"
    flash_parts = [
        Part("tinyaudio code (.text)", text, basis),
        Part("tinyaudio constants (.rodata, .data)", rodata + data, basis),
        Part("  of which model weights", weights, "manifest.json"),
        Part("framework", board.framework.flash_bytes, "registry (assumed)"),
        Part("head A/B slots (reserved pages)", board.storage.reserved_bytes, "registry"),
    ]
    if counts is not None and counts.stack is not None:
        stack = Part("stack (high-water mark)", counts.stack, f"measured on {cpi.qemu_target}")
    else:
        stack = Part("stack (reserve)", ASSUMED_STACK_BYTES, "assumed: no emulated run of this core")
    ram_parts = [
        Part("tinyaudio static RAM (.data, .bss)", data + bss, basis),
        Part("  of which model arena", arena, "manifest.json"),
        Part("  of which PCM ring", 2 * settings.ring_samples, "ta_board_config.h"),
        stack,
        Part("framework", board.framework.ram_bytes, "registry (assumed)"),
    ]
    latency = None
    if counts is not None and cpi.cpi is not None:
        rate = float(frontend["sample_rate"])
        hop = float(frontend["hop_length"])
        method = (
            f"exact instruction count on {cpi.qemu_target}"
            if cpi.method == "measured"
            else "exact ARMv6-M instruction count (Cortex-M0+ build run on qemu-m4)"
        )
        latency = Latency(
            counts.model,
            counts.frontend_per_second,
            cpi.cpi,
            board.clock_hz,
            method,
            cpi.basis,
            rate / (hop * settings.stride_frames),
        )
        ring_ms = 1e3 * (settings.ring_samples - hop) / rate
        if latency.ms_per_inference > ring_ms:
            notes.append(
                f"one inference ({latency.ms_per_inference:.0f} ms) outlasts the PCM ring "
                f"({ring_ms:.0f} ms of audio beyond a hop): samples would be dropped; enlarge the ring"
            )
        if latency.cpu_load is not None and latency.cpu_load > 1.0:
            notes.append(
                f"the frontend and model need {100 * latency.cpu_load:.0f} % of the core at this "
                "stride: the board cannot keep up in real time"
            )
    return FitReport(
        board.name,
        str(model_dir),
        Budget(board.flash_bytes, flash_parts),
        Budget(board.ram_bytes, ram_parts),
        latency,
        latency_note,
        notes,
    )
