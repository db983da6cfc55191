"""Head records: the bytes of one trained head, the same in a device's storage slot and in HEAD.bin.

The layout is firmware/ondevice/ta_head_record.h (88-byte header with magic, version, model and frontend
sha256, sequence number, payload length and CRC-32; payload with shape, flags, device id, labels, per-class
counts, bias and weights, all little-endian). `HEAD.bin` on the host is exactly one record.
`read_store` finds the record a device would boot from in an image of its storage (two A/B slots).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.errors import TinyaudioError
from tinyaudio.ondevice.head import LABEL_BYTES, MAX_CLASSES, MAX_DIM, Factory, Head

MAGIC = b"TAHD"
VERSION = 1
HEADER_BYTES = 88
PAYLOAD_FIXED_BYTES = 28
DEVICE_ID_BYTES = 16
FLAG_LEARNED = 1
STORAGE_BYTES = 18432  # TA_PLATFORM_STORAGE_BYTES of the host and QEMU adapt builds (TA_ADAPT_STORAGE_BYTES)
SECTOR_BYTES = 1024  # TA_PLATFORM_STORAGE_SECTOR_BYTES
_HEADER = struct.Struct("<4sHH32s32sIIII")  # magic, version, header bytes, model, frontend, seq, len, 0, crc
_FIXED = struct.Struct("<HHHHI16s")


class HeadRecordError(TinyaudioError):
    """A head record is corrupt, of another format, or made for another model."""


def record_bytes(classes: int, dim: int) -> int:
    """TA_HEAD_RECORD_BYTES(classes, dim)."""
    return HEADER_BYTES + PAYLOAD_FIXED_BYTES + classes * (LABEL_BYTES + 8) + 4 * classes * dim


MAX_RECORD_BYTES = record_bytes(MAX_CLASSES, MAX_DIM)


def slot_bytes(storage_bytes: int = STORAGE_BYTES, sector_bytes: int = SECTOR_BYTES) -> int:
    """TA_HEAD_STORE_SLOT_BYTES: half the storage, whole sectors."""
    return (storage_bytes // 2) // sector_bytes * sector_bytes


@dataclass
class HeadRecord:
    """One head as stored: identity, provenance and weights."""

    model_sha256: str
    frontend_sha256: str
    labels: list[str]
    weights: np.ndarray  # float32 [classes, dim]
    bias: np.ndarray  # float32 [classes]
    counts: np.ndarray  # uint32 [classes]
    factory_classes: int
    learned: bool = True
    seq: int = 1
    device_id: str = ""
    version: int = VERSION
    crc: int = field(default=0, compare=False)

    @property
    def classes(self) -> int:
        return int(self.weights.shape[0])

    @property
    def dim(self) -> int:
        return int(self.weights.shape[1])

    @classmethod
    def from_head(cls, head: Head, *, seq: int = 1, device_id: str = "") -> HeadRecord:
        f = head.factory
        return cls(
            f.model_sha256,
            f.frontend_sha256,
            list(head.labels),
            head.w.astype(np.float32).copy(),
            head.b.astype(np.float32).copy(),
            head.counts.astype(np.uint32).copy(),
            f.classes,
            head.learned,
            seq,
            device_id,
        )

    def to_head(self, factory: Factory, head: Head | None = None) -> Head:
        """A Head (the numpy mirror) holding this record's weights; refused unless made for `factory`."""
        check_identity(self, factory)
        out = head.copy() if head is not None else Head(factory)
        if self.classes > out.max_classes:
            raise HeadRecordError(f"the head has {self.classes} classes; at most {out.max_classes} fit")
        out.w = self.weights.astype(np.float32).copy()
        out.b = self.bias.astype(np.float32).copy()
        out.vw = np.zeros_like(out.w)
        out.vb = np.zeros_like(out.b)
        out.counts = self.counts.astype(np.uint32).copy()
        out.labels = list(self.labels)
        out.learned = self.learned
        return out

    def pack(self) -> bytes:
        """The record's bytes (ta_head_record_write's output)."""
        c, d = self.classes, self.dim
        if not 1 <= self.factory_classes <= c or c >= 1 << 16 or d >= 1 << 16:
            raise HeadRecordError(
                f"cannot pack a head of {c} x {d} with {self.factory_classes} factory classes"
            )
        if len(self.labels) != c or self.bias.shape != (c,) or self.counts.shape != (c,):
            raise HeadRecordError("labels, bias and counts must have one entry per class")
        dev = self.device_id.encode("ascii")[:DEVICE_ID_BYTES].ljust(DEVICE_ID_BYTES, b"\0")
        payload = _FIXED.pack(
            c, d, self.factory_classes, LABEL_BYTES, FLAG_LEARNED if self.learned else 0, dev
        )
        for label in self.labels:
            raw = label.encode("ascii")
            if not 1 <= len(raw) < LABEL_BYTES:
                raise HeadRecordError(f"label {label!r} must be 1 to {LABEL_BYTES - 1} ASCII characters")
            payload += raw.ljust(LABEL_BYTES, b"\0")
        payload += self.counts.astype("<u4").tobytes()
        payload += self.bias.astype("<f4").tobytes()
        payload += self.weights.astype("<f4").tobytes()
        head = _HEADER.pack(
            MAGIC,
            VERSION,
            HEADER_BYTES,
            bytes.fromhex(self.model_sha256),
            bytes.fromhex(self.frontend_sha256),
            self.seq & 0xFFFFFFFF,
            len(payload),
            0,
            0,
        )
        crc = zlib.crc32(head[4:84] + payload) & 0xFFFFFFFF
        self.crc = crc
        return head[:84] + struct.pack("<I", crc) + payload

    @classmethod
    def unpack(cls, data: bytes, *, source: str = "head record", max_bytes: int | None = None) -> HeadRecord:
        """Parses and checks one record (magic, version, lengths, CRC); extra bytes after it are ignored."""
        if len(data) < HEADER_BYTES:
            if data[:4] == MAGIC or not data:
                raise HeadRecordError(f"{source}: truncated head record ({len(data)} bytes)")
            raise HeadRecordError(f"{source}: not a tinyaudio head record (no TAHD magic)")
        magic, version, header_bytes, model, frontend, seq, length, _, crc = _HEADER.unpack_from(data)
        if magic != MAGIC:
            if data[:HEADER_BYTES] == b"\xff" * HEADER_BYTES:
                raise HeadRecordError(f"{source}: erased storage, no head record")
            raise HeadRecordError(f"{source}: not a tinyaudio head record (no TAHD magic)")
        if version != VERSION:
            raise HeadRecordError(
                f"{source}: head record version {version}; this tinyaudio reads version {VERSION}"
            )
        limit = max_bytes if max_bytes is not None else len(data)
        if header_bytes != HEADER_BYTES or length < PAYLOAD_FIXED_BYTES or HEADER_BYTES + length > limit:
            raise HeadRecordError(
                f"{source}: truncated or inconsistent head record (payload {length} bytes, "
                f"{len(data) - HEADER_BYTES} present)"
            )
        payload = data[HEADER_BYTES : HEADER_BYTES + length]
        c, d, factory, label_bytes, flags, dev = _FIXED.unpack_from(payload)
        if (
            c == 0
            or d == 0
            or factory == 0
            or factory > c
            or label_bytes != LABEL_BYTES
            or record_bytes(c, d) != HEADER_BYTES + length
        ):
            raise HeadRecordError(
                f"{source}: inconsistent head record ({c} classes x {d}, payload {length} bytes)"
            )
        actual = zlib.crc32(data[4:84] + payload) & 0xFFFFFFFF
        if actual != crc:
            raise HeadRecordError(
                f"{source}: corrupt head record (CRC-32 {actual:08x}, header says {crc:08x})"
            )
        pos = PAYLOAD_FIXED_BYTES
        labels = []
        for k in range(c):
            raw = payload[pos + k * LABEL_BYTES : pos + (k + 1) * LABEL_BYTES]
            labels.append(raw[: LABEL_BYTES - 1].split(b"\0", 1)[0].decode("ascii", errors="replace"))
        pos += c * LABEL_BYTES
        counts = np.frombuffer(payload, "<u4", c, pos).astype(np.uint32)
        pos += 4 * c
        bias = np.frombuffer(payload, "<f4", c, pos).astype(np.float32)
        pos += 4 * c
        weights = np.frombuffer(payload, "<f4", c * d, pos).astype(np.float32).reshape(c, d)
        return cls(
            model.hex(),
            frontend.hex(),
            labels,
            weights,
            bias,
            counts,
            factory,
            bool(flags & FLAG_LEARNED),
            seq,
            dev.split(b"\0", 1)[0].decode("ascii", errors="replace"),
            version,
            crc,
        )

    def describe(self) -> dict[str, Any]:
        """What `tinyaudio head inspect` shows (and its --json document)."""
        return {
            "format_version": self.version,
            "model_sha256": self.model_sha256,
            "frontend_sha256": self.frontend_sha256,
            "sequence": self.seq,
            "device_id": self.device_id,
            "classes": self.classes,
            "factory_classes": self.factory_classes,
            "dim": self.dim,
            "labels": list(self.labels),
            "sample_counts": [int(v) for v in self.counts],
            "learned": self.learned,
            "record_bytes": record_bytes(self.classes, self.dim),
            "crc32": f"{self.crc:08x}",
            "crc_ok": True,
        }


