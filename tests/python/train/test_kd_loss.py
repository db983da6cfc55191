"""The distillation loss: alpha * CE + (1 - alpha) * T^2 * KL(teacher_T || student_T)."""

from __future__ import annotations

import numpy as np
import pytest

from tinyaudio.train.distill import kd_loss, kd_loss_np, softmax_np


def _by_hand(y: np.ndarray, s: np.ndarray, t: np.ndarray, alpha: float, temp: float) -> np.ndarray:
    """Straight from the definition, one example at a time, no shared helpers."""
    out = []
    y, s, t = y.astype(np.float64), s.astype(np.float64), t.astype(np.float64)
    for yi, si, ti in zip(y, s, t, strict=True):
        q = np.exp(si - si.max()) / np.exp(si - si.max()).sum()
        ce = -sum(yi[c] * np.log(q[c]) for c in range(len(yi)))
        pt = np.exp(ti / temp - (ti / temp).max())
        pt /= pt.sum()
        qt = np.exp(si / temp - (si / temp).max())
        qt /= qt.sum()
        kl = sum(pt[c] * np.log(pt[c] / qt[c]) for c in range(len(yi)))
        out.append(alpha * ce + (1 - alpha) * temp**2 * kl)
    return np.array(out)


@pytest.mark.parametrize("alpha,temp", [(0.5, 4.0), (0.1, 2.0), (0.9, 1.0), (0.0, 8.0)])
def test_kd_loss_matches_definition(tf_ready: None, alpha: float, temp: float) -> None:
    rng = np.random.default_rng(0)
    s = rng.normal(0, 3, (16, 10)).astype(np.float32)
    t = rng.normal(0, 3, (16, 10)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 16)]
    want = _by_hand(y, s, t, alpha, temp)
    np.testing.assert_allclose(kd_loss_np(y, s, t, alpha, temp), want, rtol=1e-9, atol=1e-9)
    got = np.asarray(kd_loss(y, s, softmax_np(t, temp).astype(np.float32), alpha, temp))
    np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-4)


def test_kd_loss_limits(tf_ready: None) -> None:
    rng = np.random.default_rng(1)
    s = rng.normal(0, 2, (8, 5)).astype(np.float32)
    y = np.eye(5, dtype=np.float32)[rng.integers(0, 5, 8)]
    ce = np.asarray(kd_loss(y, s, None, 0.3, 4.0))
    # alpha = 1 or no teacher: plain cross-entropy
    np.testing.assert_allclose(
        np.asarray(kd_loss(y, s, softmax_np(s, 4.0).astype(np.float32), 1.0, 4.0)), ce, rtol=1e-5
    )
    # the teacher equal to the student: the KL term vanishes, only alpha * CE is left
    same = np.asarray(kd_loss(y, s, softmax_np(s, 3.0).astype(np.float32), 0.25, 3.0))
    np.testing.assert_allclose(same, 0.25 * ce, rtol=1e-4, atol=1e-5)
    # the soft term is scaled by T^2: at alpha = 0 the loss is T^2 * KL
    t = rng.normal(0, 2, (8, 5)).astype(np.float32)
    kl_t = kd_loss_np(y, s, t, 0.0, 2.0) / 4.0
    assert np.all(kl_t > 0)
    np.testing.assert_allclose(
        np.asarray(kd_loss(y, s, softmax_np(t, 2.0).astype(np.float32), 0.0, 2.0)), 4.0 * kl_t, rtol=2e-4
    )


def test_kd_loss_soft_labels(tf_ready: None) -> None:
    """Mixup labels (rows summing to one) are valid targets of the CE term."""
    s = np.array([[2.0, 0.0, -1.0]], np.float32)
    y = np.array([[0.7, 0.3, 0.0]], np.float32)
    q = softmax_np(s)[0]
    want = -(0.7 * np.log(q[0]) + 0.3 * np.log(q[1]))
    np.testing.assert_allclose(np.asarray(kd_loss(y, s, None, 1.0, 1.0)), [want], rtol=1e-5)
