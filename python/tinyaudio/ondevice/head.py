"""The on-device head in numpy: the same float32 operations in the same order as firmware/ondevice/ta_head.c.

This is the oracle the C code is tested against (tests/python/ondevice) and the engine for simulating many
devices (fleet). Every sum is sequential (`np.add.accumulate`, which never reorders), every product and sum
rounds to float32, and no multiply-add is fused, exactly as the C built with -ffp-contract=off; exp and
square root are the C's own float32 routines, repeated bit for bit. Change both sides together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tinyaudio.errors import TinyaudioError

F32 = np.float32
MAX_CLASSES = 16  # TA_HEAD_MAX_CLASSES of the default build
MAX_DIM = 128  # TA_HEAD_MAX_DIM
MEAN_WINDOW = 256  # TA_HEAD_MEAN_WINDOW
LABEL_BYTES = 16  # TA_HEAD_LABEL_BYTES (at most 15 characters)

_LOG2E = F32(1.44269502)
_LN2_HI = F32(0.693145752)
_LN2_LO = F32(1.42860677e-06)
_EXP_POLY = [F32(v) for v in (1.38888889e-03, 8.33333377e-03, 4.16666679e-02, 1.66666672e-01, 0.5, 1.0, 1.0)]


class HeadError(TinyaudioError):
    """A head operation was refused: a bad label, a full head, an invalid hyperparameter."""


def expf(x: np.ndarray) -> np.ndarray:
    """ta_head_expf, elementwise, bit for bit (float32 array in, float32 array out)."""
    x = np.asarray(x, dtype=F32)
    with np.errstate(invalid="ignore", over="ignore"):
        xc = np.minimum(x, F32(88.0))
        t = xc * _LOG2E
        n = np.where(t >= F32(0.0), t + F32(0.5), t - F32(0.5)).astype(np.int32)  # C's (int32_t) truncates
        nf = n.astype(F32)
        r = xc - nf * _LN2_HI
        r = r - nf * _LN2_LO
        p = np.full_like(r, _EXP_POLY[0])
        for c in _EXP_POLY[1:]:
            p = p * r + c
        nn = np.clip(n, -126, 127)
        scale = ((nn + 127).astype(np.uint32) << np.uint32(23)).view(F32)
        out = p * scale
    out = np.where(x < F32(-87.0), F32(0.0), out)
    return np.where(np.isnan(x), x, out).astype(F32)


def sqrtf(v: F32) -> F32:
    """head_sqrt of ta_head.c: Newton's iteration from a bit-level guess, float32 only."""
    v = F32(v)
    if not v > F32(0.0):
        return F32(0.0)
    bits = np.array([v], dtype=F32).view(np.uint32)[0]
    r = np.array([(bits >> np.uint32(1)) + np.uint32(0x1FC00000)], dtype=np.uint32).view(F32)[0]
    for _ in range(4):
        r = F32(F32(0.5) * F32(r + F32(v / r)))
    return F32(r)


def seq_sum(values: np.ndarray, start: F32 | np.ndarray | None = None, axis: int = -1) -> np.ndarray:
    """Sequential float32 sum along `axis` (C's `s = s + v[i]` loop), optionally starting from `start`."""
    values = np.asarray(values, dtype=F32)
    if start is not None:
        first = np.expand_dims(np.asarray(start, dtype=F32), axis)
        values = np.concatenate([first, values], axis=axis)
    if values.shape[axis] == 0:
        return np.zeros(np.delete(values.shape, axis % values.ndim), dtype=F32)
    return np.take(np.add.accumulate(values, axis=axis, dtype=F32), -1, axis=axis)


def sum_squares(v: np.ndarray) -> F32:
    v = np.asarray(v, dtype=F32)
    return F32(seq_sum(v * v))


