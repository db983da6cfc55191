"""The layout of the op emitters (python/tinyaudio/compile/ops/): one module per kernel, named as the
kernel; TFLite codes only from compile/schema.py; no private names crossing module boundaries in the
compiler."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import tinyaudio.compile as compile_pkg
from tinyaudio.compile import ops
from tinyaudio.resources import firmware_dir

OPS_DIR = Path(ops.__file__).parent
# Emitter modules without a kernel of their own, and why.
WITHOUT_KERNEL = {
    "reshape": "RESHAPE/SQUEEZE/EXPAND_DIMS alias their input's memory: no code",
    "gelu": "refused with advice (tflite-micro has no GELU kernel to verify against)",
}
HELPERS = {"support"}


def _modules() -> set[str]:
    return {p.stem for p in OPS_DIR.glob("*.py") if p.stem != "__init__"}


def _kernels() -> set[str]:
    return {p.stem.removeprefix("ta_") for p in (firmware_dir() / "runtime" / "kernels").glob("ta_*.c")}


def test_every_kernel_has_an_emitter_module_of_its_name_and_back() -> None:
    emitters = _modules() - HELPERS - set(WITHOUT_KERNEL)
    assert emitters == _kernels()


def test_every_emitter_module_registers_ops_and_helpers_register_none() -> None:
    by_module: dict[str, list[str]] = {}
    for op_name, fn in ops.registry().items():
        by_module.setdefault(fn.__module__.rsplit(".", 1)[-1], []).append(op_name)
    assert set(by_module) == _modules() - HELPERS


# An option field or union code written as a number instead of a schema.py name.
LITERAL_CODE = re.compile(
    r"\bctx\.options\(\s*\d|\boption_(int|float|bool)\(\s*\w+,\s*\d|\.get_(int|float|bool)\(\s*\d"
)


@pytest.mark.parametrize("path", sorted(OPS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_tflite_codes_come_from_schema(path: Path) -> None:
    text = path.read_text()
    assert not LITERAL_CODE.search(text), path.name
    assert not re.search(r"^[A-Z_]+_OPTIONS\s*=", text, re.M), path.name


def test_no_private_names_cross_compiler_modules() -> None:
    """Inside tinyaudio.compile (and cgen) nothing imports a leading-underscore name from another module."""
    root = Path(compile_pkg.__file__).parent
    files = [*root.rglob("*.py"), root.parent / "cgen.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tinyaudio"):
                assert not any(part.startswith("_") for part in node.module.split(".")), (path, node.module)
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (path, node.module, private)
