"""logmel and mfcc presets against librosa (melspectrogram, power_to_db, DCT-II ortho)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import fit, read_clip

from tinyaudio import _frontend
from tinyaudio.frontend import c_fields, compute_features, preset

librosa = pytest.importorskip("librosa")


def librosa_features(audio: np.ndarray, name: str, htk: bool, center: bool, frame: int) -> np.ndarray:
    import scipy.fft

    mel = librosa.feature.melspectrogram(
        y=audio,
        sr=16000,
        n_fft=512,
        hop_length=320,
        win_length=frame,
        window="hann",
        center=center,
        pad_mode="constant",
        power=2.0,
        n_mels=40,
        fmin=20.0,
        fmax=8000.0,
        htk=htk,
        norm="slaney",
    )
    log_mel = librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=None)
    if name == "mfcc":
        log_mel = scipy.fft.dct(log_mel, axis=-2, type=2, norm="ortho")[:13]
    return log_mel.T


# librosa's center=False frames are n_fft long with the window in their middle; ours (like
# tf.signal.stft) start the window at the frame start. They agree when frame == fft, and with center.
@pytest.mark.parametrize("name", ["logmel", "mfcc"])
@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize(("center", "frame"), [(True, 480), (True, 512), (False, 512)])
def test_matches_librosa_on_real_clips(
    name: str, htk: bool, center: bool, frame: int, speech_clips: list[Path]
) -> None:
    config = preset(name, mel_scale="htk" if htk else "slaney", center=center, frame_length=frame)
    worst = 0.0
    for path in speech_clips[::3]:
        audio = fit(read_clip(path), 16000)
        expected = librosa_features(audio, name, htk, center, frame)
        got = compute_features(audio, config)
        assert got.shape == expected.shape
        worst = max(worst, float(np.abs(got - expected).max()))
    # dB values span ~100 dB; float32 FFT rounding in bins 80 dB below the frame peak costs a few
    # thousandths of a dB (measured: <= 0.006 logmel, <= 0.002 mfcc).
    assert worst <= (0.02 if name == "logmel" else 0.01), worst


@pytest.mark.parametrize("htk", [False, True])
@pytest.mark.parametrize("norm", ["slaney", None])
@pytest.mark.parametrize(
    ("rate", "fft", "bins", "fmin", "fmax"),
    [(16000, 512, 40, 20.0, 8000.0), (8000, 256, 32, 0.0, 4000.0), (22050, 1024, 128, 30.0, 11025.0)],
)
def test_mel_matrix_matches_librosa(
    htk: bool, norm: str | None, rate: int, fft: int, bins: int, fmin: float, fmax: float
) -> None:
    config = preset(
        "logmel",
        mel_scale="htk" if htk else "slaney",
        mel_norm=norm or "none",
        sample_rate=rate,
        clip_samples=rate,
        fft_length=fft,
        frame_length=fft,
        hop_length=fft // 2,
        num_mel_bins=bins,
        fmin=fmin,
        fmax=fmax,
    )
    ours = _frontend.Frontend(c_fields(config)).mel_weights()
    theirs = librosa.filters.mel(sr=rate, n_fft=fft, n_mels=bins, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
    np.testing.assert_allclose(ours, theirs, atol=1e-6 * float(np.abs(theirs).max()), rtol=0)


def test_natural_log_of_magnitude_mel_matches_librosa(speech_clips: list[Path]) -> None:
    config = preset(
        "logmel",
        spectrum="magnitude",
        log="ln",
        log_floor=0.0,
        log_offset=1e-6,
        frame_length=512,
        center=True,
    )
    audio = fit(read_clip(speech_clips[5]), 16000)
    mel = librosa.feature.melspectrogram(
        y=audio,
        sr=16000,
        n_fft=512,
        hop_length=320,
        center=True,
        pad_mode="constant",
        power=1.0,
        n_mels=40,
        fmin=20.0,
        fmax=8000.0,
    )
    np.testing.assert_allclose(compute_features(audio, config), np.log(mel + 1e-6).T, atol=2e-3, rtol=0)
