"""Flash and RAM of a Cortex-M firmware image, from its section headers and symbol table.

flash = everything loaded into the image: vectors, .text, .rodata (weights, tables), .ARM.exidx,
        init/fini arrays and the initial values of .data;
ram   = .data + .bss (the model arena, the frontend state, the app's buffers) + the heap reserve
        (0 for the application) + the stack actually used (high-water mark from stack painting).
The stack *reserve* (what the linker set aside: main stack + the fault handler's 1 KB) is reported
separately from what was used.
"""

from __future__ import annotations

import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tinyaudio.emulate.tools import require

_FLASH_SECTIONS = (
    ".vectors", ".text", ".rodata", ".ARM.exidx", ".ARM.extab", ".preinit_array", ".init_array", ".fini_array"
)
# Symbols whose sizes the report breaks out (static objects of the app and runtime).
_NAMED_BUFFERS = {
    "app_state_bytes": ("ta_app_instance",),          # ta_app_t: frontend state + quantized window
    "clip_buffer_bytes": ("ta_app_clip_buffer",),      # only for frontends that normalize clips
    "hop_buffer_bytes": ("ta_app_hop_buffer",),
}


@dataclass(frozen=True)
class SizeReport:
    flash_bytes: int
    ram_bytes: int          # static RAM + stack high-water mark (when measured)
    text_bytes: int
    rodata_bytes: int
    data_bytes: int
    bss_bytes: int
    heap_reserved_bytes: int
    stack_reserved_bytes: int
    stack_high_water_bytes: int | None
    arena_bytes: int | None        # the model's activation arena (manifest), part of .bss
    weights_bytes: int | None      # the model's const weights (manifest), part of .rodata
    app_state_bytes: int
    clip_buffer_bytes: int
    hop_buffer_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def section_sizes(elf: Path) -> dict[str, int]:
    """Section name -> size, from `arm-none-eabi-size -A`."""
    size = require("arm-none-eabi-size")
    out = subprocess.run([size, "-A", str(elf)], capture_output=True, text=True, check=True).stdout
    sizes: dict[str, int] = {}
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) == 3 and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def symbol_sizes(elf: Path) -> dict[str, int]:
    nm = require("arm-none-eabi-nm")
    out = subprocess.run([nm, "-S", str(elf)], capture_output=True, text=True, check=True).stdout
    sizes: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def size_report(
    elf: Path, manifest: dict[str, Any] | None = None, stack_high_water: int | None = None
) -> SizeReport:
    """Flash/RAM figures of a Cortex-M ELF built by firmware/CMakeLists.txt."""
    sections = section_sizes(elf)
    symbols = symbol_sizes(elf)
    data = sections.get(".data", 0)
    bss = sections.get(".bss", 0)
    heap = sections.get(".heap", 0)
    flash = sum(sections.get(s, 0) for s in _FLASH_SECTIONS) + data
    static_ram = data + bss + heap
    named = {key: sum(symbols.get(s, 0) for s in syms) for key, syms in _NAMED_BUFFERS.items()}
    manifest = manifest or {}
    return SizeReport(
        flash_bytes=flash,
        ram_bytes=static_ram + (stack_high_water or 0),
        text_bytes=sections.get(".text", 0) + sections.get(".vectors", 0),
        rodata_bytes=sections.get(".rodata", 0),
        data_bytes=data,
        bss_bytes=bss,
        heap_reserved_bytes=heap,
        stack_reserved_bytes=sections.get(".stack", 0) + sections.get(".handler_stack", 0),
        stack_high_water_bytes=stack_high_water,
        arena_bytes=manifest.get("arena_bytes"),
        weights_bytes=manifest.get("weights_bytes"),
        **named,
    )
