"""Shared fixtures of the frontend suite: real clips by path, and TensorFlow imported once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def speech_clips(datasets_dir: Path) -> list[Path]:
    """24 Speech Commands v2 clips spread over every class (every 37th file in sorted order)."""
    files = sorted((datasets_dir / "speech_commands_v2_dev").glob("*/*.wav"))
    picked = files[::37][:24]
    assert len(picked) == 24
    return picked


@pytest.fixture(scope="session")
def micro_speech_clips(datasets_dir: Path) -> list[Path]:
    """TFLM micro_speech test clips: yes/no/silence/noise 1 s and the 30 ms snippets."""
    files = sorted((datasets_dir / "tflm_micro_speech" / "testdata").glob("*.wav"))
    assert len(files) >= 6
    return files


@pytest.fixture(scope="session")
def tf() -> Any:
    """TensorFlow, imported once per session (it takes seconds)."""
    return pytest.importorskip("tensorflow")
