"""TFLM's micro_speech model end to end on the micro frontend: the firmware (C micro frontend + compiled
model + app core) on the host and on QEMU Cortex-M4 gives exactly the scores of the tflite-micro interpreter
fed with TensorFlow's audio_microfrontend features."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from micro_helpers import read_pcm, tf_microfrontend

from tinyaudio.cli import main
from tinyaudio.frontend import MicroFrontendConfig, any_preset

LABELS = ["silence", "unknown", "yes", "no"]
SPEECH = any_preset("micro-frontend-speech")  # 30 ms windows every 20 ms, 40 channels: 49 x 40 per second


def tflm_input(tf: Any, pcm: np.ndarray) -> np.ndarray:
    """The op's features of a 1 s clip -> the model's int8 input with TFLM's feature-provider rule
    (value * 256 + 333) / 666 - 128, written here independently of tinyaudio."""
    clip = np.zeros(16000, dtype=np.int16)
    clip[: min(16000, len(pcm))] = pcm[:16000]
    values = tf_microfrontend(tf, clip, SPEECH).astype(np.int64)  # type: ignore[arg-type]
    assert values.shape == (49, 40)
    return np.clip((values * 256 + 333) // 666 - 128, -128, 127).astype(np.int8).reshape(1, 1960)


@pytest.fixture(scope="module")
def compiled(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    tflite = datasets_dir / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
    out = tmp_path_factory.mktemp("micro_speech_mfe") / "model"
    argv = [
        "compile",
        str(tflite),
        "-o",
        str(out),
        "--frontend",
        "micro-frontend-speech",
        "--micro-input",
        "tflm",
    ]
    assert main([*argv, "--labels", ",".join(LABELS)]) == 0
    header = (out / "model.h").read_text()
    assert "#define TA_MODEL_FRONTEND_MICRO 1" in header and "#define TA_MODEL_FEATURE_DEN 666u" in header
    return out, tflite.read_bytes()


def clips(datasets_dir: Path) -> list[Path]:
    tflm = sorted((datasets_dir / "tflm_micro_speech" / "testdata").glob("*_1000ms.wav"))
    words = sorted((datasets_dir / "speech_commands_v2_dev").glob("*/*.wav"))[5::45][:16]
    return tflm + words


def test_firmware_scores_equal_tflite_micro_on_the_op_features(
    tf: Any, compiled: tuple[Path, bytes], datasets_dir: Path
) -> None:
    from tflite_micro.python.tflite_micro import runtime

    from tinyaudio.emulate.firmware import run_wav_files

    model_dir, flatbuffer = compiled
    paths = clips(datasets_dir)
    assert len(paths) == 20
    interp = runtime.Interpreter.from_bytes(flatbuffer, arena_size=64 * 1024)
    expected = []
    for path in paths:
        interp.set_input(tflm_input(tf, read_pcm(path)), 0)
        interp.invoke()
        expected.append(np.array(interp.get_output(0), copy=True).reshape(4))
    run = run_wav_files(model_dir, "host", paths)
    np.testing.assert_array_equal(run.scores, np.stack(expected))
    # The upstream example's expectations for its own clips: no, noise -> silence, silence, yes.
    assert run.predicted_labels()[:4] == ["no", "silence", "silence", "yes"]
    assert len(set(run.predictions.tolist())) >= 3


@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="qemu-system-arm not installed")
def test_cortex_m4_equals_the_host(compiled: tuple[Path, bytes], datasets_dir: Path) -> None:
    from tinyaudio.emulate.firmware import run_wav_files

    model_dir, _ = compiled
    paths = clips(datasets_dir)[:3]
    host = run_wav_files(model_dir, "host", paths)
    m4 = run_wav_files(model_dir, "qemu-m4", paths, count_instructions=True)
    np.testing.assert_array_equal(m4.scores, host.scores)
    per_second = m4.frontend_instructions_per_second_of_audio
    assert per_second is not None and per_second > 0


def test_compile_refuses_a_mismatched_input(
    compiled: tuple[Path, bytes], tmp_path: Path, datasets_dir: Path
) -> None:
    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.errors import TinyaudioError

    tflite = datasets_dir / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
    wrong = MicroFrontendConfig(window_step=10)  # 98 x 40 does not fill the 49 x 40 input
    with pytest.raises(TinyaudioError, match="98 x 40"):
        compile_model(tflite, tmp_path / "x", frontend=wrong)
