"""Every config option against a float64 numpy oracle, and the FFT on its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import oracle_features, read_clip

from tinyaudio import _frontend
from tinyaudio.frontend import FrontendConfig, compute_features


def random_config(rng: np.random.Generator) -> FrontendConfig:
    fft = int(2 ** rng.integers(6, 11))
    frame = int(rng.integers(fft // 2, fft + 1))
    rate = int(rng.choice([8000, 16000, 22050]))
    bins = int(rng.integers(8, 49))
    log = str(rng.choice(["ln", "db", "none"]))
    dct = "none" if log == "none" else str(rng.choice(["none", "tf", "ortho"]))
    fmin = float(rng.uniform(0, 300))
    return FrontendConfig(
        sample_rate=rate,
        clip_samples=int(rng.integers(frame, rate)),
        frame_length=frame,
        hop_length=int(rng.integers(frame // 4, frame + 1)),
        fft_length=fft,
        window=str(rng.choice(["hann_periodic", "hann_symmetric"])),
        center=bool(rng.integers(0, 2)),
        spectrum=str(rng.choice(["magnitude", "power"])),
        mel_scale=str(rng.choice(["htk", "slaney"])),
        mel_weights=str(rng.choice(["tf", "librosa"])),
        mel_norm=str(rng.choice(["none", "slaney"])),
        num_mel_bins=bins,
        fmin=fmin,
        fmax=float(rng.uniform(fmin + 500, rate / 2)),
        log=log,
        log_floor=float(rng.choice([0.0, 1e-10, 1e-5])) if log != "none" else 0.0,
        log_offset=float(rng.choice([1e-6, 1e-3])) if log != "none" else 0.0,
        dct=dct,
        num_coeffs=int(rng.integers(1, bins + 1)),
        normalize=str(rng.choice(["none", "max", "max_abs"])),
    )


def tolerance(config: FrontendConfig, expected: np.ndarray) -> float:
    """float32 FFT error relative to a frame's energy shows up in quiet bins after the log."""
    if config.log == "none":
        return 1e-5 * float(np.abs(expected).max()) + 1e-7
    return 2e-3 if config.log == "db" else 5e-4


@pytest.mark.parametrize("seed", range(40))
def test_random_config_matches_numpy_oracle(seed: int, speech_clips: list[Path]) -> None:
    rng = np.random.default_rng(seed)
    config = random_config(rng)
    audio = read_clip(speech_clips[seed % len(speech_clips)])
    if config.sample_rate != 16000:  # the rate only matters for the mel edges; keep the samples real
        audio = audio[: config.clip_samples]
    expected = oracle_features(audio, config)
    got = compute_features(audio, config)
    assert got.shape == expected.shape == config.shape
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, atol=tolerance(config, expected), rtol=0, err_msg=str(config))


@pytest.mark.parametrize("n", [2**k for k in range(1, 11)])
def test_real_fft_matches_numpy(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n).astype(np.float32)
    packed = _frontend.rfft_packed(x)
    spectrum = np.fft.rfft(x.astype(np.float64))
    got = np.zeros(n // 2 + 1, dtype=np.complex128)
    got[0] = packed[0]
    got[-1] = packed[1]
    got[1:-1] = packed[2::2][: n // 2 - 1] + 1j * packed[3::2][: n // 2 - 1]
    # float32 radix-2: error grows like log2(n) * eps * |x|_2 * sqrt(n)
    scale = np.linalg.norm(x) * np.sqrt(n) * np.log2(2 * n) * 6e-8
    assert np.abs(got - spectrum).max() <= 4 * scale
    assert packed[0] == pytest.approx(float(x.astype(np.float64).sum()), abs=1e-4)


def test_real_fft_of_a_tone_peaks_at_its_bin() -> None:
    n, k = 512, 37
    x = np.cos(2 * np.pi * k * np.arange(n) / n).astype(np.float32)
    packed = _frontend.rfft_packed(x)
    magnitude = np.hypot(packed[2::2], packed[3::2])
    assert int(np.argmax(magnitude)) + 1 == k
    assert magnitude[k - 1] == pytest.approx(n / 2, rel=1e-5)


@pytest.mark.parametrize("n", [0, 3, 384, 2048])
def test_real_fft_rejects_lengths_that_are_not_powers_of_two_up_to_1024(n: int) -> None:
    with pytest.raises(ValueError, match="fft_length"):
        _frontend.rfft_packed(np.zeros(n, dtype=np.float32))