@dataclass(frozen=True)
class HParams:
    """ta_head_hparams_t; the defaults are ta_head_default_hparams()."""

    learning_rate: float = 0.02
    l2: float = 1e-4
    clip_norm: float = 10.0
    momentum: float = 0.0
    reject_confidence: float = 0.95
    imprint_margin: float = 1.5

    def check(self) -> HParams:
        """Raises HeadError for values ta_head_check_hparams refuses."""
        ok = (
            0.0 < self.learning_rate <= 10.0
            and 0.0 <= self.l2 < 1.0
            and 0.0 <= self.clip_norm <= 1e6
            and 0.0 <= self.momentum < 1.0
            and 0.0 < self.reject_confidence <= 2.0
            and 0.0 <= self.imprint_margin <= 100.0
        )
        if not ok:
            raise HeadError(f"head hyperparameters out of range: {self}")
        return self

    def as_f32(self) -> tuple[F32, F32, F32, F32, F32]:
        """(learning rate, l2, clip norm, momentum, reject confidence) as float32."""
        return (
            F32(self.learning_rate),
            F32(self.l2),
            F32(self.clip_norm),
            F32(self.momentum),
            F32(self.reject_confidence),
        )


@dataclass(frozen=True)
class Factory:
    """The compiled model's classifier (ta_head_factory_t): int8 weights [classes, dim], zero point 0."""

    weights: np.ndarray  # int8 [C, D]
    weight_scales: np.ndarray  # float32 [C]
    bias: np.ndarray | None  # int32 [C]
    input_scale: float
    input_zero_point: int
    labels: list[str]
    model_sha256: str = "0" * 64
    frontend_sha256: str = "0" * 64

    @property
    def classes(self) -> int:
        return int(self.weights.shape[0])

    @property
    def dim(self) -> int:
        return int(self.weights.shape[1])

    def float_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """(W, b) dequantized as ta_head_reset does."""
        ws = np.asarray(self.weight_scales, dtype=F32)
        w = ws[:, None] * np.asarray(self.weights, dtype=np.int32).astype(F32)
        if self.bias is None:
            b = np.zeros(self.classes, dtype=F32)
        else:
            b = np.asarray(self.bias, dtype=np.int32).astype(F32) * (F32(self.input_scale) * ws)
        return w.astype(F32), b.astype(F32)


