"""Boards: the registry of supported boards (one YAML file each under `data/`, validated by `registry`),
the fit check (`fit`), PlatformIO project export (`project`), flashing (`flash`) and the host side of the
serial protocol (`serial_protocol`, documented in PROTOCOL.md).

The firmware side lives in firmware/platform/boards/ (one platform layer per board) and
firmware/app/ta_serial_protocol.c (the device side of the protocol).
"""

from __future__ import annotations

from tinyaudio.boards.registry import CPI, Board, BoardError, CpiAssumption, get_board, load_boards

__all__ = ["CPI", "Board", "BoardError", "CpiAssumption", "get_board", "load_boards"]
