"""Runs the C int8 kernels through tests/python/kernels/harness.c, many cases per process."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[3]
RUNTIME = REPO / "firmware" / "runtime"
KERNELS = RUNTIME / "kernels"
SUPPORT = RUNTIME / "support"
HARNESS_C = Path(__file__).with_name("harness.c")

KERNEL_SOURCES = [
    "ta_add_s8.c",
    "ta_sub_s8.c",
    "ta_mul_s8.c",
    "ta_squared_difference_s8.c",
    "ta_mean_s8.c",
    "ta_rsqrt_s8.c",
    "ta_logistic_s8.c",
    "ta_tanh_s8.c",
    "ta_transpose_s8.c",
    "ta_strided_slice_s8.c",
    "ta_concatenation_s8.c",
    "ta_batch_matmul_s8.c",
    "ta_relu_s8.c",
    "ta_leaky_relu_s8.c",
    "ta_hard_swish_s8.c",
    "ta_abs_s8.c",
    "ta_maximum_s8.c",
    "ta_minimum_s8.c",
]
CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-g", "-fsanitize=address,undefined",
          "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]


@dataclass
class Case:
    params: list[int]
    arrays: list[np.ndarray]
    n_out: int


@dataclass
class Harness:
    exe: Path

    def run(self, op: str, cases: Sequence[Case]) -> list[tuple[int, np.ndarray]]:
        """Runs all cases of one op; returns (status, int8 output) per case."""
        words: list[int] = []
        for c in cases:
            words += [c.n_out, len(c.params), *c.params, len(c.arrays)]
            for a in c.arrays:
                flat = np.asarray(a).reshape(-1).astype(np.int32)
                words.append(flat.size)
                words.extend(flat.tolist())
        blob = np.asarray(words, dtype="<i4").tobytes()
        proc = subprocess.run([str(self.exe), op], input=blob, capture_output=True, check=False)
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace")
            raise RuntimeError(f"harness {op} exited {proc.returncode}: {err}")
        if proc.stderr:
            raise RuntimeError(f"harness {op} reported: {proc.stderr.decode(errors='replace')}")
        out = np.frombuffer(proc.stdout, dtype="<i4")
        results = []
        pos = 0
        for _ in cases:
            status, n = int(out[pos]), int(out[pos + 1])
            results.append((status, out[pos + 2 : pos + 2 + n].astype(np.int8)))
            pos += 2 + n
        return results


def build_harness(workdir: Path) -> Harness:
    sources = [HARNESS_C, SUPPORT / "ta_quant.c", KERNELS / "ta_strided_copy_s8.c"]
    sources += [KERNELS / s for s in KERNEL_SOURCES]
    blob = b"".join(p.read_bytes() for p in sources) + " ".join(CFLAGS).encode()
    digest = hashlib.sha256(blob).hexdigest()[:16]
    exe = workdir / f"harness-{digest}"
    if not exe.exists():
        incs = [f"-I{d}" for d in (RUNTIME, SUPPORT, KERNELS)]
        cmd = ["gcc", *CFLAGS, *incs, *map(str, sources), "-o", str(exe)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"harness build failed:\n{' '.join(cmd)}\n{proc.stderr}")
    return Harness(exe)
