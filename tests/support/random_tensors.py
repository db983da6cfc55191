"""Random tensors and quantization parameters for the bit-exactness tests (fixed seeds at the call sites)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def random_scale(rng: np.random.Generator, lo: float = 1e-3, hi: float = 0.5) -> float:
    """A float32 scale, log-uniform in [lo, hi]."""
    return float(np.float32(np.exp(rng.uniform(np.log(lo), np.log(hi)))))


def random_zp(rng: np.random.Generator) -> int:
    return int(rng.integers(-128, 128))


def random_int8(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    return rng.integers(-128, 128, size=tuple(shape)).astype(np.int8)


def random_inputs(
    rng: np.random.Generator, n: int, shape: tuple[int, ...], dtype: type = np.int8, spread: float = 1.0
) -> np.ndarray:
    """n random tensors of `shape` in a centred range covering `spread` of the dtype's range."""
    info = np.iinfo(dtype)
    lo = int(info.min * spread)
    hi = int(info.max * spread)
    return rng.integers(lo, hi + 1, size=(n, *shape), dtype=dtype)


def random_weights(rng: np.random.Generator, shape: Sequence[int]) -> np.ndarray:
    """int8 weights in [-127, 127] (TFLite's symmetric weight range)."""
    return rng.integers(-127, 128, size=tuple(shape)).astype(np.int8)
