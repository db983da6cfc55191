"""Where firmware can run: the host itself, or a Cortex-M machine emulated by QEMU."""

from __future__ import annotations

from dataclasses import dataclass

from tinyaudio.errors import BuildError


@dataclass(frozen=True)
class Target:
    """One place the firmware runs. `cpu`/`machine` are None for the host."""

    name: str
    cpu: str | None
    machine: str | None
    linker_script: str | None

    @property
    def is_qemu(self) -> bool:
        return self.machine is not None


TARGETS: dict[str, Target] = {
    "host": Target("host", None, None, None),
    "qemu-m4": Target("qemu-m4", "cortex-m4", "mps2-an386", "mps2_an386.ld"),
    "qemu-m55": Target("qemu-m55", "cortex-m55", "mps3-an547", "mps3_an547.ld"),
}
TARGET_NAMES = tuple(TARGETS)


def get_target(name: str) -> Target:
    """The target called `name` ('host', 'qemu-m4', 'qemu-m55')."""
    try:
        return TARGETS[name]
    except KeyError:
        raise BuildError(f"unknown target '{name}' (choose from {', '.join(TARGET_NAMES)})") from None
