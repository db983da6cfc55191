"""Host side of the serial protocol (PROTOCOL.md beside this file; the device side is
firmware/app/ta_serial_protocol.c).

`DeviceLink` talks to any byte stream with `read(n)`/`write(b)` (a pyserial `Serial`, or a pty in tests):
commands return their "+NAME:" lines once the final "OK" arrives, "ERROR: ..." raises `ProtocolError`,
and unsolicited detection lines are queued for `detections()`. pyserial is imported only by `open_port`.
"""

from __future__ import annotations

import time
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from tinyaudio.errors import TinyaudioError

HEAD_CHUNK = 64  # bytes per AT+HEADDATA line (the device's TA_SERIAL_HEAD_CHUNK)
PROTOCOL_VERSION = 1


class ProtocolError(TinyaudioError):
    """The device answered ERROR, did not answer, or answered something this host does not understand."""


class ByteStream(Protocol):
    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...


@dataclass(frozen=True)
class DeviceInfo:
    protocol: int
    board: str
    model_sha256: str
    num_labels: int
    head_version: int
    sample_rate: int
    labels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Detection:
    index: int
    time_ms: int
    label_index: int
    label: str
    score: int
    scores: list[int] | None = None


@dataclass(frozen=True)
class Head:
    version: int
    data: bytes


def _fields(line: str, prefix: str) -> str:
    if not line.startswith(prefix):
        raise ProtocolError(f"expected a {prefix} line, got {line!r}")
    return line[len(prefix) :].strip()


def parse_info(line: str) -> DeviceInfo:
    """ "+INFO: proto=1,board=...,model=...,labels=N,head=V,rate=HZ" -> DeviceInfo."""
    pairs = dict(part.split("=", 1) for part in _fields(line, "+INFO:").split(",") if "=" in part)
    try:
        return DeviceInfo(
            int(pairs["proto"]),
            pairs["board"],
            pairs["model"],
            int(pairs["labels"]),
            int(pairs["head"]),
            int(pairs["rate"]),
        )
    except (KeyError, ValueError) as err:
        raise ProtocolError(f"malformed +INFO line {line!r} ({err})") from None


def parse_detection(line: str) -> Detection:
    """ "+DET: index,time_ms,label_index,label,score" -> Detection."""
    parts = _fields(line, "+DET:").split(",")
    if len(parts) != 5:
        raise ProtocolError(f"malformed +DET line {line!r}")
    try:
        return Detection(int(parts[0]), int(parts[1]), int(parts[2]), parts[3], int(parts[4]))
    except ValueError:
        raise ProtocolError(f"malformed +DET line {line!r}") from None


