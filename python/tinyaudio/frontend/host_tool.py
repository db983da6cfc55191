"""`ta_frontend_host` (firmware/frontend/host/): the C frontend as a command-line program for one
configuration. It computes a float32 file's features whole-clip or hop by hop, checks its own error paths and
const tables, and measures throughput (`bench`). The benchmarks time it and the tests run it under
sanitizers; both build it here, through tinyaudio.cbuild.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tinyaudio.cbuild import compile_executable
from tinyaudio.frontend.config import FrontendConfig
from tinyaudio.frontend.tables import config_to_c
from tinyaudio.resources import firmware_dir

# Warnings the frontend sources also build clean with, beyond the project's -Wall -Wextra -Werror.
FRONTEND_WARNINGS = ("-Wshadow", "-Wdouble-promotion", "-Wconversion", "-Wno-sign-conversion")


def build_frontend_host_tool(
    config: FrontendConfig, work_dir: Path, *, flags: Sequence[str] = ("-O2",), sanitize: bool = False
) -> Path:
    """Builds ta_frontend_host with `config` and its const tables (config_to_c) in `work_dir`; returns it."""
    frontend = firmware_dir() / "frontend"
    work_dir.mkdir(parents=True, exist_ok=True)
    config_c = work_dir / "ta_frontend_host_config.c"
    config_c.write_text('#include "ta_frontend.h"\n' + config_to_c(config))
    return compile_executable(
        [*sorted(frontend.glob("*.c")), frontend / "host" / "ta_frontend_host.c", config_c],
        "ta_frontend_host",
        include_dirs=[frontend],
        flags=flags,
        sanitize=sanitize,
        cache_dir=work_dir / "build",
        what="building ta_frontend_host",
    )
