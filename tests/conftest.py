"""Fixtures shared by every suite: where the real recordings are, and a scratch cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def datasets_root() -> Path:
    """$TINYAUDIO_DATASETS, else ../shared/datasets beside the repository (as CI lays it out)."""
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    root = datasets_root()
    if not (root / "fsdd").is_dir():
        raise RuntimeError(f"test datasets not found at {root}; set TINYAUDIO_DATASETS")
    return root


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's feature cache."""
    if "TINYAUDIO_CACHE" not in os.environ:
        os.environ["TINYAUDIO_CACHE"] = str(tmp_path_factory.mktemp("tinyaudio-cache"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under `make test` (TINYAUDIO_NO_SKIPS=1) a skipped test is a failure: the Makefile installs every tool,
    so a skip there would mean a check silently did not run."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("TINYAUDIO_NO_SKIPS") == "1" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under TINYAUDIO_NO_SKIPS=1 (make test): {report.longrepr}"
