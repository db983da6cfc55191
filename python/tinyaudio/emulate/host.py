"""Run a compiled model (the output of `tinyaudio compile`) on the host: raw tensors in, raw tensors out.

`build_host_runner` compiles model.c, the runtime and the kernels the model uses, and the tensor runner
(firmware/app/ta_tensor_main.c) with the system C compiler in one command, cached by a hash of every
source and flag. `run_tensors` pushes N input tensors through it and returns N outputs, so a test can
compare them with the tflite-micro interpreter element for element.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio import manifest as manifests
from tinyaudio.compile.compiler import runtime_include_dirs, runtime_sources
from tinyaudio.errors import BuildError

_BUILD_FORMAT = 1
FIRMWARE_DIR = Path(__file__).resolve().parents[3] / "firmware"
STRICT_FLAGS = ("-std=c99", "-Wall", "-Wextra", "-Werror")
SANITIZE_FLAGS = (
    "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g"
)
_DTYPES = {"int8": np.int8, "int16": np.int16, "int32": np.int32, "uint8": np.uint8, "float32": np.float32}


@dataclass(frozen=True)
class HostBuild:
    """A built tensor runner for one compiled model."""

    executable: Path
    model_dir: Path
    manifest: dict[str, Any]
    sanitize: bool


def read_manifest(model_dir: Path) -> dict[str, Any]:
    return manifests.read_manifest(model_dir, "compiled-model")


def _sources(model_dir: Path, manifest: dict[str, Any]) -> tuple[list[Path], list[Path]]:
    """(C files to compile, include directories) for the tensor runner of one model."""
    app = FIRMWARE_DIR / "app"
    sources = [model_dir / "model.c", app / "ta_tensor_main.c", app / "ta_probe.c"]
    sources += runtime_sources([str(k) for k in manifest.get("kernels", [])])
    includes = [model_dir, *runtime_include_dirs(), FIRMWARE_DIR / "app"]
    if manifest.get("frontend"):
        includes.append(FIRMWARE_DIR / "frontend")
    return sources, includes


def _cache_root(cache_dir: Path | None) -> Path:
    if cache_dir is not None:
        return cache_dir
    from tinyaudio.data.cache import default_cache_dir

    return default_cache_dir() / "host_runner"


def _cache_key(cc: str, flags: list[str], sources: list[Path], includes: list[Path]) -> str:
    digest = hashlib.sha256(json.dumps([_BUILD_FORMAT, cc, flags]).encode())
    files = list(sources)
    for inc in includes:
        files += sorted(inc.glob("*.h"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def build_host_runner(
    model_dir: str | Path,
    *,
    sanitize: bool = False,
    optimize: str = "-O2",
    cc: str | None = None,
    cache_dir: Path | None = None,
) -> HostBuild:
    """Build (or reuse) the host tensor runner for `model_dir`; C99 with -Wall -Wextra -Werror."""
    model_dir = Path(model_dir).resolve()
    manifest = read_manifest(model_dir)
    compiler = cc or os.environ.get("CC") or "cc"
    if shutil.which(compiler) is None:
        raise BuildError(f"C compiler '{compiler}' not found (install gcc, or set CC)")
    sources, includes = _sources(model_dir, manifest)
    flags = [*STRICT_FLAGS, optimize]
    if sanitize:
        flags += SANITIZE_FLAGS
    key = _cache_key(compiler, flags, sources, includes)
    final = _cache_root(cache_dir).resolve() / key
    exe = final / "ta_tensor"
    if not exe.is_file():
        final.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=key + ".tmp", dir=final.parent))
        try:
            cmd = [compiler, *flags, *(f"-I{inc}" for inc in includes), "-o", str(work / "ta_tensor"),
                   *(str(s) for s in sources), "-lm"]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
                raise BuildError(f"building the host runner for {model_dir} failed:\n{tail}")
            try:
                os.replace(work, final)  # atomic; an identical concurrent build may have won
            except OSError:
                if not exe.is_file():
                    raise
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    return HostBuild(executable=exe, model_dir=model_dir, manifest=manifest, sanitize=sanitize)


def _as_batch(inputs: np.ndarray, entry: dict[str, Any], what: str) -> np.ndarray:
    """(N, *shape-without-batch) array of the model's input dtype, validated."""
    dtype = _DTYPES.get(str(entry["dtype"]))
    if dtype is None:
        raise BuildError(f"model {what} dtype {entry['dtype']} is not supported by the tensor runner")
    arr = np.asarray(inputs)
    if arr.dtype != dtype:
        raise BuildError(f"{what} tensors are {arr.dtype}, the model expects {np.dtype(dtype).name}")
    per_item = int(np.prod(entry["shape"])) if entry["shape"] else 1
    if arr.ndim < 1 or arr.shape[0] == 0 or int(np.prod(arr.shape[1:])) != per_item:
        raise BuildError(
            f"{what} array of shape {list(arr.shape)} does not stack tensors of shape {entry['shape']} "
            f"(expected (N, {', '.join(str(d) for d in _item_shape(list(entry['shape'])))}))"
        )
    return np.ascontiguousarray(arr)


def run_tensors(build: HostBuild, inputs: np.ndarray, timeout: float = 600.0) -> np.ndarray:
    """Run N stacked input tensors through the host build; returns (N, *output_shape[1:])."""
    batch = _as_batch(inputs, build.manifest["input"], "input")
    out_entry = build.manifest["output"]
    out_dtype = np.dtype(_DTYPES[str(out_entry["dtype"])]).newbyteorder("<")
    out_shape = list(out_entry["shape"])
    with tempfile.TemporaryDirectory(prefix="ta_tensor_") as tmp:
        in_path, out_path = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
        batch.astype(batch.dtype.newbyteorder("<"), copy=False).tofile(in_path)
        env = dict(os.environ)
        if build.sanitize:
            env.setdefault("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0")
            env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        try:
            proc = subprocess.run([str(build.executable), str(in_path), str(out_path)],
                                  capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise BuildError(f"{build.executable}: no answer within {timeout:.0f} s") from None
        if proc.returncode != 0 or "TA_TENSOR_DONE" not in proc.stdout:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-20:])
            raise BuildError(f"{build.executable} failed (exit {proc.returncode}):\n{tail}")
        raw = np.fromfile(out_path, dtype=out_dtype)
    n = batch.shape[0]
    per_item = int(np.prod(out_shape)) if out_shape else 1
    if raw.size != n * per_item:
        raise BuildError(f"{build.executable}: wrote {raw.size} output values, expected {n} x {per_item}")
    return raw.astype(out_dtype.newbyteorder("="), copy=False).reshape([n, *_item_shape(out_shape)])


def _item_shape(shape: list[int]) -> list[int]:
    """One tensor's shape on the stacking axis: the model shape without a batch dimension of 1."""
    return shape[1:] if shape and shape[0] == 1 else shape
