"""The model side of on-device learning: a compiled model with a trainable head, and its factory head.

`compiled_for_adapt(MODEL)` accepts a training run directory (model_int8.tflite + manifest.json), a .tflite
beside such a manifest, or a `tinyaudio compile` directory made with `--embedding auto`, and returns a
compiled directory whose model.h exports the head (compiling into the cache when needed).
`factory_from_compiled(DIR)` reads the classifier the device starts from — the same int8 weights, scales
and bias model.c holds — so the numpy mirror starts exactly where the device does.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.errors import TinyaudioError
from tinyaudio.manifest import read_manifest
from tinyaudio.ondevice.head import Factory


class AdaptError(TinyaudioError):
    """On-device learning cannot run on this model or data."""


def _compile_cache(tflite: Path) -> Path:
    from tinyaudio.data.cache import default_cache_dir

    key = hashlib.sha256(tflite.read_bytes()).hexdigest()[:16]
    return default_cache_dir() / "ondevice" / f"compiled-{key}"


def compiled_for_adapt(model: str | Path) -> Path:
    """A compiled directory with a trainable head for MODEL (see the module docstring)."""
    path = Path(model)
    if (path / "model.c").is_file():
        manifest = read_manifest(path, "compiled-model")
        if not manifest.get("head"):
            raise AdaptError(
                f"{path}: compiled without a trainable head; recompile with `tinyaudio compile MODEL.tflite "
                "--embedding auto` (the embedding must be the input of the last FULLY_CONNECTED)"
            )
        if not manifest.get("frontend"):
            raise AdaptError(f"{path}: compiled without a frontend; adapt streams audio through the firmware")
        return path
    tflite = path / "model_int8.tflite" if path.is_dir() else path
    if not tflite.is_file() or tflite.suffix != ".tflite":
        raise AdaptError(
            f"{path}: neither a training run (model_int8.tflite), a .tflite nor a compiled directory"
        )
    run = read_manifest(tflite.parent, "training-run", missing_ok=True)
    labels, frontend = run.get("labels"), run.get("frontend")
    if not isinstance(labels, list) or not isinstance(frontend, dict):
        raise AdaptError(
            f"{tflite.parent / 'manifest.json'}: the training manifest has no labels or frontend"
        )
    out = _compile_cache(tflite)
    if not (out / "model.c").is_file() or not read_manifest(out, missing_ok=True).get("head"):
        from tinyaudio.compile.compiler import compile_model
        from tinyaudio.frontend import FrontendConfig

        compiled = compile_model(
            tflite,
            out,
            labels=[str(x) for x in labels],
            frontend=FrontendConfig.from_dict(frontend),
            embedding="auto",
        )
        if not compiled.manifest.get("head"):
            raise AdaptError(
                f"{tflite}: the embedding (input of the last FULLY_CONNECTED) does not feed the "
                "classifier that produces the output; no trainable head"
            )
    return out


def _const_array(model_c: str, index: int, dtype: Any, path: Path) -> np.ndarray:
    m = re.search(rf"static const \w+ ta_const_t{index}\[(\d+)\] = \{{([^}}]*)\}};", model_c)
    if m is None:
        raise AdaptError(f"{path}: no constant array for tensor #{index} (not a tinyaudio compile output?)")
    values = np.array([int(v) for v in m.group(2).replace("\n", " ").split(",") if v.strip()], dtype=np.int64)
    if values.size != int(m.group(1)):
        raise AdaptError(f"{path}: tensor #{index} has {values.size} values, declared {m.group(1)}")
    return values.astype(dtype)


def factory_from_compiled(model_dir: str | Path) -> Factory:
    """The factory head of a compiled model with a head (compiled_for_adapt)."""
    model_dir = Path(model_dir)
    manifest = read_manifest(model_dir, "compiled-model")
    head = manifest.get("head")
    if not head:
        raise AdaptError(f"{model_dir}: compiled without a trainable head (use --embedding auto)")
    model_c_path = model_dir / "model.c"
    model_c = model_c_path.read_text()
    classes, dim = int(head["classes"]), int(head["dim"])
    weights = _const_array(model_c, int(head["weights_tensor"]), np.int8, model_c_path).reshape(classes, dim)
    bias = None
    if head.get("bias_tensor") is not None:
        bias = _const_array(model_c, int(head["bias_tensor"]), np.int32, model_c_path)
    labels = manifest.get("labels") or [str(k) for k in range(classes)]
    return Factory(
        weights=weights,
        weight_scales=np.asarray(head["weight_scales"], dtype=np.float32),
        bias=bias,
        input_scale=float(np.float32(head["input_scale"])),
        input_zero_point=int(head["input_zero_point"]),
        labels=[str(x) for x in labels],
        model_sha256=str(head["model_sha256"]),
        frontend_sha256=str(head["frontend_sha256"]),
    )
