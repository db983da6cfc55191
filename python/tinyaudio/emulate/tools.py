"""Locating the external programs the emulator drivers need, with install hints when missing."""

from __future__ import annotations

import shutil

from tinyaudio.errors import BuildError

_DEBIAN_PACKAGE = {
    "cmake": "cmake",
    "arm-none-eabi-gcc": "gcc-arm-none-eabi libnewlib-arm-none-eabi",
    "arm-none-eabi-size": "binutils-arm-none-eabi",
    "arm-none-eabi-nm": "binutils-arm-none-eabi",
    "qemu-system-arm": "qemu-system-arm",
    "cc": "gcc",
}


def require(program: str) -> str:
    """Absolute path of `program`, or BuildError naming the Debian package that provides it."""
    path = shutil.which(program)
    if path is None:
        package = _DEBIAN_PACKAGE.get(program, program)
        raise BuildError(f"'{program}' not found on PATH: install it (sudo apt-get install -y {package})")
    return path


def available(*programs: str) -> bool:
    """True when every program is on PATH (tests use it to skip)."""
    return all(shutil.which(p) is not None for p in programs)
