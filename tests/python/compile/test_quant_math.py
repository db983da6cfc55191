"""compile/quant_math follows TFLite's multiplier, rounding and activation-range rules (the C primitives are
checked against these mirrors in tests/python/runtime/test_quant_support.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinyaudio.compile import quant_math as qm
from tinyaudio.compile.schema import ActivationFunctionType as Act


def test_quantize_multiplier_follows_tflite_rules() -> None:
    assert qm.quantize_multiplier(0.0) == (0, 0)
    assert qm.quantize_multiplier(0.5) == (1 << 30, 0)
    assert qm.quantize_multiplier(1.0) == (1 << 30, 1)
    assert qm.quantize_multiplier(2.0**-32) == (1 << 30, -31)
    assert qm.quantize_multiplier(2.0**-33) == (0, 0)  # flushed, as TFLite does below 2^-31
    # A significand that rounds up to 2^31 is halved and the exponent bumped.
    m, s = qm.quantize_multiplier(1.0 - 2.0**-40)
    assert (m, s) == (1 << 30, 1)
    rng = np.random.default_rng(1)
    for real in rng.uniform(1e-6, 100.0, 500):
        m, s = qm.quantize_multiplier(float(real))
        assert (1 << 30) <= m < (1 << 31)
        assert math.isclose(m * 2.0 ** (s - 31), real, rel_tol=2.0**-30)


def test_round_half_away_is_std_round() -> None:
    assert [qm.round_half_away(v) for v in (0.5, 1.5, 2.5, -0.5, -2.5, 0.49999999999999994)] == [
        1.0,
        2.0,
        3.0,
        -1.0,
        -3.0,
        0.0,
    ]


def test_activation_ranges() -> None:
    assert qm.activation_range_int8(Act.NONE, 0.1, 3) == (-128, 127)
    assert qm.activation_range_int8(Act.RELU, 0.1, -5) == (-5, 127)
    assert qm.activation_range_int8(Act.RELU6, 0.1, -128) == (-128, -68)
    assert qm.activation_range_int8(Act.RELU_N1_TO_1, 0.01, 0) == (-100, 100)
    with pytest.raises(ValueError):
        qm.quantize_multiplier(float("nan"))
