"""Where the files that ship beside the Python code live: firmware sources, the QEMU plugin source, recipes,
board files.

In a checkout they sit at the repository root (`firmware/`, `models/`, `tools/`); a wheel carries copies under
`tinyaudio/_data/` (setup.py copies them at build time). Every module finds them through this one accessor,
as emlearn's `get_include_dir()` does, so an installed package works the same as a checkout.
`$TINYAUDIO_FIRMWARE_DIR` overrides the firmware tree (a user's patched copy).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from tinyaudio.errors import BuildError

_PACKAGE = Path(__file__).resolve().parent
_DATA = _PACKAGE / "_data"
# python/tinyaudio/ -> repository root, when running from a checkout
_CHECKOUT = _PACKAGE.parents[1]

# Name in the wheel (under _data/) -> path in the checkout (from the repository root).
SHIPPED = {
    "firmware": "firmware",
    "models": "models",
    "qemu_plugin": "tools/qemu_plugin",
}


@cache
def _shipped(name: str) -> Path:
    for root in (_DATA / name, _CHECKOUT / SHIPPED[name]):
        if root.is_dir():
            return root
    raise BuildError(
        f"tinyaudio's {name} files are missing (looked in {_DATA / name} and {_CHECKOUT / SHIPPED[name]}); "
        "reinstall the package"
    )


def firmware_dir() -> Path:
    """The firmware/ tree (C frontend, runtime, app, platforms, CMake files)."""
    env = os.environ.get("TINYAUDIO_FIRMWARE_DIR")
    root = Path(env) if env else _shipped("firmware")
    if not (root / "CMakeLists.txt").is_file():
        raise BuildError(
            f"firmware sources not found at {root} (check TINYAUDIO_FIRMWARE_DIR)"
        )
    return root


def include_dirs() -> list[Path]:
    """Header directories a program that uses the frontend and the runtime needs."""
    fw = firmware_dir()
    runtime = fw / "runtime"
    return [fw / "frontend", runtime, runtime / "support", runtime / "kernels", fw / "app", fw / "platform"]


def models_dir() -> Path:
    """The shipped training recipes (YAML)."""
    return _shipped("models")


def qemu_plugin_source() -> Path:
    """The instruction-counting TCG plugin's C source."""
    src = _shipped("qemu_plugin") / "ta_insn_count.c"
    if not src.is_file():
        raise BuildError(f"QEMU plugin source not found at {src}")
    return src


def checkout_root() -> Path | None:
    """The repository root when running from a checkout (None when installed from a wheel)."""
    return _CHECKOUT if (_CHECKOUT / "firmware" / "CMakeLists.txt").is_file() and not _DATA.is_dir() else None
