"""Odd inputs: silence, clipping, very short and long clips, bad shapes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import oracle_features, read_clip

from tinyaudio.errors import TinyaudioError
from tinyaudio.frontend import PRESET_NAMES, compute_features, compute_features_batch, preset


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_silence_gives_the_log_floor_not_nan(name: str) -> None:
    config = preset(name)
    got = compute_features(np.zeros(config.clip_samples, dtype=np.float32), config)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, oracle_features(np.zeros(16000), config), atol=1e-4)
    if name == "mlperf-mfcc":  # every log-mel is log(1e-6); the DCT keeps only c0 = sqrt(2/M) * M * log(1e-6)
        np.testing.assert_allclose(got[:, 0], np.sqrt(2 / 40) * 40 * np.log(1e-6), rtol=1e-5)
        np.testing.assert_allclose(got[:, 1:], 0.0, atol=1e-4)
    if name == "logmel":
        np.testing.assert_allclose(got, -100.0, atol=1e-4)  # 10 log10(1e-10)


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_full_scale_clipped_square_wave(name: str) -> None:
    config = preset(name)
    t = np.arange(config.clip_samples)
    audio = np.sign(np.sin(2 * np.pi * 440 * t / 16000) * 8).astype(np.float32)  # +-1, clipped
    got = compute_features(audio, config)
    assert np.isfinite(got).all()
    tol = 5e-4 if name == "mlperf-mfcc" else 2e-3
    np.testing.assert_allclose(got, oracle_features(audio, config), atol=tol, rtol=0)


@pytest.mark.parametrize("n", [0, 1, 7, 479, 480])
def test_very_short_clips_are_zero_padded(n: int, speech_clips: list[Path]) -> None:
    config = preset("mlperf-mfcc")
    audio = read_clip(speech_clips[0])[4000 : 4000 + n]
    got = compute_features(audio, config)
    padded = np.zeros(16000, dtype=np.float32)
    padded[:n] = audio
    assert got.shape == (49, 10)
    assert np.isfinite(got).all()
    np.testing.assert_array_equal(got, compute_features(padded, config))


def test_short_real_clip_matches_oracle(datasets_dir: Path) -> None:
    audio = read_clip(datasets_dir / "tflm_micro_speech" / "testdata" / "yes_30ms.wav")
    config = preset("mlperf-mfcc")
    np.testing.assert_allclose(compute_features(audio, config), oracle_features(audio, config), atol=5e-4)


def test_long_clip_is_cropped_to_clip_samples(speech_clips: list[Path]) -> None:
    config = preset("logmel")
    audio = np.concatenate([read_clip(p) for p in speech_clips[:3]])
    assert len(audio) > config.clip_samples
    np.testing.assert_array_equal(compute_features(audio, config), compute_features(audio[:16000], config))


def test_all_negative_clip_is_normalized_by_its_magnitude() -> None:
    # MLPerf divides by tf.reduce_max (negative here): magnitudes are the same as dividing by |max|.
    rng = np.random.default_rng(3)
    audio = -np.abs(rng.standard_normal(16000)).astype(np.float32) * 0.1 - 0.01
    config = preset("mlperf-mfcc")
    np.testing.assert_allclose(compute_features(audio, config), oracle_features(audio, config), atol=5e-4)


def test_batch_equals_one_by_one_and_fits_lengths(speech_clips: list[Path]) -> None:
    config = preset("mfcc")
    clips = [read_clip(p) for p in speech_clips[:5]]
    rows = np.zeros((5, 17000), dtype=np.float32)
    for i, clip in enumerate(clips):
        rows[i, : len(clip)] = clip
    batch = compute_features_batch(rows, config)
    assert batch.shape == (5, *config.shape) and batch.dtype == np.float32
    for i, clip in enumerate(clips):
        np.testing.assert_array_equal(batch[i], compute_features(clip, config))


def test_wrong_shapes_are_clear_errors() -> None:
    config = preset("logmel")
    with pytest.raises(TinyaudioError, match="1-D"):
        compute_features(np.zeros((2, 16000), dtype=np.float32), config)
    with pytest.raises(TinyaudioError, match="2-D"):
        compute_features_batch(np.zeros(16000, dtype=np.float32), config)
