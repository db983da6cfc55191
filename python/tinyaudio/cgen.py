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
>>> c_string('say "hi"')
'"say \\\\"hi\\\\""'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

VALUES_PER_LINE = 20
INT32_MIN = -(2**31)


def c_float(value: float, *, double: bool = False) -> str:
    """Shortest literal that round-trips to the same float32 (`f` suffix) or, with `double`, float64."""
    v = float(value) if double else float(np.float32(value))
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"{value} has no C literal (NaN/inf constants are refused)")
    text = repr(v) if double else repr(float(np.float32(v)))
    if not double:
        # numpy's shortest float32 repr, not float64's: 0.1f prints as 0.1, not 0.10000000149011612
        text = np.format_float_positional(np.float32(v), unique=True, trim="0")
        if "e" not in text and len(text) > 24:
            text = np.format_float_scientific(np.float32(v), unique=True, trim="0")
    if text.endswith("."):
        text += "0"
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
    """A C string literal; non-printable and non-ASCII bytes as octal escapes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if 32 <= ord(ch) < 127 else f"\\{ord(ch):03o}" for ch in escaped) + '"'


def c_comment(text: str) -> str:
    """Text that is safe inside /* ... */."""
    return text.replace("*/", "* /")


def c_initializer(values: Iterable[object] | np.ndarray, *, indent: str = "    ") -> str:
    """`{ a, b, ... }` over several lines, VALUES_PER_LINE items a line; `{0}` when empty."""
    items = (
        [c_literal(v) for v in np.asarray(values).ravel()]
        if isinstance(values, np.ndarray)
        else [c_literal(v) for v in values]
    )
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
