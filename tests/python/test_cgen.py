"""tinyaudio.cgen, the one C writer: what it prints is read back by a C compiler as exactly the value it was
given. A small C program holds the literals and prints their bit patterns (floats), values (integers) and
bytes (strings); the doctests run too."""

from __future__ import annotations

import doctest
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinyaudio import cbuild, cgen

PRINT_C = r"""
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const float floats[] = @FLOATS@;
static const double doubles[] = @DOUBLES@;
static const int64_t ints[] = @INTS@;
static const uint32_t uints[] = @UINTS@;
static const char *const strings[] = {@STRINGS@};

int main(void)
{
    size_t i, j;
    for (i = 0; i < sizeof floats / sizeof floats[0]; ++i) {
        uint32_t bits;
        memcpy(&bits, &floats[i], sizeof bits);
        printf("f %08" PRIx32 "\n", bits);
    }
    for (i = 0; i < sizeof doubles / sizeof doubles[0]; ++i) {
        uint64_t bits;
        memcpy(&bits, &doubles[i], sizeof bits);
        printf("d %016" PRIx64 "\n", bits);
    }
    for (i = 0; i < sizeof ints / sizeof ints[0]; ++i) {
        printf("i %" PRId64 "\n", ints[i]);
    }
    for (i = 0; i < sizeof uints / sizeof uints[0]; ++i) {
        printf("u %" PRIu32 "\n", uints[i]);
    }
    for (i = 0; i < sizeof strings / sizeof strings[0]; ++i) {
        printf("s");
        for (j = 0; strings[i][j] != 0; ++j) {
            printf(" %02x", (unsigned)(unsigned char)strings[i][j]);
        }
        printf("\n");
    }
    return 0;
}
"""

STRINGS = [
    "",
    "yes",
    'say "hi"',
    "back\\slash\\",
    "tab\tnew\nline\r",
    "caf\u00e9 \u20ac \U0001f50a",  # 2-, 3- and 4-byte UTF-8
    "??= ??( ??/ ??) ??' ??< ??! ??> ??- ???",  # would be trigraphs under -std=c99
    "octal \x01\x7f then digits 123",
    "/* not a comment */",
]


def _float32_samples() -> np.ndarray:
    """Every exponent (each power of two and its neighbours, subnormals included), powers of ten, the
    edges, and random bit patterns over the whole finite range."""
    powers = np.ldexp(np.float32(1.0), np.arange(-149, 128)).astype(np.float32)
    up = np.nextafter(powers, np.float32(np.inf))
    down = np.nextafter(powers, np.float32(0))
    tens = np.float32(10.0) ** np.arange(-45, 39, dtype=np.float32)
    info = np.finfo(np.float32)
    edges = np.array(
        [
            0.0,
            -0.0,
            info.max,
            -info.max,
            info.tiny,
            info.smallest_subnormal,
            0.1,
            1 / 3,
            2 / 3,
            np.pi,
            16777216.0,
            16777217.0,
            1e-7,
            123456.789,
        ],
        dtype=np.float32,
    )
    bits = np.random.default_rng(0).integers(0, 2**32, size=30000, dtype=np.uint64).astype(np.uint32)
    random = bits.view(np.float32)
    all_values = np.concatenate([powers, up, down, tens, edges, random, -powers, -random]).astype(np.float32)
    return all_values[np.isfinite(all_values)]


def _float64_samples() -> np.ndarray:
    bits = np.random.default_rng(1).integers(0, 2**63, size=5000, dtype=np.uint64)
    random = bits.view(np.float64)
    edges = np.array([0.0, -0.0, 0.1, 1e-300, 5e-324, 1.7976931348623157e308, 2.0**-1074, 1 / 3])
    values = np.concatenate([edges, random, -random])
    return values[np.isfinite(values)]


INTS = [0, 1, -1, 127, -128, 32767, -32768, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 123456789, -987654321]
UINTS = [0, 1, 255, 65535, 2**31, 2**32 - 1]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, np.ndarray, list[str]]:
    floats = _float32_samples()
    doubles = _float64_samples()
    source = tmp_path_factory.mktemp("cgen") / "print_literals.c"
    text = PRINT_C
    for key, value in {
        "FLOATS": cgen.c_initializer(floats),
        "DOUBLES": "{" + ", ".join(cgen.c_float(v, double=True) for v in doubles.tolist()) + "}",
        "INTS": cgen.c_initializer(INTS),
        "UINTS": "{" + ", ".join(cgen.c_int(v, unsigned=True) for v in UINTS) + "}",
        "STRINGS": ", ".join(cgen.c_string(s) for s in STRINGS),
    }.items():
        text = text.replace(f"@{key}@", value)
    source.write_text(text)
    exe = cbuild.compile_executable([source], "print_literals", flags=("-O0",), sanitize=True)
    lines = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.splitlines()
    return floats, doubles, lines


