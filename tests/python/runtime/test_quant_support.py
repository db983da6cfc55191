"""firmware/runtime/support/ta_quant (C) against its Python mirrors in compile.quant_math, on edge and random
values (the rules the mirrors follow are tested in tests/python/compile/test_quant_math.py)."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

from tinyaudio import cbuild
from tinyaudio.compile import quant_math as qm
from tinyaudio.resources import firmware_dir

SUPPORT = firmware_dir() / "runtime" / "support"

WRAPPER_C = r"""
#include "ta_quant.h"
int32_t w_srdhm(int32_t a, int32_t b) { return ta_sat_rounding_doubling_high_mul(a, b); }
int32_t w_rdbpot(int32_t x, int e) { return ta_rounding_divide_by_pot(x, e); }
int32_t w_mbqm(int32_t x, int32_t m, int s) { return ta_multiply_by_quantized_multiplier(x, m, s); }
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    wrapper = tmp_path_factory.mktemp("ta_quant") / "wrap.c"
    wrapper.write_text(WRAPPER_C)
    sources = [wrapper, SUPPORT / "ta_quant.c"]
    so = cbuild.compile_executable(sources, "libtaquant.so", include_dirs=[SUPPORT], shared=True)
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
