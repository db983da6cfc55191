"""The one place that knows how C is compiled for tinyaudio: warning flags, sanitizer flags, Cortex-M flags,
include directories, and a content-addressed cache of built executables.

Every C build driven from Python (host tensor runners, test harnesses, the QEMU plugin, bare-metal test
programs, benchmarks) goes through `compile_executable`; CMake builds of the whole firmware take their flags
from the same lists (`cmake_definitions`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tinyaudio.errors import BuildError

_CACHE_FORMAT = 1

STD = "-std=c99"
WARN_FLAGS: tuple[str, ...] = ("-Wall", "-Wextra", "-Werror")
STRICT_FLAGS: tuple[str, ...] = (STD, *WARN_FLAGS)
SANITIZE_FLAGS: tuple[str, ...] = (
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    "-fno-omit-frame-pointer",
    "-g",
)
# -mcpu/-mfpu/-mfloat-abi per Cortex-M core the project builds for.
CORTEX_M_FLAGS: dict[str, tuple[str, ...]] = {
    "cortex-m0plus": ("-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"),
    "cortex-m4": ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"),
    "cortex-m7": ("-mcpu=cortex-m7", "-mthumb", "-mfpu=fpv5-d16", "-mfloat-abi=hard"),
    "cortex-m33": ("-mcpu=cortex-m33", "-mthumb", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard"),
    "cortex-m55": ("-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"),
}


def require(tool: str) -> str:
    """Absolute path of `tool` on PATH, or a BuildError naming the Debian package that provides it."""
    from tinyaudio.emulate.tools import require as _require

    return _require(tool)


def cortex_m_flags(cpu: str) -> tuple[str, ...]:
    try:
        return CORTEX_M_FLAGS[cpu]
    except KeyError:
        known = ", ".join(sorted(CORTEX_M_FLAGS))
        raise BuildError(f"unknown Cortex-M core {cpu!r} (known: {known})") from None


def host_cc() -> str:
    return os.environ.get("CC") or require("cc")


def default_cache_dir() -> Path:
    from tinyaudio.data.cache import default_cache_dir as _cache

    return _cache() / "cbuild"


def run(cmd: Sequence[str], what: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Runs a compiler (or CMake) command; a failure becomes a BuildError with the last lines it printed."""
    proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise BuildError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc


def _digest(parts: Sequence[str], files: Sequence[Path]) -> str:
    h = hashlib.sha256(repr((_CACHE_FORMAT, list(parts))).encode())
    for path in files:
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:24]


def _headers(include_dirs: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for d in include_dirs:
        if d.is_dir():
            out.extend(sorted(d.glob("*.h")))
    return out


def compile_executable(
    sources: Sequence[Path],
    name: str,
    *,
    include_dirs: Sequence[Path] = (),
    defines: dict[str, str | int] | None = None,
    flags: Sequence[str] = ("-O2",),
    libs: Sequence[str] = ("-lm",),
    sanitize: bool = False,
    cc: str | None = None,
    shared: bool = False,
    cache_dir: Path | None = None,
    what: str | None = None,
) -> Path:
    """Compiles `sources` into one executable (or, with `shared`, a shared library) with the project's strict
    flags, and returns its path. The result is cached by a hash of the sources, the headers in
    `include_dirs`, the flags and the compiler, so an unchanged build costs one hash."""
    compiler = cc or host_cc()
    srcs = [Path(s).resolve() for s in sources]
    incs = [Path(d).resolve() for d in include_dirs]
    for src in srcs:
        if not src.is_file():
            raise BuildError(f"C source not found: {src}")
    args = [*STRICT_FLAGS, *flags]
    if sanitize:
        args += SANITIZE_FLAGS
    if shared:
        args += ["-shared", "-fPIC"]
    args += [f"-I{d}" for d in incs]
    args += [f"-D{k}={v}" for k, v in sorted((defines or {}).items())]
    key = _digest([compiler, *args, *libs, name], [*srcs, *_headers(incs)])
    root = (cache_dir or default_cache_dir()).resolve() / key
    out = root / name
    if out.is_file():
        return out
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=name + ".", dir=root)
    os.close(fd)
    try:
        run([compiler, *args, "-o", tmp, *(str(s) for s in srcs), *libs], what or f"compiling {name}")
        os.chmod(tmp, 0o755)
        os.replace(tmp, out)  # atomic: a concurrent identical build may land first, same bytes
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def clear_cache(cache_dir: Path | None = None) -> None:
    shutil.rmtree(cache_dir or default_cache_dir(), ignore_errors=True)
