"""WAV decoding: any PCM/float WAV → float32 mono at the rate the model wants."""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np

from tinyaudio.errors import WavError


def load_wav(path: str | Path, sample_rate: int | None = None) -> np.ndarray:
    """Decode `path` to float32 mono samples in [-1, 1], resampled to `sample_rate` if given.

    8/16/24/32-bit integer and 32/64-bit float WAVs are accepted; channels are averaged.
    Anything that is not a decodable, non-empty, finite WAV raises WavError naming the file.
    """
    import soundfile  # imported here: keeps `tinyaudio --help` fast

    path = Path(path)
    if not path.is_file():
        raise WavError(path, "no such file")
    if path.stat().st_size == 0:
        raise WavError(path, "empty file (0 bytes)")
    try:
        info = soundfile.info(str(path))
        if info.format not in ("WAV", "WAVEX", "RF64"):
            raise WavError(path, f"not a WAV file (found {info.format})")
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except WavError:
        raise
    except Exception as err:  # libsndfile reports truncated/garbage files as RuntimeError/LibsndfileError
        raise WavError(path, f"cannot decode: {str(err).strip() or type(err).__name__}") from None
    if data.shape[0] == 0:
        raise WavError(path, "contains no samples")
    if not np.all(np.isfinite(data)):
        raise WavError(path, "contains NaN or infinite samples")
    audio = data.mean(axis=1, dtype=np.float32) if data.shape[1] > 1 else data[:, 0]
    if sample_rate is not None and rate != sample_rate:
        audio = resample(audio, rate, sample_rate)
    return np.ascontiguousarray(audio, dtype=np.float32)


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Polyphase resampling (scipy), exact ratio from_rate → to_rate."""
    from scipy.signal import resample_poly

    if from_rate <= 0 or to_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {from_rate} → {to_rate}")
    if from_rate == to_rate:
        return audio.astype(np.float32, copy=False)
    g = gcd(from_rate, to_rate)
    return resample_poly(audio, to_rate // g, from_rate // g).astype(np.float32)


def fit_length(audio: np.ndarray, n_samples: int) -> np.ndarray:
    """Zero-pad at the end or crop the end so that the clip has exactly `n_samples` samples."""
    if n_samples <= 0:
        raise ValueError(f"clip length must be positive, got {n_samples}")
    if audio.shape[0] >= n_samples:
        return np.ascontiguousarray(audio[:n_samples], dtype=np.float32)
    out = np.zeros(n_samples, dtype=np.float32)
    out[: audio.shape[0]] = audio
    return out
