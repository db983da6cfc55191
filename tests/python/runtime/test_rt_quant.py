"""ta_quant (C) against the Python mirrors in compile.quant_math, and TFLite's multiplier rules."""

from __future__ import annotations

import ctypes
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinyaudio.compile import quant_math as qm
from tinyaudio.compile.schema import ActivationFunctionType as Act

SUPPORT = Path(__file__).resolve().parents[3] / "firmware" / "runtime" / "support"

WRAPPER_C = r"""
#include "ta_quant.h"
int32_t w_srdhm(int32_t a, int32_t b) { return ta_sat_rounding_doubling_high_mul(a, b); }
int32_t w_rdbpot(int32_t x, int e) { return ta_rounding_divide_by_pot(x, e); }
int32_t w_mbqm(int32_t x, int32_t m, int s) { return ta_multiply_by_quantized_multiplier(x, m, s); }
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    tmp = tmp_path_factory.mktemp("ta_quant")
    (tmp / "wrap.c").write_text(WRAPPER_C)
    so = tmp / "libtaquant.so"
    cmd = [
        "cc",
        "-std=c99",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-O1",
        "-fPIC",
        "-shared",
        f"-I{SUPPORT}",
        str(tmp / "wrap.c"),
        str(SUPPORT / "ta_quant.c"),
        "-o",
        str(so),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    library = ctypes.CDLL(str(so))
    for name, args in (
        ("w_srdhm", [ctypes.c_int32] * 2),
        ("w_rdbpot", [ctypes.c_int32, ctypes.c_int]),
        ("w_mbqm", [ctypes.c_int32, ctypes.c_int32, ctypes.c_int]),
    ):
        fn = getattr(library, name)
        fn.argtypes = args
        fn.restype = ctypes.c_int32
    return library


EDGES = [0, 1, -1, 2, -2, 2**30, -(2**30), 2**31 - 1, -(2**31), 12345, -12345, 2**15, -(2**15) - 1]


def test_c_primitives_equal_python_mirrors(lib: ctypes.CDLL) -> None:
    rng = np.random.default_rng(0)
    values = EDGES + [int(v) for v in rng.integers(-(2**31), 2**31, 300)]
    for a in values[:60]:
        for b in values[:60]:
            assert lib.w_srdhm(a, b) == qm.sat_rounding_doubling_high_mul(a, b), (a, b)
    for x in values:
        for e in range(0, 32):
            assert lib.w_rdbpot(x, e) == qm.rounding_divide_by_pot(x, e), (x, e)
    for x in [int(v) for v in rng.integers(-(2**20), 2**20, 200)] + EDGES[:8]:
        for real in (0.0003, 0.012, 0.37, 0.5, 0.999, 1.0, 1.7, 3.9):
            m, s = qm.quantize_multiplier(real)
            assert lib.w_mbqm(x, m, s) == qm.multiply_by_quantized_multiplier(x, m, s), (x, real)


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
