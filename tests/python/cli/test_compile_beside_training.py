"""`tinyaudio compile` picks up labels and frontend from the training manifest beside the model (here one
written before manifests had a kind, with nothing but labels and frontend)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tinyaudio.frontend import preset


def _compile(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tinyaudio", "compile", *args], capture_output=True, text=True, timeout=120
    )


def test_labels_and_frontend_come_from_the_manifest_unless_given(tmp_path: Path, datasets_dir: Path) -> None:
    model = tmp_path / "run" / "model_int8.tflite"
    model.parent.mkdir()
    shutil.copy(datasets_dir / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite", model)
    frontend = preset("logmel", num_mel_bins=32)
    training_manifest = {"labels": ["silence", "unknown", "yes", "no"], "frontend": frontend.to_dict()}
    (model.parent / "manifest.json").write_text(json.dumps(training_manifest))

    out = _compile(str(model), "-o", str(tmp_path / "c"))
    assert out.returncode == 0, out.stderr
    compiled = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert compiled["kind"] == "compiled-model" and compiled["labels"] == training_manifest["labels"]
    assert compiled["frontend"] == frontend.to_dict()

    out = _compile(str(model), "-o", str(tmp_path / "c2"), "--labels", "a,b,c,d", "--frontend", "mlperf-mfcc")
    assert out.returncode == 0, out.stderr
    compiled = json.loads((tmp_path / "c2" / "manifest.json").read_text())
    assert compiled["labels"] == ["a", "b", "c", "d"]
    assert compiled["frontend"] == preset("mlperf-mfcc").to_dict()
