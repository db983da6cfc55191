"""Compiles a .tflite with `tinyaudio.compile`, builds it for the host with ASan/UBSan and runs a batch
of raw int8 inputs through it (tests only; independent of the `tinyaudio run` command)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from tinyaudio.compile.compiler import compile_tflite

CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-g", "-fsanitize=address,undefined",
          "-fno-sanitize-recover=all"]

RUNNER_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include "model.h"
int main(int argc, char **argv)
{
    FILE *in, *out;
    int8_t buf[TA_MODEL_INPUT_BYTES];
    if (argc != 3) return 2;
    in = fopen(argv[1], "rb");
    out = fopen(argv[2], "wb");
    if (!in || !out) return 3;
    if (ta_model_init() != TA_OK) return 4;
    while (fread(buf, 1, TA_MODEL_INPUT_BYTES, in) == TA_MODEL_INPUT_BYTES) {
        int i;
        ta_status_t st;
        int8_t *x = ta_model_input();
        for (i = 0; i < TA_MODEL_INPUT_BYTES; ++i) x[i] = buf[i];
        st = ta_model_invoke();
        if (st != TA_OK) { fprintf(stderr, "invoke failed: %d\n", (int)st); return 5; }
        fwrite(ta_model_output(), 1, TA_MODEL_OUTPUT_BYTES, out);
    }
    fclose(in);
    fclose(out);
    return 0;
}
"""


def build_and_run(model: bytes, inputs: np.ndarray, workdir: Path) -> np.ndarray:
    """Compile `model`, build it with the kernels it uses, run `inputs` (N, ...) int8; returns (N, out)."""
    workdir.mkdir(parents=True, exist_ok=True)
    compiled = compile_tflite(model)
    compiled.write(workdir)
    (workdir / "runner.c").write_text(RUNNER_C)
    exe = workdir / "runner"
    incs = [f"-I{d}" for d in (workdir, *compiled.include_dirs)]
    srcs = [str(workdir / "model.c"), str(workdir / "runner.c"), *map(str, compiled.kernel_sources)]
    cmd = ["gcc", *CFLAGS, *incs, *srcs, "-o", str(exe), "-lm"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"build failed:\n{proc.stderr}")
    x = np.ascontiguousarray(inputs.astype(np.int8))
    (workdir / "in.bin").write_bytes(x.tobytes())
    proc = subprocess.run([str(exe), str(workdir / "in.bin"), str(workdir / "out.bin")],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"runner exited {proc.returncode}: {proc.stderr}")
    out = np.frombuffer((workdir / "out.bin").read_bytes(), dtype=np.int8)
    return out.reshape(len(x), -1)
