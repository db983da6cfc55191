"""Training tests share one TensorFlow setup (2 threads, deterministic ops) and a tiny synthetic dataset."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile


@pytest.fixture(scope="session")
def tf_ready() -> None:
    from tinyaudio.train.tfsetup import configure_tensorflow

    configure_tensorflow(2)


@pytest.fixture(scope="session")
def tone_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder-per-label WAVs: 3 classes of noisy tones (300/900/2000 Hz), 4 speakers x 6 takes, 8 kHz, 0.5 s.
    Names follow Speech Commands' `<speaker>_nohash_<take>.wav` so that splits go by speaker."""
    root = tmp_path_factory.mktemp("tones")
    rng = np.random.default_rng(1)
    sr, n = 8000, 4000
    t = np.arange(n) / sr
    for label, freq in (("low", 300.0), ("mid", 900.0), ("high", 2000.0)):
        (root / label).mkdir()
        for spk in range(4):
            for take in range(6):
                f = freq * (1 + 0.05 * rng.standard_normal())
                onset = int(rng.integers(0, n // 4))
                x = np.zeros(n)
                x[onset:] = 0.5 * np.sin(2 * np.pi * f * t[: n - onset])
                x += 0.01 * rng.standard_normal(n)
                soundfile.write(
                    root / label / f"spk{spk:02d}ab_nohash_{take}.wav",
                    x.astype(np.float32),
                    sr,
                    subtype="PCM_16",
                )
    return root
