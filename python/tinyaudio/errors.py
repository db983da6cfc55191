"""Errors a user can act on. The CLI prints their message on one line and exits non-zero."""

from __future__ import annotations


class TinyaudioError(Exception):
    """Base class: the message names the file, layer or limit at fault."""


class WavError(TinyaudioError):
    """A WAV file could not be decoded (empty, truncated, not a WAV, unsupported encoding)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DatasetError(TinyaudioError):
    """A dataset folder or manifest is unusable (missing, no clips, bad CSV, unknown split)."""


class FrontendConfigError(TinyaudioError):
    """A frontend configuration is invalid (unknown preset, bad field, inconsistent sizes)."""


class RecipeError(TinyaudioError):
    """A training recipe is invalid (unknown keys, wrong types, missing data)."""


class CompileError(TinyaudioError):
    """A .tflite file cannot be compiled (malformed, or an op/dtype/option we do not support)."""


class BuildError(TinyaudioError):
    """Building or running firmware failed (toolchain missing, compiler error, emulator fault)."""
