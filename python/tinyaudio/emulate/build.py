"""Cached CMake builds of the firmware (firmware/CMakeLists.txt) for one compiled model and target.

The cache key covers every firmware source, the model's generated files and the build options, so an
edit anywhere rebuilds and an unchanged tree costs nothing. Builds land in
`<cache>/firmware/<key>/` (cache: $TINYAUDIO_CACHE or the user's cache directory).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinyaudio import manifest as manifests
from tinyaudio.emulate.targets import Target, get_target
from tinyaudio.emulate.tools import require
from tinyaudio.errors import BuildError

_BUILD_FORMAT = 1  # bump when the build layout changes


def firmware_dir() -> Path:
    """The firmware/ tree of this checkout ($TINYAUDIO_FIRMWARE_DIR overrides)."""
    env = os.environ.get("TINYAUDIO_FIRMWARE_DIR")
    root = Path(env) if env else Path(__file__).resolve().parents[3] / "firmware"
    if not (root / "CMakeLists.txt").is_file():
        raise BuildError(f"firmware sources not found at {root} (set TINYAUDIO_FIRMWARE_DIR)")
    return root


@dataclass(frozen=True)
class BuildOptions:
    """Sizes fixed at build time. `from_manifest` fits them to the model's frontend."""

    frontend_max_fft: int = 1024
    frontend_max_mel_bins: int = 128
    app_max_clip_samples: int = 16000
    stack_bytes: int = 32768
    sanitize: bool = False  # host only: -fsanitize=address,undefined

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any], **overrides: Any) -> BuildOptions:
        frontend = manifest.get("frontend") or None
        if frontend is None:
            return cls(app_max_clip_samples=0, **overrides)
        fft = int(frontend.get("fft_length", 1024))
        mels = int(frontend.get("num_mel_bins", 128))
        normalize = str(frontend.get("normalize", "none")) != "none"
        clip = int(frontend.get("clip_samples", 16000)) if normalize else 0
        return cls(frontend_max_fft=fft, frontend_max_mel_bins=mels, app_max_clip_samples=clip, **overrides)


@dataclass(frozen=True)
class FirmwareBuild:
    """The executables of one build: `app` (PCM clips → results; only for models with a frontend)
    and `tensor` (raw int8 tensors → outputs; None until firmware/app/ta_tensor_main.c exists)."""

    target: Target
    model_dir: Path
    build_dir: Path
    options: BuildOptions
    app: Path | None
    tensor: Path | None


def read_manifest(model_dir: Path) -> dict[str, Any]:
    return manifests.read_manifest(model_dir, "compiled-model", missing_ok=True)


def _source_files(root: Path) -> list[Path]:
    suffixes = {".c", ".h", ".ld", ".cmake", ".txt"}
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


def _cache_key(model_dir: Path, target: Target, options: BuildOptions) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([_BUILD_FORMAT, target.name, options.__dict__], sort_keys=True).encode())
    root = firmware_dir()
    for path in _source_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    for name in ("model.c", "model.h"):
        digest.update(name.encode())
        digest.update((model_dir / name).read_bytes())
    return digest.hexdigest()[:24]


def _cache_root() -> Path:
    from tinyaudio.data.cache import default_cache_dir

    return default_cache_dir() / "firmware"


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n{tail}")


