"""The QEMU platform itself: faults end the run with their code, exit codes propagate, and the
instruction-count plugin is exact and repeatable. Uses small bare-metal programs (c/qemu_cases.c)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyaudio.emulate.build import build_bare_metal_program
from tinyaudio.emulate.qemu import check, describe_exit, run_qemu
from tinyaudio.emulate.targets import get_target
from tinyaudio.errors import BuildError

pytestmark = pytest.mark.qemu
CASES = Path(__file__).parent / "c" / "qemu_cases.c"
PROBES = Path(__file__).resolve().parents[3] / "firmware" / "app" / "ta_probe.c"


@pytest.fixture(scope="module", params=["qemu-m4", "qemu-m55"])
def program(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(request.param) / "qemu_cases.elf"
    return request.param, build_bare_metal_program([CASES, PROBES], request.param, out)


@pytest.mark.parametrize(
    ("case", "codes"),
    [
        ("bus_fault", {69}),               # BusFault: load from unmapped memory
        ("undefined_instruction", {70}),   # UsageFault: UDF
        ("divide_by_zero", {70}),          # UsageFault: DIV_0_TRP
        ("stack_overflow", {68, 70}),  # M4: MPU guard -> MemManage; M55: PSPLIM -> UsageFault
    ],
)
def test_fault_exits_with_its_code(program: tuple[str, Path], case: str, codes: set[int]) -> None:
    target, elf = program
    run = run_qemu(elf, get_target(target), [case], timeout=60)
    assert run.returncode in codes, (run.returncode, run.stderr)
    assert "TA_FAULT" in run.stderr
    with pytest.raises(BuildError, match=r"TA_FAULT \w+ ipsr="):
        check(run, case)


def test_exit_code_propagates(program: tuple[str, Path]) -> None:
    target, elf = program
    assert run_qemu(elf, get_target(target), ["exit_code"], timeout=60).returncode == 42
    assert run_qemu(elf, get_target(target), ["ok"], timeout=60).returncode == 0


def test_instruction_counts_exact_and_repeatable(program: tuple[str, Path]) -> None:
    target, elf = program
    first = run_qemu(elf, get_target(target), ["count"], count_instructions=True, timeout=60)
    second = run_qemu(elf, get_target(target), ["count"], count_instructions=True, timeout=60)
    assert first.returncode == 0 and first.instructions is not None
    assert first.instructions == second.instructions
    model = first.instructions.regions["model"]
    assert model.calls == 5
    # The same loop each round: every pass costs the same, and the 1000 iterations dominate.
    assert model.min == model.max
    assert 1000 * 3 <= model.min <= 1000 * 12
    assert first.instructions.total > model.instructions


def test_fault_names() -> None:
    assert describe_exit(69) == "BusFault (exit 69)"
    assert describe_exit(67) == "HardFault (exit 67)"
    assert describe_exit(1) == "exit 1"
