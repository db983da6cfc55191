"""Fixtures of the boards suite: TFLM's micro_speech int8 model compiled with a 16 kHz log-mel frontend of its
input shape (49 frames x 40 bins) and its labels: a real model that needs no training."""

from __future__ import annotations

from pathlib import Path

import pytest

MICRO_SPEECH_LABELS = ["silence", "unknown", "yes", "no"]


@pytest.fixture(scope="session")
def micro_speech_dir(datasets_dir: Path) -> Path:
    return datasets_dir / "tflm_micro_speech"


@pytest.fixture(scope="session")
def compiled_model(micro_speech_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.frontend import preset

    frontend = preset(
        "logmel",
        sample_rate=16000,
        clip_samples=16000,
        frame_length=480,
        hop_length=320,
        fft_length=512,
        num_mel_bins=40,
    )
    out = tmp_path_factory.mktemp("micro_speech") / "c"
    compile_model(
        micro_speech_dir / "models" / "micro_speech_quantized.tflite",
        out,
        labels=MICRO_SPEECH_LABELS,
        frontend=frontend,
    )
    return out