class DeviceLink:
    """One conversation with a device. `timeout` bounds each command's wait for its final line."""

    def __init__(self, stream: ByteStream, *, timeout: float = 5.0) -> None:
        self.port = stream
        self.timeout = timeout
        self._buffer = b""
        self.pending: deque[Detection] = deque()
        self.log: list[str] = []

    # -- lines
    def _read_line(self, deadline: float) -> str | None:
        while b"\n" not in self._buffer:
            if time.monotonic() > deadline:
                return None
            chunk = self.port.read(256)
            if chunk:
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\n", 1)
        return raw.decode("ascii", errors="replace").rstrip("\r")

    def _dispatch(self, line: str) -> bool:
        """Handles unsolicited lines; True when the line was one."""
        if line.startswith("+DET:"):
            self.pending.append(parse_detection(line))
            return True
        if line.startswith("+SCORES:"):
            parts = _fields(line, "+SCORES:").split(",")
            if self.pending and self.pending[-1].index == int(parts[0]):
                last = self.pending.pop()
                self.pending.append(
                    Detection(
                        last.index,
                        last.time_ms,
                        last.label_index,
                        last.label,
                        last.score,
                        [int(p) for p in parts[1:]],
                    )
                )
            return True
        if line.startswith("# ") or line.startswith("+READY:"):
            self.log.append(line)
            return True
        return False

    def command(self, text: str, timeout: float | None = None) -> list[str]:
        """Sends one command; returns its "+" lines once the device says OK."""
        self.port.write(text.encode("ascii") + b"\n")
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        answer: list[str] = []
        while True:
            line = self._read_line(deadline)
            if line is None:
                raise ProtocolError(
                    f"no answer to {text!r} within {self.timeout:g} s (is the board running "
                    "tinyaudio firmware at this baud rate?)"
                )
            if line == "OK":
                return answer
            if line.startswith("ERROR"):
                raise ProtocolError(f"{text}: the device answered {line!r}")
            if not self._dispatch(line):
                answer.append(line)

    # -- commands
    def ping(self) -> None:
        self.command("AT")

    def info(self) -> DeviceInfo:
        lines = self.command("AT+INFO?")
        if len(lines) != 1:
            raise ProtocolError(f"AT+INFO? answered {lines!r}")
        info = parse_info(lines[0])
        labels = [_fields(line, "+LABEL:").split(",", 1)[1] for line in self.command("AT+LABELS?")]
        return DeviceInfo(
            info.protocol,
            info.board,
            info.model_sha256,
            info.num_labels,
            info.head_version,
            info.sample_rate,
            labels,
        )

    def stream(self, mode: int = 1) -> None:
        self.command(f"AT+STREAM={mode}")

    def label_last_window(self, label_index: int) -> None:
        self.command(f"AT+LABEL={label_index}")

    def download_head(self) -> Head:
        lines = self.command("AT+HEAD?", timeout=max(self.timeout, 30.0))
        if not lines:
            raise ProtocolError("AT+HEAD? answered nothing")
        version_text, length_text, crc_text = _fields(lines[0], "+HEAD:").split(",")
        data = bytearray()
        for line in lines[1:]:
            offset_text, hex_text = _fields(line, "+HEADDATA:").split(",")
            if int(offset_text) != len(data):
                raise ProtocolError(f"head chunk at offset {offset_text}, expected {len(data)}")
            data += bytes.fromhex(hex_text)
        if len(data) != int(length_text) or zlib.crc32(bytes(data)) != int(crc_text, 16):
            raise ProtocolError(f"head download corrupted ({len(data)} of {length_text} bytes, CRC mismatch)")
        return Head(int(version_text), bytes(data))

    def upload_head(self, data: bytes) -> None:
        if not data:
            raise ProtocolError("empty head")
        self.command(f"AT+HEAD={len(data)},{zlib.crc32(data):08x}")
        for offset in range(0, len(data), HEAD_CHUNK):
            self.command(f"AT+HEADDATA={offset},{data[offset : offset + HEAD_CHUNK].hex()}")
        self.command("AT+HEADEND", timeout=max(self.timeout, 30.0))

    def detections(self, duration: float | None = None) -> Iterator[Detection]:
        """Yields detections as they arrive, for `duration` seconds or forever. A detection is held until the
        next line arrives, so that its +SCORES line (AT+STREAM=2) is attached to it."""
        end = None if duration is None else time.monotonic() + duration
        while True:
            while len(self.pending) > 1:
                yield self.pending.popleft()
            if end is not None and time.monotonic() > end:
                while self.pending:
                    yield self.pending.popleft()
                return
            wait = time.monotonic() + 0.2
            line = self._read_line(wait if end is None else min(end, wait))
            if line is None:
                while self.pending:  # quiet line: nothing more is coming for the held detection
                    yield self.pending.popleft()
            elif not self._dispatch(line):
                self.log.append(line)


def open_port(port: str, baud: int = 115200, timeout: float = 0.1) -> ByteStream:
    """A pyserial port (imported here: pyserial is needed only to talk to a real board)."""
    try:
        import serial
    except ImportError:
        raise ProtocolError("pyserial is not installed: pip install pyserial") from None
    try:
        port_obj: ByteStream = serial.Serial(port, baud, timeout=timeout)
    except (OSError, ValueError) as err:
        raise ProtocolError(f"{port}: cannot open the serial port ({err})") from None
    return port_obj
