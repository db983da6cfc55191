"""Builds the int8 kernel test harness (harness.c, ASan + UBSan, -Werror) once per session."""

from __future__ import annotations

import pytest
from kernel_harness import Harness, build_harness


@pytest.fixture(scope="session")
def harness() -> Harness:
    return build_harness()
