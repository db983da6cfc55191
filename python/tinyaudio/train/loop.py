"""The training loop: numpy batches with online SpecAugment and mixup, optional teacher (online or from
precomputed logits), AdamW with warm-up + cosine decay, early stopping on validation accuracy,
best weights kept.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinyaudio.train.augment import SpecAugmentSpec, mixup, shift_frames, spec_augment
from tinyaudio.train.distill import kd_loss
from tinyaudio.train.recipe import TrainingSchedule

if TYPE_CHECKING:
    import keras


@dataclass
class FitConfig(TrainingSchedule):
    """What `fit` needs: the recipe's training schedule, plus the batch-level augmentation and the
    distillation weights."""

    mixup_alpha: float = 0.0
    shift_frames: int = 0
    shift_roll: bool = False
    spec_augment: SpecAugmentSpec | None = None
    alpha: float = 1.0  # weight of the hard-label CE; 1.0 = no distillation
    temperature: float = 1.0

    @classmethod
    def from_schedule(cls, schedule: TrainingSchedule, **more: Any) -> FitConfig:
        """The schedule's fields (e.g. of a recipe's TrainingSection), with `more` set or replaced."""
        shared = {f.name: getattr(schedule, f.name) for f in dataclasses.fields(TrainingSchedule)}
        return cls(**{**shared, **more})


@dataclass
class History:
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int = -1
    epochs_run: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "loss": self.loss,
            "accuracy": self.accuracy,
            "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy,
            "best_epoch": self.best_epoch,
            "epochs_run": self.epochs_run,
        }


def one_hot(labels: np.ndarray, num_classes: int, smoothing: float = 0.0) -> np.ndarray:
    y = np.eye(num_classes, dtype=np.float32)[np.asarray(labels, dtype=np.int64)]
    if smoothing > 0:
        y = y * (1.0 - smoothing) + smoothing / num_classes
    return y


def predict_logits(model: keras.Model, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Logits for (N, ...) features in fixed-size batches (inference mode)."""
    import tensorflow as tf

    fn = _inference_fn(model)
    outs = [fn(tf.constant(x[i : i + batch_size])).numpy() for i in range(0, len(x), batch_size)]
    return np.concatenate(outs, axis=0) if outs else np.zeros((0, model.output_shape[-1]), np.float32)


def _inference_fn(model: keras.Model) -> Any:
    """A traced inference function, kept on the model (a cache keyed by id() would keep models alive)."""
    import tensorflow as tf

    fn = getattr(model, "_tinyaudio_infer", None)
    if fn is None:
        fn = tf.function(lambda x: model(x, training=False), reduce_retracing=True, autograph=False)
        model._tinyaudio_infer = fn
    return fn


def _batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    order = rng.permutation(n)
    # Fold a tiny last batch into the previous one (batch-norm statistics of 1-3 examples are noise).
    bounds = list(range(0, n, batch_size))
    if len(bounds) > 1 and n - bounds[-1] < batch_size // 4:
        bounds.pop()
    return [order[b : (bounds[i + 1] if i + 1 < len(bounds) else n)] for i, b in enumerate(bounds)]


