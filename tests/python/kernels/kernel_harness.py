"""Runs the C int8 kernels directly through tests/python/kernels/harness.c, many cases per process: kernel
parameters come from compile/kernel_params.py, not from the compiler, so each kernel is checked against
tflite-micro on hundreds of random quantizations and shapes in a second."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinyaudio import cbuild
from tinyaudio.compile.compiler import runtime_include_dirs, runtime_sources

HARNESS_C = Path(__file__).with_name("harness.c")

# The kernels harness.c calls (ta_strided_copy_s8 serves transpose and strided slice).
KERNELS = [
    "ta_strided_copy_s8",
    "ta_add_s8",
    "ta_sub_s8",
    "ta_mul_s8",
    "ta_squared_difference_s8",
    "ta_mean_s8",
    "ta_rsqrt_s8",
    "ta_logistic_s8",
    "ta_tanh_s8",
    "ta_transpose_s8",
    "ta_strided_slice_s8",
    "ta_concatenation_s8",
    "ta_batch_matmul_s8",
    "ta_relu_s8",
    "ta_leaky_relu_s8",
    "ta_hard_swish_s8",
    "ta_abs_s8",
    "ta_maximum_s8",
    "ta_minimum_s8",
]


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


def build_harness() -> Harness:
    """harness.c with the runtime's support code and the kernels, through the one C build helper."""
    exe = cbuild.compile_executable(
        [HARNESS_C, *runtime_sources(KERNELS)], "kernel_harness", include_dirs=runtime_include_dirs(),
        flags=("-O1",), sanitize=True, what="building the kernel test harness",
    )  # fmt: skip
    return Harness(exe)
