"""`tinyaudio eval ... --engine firmware --target host|qemu-m4`: the same metrics as the Python int8
evaluation, but every clip goes through the firmware (C frontend + compiled model) on the target."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def compiled_model_dir(
    model_path: Path, frontend: Any, labels: list[str], cache_dir: Path | None = None
) -> Path:
    """`tinyaudio compile` of model_path with this frontend and label list, cached by their content."""
    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.data.cache import default_cache_dir

    key = hashlib.sha256()
    key.update(model_path.read_bytes())
    key.update(json.dumps(frontend.to_dict(), sort_keys=True).encode())
    key.update(json.dumps(labels).encode())
    out = (cache_dir or default_cache_dir()) / "compiled" / key.hexdigest()[:24]
    if not (out / "manifest.json").is_file():
        compile_model(model_path, out, labels=labels, frontend=frontend)
    return out


def evaluate_firmware(
    model_path: Path,
    paths: Sequence[Path],
    y: np.ndarray,
    label_names: list[str],
    frontend: Any,
    target: str = "host",
) -> Any:
    """EvalResult of the firmware on `target` for the clips `paths` with true label indices `y`."""
    from tinyaudio.emulate.firmware import run_wav_files
    from tinyaudio.evaluate import EvalResult, confusion_matrix

    model_dir = compiled_model_dir(Path(model_path), frontend, list(label_names))
    run = run_wav_files(model_dir, target, list(paths))
    pred = run.predictions
    acc = float(np.mean(pred == y)) if len(y) else float("nan")
    extra: dict[str, Any] = {
        "target": target,
        "instructions_per_inference": run.instructions_per_inference,
        "frontend_instructions_per_second_of_audio": run.frontend_instructions_per_second_of_audio,
        "size": run.size.to_dict() if run.size else None,
    }
    cm = confusion_matrix(y, pred, len(label_names))
    return EvalResult(acc, len(y), list(label_names), cm, pred, "firmware", extra)