def build_firmware(
    model_dir: str | Path,
    target: str | Target,
    options: BuildOptions | None = None,
    *,
    cache_dir: Path | None = None,
) -> FirmwareBuild:
    """Builds (or reuses) the firmware for `model_dir` (the output of `tinyaudio compile`) on `target`."""
    model_dir = Path(model_dir).resolve()
    tgt = get_target(target) if isinstance(target, str) else target
    for name in ("model.c", "model.h"):
        if not (model_dir / name).is_file():
            raise BuildError(f"{model_dir}: no {name} (is this a `tinyaudio compile` output directory?)")
    manifest = read_manifest(model_dir)
    opts = options or BuildOptions.from_manifest(manifest)
    if opts.sanitize and tgt.is_qemu:
        raise BuildError("sanitizers exist only for the host target")
    require("cmake")
    require("arm-none-eabi-gcc" if tgt.is_qemu else "cc")

    root = (cache_dir or _cache_root()).resolve()
    final = root / _cache_key(model_dir, tgt, opts)
    if not (final / "BUILD_OK").is_file():
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=final.name + ".tmp", dir=root))
        try:
            _configure_and_build(model_dir, tgt, opts, work)
            (work / "BUILD_OK").write_text("ok\n")
            try:
                os.replace(work, final)  # atomic; a concurrent identical build may have won
            except OSError:
                if not (final / "BUILD_OK").is_file():
                    raise
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    app = final / "ta_app"
    tensor = final / "ta_tensor"
    return FirmwareBuild(
        target=tgt,
        model_dir=model_dir,
        build_dir=final,
        options=opts,
        app=app if app.is_file() else None,
        tensor=tensor if tensor.is_file() else None,
    )


def _configure_and_build(model_dir: Path, target: Target, opts: BuildOptions, work: Path) -> None:
    fw = firmware_dir()
    cmd = [
        "cmake",
        "-S",
        str(fw),
        "-B",
        str(work),
        f"-DTA_MODEL_DIR={model_dir}",
        f"-DTA_FRONTEND_MAX_FFT={opts.frontend_max_fft}",
        f"-DTA_FRONTEND_MAX_MEL_BINS={opts.frontend_max_mel_bins}",
        f"-DTA_APP_MAX_CLIP_SAMPLES={opts.app_max_clip_samples}",
        f"-DTA_STACK_SIZE={opts.stack_bytes}",
        f"-DTA_SANITIZE={'ON' if opts.sanitize else 'OFF'}",
    ]
    if target.is_qemu:
        cmd += [f"-DCMAKE_TOOLCHAIN_FILE={fw / 'cmake' / 'arm-none-eabi.cmake'}", f"-DTA_CPU={target.cpu}"]
    _run(cmd, work, f"configuring the {target.name} firmware for {model_dir}")
    what = f"building the {target.name} firmware for {model_dir}"
    _run(["cmake", "--build", str(work), "-j", "2"], work, what)


def build_bare_metal_program(
    sources: list[Path], target: str | Target, out: Path, *, stack_bytes: int = 8192, heap_bytes: int = 0
) -> Path:
    """Links stand-alone C sources with the QEMU platform (startup, fault handler, semihosting) into
    one ELF: for small test programs (e.g. ones that fault on purpose) that need no model."""
    tgt = get_target(target) if isinstance(target, str) else target
    if not tgt.is_qemu:
        raise BuildError("bare-metal programs are for QEMU targets")
    gcc = require("arm-none-eabi-gcc")
    fw = firmware_dir()
    qemu_dir = fw / "platform" / "qemu"
    cpu_flags = {
        "cortex-m4": ["-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"],
        "cortex-m55": ["-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"],
    }[str(tgt.cpu)]
    platform_sources = [qemu_dir / n for n in ("ta_startup.c", "ta_semihost.c", "ta_syscalls.c")]
    cmd = [gcc, *cpu_flags, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-ffunction-sections",
           "-fdata-sections", f"-I{qemu_dir}", f"-I{fw / 'platform'}", f"-I{fw / 'app'}",
           "--specs=rdimon.specs", "-nostartfiles", f"-L{qemu_dir}", f"-T{tgt.linker_script}",
           "-Wl,--gc-sections", f"-Wl,--defsym=TA_STACK_SIZE={stack_bytes}",
           f"-Wl,--defsym=TA_HEAP_SIZE={heap_bytes}", "-o", str(out),
           *(str(s) for s in sources), *(str(s) for s in platform_sources), "-lm"]
    out.parent.mkdir(parents=True, exist_ok=True)
    _run(cmd, out.parent, f"building {out.name} for {tgt.name}")
    return out
