"""Knowledge-distillation loss: alpha * CE(labels, student) + (1 - alpha) * T^2 * KL(teacher_T || student_T).

`teacher_T` and `student_T` are softmax(logits / T). The T^2 factor keeps the soft-target gradients on the
same
scale as the hard-label ones when T changes (Hinton et al., 2015). Labels may be soft (mixup).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def kd_loss(
    labels: Any, student_logits: Any, teacher_probs_t: Any | None, alpha: float, temperature: float
) -> Any:
    """Per-example KD loss as a Keras/TF tensor.

    labels: (B, C) probabilities (one-hot or mixed); teacher_probs_t: (B, C) softmax(teacher_logits / T),
    or None for plain cross-entropy.
    """
    from keras import ops

    log_p = ops.log_softmax(student_logits, axis=-1)
    ce = -ops.sum(labels * log_p, axis=-1)
    if teacher_probs_t is None or alpha >= 1.0:
        return ce
    t = float(temperature)
    log_q_t = ops.log_softmax(student_logits / t, axis=-1)
    # KL(p || q) = sum p (log p - log q); xlogy-style guard so that p == 0 contributes 0.
    p = teacher_probs_t
    log_p_teacher = ops.log(ops.maximum(p, 1e-12))
    kl = ops.sum(p * (log_p_teacher - log_q_t), axis=-1)
    return alpha * ce + (1.0 - alpha) * (t * t) * kl


def softmax_np(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def kd_loss_np(
    labels: np.ndarray,
    student_logits: np.ndarray,
    teacher_logits: np.ndarray | None,
    alpha: float,
    temperature: float,
) -> np.ndarray:
    """Float64 numpy reference of `kd_loss` taking teacher logits (used by tests and reports)."""
    q = softmax_np(student_logits)
    ce = -np.sum(labels * np.log(q), axis=-1)
    if teacher_logits is None:
        return ce
    p_t = softmax_np(teacher_logits, temperature)
    q_t = softmax_np(student_logits, temperature)
    kl = np.sum(np.where(p_t > 0, p_t * (np.log(np.maximum(p_t, 1e-300)) - np.log(q_t)), 0.0), axis=-1)
    return alpha * ce + (1 - alpha) * temperature**2 * kl
