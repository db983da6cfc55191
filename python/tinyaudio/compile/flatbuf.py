"""Bounds-checked access to flatbuffer tables, vectors and strings.

The `flatbuffers` runtime trusts its input: a truncated or corrupted file makes it raise IndexError,
struct.error or read garbage. Every read here is checked against the buffer first and fails with
`FlatbufferError` naming what was being read, which the reader turns into a CompileError.
"""

from __future__ import annotations

import struct

import numpy as np
from flatbuffers import util as fb_util

_SCALAR_FORMATS = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "q": 8, "Q": 8, "f": 4, "d": 8, "?": 1}
_NUMPY_FORMATS = {"b": "i1", "B": "u1", "h": "<i2", "H": "<u2", "i": "<i4", "I": "<u4", "q": "<i8",
                  "Q": "<u8", "f": "<f4", "d": "<f8"}


class FlatbufferError(ValueError):
    """The flatbuffer is malformed at a named place."""


class Buffer:
    """An immutable byte buffer with checked little-endian reads."""

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.size = len(self.data)

    def check(self, pos: int, length: int, what: str) -> None:
        if pos < 0 or length < 0 or pos + length > self.size:
            raise FlatbufferError(
                f"{what}: bytes [{pos}, {pos + length}) lie outside the {self.size}-byte file (truncated?)"
            )

    def scalar(self, fmt: str, pos: int, what: str) -> int | float | bool:
        self.check(pos, _SCALAR_FORMATS[fmt], what)
        value: int | float | bool = struct.unpack_from("<" + fmt, self.data, pos)[0]
        return value

    def has_identifier(self, identifier: bytes) -> bool:
        if self.size < 8:
            return False
        return bool(fb_util.GetBufferIdentifier(self.data, 0) == identifier)

    def root(self, what: str) -> Table:
        offset = int(self.scalar("I", 0, f"{what} root offset"))
        return Table(self, offset, what)


class Table:
    """One flatbuffer table: fields are addressed by their number in the schema."""

    def __init__(self, buf: Buffer, pos: int, what: str) -> None:
        self.buf = buf
        self.pos = pos
        self.what = what
        vtable_rel = int(buf.scalar("i", pos, f"{what} vtable offset"))
        self.vtable = pos - vtable_rel
        self.vtable_size = int(buf.scalar("H", self.vtable, f"{what} vtable size"))
        self.object_size = int(buf.scalar("H", self.vtable + 2, f"{what} object size"))
        if self.vtable_size < 4 or self.vtable_size % 2:
            raise FlatbufferError(f"{what}: invalid vtable size {self.vtable_size}")
        buf.check(self.vtable, self.vtable_size, f"{what} vtable")
        if self.object_size < 4:
            raise FlatbufferError(f"{what}: invalid object size {self.object_size}")
        buf.check(pos, self.object_size, f"{what} object")

    def _field_pos(self, field: int) -> int | None:
        slot = 4 + 2 * field
        if slot + 2 > self.vtable_size:
            return None
        rel = int(self.buf.scalar("H", self.vtable + slot, f"{self.what} field {field}"))
        if rel == 0:
            return None
        if rel >= self.object_size:
            raise FlatbufferError(f"{self.what}: field {field} points outside its table")
        return self.pos + rel

    def has(self, field: int) -> bool:
        return self._field_pos(field) is not None

    def scalar(self, field: int, fmt: str, default: int | float | bool) -> int | float | bool:
        pos = self._field_pos(field)
        if pos is None:
            return default
        return self.buf.scalar(fmt, pos, f"{self.what} field {field}")

    def get_int(self, field: int, default: int = 0, fmt: str = "i") -> int:
        return int(self.scalar(field, fmt, default))

    def get_float(self, field: int, default: float = 0.0) -> float:
        return float(self.scalar(field, "f", default))

    def get_bool(self, field: int, default: bool = False) -> bool:
        return bool(self.scalar(field, "B", int(default)))

    def _indirect(self, field: int, what: str) -> int | None:
        pos = self._field_pos(field)
        if pos is None:
            return None
        rel = int(self.buf.scalar("I", pos, what))
        target = pos + rel
        self.buf.check(target, 4, what)
        return target

    def table(self, field: int, what: str) -> Table | None:
        target = self._indirect(field, f"{self.what}.{what}")
        return None if target is None else Table(self.buf, target, f"{self.what}.{what}")

    def _vector(self, field: int, elem_size: int, what: str) -> tuple[int, int] | None:
        target = self._indirect(field, what)
        if target is None:
            return None
        length = int(self.buf.scalar("I", target, f"{what} length"))
        self.buf.check(target + 4, length * elem_size, f"{what} ({length} elements)")
        return target + 4, length

    def vector_array(self, field: int, fmt: str, what: str) -> np.ndarray | None:
        """A vector of scalars as a numpy array (little-endian), or None when absent."""
        vec = self._vector(field, _SCALAR_FORMATS[fmt], f"{self.what}.{what}")
        if vec is None:
            return None
        start, length = vec
        return np.frombuffer(self.buf.data, dtype=np.dtype(_NUMPY_FORMATS[fmt]), count=length, offset=start)

    def vector_ints(self, field: int, what: str, fmt: str = "i") -> tuple[int, ...] | None:
        arr = self.vector_array(field, fmt, what)
        return None if arr is None else tuple(int(v) for v in arr)

    def vector_bytes(self, field: int, what: str) -> tuple[int, int] | None:
        """(start, length) of a [ubyte] vector without copying it."""
        return self._vector(field, 1, f"{self.what}.{what}")

    def vector_tables(self, field: int, what: str) -> list[Table] | None:
        vec = self._vector(field, 4, f"{self.what}.{what}")
        if vec is None:
            return None
        start, length = vec
        tables = []
        for i in range(length):
            elem = start + 4 * i
            rel = int(self.buf.scalar("I", elem, f"{self.what}.{what}[{i}]"))
            tables.append(Table(self.buf, elem + rel, f"{what}[{i}]"))
        return tables

    def string(self, field: int, what: str) -> str | None:
        vec = self._vector(field, 1, f"{self.what}.{what}")
        if vec is None:
            return None
        start, length = vec
        return self.buf.data[start : start + length].decode("utf-8", errors="replace")