def _section(lines: list[str], tag: str) -> list[str]:
    return [line[2:] for line in lines if line.startswith(tag + " ") or line == tag]


def test_every_float32_literal_reads_back_bit_for_bit(
    printed: tuple[np.ndarray, np.ndarray, list[str]],
) -> None:
    floats, _, lines = printed
    got = np.array([int(h, 16) for h in _section(lines, "f")], dtype=np.uint64).astype(np.uint32)
    want = floats.view(np.uint32)
    assert len(got) == len(want)
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, [(float(floats[i]), cgen.c_float(floats[i])) for i in bad[:5]]


def test_double_literals_read_back_bit_for_bit(printed: tuple[np.ndarray, np.ndarray, list[str]]) -> None:
    _, doubles, lines = printed
    got = np.array([int(h, 16) for h in _section(lines, "d")], dtype=np.uint64)
    assert np.array_equal(got, doubles.view(np.uint64))


def test_integer_literals_read_back(printed: tuple[np.ndarray, np.ndarray, list[str]]) -> None:
    lines = printed[2]
    assert [int(v) for v in _section(lines, "i")] == INTS
    assert [int(v) for v in _section(lines, "u")] == UINTS


def test_string_literals_hold_the_utf8_bytes(printed: tuple[np.ndarray, np.ndarray, list[str]]) -> None:
    got = [bytes(int(h, 16) for h in line.split()) for line in _section(printed[2], "s")]
    assert got == [s.encode("utf-8") for s in STRINGS]


def test_refusals_and_forms() -> None:
    for bad in (float("nan"), float("inf"), 1e39):
        with pytest.raises(ValueError):
            cgen.c_float(bad)
    with pytest.raises(ValueError):
        cgen.c_int(-1, unsigned=True)
    with pytest.raises(TypeError):
        cgen.c_literal("text")
    assert cgen.c_float(2.0) == "2.0f" and cgen.c_float(2.0, double=True) == "2.0"
    assert cgen.c_literal(True) == "1" and cgen.c_literal(np.int8(-5)) == "-5"
    assert cgen.c_value(np.array([[1, 2], [3, 4]], dtype=np.int32)) == "{{1, 2}, {3, 4}}"
    assert cgen.c_initializer([]) == "{0}"
    assert cgen.c_array("int8_t", "empty", []).startswith("static const int8_t empty[1]")
    assert cgen.c_comment("a */ b /* c") == "a * / b / * c"


def test_doctests() -> None:
    result = doctest.testmod(cgen)
    assert result.attempted > 0 and result.failed == 0


def test_source_text_is_identical_for_python_and_numpy_scalars() -> None:
    values = np.array([0.5, -3.25, 1e-20], dtype=np.float32)
    assert cgen.c_initializer(values) == cgen.c_initializer([float(v) for v in values])
    ints = np.array([-(2**31), 0, 7], dtype=np.int64)
    assert cgen.c_initializer(ints) == cgen.c_initializer([int(v) for v in ints])
    assert "(-2147483647 - 1)" in cgen.c_initializer(ints)


def test_generated_file_compiles_without_warnings(tmp_path: Path) -> None:
    """Arrays, structs and strings from cgen in one translation unit under -Wall -Wextra -Werror."""
    source = tmp_path / "unit.c"
    source.write_text(
        "#include <stdint.h>\n"
        "typedef struct { int32_t n; float scale; int32_t dims[3]; const char *name; } item_t;\n"
        + cgen.c_array("float", "weights", np.linspace(-1, 1, 45, dtype=np.float32), comment="w */ /* x")
        + "\n"
        + cgen.c_array("int16_t", "empty", np.zeros(0, dtype=np.int16))
        + "\n"
        + cgen.c_struct(
            "item_t",
            "item",
            {
                "n": cgen.c_int(-(2**31)),
                "scale": cgen.c_float(0.1),
                "dims": cgen.c_value([1, 2, 3]),
                "name": cgen.c_string("a??!b"),
            },
            comment="one item",
        )
        + "\nint main(void) { return (int)(weights[0] > 0.0f) + (int)empty[0] + (int)item.dims[0] - 1; }\n"
    )
    exe = cbuild.compile_executable([source], "unit", sanitize=True)
    assert subprocess.run([str(exe)], check=False).returncode == 0
