"""Running a bare-metal firmware ELF in QEMU (semihosting for files and the exit code), optionally
under the instruction-count plugin."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tinyaudio.emulate.plugin import InstructionCounts, build_plugin, parse_report
from tinyaudio.emulate.targets import Target
from tinyaudio.emulate.tools import require
from tinyaudio.errors import BuildError

# Exit codes of firmware/platform/qemu (ta_qemu.h): 64 + exception number for faults.
FAULT_EXIT_BASE = 64
FAULT_NAMES = {2: "NMI", 3: "HardFault", 4: "MemManage", 5: "BusFault", 6: "UsageFault", 7: "SecureFault",
               11: "SVCall", 12: "DebugMonitor", 14: "PendSV", 15: "SysTick"}
EXIT_CMDLINE = 60

#: Probe pairs compiled into the firmware (firmware/app/ta_probe.c): region name -> symbols.
PROBES = {
    "frontend": ("ta_probe_frontend_begin", "ta_probe_frontend_end"),
    "model": ("ta_probe_model_begin", "ta_probe_model_end"),
    # one on-device head update (firmware/ondevice/ta_head_probe.c; only in the ta_adapt program)
    "head_update": ("ta_probe_head_update_begin", "ta_probe_head_update_end"),
}


@dataclass(frozen=True)
class QemuRun:
    returncode: int
    stdout: str
    stderr: str
    instructions: InstructionCounts | None


def describe_exit(code: int) -> str:
    """A human name for a firmware exit code ('BusFault (exit 69)', 'exit 1', ...)."""
    if FAULT_EXIT_BASE + 2 <= code <= 127:
        exc = code - FAULT_EXIT_BASE
        name = FAULT_NAMES.get(exc, f"exception {exc}" if exc < 16 else f"interrupt {exc - 16}")
        return f"{name} (exit {code})"
    if code == EXIT_CMDLINE:
        return f"bad semihosting command line (exit {code})"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit {code}"


def symbol_addresses(elf: Path, names: list[str]) -> dict[str, int]:
    """Addresses of the given global symbols in `elf` (arm-none-eabi-nm)."""
    nm = require("arm-none-eabi-nm")
    out = subprocess.run([nm, str(elf)], capture_output=True, text=True, check=True).stdout
    wanted = set(names)
    found: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in wanted:
            found[parts[2]] = int(parts[0], 16)
    return found


def run_qemu(
    elf: Path,
    target: Target,
    args: list[str],
    *,
    count_instructions: bool = False,
    timeout: float = 900.0,
) -> QemuRun:
    """Runs `elf` on the target's QEMU machine with `args` as its semihosting argv[1:]. Arguments must
    not contain spaces or commas (the firmware splits its command line on spaces; QEMU's option parser
    on commas). Never raises on a non-zero exit: see `check`."""
    if not target.is_qemu:
        raise BuildError(f"target {target.name} is not a QEMU target")
    qemu = require("qemu-system-arm")
    for a in args:
        if " " in a or "," in a:
            raise BuildError(f"QEMU firmware argument must not contain spaces or commas: {a!r}")
    semihosting = ",".join(["enable=on", "target=native", f"arg={elf.name}"] + [f"arg={a}" for a in args])
    cmd = [qemu, "-M", str(target.machine), "-nographic", "-monitor", "none", "-serial", "none",
           "-semihosting-config", semihosting, "-kernel", str(elf)]
    with tempfile.TemporaryDirectory(prefix="ta_qemu_") as tmp:
        report = Path(tmp) / "insn.txt"
        if count_instructions:
            addresses = symbol_addresses(elf, [s for pair in PROBES.values() for s in pair])
            plugin_args = [f"out={report}"]
            for region, (begin, end) in PROBES.items():
                if begin in addresses and end in addresses:
                    plugin_args.append(f"region={region}:{addresses[begin]:#x}:{addresses[end]:#x}")
            cmd[1:1] = ["-plugin", ",".join([str(build_plugin())] + plugin_args)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BuildError(f"{elf.name} on {target.name} did not finish within {timeout:.0f} s") from None
        counts = None
        if count_instructions and proc.returncode != 0 and "plugin" in proc.stderr.lower():
            raise BuildError(f"{qemu} could not load the instruction-count plugin (built without TCG plugin "
                             f"support?): {proc.stderr.strip()[-300:]}")
        if count_instructions and proc.returncode == 0:
            counts = parse_report(report.read_text() if report.is_file() else "")
    return QemuRun(proc.returncode, proc.stdout, proc.stderr, counts)


def check(run: QemuRun, what: str) -> QemuRun:
    """Raises BuildError naming the fault (and the firmware's own fault line) unless the run exited 0."""
    if run.returncode == 0:
        return run
    lines = [ln for ln in (run.stdout + "\n" + run.stderr).splitlines() if re.match(r"TA_(FAULT|ERROR)", ln)]
    detail = f": {lines[-1]}" if lines else ""
    tail = "" if lines else ": " + " | ".join((run.stdout + run.stderr).strip().splitlines()[-3:])
    raise BuildError(f"{what} failed with {describe_exit(run.returncode)}{detail}{tail}")
