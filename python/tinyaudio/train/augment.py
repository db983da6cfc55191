"""Augmentation. Waveform-domain (time shift, background noise) runs once per run to build augmented copies
whose features go through the one C frontend; feature-domain (shift, SpecAugment masks, mixup) runs
per batch in numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinyaudio.errors import RecipeError

WAV_SUFFIXES = (".wav", ".wave")


def time_shift(audio: np.ndarray, max_fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Shift each row of (N, S) audio by a random whole number of samples in [-max, max], zero-filling."""
    out = np.zeros_like(audio)
    n_samples = audio.shape[1]
    max_shift = int(round(max_fraction * n_samples))
    for i, row in enumerate(audio):
        s = int(rng.integers(-max_shift, max_shift + 1)) if max_shift > 0 else 0
        if s >= 0:
            out[i, s:] = row[: n_samples - s]
        else:
            out[i, :s] = row[-s:]
    return out


def load_noise_bank(folder: Path, sample_rate: int) -> list[np.ndarray]:
    """All WAV files under `folder` (recursively), mono float32 at `sample_rate`."""
    from tinyaudio.data import load_wav

    folder = Path(folder)
    if not folder.is_dir():
        raise RecipeError(f"augment.noise_dir: {folder} is not a folder")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in WAV_SUFFIXES)
    if not files:
        raise RecipeError(f"augment.noise_dir: no .wav files under {folder}")
    bank = [load_wav(p, sample_rate) for p in files]
    bank = [b for b in bank if len(b) > 0 and float(np.max(np.abs(b))) > 0]
    if not bank:
        raise RecipeError(f"augment.noise_dir: every .wav under {folder} is silent or empty")
    return bank


def mix_noise(
    audio: np.ndarray,
    bank: list[np.ndarray],
    snr_db: tuple[float, float],
    prob: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Add a random excerpt of a random noise clip to each row with probability `prob`, at an SNR drawn
    uniformly from `snr_db` relative to the row's RMS (silent rows get noise at a small absolute level)."""
    out = audio.copy()
    n_samples = audio.shape[1]
    for i in range(len(audio)):
        if rng.random() >= prob:
            continue
        noise = bank[int(rng.integers(len(bank)))]
        if len(noise) < n_samples:
            noise = np.tile(noise, int(np.ceil(n_samples / len(noise))))
        start = int(rng.integers(0, len(noise) - n_samples + 1))
        excerpt = noise[start : start + n_samples].astype(np.float32)
        sig_rms = float(np.sqrt(np.mean(audio[i] ** 2)))
        noise_rms = float(np.sqrt(np.mean(excerpt**2))) + 1e-12
        snr = float(rng.uniform(snr_db[0], snr_db[1]))
        target = (sig_rms if sig_rms > 1e-6 else 1e-3) / (10.0 ** (snr / 20.0))
        out[i] = audio[i] + excerpt * (target / noise_rms)
    return np.clip(out, -1.0, 1.0)


def shift_frames(x: np.ndarray, max_frames: int, rng: np.random.Generator, roll: bool = False) -> np.ndarray:
    """Feature-domain time shift of (B, frames, features[, 1]) by up to +-max_frames; the vacated frames take
    each example's minimum (the log floor, i.e. silence), or with `roll` the frames wrap around (for
    stationary sounds). Cheap enough to run on every batch."""
    if max_frames <= 0:
        return x
    out = np.empty_like(x)
    frames = x.shape[1]
    for b in range(len(x)):
        s = int(rng.integers(-max_frames, max_frames + 1))
        s = max(-frames + 1, min(frames - 1, s))
        if roll:
            out[b] = np.roll(x[b], s, axis=0)
            continue
        fill = x[b].min()
        if s >= 0:
            out[b, s:] = x[b, : frames - s]
            out[b, :s] = fill
        else:
            out[b, :s] = x[b, -s:]
            out[b, s:] = fill
    return out


@dataclass(frozen=True)
class SpecAugmentSpec:
    time_masks: int = 2
    time_mask_max: int = 8
    freq_masks: int = 2
    freq_mask_max: int = 4


def spec_augment(x: np.ndarray, spec: SpecAugmentSpec, rng: np.random.Generator) -> np.ndarray:
    """SpecAugment masks on (B, frames, features[, 1]) features; masked cells take each example's mean value
    (for log features, zero would be a loud value, not silence)."""
    out = x.copy()
    frames, feats = x.shape[1], x.shape[2]
    for b in range(len(out)):
        fill = float(out[b].mean())
        for _ in range(spec.time_masks):
            w = int(rng.integers(0, min(spec.time_mask_max, frames) + 1))
            if w:
                t0 = int(rng.integers(0, frames - w + 1))
                out[b, t0 : t0 + w] = fill
        for _ in range(spec.freq_masks):
            w = int(rng.integers(0, min(spec.freq_mask_max, feats) + 1))
            if w:
                f0 = int(rng.integers(0, feats - w + 1))
                out[b, :, f0 : f0 + w] = fill
    return out


def mixup(
    x: np.ndarray, y: np.ndarray, alpha: float, rng: np.random.Generator, extra: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Mix each example with a random partner of the batch with weight lam ~ Beta(alpha, alpha) (per example).
    `extra` (e.g. teacher probabilities) is mixed with the same weights."""
    if alpha <= 0:
        return x, y, extra
    lam = rng.beta(alpha, alpha, size=len(x)).astype(np.float32)
    lam = np.maximum(lam, 1.0 - lam)  # keep the first example dominant: its teacher/labels stay meaningful
    perm = rng.permutation(len(x))
    lx = lam.reshape((-1,) + (1,) * (x.ndim - 1))
    ly = lam[:, None]
    xm = lx * x + (1 - lx) * x[perm]
    ym = ly * y + (1 - ly) * y[perm]
    em = None if extra is None else ly * extra + (1 - ly) * extra[perm]
    return xm.astype(np.float32), ym.astype(np.float32), em
