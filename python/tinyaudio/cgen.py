"""The one writer of C source text: literals, arrays, strings, designated-initializer structs.

Every generator (compile/codegen, compile/ops, frontend/config, frontend/tables, ondevice heads, board
projects) prints C through these functions, so one `model.c` has one float style. Floats are printed with the
fewest digits that read back to the same float32 (or float64) value, and always with a `.` or exponent so
they stay floating constants.

>>> c_float(0.1)
'0.1f'
>>> c_float(1.0)
'1.0f'
>>> c_int(-2147483648)
'(-2147483647 - 1)'
>>> print(c_string('say "hi"'))
"say \\"hi\\""
>>> c_value([1, -2, 0.5])
'{1, -2, 0.5f}'
>>> print(c_struct("ta_pair_t", "pair", {"a": c_int(1), "b": c_float(2.5)}))
static const ta_pair_t pair = {
    .a = 1,
    .b = 2.5f,
};
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

VALUES_PER_LINE = 20
INT32_MIN = -(2**31)


def c_float(value: float, *, double: bool = False) -> str:
    """Shortest literal that round-trips to the same float32 (`f` suffix) or, with `double`, float64.

    >>> c_float(3e38), c_float(-0.0), c_float(1e-45), c_float(0.1, double=True)
    ('3.0e+38f', '-0.0f', '1.0e-45f', '0.1')
    """
    v = float(value)
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"{value} has no C literal (NaN/inf constants are refused)")
    if double:
        text = repr(v)
    else:
        # numpy's shortest float32 text, not float64's: 0.1f prints as 0.1, not 0.10000000149011612
        with np.errstate(over="ignore"):
            f = np.float32(v)
        if math.isinf(f):
            raise ValueError(f"{value} overflows float32")
        text = np.format_float_positional(f, unique=True, trim="0")
        if len(text) > 24:
            text = np.format_float_scientific(f, unique=True, trim="0")
    if not any(ch in text for ch in ".e"):
        text += ".0"
    return text if double else text + "f"


def c_int(value: int, *, unsigned: bool = False) -> str:
    """An integer literal; INT32_MIN spelled so that no C compiler warns about it."""
    v = int(value)
    if v == INT32_MIN:
        return "(-2147483647 - 1)"
    if unsigned:
        if v < 0:
            raise ValueError(f"{v} is negative: no unsigned literal")
        return f"{v}u"
    return str(v)


def c_literal(value: object) -> str:
    """A literal for a Python/numpy scalar: bool -> 1/0, int -> c_int, float -> c_float."""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return c_int(int(value))
    if isinstance(value, (float, np.floating)):
        return c_float(float(value))
    raise TypeError(f"no C literal for {type(value).__name__}")


def c_string(text: str) -> str:
    """A C string literal of the text's UTF-8 bytes: quotes and backslashes escaped, other bytes outside
    printable ASCII as 3-digit octal escapes, and `??` broken up (no trigraphs under -std=c99).

    >>> print(c_string("caf\u00e9 ??!"))
    "caf\\303\\251 ?\\?!"
    """
    out: list[str] = []
    prev = 0
    for byte in text.encode("utf-8"):
        if byte in (0x22, 0x5C):  # " and backslash
            out.append("\\" + chr(byte))
        elif byte == 0x3F and prev == 0x3F:  # the second ? of ??
            out.append("\\?")
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
        prev = byte
    return '"' + "".join(out) + '"'


def c_comment(text: str) -> str:
    """Text that is safe inside /* ... */ (no comment end, no nested comment start for -Wcomment)."""
    return text.replace("*/", "* /").replace("/*", "/ *")


def c_value(value: object) -> str:
    """A scalar as c_literal; a sequence (list, tuple, ndarray) as a one-line brace list `{a, b}`, nested
    for nested sequences (small array fields inside a struct initializer)."""
    if isinstance(value, np.ndarray):
        value = value.tolist() if value.ndim else value.item()
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(c_value(v) for v in value) + "}"
    return c_literal(value)


def _items(values: Iterable[object] | np.ndarray) -> list[str]:
    if isinstance(values, np.ndarray):
        flat = values.ravel()
        if flat.dtype.kind in "iu" and flat.size and int(flat.min()) > INT32_MIN:
            return [str(v) for v in flat.tolist()]  # fast path for weights: plain decimal integers
        return [c_literal(v) for v in flat]
    return [c_literal(v) for v in values]


def c_initializer(values: Iterable[object] | np.ndarray, *, indent: str = "    ") -> str:
    """`{ a, b, ... }` over several lines, VALUES_PER_LINE items a line; `{0}` when empty."""
    items = _items(values)
    if not items:
        return "{0}"
    lines = [
        indent + ", ".join(items[i : i + VALUES_PER_LINE]) + ","
        for i in range(0, len(items), VALUES_PER_LINE)
    ]
    return "{\n" + "\n".join(lines) + "\n}"


def c_array(
    c_type: str,
    name: str,
    values: Sequence[object] | np.ndarray,
    *,
    static: bool = True,
    const: bool = True,
    comment: str | None = None,
    align: int | None = None,
) -> str:
    """A whole array definition. C has no empty arrays: an empty one gets one zero element (count 0)."""
    flat = np.asarray(values).ravel() if isinstance(values, np.ndarray) else list(values)
    size = len(flat)
    body = c_initializer(flat if size else [0])
    quals = ("static " if static else "") + ("const " if const else "")
    attr = f" __attribute__((aligned({align})))" if align else ""
    head = f"/* {c_comment(comment)} */\n" if comment else ""
    return f"{head}{quals}{c_type} {name}[{max(size, 1)}]{attr} = {body};"


def c_struct_fields(fields: Mapping[str, str], *, indent: str = "    ") -> str:
    """Designated initializers `.name = text,` one a line; values are already C text."""
    return "\n".join(f"{indent}.{k} = {v}," for k, v in fields.items())


def c_struct(
    c_type: str,
    name: str,
    fields: Mapping[str, str],
    *,
    static: bool = True,
    const: bool = True,
    comment: str | None = None,
) -> str:
    """A whole struct definition with designated initializers; field values are already C text."""
    quals = ("static " if static else "") + ("const " if const else "")
    head = f"/* {c_comment(comment)} */\n" if comment else ""
    return f"{head}{quals}{c_type} {name} = {{\n{c_struct_fields(fields)}\n}};"