@dataclass
class Head:
    """ta_head_t: a factory, hyperparameters and the trained state."""

    factory: Factory
    hp: HParams = field(default_factory=HParams)
    max_classes: int = MAX_CLASSES
    w: np.ndarray = field(init=False)
    b: np.ndarray = field(init=False)
    vw: np.ndarray = field(init=False)
    vb: np.ndarray = field(init=False)
    counts: np.ndarray = field(init=False)
    mean: np.ndarray = field(init=False)
    observed: int = field(init=False)
    labels: list[str] = field(init=False)
    learned: bool = field(init=False)
    updates: int = 0
    rejected: int = 0

    def __post_init__(self) -> None:
        self.hp.check()
        if self.factory.classes > self.max_classes:
            raise HeadError(
                f"the model has {self.factory.classes} classes; the head holds {self.max_classes}"
            )
        self.reset()

    @property
    def classes(self) -> int:
        return int(self.w.shape[0])

    @property
    def dim(self) -> int:
        return self.factory.dim

    def reset(self) -> None:
        """ta_head_reset: back to the factory head."""
        self.w, self.b = self.factory.float_weights()
        self.vw = np.zeros_like(self.w)
        self.vb = np.zeros_like(self.b)
        self.counts = np.zeros(self.factory.classes, dtype=np.uint32)
        self.labels = list(self.factory.labels)
        self.learned = False
        self.mean = np.zeros(self.dim, dtype=F32)
        self.observed = 0

    def copy(self) -> Head:
        other = replace(self)
        other.w, other.b = self.w.copy(), self.b.copy()
        other.vw, other.vb = self.vw.copy(), self.vb.copy()
        other.counts, other.labels = self.counts.copy(), list(self.labels)
        other.mean = self.mean.copy()
        other.learned = self.learned
        return other

    def dequantize(self, q: np.ndarray) -> np.ndarray:
        q = np.asarray(q).reshape(-1)
        if q.size != self.dim:
            raise HeadError(f"embedding has {q.size} values, the head expects {self.dim}")
        return F32(self.factory.input_scale) * (
            q.astype(np.int32) - int(self.factory.input_zero_point)
        ).astype(F32)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return seq_sum(self.w * x[None, :], start=self.b, axis=1)

    def forward(self, x: np.ndarray) -> tuple[int, np.ndarray]:
        """(argmax, probabilities) as forward() in ta_head.c."""
        z = self.logits(x)
        best = int(np.argmax(z))
        e = expf(z - z[best])
        total = F32(seq_sum(e))
        return best, e * (F32(1.0) / total)

    def classify(self, q: np.ndarray, model_scores: np.ndarray | None = None) -> int:
        """ta_head_classify: the int8 path (argmax of the model's output) until the head has learned."""
        if not self.learned and model_scores is not None:
            return int(np.argmax(np.asarray(model_scores)))
        return self.forward(self.dequantize(q))[0]

    def predict_batch(self, embeddings: np.ndarray) -> np.ndarray:
        """The float head's labels for many embeddings at once (fast, for evaluation; not bit-exact)."""
        e = np.asarray(embeddings).reshape(len(embeddings), -1)
        x = F32(self.factory.input_scale) * (e.astype(np.int32) - int(self.factory.input_zero_point)).astype(
            F32
        )
        return np.argmax(x @ self.w.T + self.b, axis=1)

    def _observe_x(self, x: np.ndarray) -> None:
        self.observed += 1
        inv = F32(1.0) / F32(min(self.observed, MEAN_WINDOW))
        self.mean = self.mean + (x - self.mean) * inv

    def observe(self, q: np.ndarray) -> None:
        """ta_head_observe: one heard embedding into the running mean."""
        self._observe_x(self.dequantize(q))

    def update(self, q: np.ndarray, label: int) -> bool:
        """ta_head_update: one SGD step; False when the bad-label guard rejected the sample."""
        if not 0 <= int(label) < self.classes:
            raise HeadError(f"label {label} is outside the head's {self.classes} classes")
        lr, l2, clip, mu, reject = self.hp.as_f32()
        x = self.dequantize(q)
        self._observe_x(x)
        best, p = self.forward(x)
        if best != label and p[best] >= reject:
            self.rejected += 1
            return False
        g = p.copy()
        g[label] = g[label] - F32(1.0)
        if clip > F32(0.0):
            n2 = F32(sum_squares(g) * F32(sum_squares(x) + F32(1.0)))
            if n2 > F32(clip * clip):
                g = g * F32(clip / sqrtf(n2))
        d = g[:, None] * x[None, :] + l2 * self.w
        if mu != F32(0.0) or np.any(self.vw):
            self.vw = mu * self.vw + d
            self.w = self.w - lr * self.vw
            self.vb = mu * self.vb + g
            self.b = self.b - lr * self.vb
        else:
            self.w = self.w - lr * d
            self.b = self.b - lr * g
        self.counts[label] += np.uint32(1)
        self.learned = True
        self.updates += 1
        return True

    def imprint(self, label: str, embeddings: Sequence[np.ndarray] | np.ndarray) -> int:
        """ta_head_imprint_begin/_add/_end: a new class from K examples; returns its index."""
        if not 1 <= len(label) < LABEL_BYTES or not label.isascii():
            raise HeadError(f"label {label!r} must be 1 to {LABEL_BYTES - 1} ASCII characters")
        if label in self.labels:
            raise HeadError(f"label {label!r} exists already")
        if self.classes >= self.max_classes:
            raise HeadError(f"the head is full ({self.max_classes} classes)")
        if len(embeddings) == 0:
            raise HeadError(f"imprinting {label!r} needs at least one example")
        acc = np.zeros(self.dim, dtype=F32)
        for q in embeddings:
            acc = acc + self.dequantize(q)
        x = acc * (F32(1.0) / F32(len(embeddings)))
        direction = x - self.mean if self.observed > 0 else x
        c = self.classes
        norms = F32(0.0)
        for k in range(c):
            norms = F32(norms + sqrtf(sum_squares(self.w[k])))
        target = F32(norms / F32(c))
        dir_norm = sqrtf(sum_squares(direction))
        scale = F32(target / dir_norm) if dir_norm > F32(0.0) else F32(0.0)
        row = direction * scale
        own = F32(seq_sum(row * x))
        strongest = F32(np.max(self.logits(x)))
        bias = F32(F32(strongest - own) + F32(self.hp.imprint_margin))
        self.w = np.concatenate([self.w, row[None, :]]).astype(F32)
        self.b = np.concatenate([self.b, [bias]]).astype(F32)
        self.vw = np.concatenate([self.vw, np.zeros((1, self.dim), F32)])
        self.vb = np.concatenate([self.vb, [F32(0.0)]]).astype(F32)
        self.counts = np.concatenate([self.counts, [np.uint32(len(embeddings))]]).astype(np.uint32)
        self.labels.append(label)
        self.learned = True
        return c