def fit(
    model: keras.Model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    num_classes: int,
    cfg: FitConfig,
    teacher: keras.Model | None = None,
    teacher_logits: np.ndarray | None = None,
    on_epoch: Callable[[int, dict[str, float]], None] | None = None,
) -> History:
    """Train `model` (logits out) in place; keeps the weights of the best validation epoch.

    Distillation when `teacher` (run online on each augmented batch, so it sees exactly what the student sees)
    or `teacher_logits` (one row per training example, mixed alongside mixup) is given and cfg.alpha < 1.
    """
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(cfg.seed)
    n = len(x_train)
    steps_per_epoch = max(1, len(_batches(n, cfg.batch_size, np.random.default_rng(0))))
    total = steps_per_epoch * cfg.epochs
    warmup = min(steps_per_epoch * cfg.warmup_epochs, max(total - 1, 0))
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0 if warmup else cfg.learning_rate,
        decay_steps=max(total - warmup, 1),
        alpha=0.01,
        warmup_target=cfg.learning_rate if warmup else None,
        warmup_steps=warmup,
    )
    optimizer = keras.optimizers.AdamW(learning_rate=schedule, weight_decay=cfg.weight_decay)
    distill = cfg.alpha < 1.0 and (teacher is not None or teacher_logits is not None)
    alpha, temperature = float(cfg.alpha), float(cfg.temperature)
    weights = model.trainable_variables

    def _loss(y: Any, logits: Any, probs_t: Any) -> Any:
        per_example = (
            kd_loss(y, logits, probs_t, alpha, temperature) if distill else kd_loss(y, logits, None, 1, 1)
        )
        extra = tf.add_n(model.losses) if model.losses else 0.0
        return tf.reduce_mean(per_example) + extra

    @tf.function(reduce_retracing=True, autograph=False)
    def step_online(x: Any, y: Any) -> Any:
        probs_t = tf.nn.softmax(teacher(x, training=False) / temperature) if distill else None  # type: ignore[misc]
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = _loss(y, logits, probs_t)
        optimizer.apply(tape.gradient(loss, weights), weights)
        return loss, logits

    @tf.function(reduce_retracing=True, autograph=False)
    def step_offline(x: Any, y: Any, probs_t: Any) -> Any:
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = _loss(y, logits, probs_t)
        optimizer.apply(tape.gradient(loss, weights), weights)
        return loss, logits

    from tinyaudio.train.distill import softmax_np

    train_probs_t = (
        softmax_np(teacher_logits, temperature).astype(np.float32) if teacher_logits is not None else None
    )
    y_train_oh = one_hot(y_train, num_classes, cfg.label_smoothing)
    y_val_oh = one_hot(y_val, num_classes)
    history = History()
    best_acc, best_loss, best_weights, stale = -1.0, math.inf, None, 0
    for epoch in range(cfg.epochs):
        losses, correct = [], 0
        for idx in _batches(n, cfg.batch_size, rng):
            xb, yb = x_train[idx], y_train_oh[idx]
            xb = shift_frames(xb, cfg.shift_frames, rng, cfg.shift_roll)
            if cfg.spec_augment is not None:
                xb = spec_augment(xb, cfg.spec_augment, rng)
            pb = train_probs_t[idx] if train_probs_t is not None else None
            xb, ybm, pb = mixup(xb, yb, cfg.mixup_alpha, rng, extra=pb)
            if teacher is not None or not distill:
                loss, logits = step_online(tf.constant(xb), tf.constant(ybm))
            else:
                loss, logits = step_offline(tf.constant(xb), tf.constant(ybm), tf.constant(pb))
            losses.append(float(loss))
            correct += int(np.sum(np.argmax(logits.numpy(), -1) == np.argmax(yb, -1)))
        val_logits = predict_logits(model, x_val) if len(x_val) else np.zeros((0, num_classes), np.float32)
        val_loss = float(np.mean(-np.sum(y_val_oh * _log_softmax(val_logits), -1))) if len(x_val) else 0.0
        val_acc = float(np.mean(np.argmax(val_logits, -1) == y_val)) if len(x_val) else 0.0
        history.loss.append(float(np.mean(losses)))
        history.accuracy.append(correct / max(n, 1))
        history.val_loss.append(val_loss)
        history.val_accuracy.append(val_acc)
        history.epochs_run = epoch + 1
        if on_epoch is not None:
            on_epoch(
                epoch,
                {
                    "loss": history.loss[-1],
                    "accuracy": history.accuracy[-1],
                    "val_loss": val_loss,
                    "val_accuracy": val_acc,
                },
            )
        if val_acc > best_acc or (val_acc == best_acc and val_loss < best_loss):
            best_acc, best_loss, stale = val_acc, val_loss, 0
            best_weights = [v.numpy().copy() for v in model.weights]
            history.best_epoch = epoch
        else:
            stale += 1
            if cfg.patience > 0 and stale >= cfg.patience:
                break
    if best_weights is not None and cfg.restore_best:
        for var, value in zip(model.weights, best_weights, strict=True):
            var.assign(value)
    return history


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
