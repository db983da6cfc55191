"""Fixtures of the emulator suite: small models trained once per session, compiled with their frontend."""

from __future__ import annotations

from pathlib import Path

import pytest
from model_fixtures import FixtureModel, train_fixture_model  # noqa: I001  (tests dir is on sys.path)

# The FSDD recipe's frontend (models/fsdd_dscnn.yaml): log-mel at 8 kHz, 1 s clips.
FSDD_FRONTEND = dict(sample_rate=8000, clip_samples=8000, frame_length=256, hop_length=128, fft_length=256,
                     num_mel_bins=40, fmin=20.0, fmax=4000.0, log_floor=1e-6)


@pytest.fixture(scope="session")
def fsdd_model(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> FixtureModel:
    from tinyaudio.frontend import preset

    return train_fixture_model("fsdd", datasets_dir / "fsdd", preset("logmel", **FSDD_FRONTEND),
                               tmp_path_factory.mktemp("fsdd_model"))


@pytest.fixture(scope="session")
def speech_commands_model(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> FixtureModel:
    """MLPerf-style MFCC (the clip is normalized by its maximum: exercises the firmware's clip buffer)."""
    from tinyaudio.frontend import preset

    data = datasets_dir / "speech_commands_v2_dev"
    out = tmp_path_factory.mktemp("sc_model")
    return train_fixture_model("speech_commands", data, preset("mlperf-mfcc"), out)


@pytest.fixture(scope="session", params=["fsdd", "speech_commands"])
def trained_model(request: pytest.FixtureRequest) -> FixtureModel:
    return request.getfixturevalue("fsdd_model" if request.param == "fsdd" else "speech_commands_model")


@pytest.fixture(scope="session")
def micro_speech_model(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """TFLM's own micro_speech int8 model (not ours), compiled without a frontend: raw tensors only."""
    from tinyaudio.compile.compiler import compile_model

    tflite = datasets_dir / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
    out = tmp_path_factory.mktemp("micro_speech") / "c"
    compile_model(tflite, out)
    return out, tflite.read_bytes()
