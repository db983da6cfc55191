"""Same seed, same data: the same weights. Different seed: different weights."""

from __future__ import annotations

import numpy as np

from tinyaudio.train.augment import SpecAugmentSpec


def _train(seed: int, teacher_logits: np.ndarray | None = None) -> list[np.ndarray]:
    from tinyaudio.models import build_model
    from tinyaudio.train.loop import FitConfig, fit
    from tinyaudio.train.tfsetup import seed_everything

    rng = np.random.default_rng(123)
    x = rng.normal(size=(96, 12, 8, 1)).astype(np.float32)
    y = (x[:, :6].mean(axis=(1, 2, 3)) > 0).astype(np.int64) + (x[:, :, :4].mean(axis=(1, 2, 3)) > 0)
    seed_everything(seed)
    model = build_model("dscnn", (12, 8, 1), 3, filters=8, blocks=1, first_kernel=(3, 3), dropout=0.2)
    cfg = FitConfig(
        epochs=2,
        batch_size=32,
        seed=seed,
        mixup_alpha=0.3,
        alpha=0.5,
        temperature=2.0,
        spec_augment=SpecAugmentSpec(1, 3, 1, 2),
    )
    fit(model, x[:80], y[:80], x[80:], y[80:], 3, cfg, teacher_logits=teacher_logits)
    return [w.numpy().copy() for w in model.weights]


def test_training_is_deterministic(tf_ready: None) -> None:
    teacher = np.random.default_rng(5).normal(size=(80, 3)).astype(np.float32)
    a, b = _train(7, teacher), _train(7, teacher)
    for wa, wb in zip(a, b, strict=True):
        np.testing.assert_array_equal(wa, wb)
    c = _train(8, teacher)
    assert any(not np.array_equal(wa, wc) for wa, wc in zip(a, c, strict=True))
