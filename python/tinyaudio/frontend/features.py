"""Feature computation: thin wrappers over the C frontend (reached through tinyaudio.frontend.native)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from tinyaudio.errors import TinyaudioError
from tinyaudio.frontend.config import FrontendConfig, c_fields
from tinyaudio.frontend.micro import MicroFrontendConfig, micro_features_batch, micro_features_clip
from tinyaudio.frontend.native import extension, native

_per_thread = threading.local()


def _cached_native(config: FrontendConfig) -> Any:
    """One initialized C state per (thread, config): tables are built once, not on every call.

    Per thread because the extension releases the GIL while it computes.
    """
    cache: dict[FrontendConfig, Any] | None = getattr(_per_thread, "frontends", None)
    if cache is None:
        cache = _per_thread.frontends = {}
    state = cache.get(config)
    if state is None:
        if len(cache) >= 8:
            cache.clear()
        state = cache[config] = native(config)
    return state


def _as_clip(audio: np.ndarray, n_samples: int) -> np.ndarray:
    """float32, contiguous, zero-padded or cropped at the end to n_samples."""
    audio = np.asarray(audio)
    if audio.ndim != 1:
        raise TinyaudioError(f"expected a 1-D clip of samples, got shape {audio.shape}")
    audio = np.ascontiguousarray(audio, dtype=np.float32)
    if audio.shape[0] >= n_samples:
        return audio[:n_samples]
    out = np.zeros(n_samples, dtype=np.float32)
    out[: audio.shape[0]] = audio
    return out


def compute_features(audio: np.ndarray, config: FrontendConfig | MicroFrontendConfig) -> np.ndarray:
    """Features of one clip: float32 (config.num_frames, config.num_features).

    `audio` is mono at config.sample_rate; it is zero-padded or cropped at the end to
    config.clip_samples first (as MLPerf's preprocessing pads to 1 s). A micro frontend config takes
    int16 PCM or floats in [-1, 1] (rounded to int16) and gives the op's values as float32.
    """
    if isinstance(config, MicroFrontendConfig):
        return micro_features_clip(audio, config)
    return _cached_native(config).compute_clip(_as_clip(audio, config.clip_samples))  # type: ignore[no-any-return]


def compute_features_batch(audio2d: np.ndarray, config: FrontendConfig | MicroFrontendConfig) -> np.ndarray:
    """Features of N clips (rows): float32 (N, num_frames, num_features). Rows are padded/cropped."""
    if isinstance(config, MicroFrontendConfig):
        return micro_features_batch(audio2d, config)
    audio2d = np.asarray(audio2d)
    if audio2d.ndim != 2:
        raise TinyaudioError(f"expected a 2-D array (clips, samples), got shape {audio2d.shape}")
    n = config.clip_samples
    if audio2d.shape[1] != n:
        fitted = np.zeros((audio2d.shape[0], n), dtype=np.float32)
        keep = min(n, audio2d.shape[1])
        fitted[:, :keep] = audio2d[:, :keep]
        audio2d = fitted
    audio2d = np.ascontiguousarray(audio2d, dtype=np.float32)
    return _cached_native(config).compute_batch(audio2d)  # type: ignore[no-any-return]


class FrontendStream:
    """Streaming use, as the firmware does it: push one hop of `hop_length` samples at a time.

    `push()` returns a frame (num_features,) when one completes, else None. Clip normalization
    cannot be known while streaming: the gain is 1 unless set with `set_gain()` (for the mlperf
    preset, 1 / max of the clip gives exactly the whole-clip features). `flush()` ends a clip and
    returns the frames still due (those needing the zero padding after its end).
    """

    def __init__(self, config: FrontendConfig, gain: float = 1.0) -> None:
        self.config = config
        self._native = native(config)
        self.set_gain(gain)

    def set_gain(self, gain: float) -> None:
        if not np.isfinite(gain) or gain <= 0:
            raise TinyaudioError(f"stream gain must be finite and > 0, got {gain}")
        self._native.set_gain(float(gain))

    def push(self, hop: np.ndarray) -> np.ndarray | None:
        hop = np.ascontiguousarray(hop, dtype=np.float32)
        if hop.shape != (self.config.hop_length,):
            raise TinyaudioError(
                f"push() takes exactly hop_length={self.config.hop_length} samples, got shape {hop.shape}"
            )
        return self._native.push_hop(hop)  # type: ignore[no-any-return]

    def flush(self) -> np.ndarray:
        """Remaining frames of the clip (0 or more rows); the stream is then reset."""
        rows = []
        while True:
            frame = self._native.flush()
            if frame is None:
                break
            rows.append(frame)
        self._native.reset()
        if not rows:
            return np.zeros((0, self.config.num_features), dtype=np.float32)
        return np.stack(rows)

    def reset(self) -> None:
        self._native.reset()


def clip_gain(audio: np.ndarray, config: FrontendConfig) -> float:
    """The gain the whole-clip path applies for config.normalize (1.0 when none)."""
    ext = extension()
    return float(ext.clip_gain(c_fields(config), _as_clip(audio, config.clip_samples)))


def frontend_state_bytes() -> int:
    """sizeof(ta_frontend_t) in the extension's build (default limits)."""
    return int(extension().STATE_BYTES)
