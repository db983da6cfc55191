"""Augmentations do what they say, deterministically for a given generator state."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from tinyaudio.errors import RecipeError
from tinyaudio.train.augment import (
    SpecAugmentSpec,
    load_noise_bank,
    mix_noise,
    mixup,
    spec_augment,
    time_shift,
)


def test_time_shift_moves_content_and_zero_fills() -> None:
    x = np.zeros((50, 100), np.float32)
    x[:, 40:60] = 1.0
    y = time_shift(x, 0.2, np.random.default_rng(0))
    shifts = set()
    for row in y:
        nz = np.flatnonzero(row)
        assert len(nz) == 20 and nz[-1] - nz[0] == 19  # the block survives intact
        shifts.add(int(nz[0]) - 40)
    assert max(abs(s) for s in shifts) <= 20 and len(shifts) > 5
    np.testing.assert_array_equal(y, time_shift(x, 0.2, np.random.default_rng(0)))


def test_mix_noise_hits_requested_snr(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    noise_dir = tmp_path / "noise"
    noise_dir.mkdir()
    soundfile.write(noise_dir / "n.wav", (0.3 * rng.standard_normal(16000)).astype(np.float32), 8000)
    bank = load_noise_bank(noise_dir, 8000)
    assert len(bank) == 1 and len(bank[0]) == 16000
    sig = (0.5 * np.sin(np.arange(4000) * 0.3)).astype(np.float32)[None].repeat(8, 0)
    mixed = mix_noise(sig, bank, (10.0, 10.0), 1.0, np.random.default_rng(1))
    for clean, noisy in zip(sig, mixed, strict=True):
        snr = 10 * np.log10(np.mean(clean**2) / np.mean((noisy - clean) ** 2))
        assert snr == pytest.approx(10.0, abs=0.05)
    untouched = mix_noise(sig, bank, (10.0, 10.0), 0.0, np.random.default_rng(1))
    np.testing.assert_array_equal(untouched, sig)


def test_noise_dir_errors(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="not a folder"):
        load_noise_bank(tmp_path / "missing", 8000)
    with pytest.raises(RecipeError, match="no .wav"):
        load_noise_bank(tmp_path, 8000)


def test_spec_augment_masks_within_limits() -> None:
    x = np.random.default_rng(0).normal(size=(20, 30, 12, 1)).astype(np.float32)
    spec = SpecAugmentSpec(time_masks=1, time_mask_max=5, freq_masks=1, freq_mask_max=3)
    y = spec_augment(x, spec, np.random.default_rng(2))
    assert y.shape == x.shape
    changed_any = False
    for a, b in zip(x, y, strict=True):
        changed = a != b
        rows = np.flatnonzero(changed.all(axis=(1, 2)))  # fully masked frames
        cols = np.flatnonzero(changed.all(axis=(0, 2)))  # fully masked bins
        assert len(rows) <= 5 and len(cols) <= 3
        changed_any |= bool(changed.any())
        # every changed cell lies in a masked frame or a masked bin
        assert not (
            changed
            & ~(np.isin(np.arange(30), rows)[:, None, None] | np.isin(np.arange(12), cols)[None, :, None])
        ).any()
    assert changed_any


def test_mixup_keeps_label_mass() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4, 3, 1)).astype(np.float32)
    y = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 16)]
    extra = np.full((16, 4), 0.25, np.float32)
    xm, ym, em = mixup(x, y, 0.4, np.random.default_rng(1), extra=extra)
    np.testing.assert_allclose(ym.sum(-1), 1.0, rtol=1e-6)
    assert em is not None
    np.testing.assert_allclose(em, extra, rtol=1e-6)
    assert (ym.max(-1) >= 0.5 - 1e-6).all()  # the example's own label stays dominant
    same = mixup(x, y, 0.0, np.random.default_rng(1))
    assert same[0] is x and same[1] is y
