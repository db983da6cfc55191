"""What the on-device learning tests share: the new speaker, the model fixture's type, folder datasets of
symlinks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FRONTEND = dict(
    sample_rate=8000,
    clip_samples=8000,
    frame_length=256,
    hop_length=160,
    fft_length=256,
    num_mel_bins=32,
    fmin=20.0,
    fmax=4000.0,
    log_floor=1e-6,
)
NEW_SPEAKER = "george"


@dataclass(frozen=True)
class AdaptModel:
    model_dir: Path  # compiled, with head
    fsdd: Path
    labels: list[str]


def link_clips(clips: list, out: Path) -> Path:  # type: ignore[type-arg]
    """A folder-per-label dataset of symlinks (tinyaudio.data reads it as the `folders` layout)."""
    for c in clips:
        d = out / c.label
        d.mkdir(parents=True, exist_ok=True)
        (d / c.path.name).symlink_to(c.path.resolve())
    return out
