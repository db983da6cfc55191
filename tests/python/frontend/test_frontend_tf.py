"""mlperf-mfcc against TensorFlow itself: the MLPerf Tiny / TF keyword-spotting feature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from frontend_helpers import read_clip

from tinyaudio import _frontend
from tinyaudio.frontend import c_fields, compute_features, preset


def mlperf_tf(tf: Any, audio: np.ndarray, normalize: str = "max") -> np.ndarray:
    """The MLPerf Tiny KWS preprocessing (get_dataset.py), written out with tf.signal."""
    wav = tf.constant(audio[:16000], tf.float32)
    peak = tf.reduce_max(wav) if normalize == "max" else tf.reduce_max(tf.abs(wav))
    wav = wav / peak
    wav = tf.pad(wav, [[0, 16000 - tf.shape(wav)[-1]]])
    stft = tf.signal.stft(
        wav, frame_length=480, frame_step=320, fft_length=512, window_fn=tf.signal.hann_window
    )
    spectrogram = tf.abs(stft)
    weights = tf.signal.linear_to_mel_weight_matrix(40, 257, 16000, 20.0, 4000.0)
    mel = tf.tensordot(spectrogram, weights, 1)
    log_mel = tf.math.log(mel + 1e-6)
    return tf.signal.mfccs_from_log_mel_spectrograms(log_mel)[..., :10].numpy()


def test_mlperf_mfcc_matches_tensorflow_on_real_clips(
    tf: Any, speech_clips: list[Path], micro_speech_clips: list[Path]
) -> None:
    config = preset("mlperf-mfcc")
    clips = speech_clips + micro_speech_clips
    assert len(clips) >= 20
    worst = 0.0
    for path in clips:
        audio = read_clip(path)
        expected = mlperf_tf(tf, audio)
        got = compute_features(audio, config)
        assert got.shape == expected.shape == (49, 10), path
        assert np.isfinite(got).all(), path
        worst = max(worst, float(np.abs(got - expected).max()))
        if len(audio) >= 16000 and np.ptp(expected) < 1.0:
            pytest.fail(f"{path}: oracle features are flat, the comparison would prove nothing")
    # The bound; measured here: about 4e-5.
    assert worst <= 1e-3, worst


def test_max_abs_normalization_matches_tensorflow(tf: Any, speech_clips: list[Path]) -> None:
    config = preset("mlperf-mfcc", normalize="max_abs")
    for path in speech_clips[:6]:
        audio = read_clip(path)
        expected = mlperf_tf(tf, audio, normalize="max_abs")
        np.testing.assert_allclose(compute_features(audio, config), expected, atol=1e-3, rtol=0)


@pytest.mark.parametrize(
    ("bins", "fft", "rate", "fmin", "fmax"),
    [
        (40, 512, 16000, 20.0, 4000.0),
        (10, 256, 8000, 0.0, 4000.0),
        (64, 1024, 22050, 125.0, 7500.0),
        (80, 64, 16000, 300.0, 8000.0),
    ],
)
def test_mel_matrix_matches_linear_to_mel_weight_matrix(
    tf: Any, bins: int, fft: int, rate: int, fmin: float, fmax: float
) -> None:
    config = preset(
        "mlperf-mfcc",
        num_mel_bins=bins,
        fft_length=fft,
        frame_length=fft,
        hop_length=fft // 2,
        sample_rate=rate,
        clip_samples=rate,
        fmin=fmin,
        fmax=fmax,
        num_coeffs=min(10, bins),
    )
    ours = _frontend.Frontend(c_fields(config)).mel_weights()
    theirs = tf.signal.linear_to_mel_weight_matrix(bins, fft // 2 + 1, rate, fmin, fmax).numpy().T
    np.testing.assert_allclose(ours, theirs, atol=2e-5, rtol=0)


@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("length", [1, 2, 7, 400, 480, 1024])
def test_hann_window_matches_tensorflow_and_scipy(tf: Any, periodic: bool, length: int) -> None:
    import scipy.signal

    window = "hann_periodic" if periodic else "hann_symmetric"
    config = preset("logmel", window=window, frame_length=length, hop_length=1, fft_length=1024)
    ours = _frontend.Frontend(c_fields(config)).window()
    if length > 1:
        scipy_window = scipy.signal.get_window("hann", length, fftbins=periodic)
        np.testing.assert_allclose(ours, scipy_window, atol=1e-6, rtol=0)
    # TF's periodic window of odd length is its symmetric one (its `periodic` only acts on even
    # lengths); ours follows scipy/librosa there. Every even length and every symmetric one agree.
    if length % 2 == 0 or not periodic or length == 1:
        theirs = tf.signal.hann_window(length, periodic=periodic).numpy()
        np.testing.assert_allclose(ours, theirs, atol=1e-6, rtol=0)