def check_identity(record: HeadRecord, factory: Factory, *, source: str = "head") -> None:
    """Refuses (HeadRecordError, one line) a record made for another model, frontend or embedding."""
    if record.model_sha256 != factory.model_sha256:
        raise HeadRecordError(
            f"{source}: made for model {record.model_sha256[:12]}…, this model is "
            f"{factory.model_sha256[:12]}…; refusing to load it"
        )
    if record.frontend_sha256 != factory.frontend_sha256:
        raise HeadRecordError(
            f"{source}: made for frontend {record.frontend_sha256[:12]}…, this model's frontend "
            f"is {factory.frontend_sha256[:12]}…; refusing to load it"
        )
    if record.dim != factory.dim or record.factory_classes != factory.classes:
        raise HeadRecordError(
            f"{source}: shape {record.factory_classes} classes x {record.dim} does not fit the "
            f"model's {factory.classes} x {factory.dim}"
        )
    if record.labels[: factory.classes] != list(factory.labels):
        raise HeadRecordError(
            f"{source}: labels {record.labels[: factory.classes]} differ from the model's "
            f"{list(factory.labels)}"
        )


def read_record(path: str | Path) -> HeadRecord:
    """Reads HEAD.bin (exactly one record; trailing bytes are an error)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise HeadRecordError(f"{p}: cannot read: {err.strerror or err}") from None
    rec = HeadRecord.unpack(data, source=str(p))
    if len(data) != record_bytes(rec.classes, rec.dim):
        raise HeadRecordError(
            f"{p}: {len(data)} bytes, but the record inside is "
            f"{record_bytes(rec.classes, rec.dim)} (not exactly one head record)"
        )
    return rec


def write_record(path: str | Path, record: HeadRecord) -> Path:
    """Writes HEAD.bin atomically (a temporary file and a rename)."""
    import os
    import tempfile

    p = Path(path)
    data = record.pack()
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=p.name + ".", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p


@dataclass(frozen=True)
class SlotState:
    """What one storage slot holds: a record, or why not."""

    slot: str  # "A" or "B"
    record: HeadRecord | None
    problem: str | None


def read_slots(image: bytes, *, storage_bytes: int | None = None) -> list[SlotState]:
    """Both slots of a storage image (the C's ta_head_record_check on each)."""
    size = storage_bytes if storage_bytes is not None else len(image)
    sb = slot_bytes(size)
    out = []
    for i, name in enumerate("AB"):
        data = image[i * sb : (i + 1) * sb]
        try:
            out.append(SlotState(name, HeadRecord.unpack(data, source=f"slot {name}", max_bytes=sb), None))
        except HeadRecordError as err:
            out.append(SlotState(name, None, str(err)))
    return out


def _newer(a: int, b: int) -> bool:
    d = (a - b) & 0xFFFFFFFF
    return 0 < d < (1 << 31)


def newest(records: list[HeadRecord]) -> HeadRecord | None:
    """The record with the larger sequence number (modulo 2^32; the first one on a tie), as the C's boot."""
    best: HeadRecord | None = None
    for r in records:
        if best is None or _newer(r.seq, best.seq):
            best = r
    return best


def read_store(image: bytes, factory: Factory | None = None) -> HeadRecord | None:
    """The record a device booting from `image` loads: the newest valid slot (for `factory`, if given)."""
    candidates = []
    for state in read_slots(image):
        if state.record is None:
            continue
        if factory is not None:
            try:
                check_identity(state.record, factory)
            except HeadRecordError:
                continue
        candidates.append(state.record)
    return newest(candidates)


def store_image(record: HeadRecord, *, storage_bytes: int = STORAGE_BYTES) -> bytes:
    """A storage image holding `record` in slot A and an erased slot B (to provision a device)."""
    data = record.pack()
    sb = slot_bytes(storage_bytes)
    if len(data) > sb:
        raise HeadRecordError(f"a {len(data)}-byte head record does not fit a {sb}-byte slot")
    return (data + b"\xff" * (sb - len(data))) + b"\xff" * (storage_bytes - sb)
