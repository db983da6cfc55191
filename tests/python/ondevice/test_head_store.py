"""A/B head slots (firmware/ondevice/ta_head_store.c) on a NOR-flash shim that loses power at a chosen unit
(byte written or sector erased), leaving a torn byte or a sector of random bytes: every boot gets the old
head or the new one. Corrupt, truncated, foreign and erased slots are refused with a named reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ondevice_helpers import C_DIR, build_program, ondevice_sources, run_program  # noqa: I001

STORE_SOURCES = ("ta_head.c", "ta_head_exp.c", "ta_head_record.c", "ta_head_store.c", "ta_crc32.c")


def store_test(target: str = "host") -> Path:
    sources = [C_DIR / "store_test.c", C_DIR / "nor_shim.c", *ondevice_sources(*STORE_SOURCES)]
    # the store of the host/QEMU adapt builds: 18,432 bytes, two 9 KB slots
    return build_program(sources, "store_test", target, defines={"TA_PLATFORM_STORAGE_BYTES": "18432u"})


@pytest.mark.parametrize(("target", "trials"), [("host", 600), ("qemu-m4", 60)])
def test_power_cut_at_random_offsets_leaves_old_or_new(target: str, trials: int) -> None:
    _, out = run_program(store_test(target), target, ["powercut", "7", str(trials)])
    m = re.search(r"TA_STORE_OK powercut trials=(\d+) old=(\d+) new=(\d+) save_units=(\d+)", out)
    assert m, out
    n, old, new, units = (int(g) for g in m.groups())
    assert n == trials and old + new == trials
    assert old > 0 and new > 0  # both outcomes were exercised
    assert units > 2000  # a 10 x 48 head: 9 sector erases + 2,276 bytes


def test_refusals_name_the_reason() -> None:
    _, out = run_program(store_test(), "host", ["refusals"])
    assert "TA_STORE_OK refusals" in out
    lines = dict(re.findall(r"TA_STORE_CHECK (.+?): (.+)", out))
    assert lines["slot A for another model"] == "head for another model"
    assert lines["slot B for another frontend"] == "head for another frontend configuration"
    assert lines["slot B with one flipped bit"] == "CRC mismatch (corrupt or incomplete)"
    assert lines["slot A with an impossible length"] == "inconsistent or oversized record"
    assert lines["slot A of random bytes"] == "no head record (bad magic)"
    assert lines["slot A erased"] == "erased"
