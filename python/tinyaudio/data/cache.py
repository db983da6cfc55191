"""Decoded audio and features for whole datasets, with an on-disk feature cache.

The cache key is (content of every file, frontend configuration, format version): renaming files or moving
the dataset keeps the cache valid, editing a clip or the configuration invalidates it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tinyaudio.data.layouts import Clip, Dataset
from tinyaudio.data.wav import fit_length, load_wav
from tinyaudio.errors import WavError

if TYPE_CHECKING:
    from tinyaudio.frontend import AnyFrontendConfig

log = logging.getLogger(__name__)
CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    """$TINYAUDIO_CACHE, else the user's cache directory."""
    env = os.environ.get("TINYAUDIO_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tinyaudio"))


def _paths(items: Dataset | Sequence[Clip | str | Path]) -> list[Path]:
    clips: Iterable[Clip | str | Path] = items.clips if isinstance(items, Dataset) else items
    return [c.path if isinstance(c, Clip) else Path(c) for c in clips]


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _progress(total: int, description: str, enabled: bool):  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=not enabled,
    )


def load_audio(
    items: Dataset | Sequence[Clip | str | Path],
    sample_rate: int,
    clip_samples: int,
    *,
    skip_bad: bool = False,
    progress: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Decode, resample and pad/crop every clip → (audio (N, clip_samples) float32, kept indices).

    A bad file raises WavError naming it, unless `skip_bad`, which logs a warning and leaves it out
    (the kept indices tell which clips survived).
    """
    paths = _paths(items)
    audio = np.zeros((len(paths), clip_samples), dtype=np.float32)
    kept: list[int] = []
    with _progress(len(paths), "decoding", progress) as bar:
        task = bar.add_task("decoding", total=len(paths))
        for i, path in enumerate(paths):
            try:
                audio[len(kept)] = fit_length(load_wav(path, sample_rate), clip_samples)
                kept.append(i)
            except WavError as err:
                if not skip_bad:
                    raise
                log.warning("skipping %s", err)
            bar.advance(task)
    return audio[: len(kept)], np.array(kept, dtype=np.int64)


def extract_features(
    items: Dataset | Sequence[Clip | str | Path],
    config: AnyFrontendConfig,
    cache_dir: Path | None = None,
    *,
    progress: bool = True,
    use_cache: bool = True,
) -> np.ndarray:
    """Features of every clip through the C frontend → (N, frames, features) float32, cached on disk."""
    from tinyaudio.frontend import compute_features_batch

    paths = _paths(items)
    key = hashlib.sha256(f"tinyaudio-features-v{CACHE_FORMAT}\n{config.to_json()}\n".encode())
    for path in paths:
        if not path.is_file():
            raise WavError(path, "no such file")
        key.update(file_digest(path).encode())
    cache_file = (cache_dir or default_cache_dir()) / "features" / f"{key.hexdigest()[:32]}.npy"
    if use_cache and cache_file.is_file():
        try:
            cached = np.load(cache_file)
            if cached.shape[0] == len(paths):
                return cached
        except (OSError, ValueError):
            log.warning("ignoring unreadable feature cache %s", cache_file)
    audio, _ = load_audio(paths, config.sample_rate, config.clip_samples, progress=progress)
    features = np.empty((len(paths), config.num_frames, config.num_features), dtype=np.float32)
    chunk = 256
    with _progress(len(paths), "features", progress) as bar:
        task = bar.add_task("features", total=len(paths))
        for start in range(0, len(paths), chunk):
            features[start : start + chunk] = compute_features_batch(audio[start : start + chunk], config)
            bar.advance(task, min(chunk, len(paths) - start))
    if use_cache:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".tmp{os.getpid()}.npy")
        np.save(tmp, features)
        os.replace(tmp, cache_file)  # atomic: a crash never leaves a half-written cache entry
    return features
