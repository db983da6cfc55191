"""Generated code: model.h's API and manifest.json, labels, the build for Cortex-M with -Werror, and the
embedding hook for on-device learning (checked against tflite-micro)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from tests.support import models
from tests.support.oracle import run_tflm
from tests.support.tflite_builder import edit_model

from tinyaudio import cbuild
from tinyaudio.compile.compiler import compile_model, compile_tflite
from tinyaudio.errors import CompileError

MICRO_SPEECH = models.tflm_models_dir() / "micro_speech_quantized.tflite"


def test_compile_writes_api_manifest_and_labels(tmp_path: Path) -> None:
    out = tmp_path / "ms"
    compile_model(MICRO_SPEECH, out, labels=["silence", "unknown", "yes", "no"])
    header = (out / "model.h").read_text()
    for name in (
        "TA_MODEL_INPUT_BYTES 1960",
        "TA_MODEL_OUTPUT_BYTES 4",
        "TA_MODEL_NUM_LABELS 4",
        "TA_MODEL_INPUT_ZERO_POINT -128",
        "TA_MODEL_ARENA_BYTES",
        "ta_model_invoke(void)",
        "ta_model_labels[TA_MODEL_NUM_LABELS]",
    ):
        assert name in header
    manifest = json.loads((out / "manifest.json").read_text())
    for key in (
        "format_version",
        "model_sha256",
        "labels",
        "frontend",
        "input",
        "output",
        "arena_bytes",
        "weights_bytes",
        "macs",
        "ops",
        "tflite_bytes",
        "tensors",
    ):
        assert key in manifest
    assert manifest["labels"] == ["silence", "unknown", "yes", "no"]
    assert manifest["input"]["shape"] == [1, 1960] and manifest["input"]["dtype"] == "int8"
    assert manifest["macs"] == 25 * 20 * 8 * 10 * 8 + 4 * 4000
    assert manifest["weights_bytes"] >= 640 + 16000  # depthwise and FC weights at least
    with pytest.raises(CompileError, match="3 labels"):
        compile_model(MICRO_SPEECH, tmp_path / "bad", labels=["a", "b", "c"])


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc not installed")
def test_generated_code_builds_for_cortex_m4(tmp_path: Path) -> None:
    compiled = compile_tflite((models.tflm_models_dir() / "keyword_scrambled.tflite").read_bytes())
    compiled.write(tmp_path)
    flags = [*cbuild.cortex_m_flags("cortex-m4"), *cbuild.STRICT_FLAGS, "-O2"]
    flags += [f"-I{p}" for p in (tmp_path, *compiled.include_dirs)]
    for src in [tmp_path / "model.c", *compiled.kernel_sources]:
        obj = tmp_path / (src.stem + ".o")
        cbuild.run(["arm-none-eabi-gcc", *flags, "-c", str(src), "-o", str(obj)], f"building {src.name}")


EMBEDDING_MAIN = r"""
#include <stdio.h>
#include "model.h"
int main(int argc, char **argv)
{
    FILE *in = fopen(argv[1], "rb");
    FILE *out = fopen(argv[2], "wb");
    if (argc != 3 || in == NULL || out == NULL || ta_model_init() != TA_OK) return 1;
    while (fread(ta_model_input(), 1, TA_MODEL_INPUT_BYTES, in) == TA_MODEL_INPUT_BYTES) {
        if (ta_model_invoke() != TA_OK) return 2;
        fwrite(ta_model_embedding(), 1, TA_MODEL_EMBEDDING_BYTES, out);
    }
    fclose(in);
    return fclose(out) != 0;
}
"""


def test_embedding_stays_valid_after_invoke(tmp_path: Path) -> None:
    """--embedding auto exposes the last dense layer's input; after the whole invocation it still holds
    what tflite-micro computes for that tensor (the plan keeps it alive past its last reader)."""
    data = MICRO_SPEECH.read_bytes()
    compiled = compile_tflite(data, embedding="auto")
    emb = compiled.manifest["embedding"]
    assert emb["name"] == "Relu" and emb["shape"] == [1, 25, 20, 8]
    compiled.write(tmp_path)
    (tmp_path / "main.c").write_text(EMBEDDING_MAIN)
    exe = cbuild.compile_executable(
        [tmp_path / "main.c", tmp_path / "model.c", *compiled.kernel_sources], "emb",
        include_dirs=[tmp_path, *compiled.include_dirs], flags=("-O1",), sanitize=True,
    )  # fmt: skip
    x = np.random.default_rng(3).integers(-128, 128, (5, 1960), dtype=np.int8)
    x.tofile(tmp_path / "x.bin")
    proc = subprocess.run([str(exe), str(tmp_path / "x.bin"), str(tmp_path / "e.bin")], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    ours = np.fromfile(tmp_path / "e.bin", dtype=np.int8).reshape(5, -1)

    def to_relu(m: object) -> None:
        m.subgraphs[0].outputs = [emb["tensor"]]  # type: ignore[attr-defined]

    ref = run_tflm(edit_model(data, to_relu), x).reshape(5, -1)
    assert np.array_equal(ours, ref)
    with pytest.raises(CompileError, match="no tensor named"):
        compile_tflite(data, embedding="nope")
