"""Helpers of the frontend suite (a plain module: the test folders are not packages)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf


def read_clip(path: Path) -> np.ndarray:
    """float32 mono in [-1, 1] (soundfile directly: the oracle side must not depend on tinyaudio)."""
    audio, _ = sf.read(str(path), dtype="float32", always_2d=True)
    return np.ascontiguousarray(audio.mean(axis=1, dtype=np.float32))


def fit(audio: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    out[: min(n, len(audio))] = audio[:n]
    return out


# A float64 numpy oracle of the whole FrontendConfig semantics (written from the documented
# definitions, independently of the C code).


def hz_to_mel(hz: np.ndarray, scale: str) -> np.ndarray:
    hz = np.asarray(hz, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + hz / 700.0)
    f_sp = 200.0 / 3.0
    logstep = np.log(6.4) / 27.0
    linear = hz / f_sp
    log_part = 1000.0 / f_sp + np.log(np.maximum(hz, 1e-12) / 1000.0) / logstep
    return np.where(hz >= 1000.0, log_part, linear)


def mel_to_hz(mel: np.ndarray, scale: str) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)
    f_sp = 200.0 / 3.0
    logstep = np.log(6.4) / 27.0
    min_log_mel = 1000.0 / f_sp
    return np.where(mel >= min_log_mel, 1000.0 * np.exp(logstep * (mel - min_log_mel)), mel * f_sp)


def oracle_mel_matrix(cfg) -> np.ndarray:  # noqa: ANN001
    """(num_mel_bins, fft/2+1) triangles, TF or librosa construction."""
    bins = cfg.fft_length // 2 + 1
    hz = np.arange(bins) * cfg.sample_rate / cfg.fft_length
    edges_mel = np.linspace(
        hz_to_mel(cfg.fmin, cfg.mel_scale), hz_to_mel(cfg.fmax, cfg.mel_scale), cfg.num_mel_bins + 2
    )
    lo, mid, hi = edges_mel[:-2, None], edges_mel[1:-1, None], edges_mel[2:, None]
    if cfg.mel_weights == "tf":
        x = hz_to_mel(hz, cfg.mel_scale)[None, :]
    else:
        x = hz[None, :]
        lo, mid, hi = (mel_to_hz(v, cfg.mel_scale) for v in (lo, mid, hi))
    weights = np.maximum(0.0, np.minimum((x - lo) / (mid - lo), (hi - x) / (hi - mid)))
    if cfg.mel_weights == "tf":
        weights[:, 0] = 0.0
    if cfg.mel_norm == "slaney":
        weights *= (
            2.0
            / (mel_to_hz(edges_mel[2:], cfg.mel_scale) - mel_to_hz(edges_mel[:-2], cfg.mel_scale))[:, None]
        )
    return weights


def oracle_features(audio: np.ndarray, cfg) -> np.ndarray:  # noqa: ANN001
    import scipy.fft

    x = fit(audio, cfg.clip_samples).astype(np.float64)
    if cfg.normalize != "none" and len(x):
        peak = abs(x.max() if cfg.normalize == "max" else np.abs(x).max())
        if peak > 0:
            x = x / peak
    n = cfg.frame_length
    pad = cfg.fft_length // 2 - (cfg.fft_length - n) // 2 if cfg.center else 0
    frames_count = (
        1 + cfg.clip_samples // cfg.hop_length if cfg.center else 1 + (cfg.clip_samples - n) // cfg.hop_length
    )
    padded = np.concatenate([np.zeros(pad), x, np.zeros(n + cfg.fft_length)])
    frames = np.stack([padded[i * cfg.hop_length : i * cfg.hop_length + n] for i in range(frames_count)])
    if n == 1:
        window = np.ones(1)
    else:
        denominator = n if cfg.window == "hann_periodic" else n - 1
        window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / denominator)
    spectrum = np.abs(np.fft.rfft(frames * window, cfg.fft_length))
    if cfg.spectrum == "power":
        spectrum = spectrum**2
    mel = spectrum @ oracle_mel_matrix(cfg).T
    if cfg.log == "ln":
        mel = np.log(np.maximum(mel, cfg.log_floor) + cfg.log_offset)
    elif cfg.log == "db":
        mel = 10.0 * np.log10(np.maximum(mel, cfg.log_floor) + cfg.log_offset)
    if cfg.dct == "tf":
        mel = scipy.fft.dct(mel, type=2, axis=-1) / np.sqrt(2.0 * cfg.num_mel_bins)
    elif cfg.dct == "ortho":
        mel = scipy.fft.dct(mel, type=2, norm="ortho", axis=-1)
    return mel[:, : cfg.num_features] if cfg.dct != "none" else mel
