"""The project's QEMU TCG plugin (tools/qemu_plugin/ta_insn_count.c), built with the system C
compiler on first use and cached by the hash of its source."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tinyaudio.emulate.tools import require
from tinyaudio.errors import BuildError


def plugin_source() -> Path:
    src = Path(__file__).resolve().parents[3] / "tools" / "qemu_plugin" / "ta_insn_count.c"
    if not src.is_file():
        raise BuildError(f"QEMU plugin source not found at {src}")
    return src


def build_plugin(cache_dir: Path | None = None) -> Path:
    """Path of the compiled plugin (.so), compiling it if this source has not been built yet."""
    from tinyaudio.data.cache import default_cache_dir

    src = plugin_source()
    key = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    out_dir = (cache_dir or default_cache_dir()) / "qemu_plugin"
    lib = out_dir / f"libta_insn_count-{key}.so"
    if lib.is_file():
        return lib
    cc = os.environ.get("CC") or require("cc")
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=out_dir)
    os.close(fd)
    cmd = [cc, "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-fvisibility=hidden",
           "-o", tmp, str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        os.unlink(tmp)
        raise BuildError(f"compiling the QEMU plugin failed:\n{proc.stderr.strip()}")
    os.replace(tmp, lib)
    return lib


@dataclass(frozen=True)
class RegionCount:
    """Instructions between a region's begin and end probes, over all `calls` passes."""

    calls: int
    instructions: int
    min: int
    max: int

    @property
    def per_call(self) -> float:
        return self.instructions / self.calls if self.calls else 0.0


@dataclass(frozen=True)
class InstructionCounts:
    """Guest instructions of one QEMU run: all of them, and per probed region."""

    total: int
    regions: dict[str, RegionCount] = field(default_factory=dict)


def parse_report(text: str) -> InstructionCounts:
    """Reads the plugin's report ("total N" / "region NAME CALLS INSNS MIN MAX" lines)."""
    total = None
    regions: dict[str, RegionCount] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "total":
            total = int(parts[1])
        elif len(parts) == 6 and parts[0] == "region":
            calls, insns, lo, hi = (int(p) for p in parts[2:])
            regions[parts[1]] = RegionCount(calls, insns, lo, hi)
    if total is None:
        raise BuildError("the QEMU instruction-count plugin wrote no report")
    return InstructionCounts(total, regions)
