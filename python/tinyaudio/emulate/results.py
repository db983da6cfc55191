"""Parsing what the firmware writes: result lines and console markers (firmware/app/ta_app_main.c)."""

from __future__ import annotations

import re

import numpy as np

from tinyaudio.errors import BuildError


def parse_results(text: str, num_scores: int) -> tuple[np.ndarray, np.ndarray]:
    """'<index> <label> <s0> ... <sK-1>' lines -> (labels (N,) int64, scores (N, K) int8)."""
    rows = [line.split() for line in text.splitlines() if line.strip()]
    labels = np.zeros(len(rows), dtype=np.int64)
    scores = np.zeros((len(rows), num_scores), dtype=np.int8)
    for i, row in enumerate(rows):
        if len(row) != num_scores + 2 or int(row[0]) != i:
            raise BuildError(f"malformed firmware result line {i}: {' '.join(row)[:120]!r}")
        labels[i] = int(row[1])
        scores[i] = np.array([int(v) for v in row[2:]], dtype=np.int8)
    return labels, scores


def console_value(text: str, key: str) -> int | None:
    """The N of a 'KEY...=N' console line (e.g. console_value(out, 'TA_STACK_HWM'))."""
    m = re.search(rf"^{re.escape(key)}\s+\w+=(\d+)", text, flags=re.MULTILINE)
    return int(m.group(1)) if m else None
