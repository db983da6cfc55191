"""Evaluate an int8 .tflite classifier on a dataset, through a chosen inference engine.

An engine is a function `(EngineRequest) -> int8 outputs (N, classes)`. The request carries the model, the
int8 input tensors computed by the Python frontend, the clips' WAV paths (for engines that run their own
frontend, such as firmware) and free-form options (e.g. `target`). Register more with `register_engine`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.errors import TinyaudioError


@dataclass
class EngineRequest:
    flatbuffer: bytes
    inputs: np.ndarray  # (N, *input_shape_without_batch) int8, quantized with the model's input parameters
    model_path: Path | None = None
    clip_paths: list[Path] = field(default_factory=list)  # same order as `inputs` (empty for raw tensors)
    labels: list[str] = field(default_factory=list)
    frontend: dict[str, Any] | None = None  # FrontendConfig.to_dict() of the features
    options: dict[str, Any] = field(default_factory=dict)  # engine-specific, e.g. {"target": "qemu-m4"}
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # engines may report more here (copied into the result)


EngineFn = Callable[[EngineRequest], np.ndarray]
_ENGINES: dict[str, EngineFn] = {}


class EvalError(TinyaudioError):
    """Evaluation cannot run: unknown engine, model/feature mismatch, missing label list."""


def register_engine(name: str, fn: EngineFn) -> None:
    """Make `--engine name` available to `tinyaudio eval` and `evaluate_int8`."""
    _ENGINES[name] = fn


def engine_names() -> list[str]:
    _register_builtin()
    return sorted(_ENGINES)


def _run_litert(req: EngineRequest) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    # Without the default XNNPACK delegate: its int8 arithmetic differs from the TFLite/TFLM kernels by a few
    # LSBs (measured: up to 4 on 1.4 % of outputs of a DS-CNN), which flips the odd prediction.
    interp = Interpreter(
        model_content=req.flatbuffer,
        num_threads=1,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    interp.allocate_tensors()
    inp, out = interp.get_input_details()[0], interp.get_output_details()[0]
    shape = tuple(inp["shape"])
    results = []
    for x in req.inputs:
        interp.set_tensor(inp["index"], x.reshape(shape))
        interp.invoke()
        results.append(interp.get_tensor(out["index"]).reshape(-1).copy())
    return np.stack(results) if results else np.zeros((0, int(np.prod(out["shape"]))), np.int8)


def _run_tflm(req: EngineRequest) -> np.ndarray:
    from tflite_micro.python.tflite_micro import runtime

    fb = req.flatbuffer
    interp = runtime.Interpreter.from_bytes(fb, arena_size=max(1 << 20, 10 * len(fb)))
    shape = tuple(interp.get_input_details(0)["shape"])
    results = []
    for x in req.inputs:
        interp.set_input(x.reshape(shape), 0)
        interp.invoke()
        results.append(np.array(interp.get_output(0)).reshape(-1).copy())
    return np.stack(results) if results else np.zeros((0, 0), np.int8)


def _register_builtin() -> None:
    _ENGINES.setdefault("litert", _run_litert)
    _ENGINES.setdefault("tflm", _run_tflm)


def run_engine(name: str, request: EngineRequest | bytes, inputs: np.ndarray | None = None) -> np.ndarray:
    """Run `request` through engine `name`; `run_engine(name, flatbuffer, inputs)` is shorthand."""
    _register_builtin()
    if name not in _ENGINES:
        raise EvalError(f"unknown engine {name!r}; available: {', '.join(sorted(_ENGINES))}")
    if isinstance(request, bytes):
        if inputs is None:
            raise EvalError("run_engine: inputs are missing")
        request = EngineRequest(request, inputs)
    return _ENGINES[name](request)


def quantize_input(features: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """Float features -> int8 with the model's input quantization: round half away from zero (std::round, as
    TFLite's QUANTIZE), add the zero point, saturate."""
    v = np.asarray(features, dtype=np.float64) / scale
    q = np.sign(v) * np.floor(np.abs(v) + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def model_input_quant(flatbuffer: bytes) -> tuple[tuple[int, ...], float, int]:
    from tinyaudio.quantize.export import io_details

    io = io_details(flatbuffer)
    if io["input"]["dtype"] != "int8" or io["output"]["dtype"] != "int8":
        raise EvalError(
            f"model input/output are {io['input']['dtype']}/{io['output']['dtype']}; need int8/int8"
        )
    return tuple(io["input"]["shape"]), float(io["input"]["scale"]), int(io["input"]["zero_point"])


@dataclass
class EvalResult:
    accuracy: float
    n: int
    labels: list[str]
    confusion: np.ndarray  # (true, predicted) counts
    predictions: np.ndarray
    engine: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def per_class(self) -> dict[str, dict[str, float]]:
        out = {}
        for i, label in enumerate(self.labels):
            n_true = int(self.confusion[i].sum())
            out[label] = {
                "n": n_true,
                "recall": float(self.confusion[i, i] / n_true) if n_true else float("nan"),
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "n": self.n,
            "engine": self.engine,
            "labels": self.labels,
            "per_class": self.per_class(),
            "confusion": self.confusion.tolist(),
            **self.extra,
        }


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    cm = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(cm, (np.asarray(y_true, int), np.asarray(y_pred, int)), 1)
    return cm


def evaluate_int8(
    flatbuffer: bytes,
    features: np.ndarray,
    labels: np.ndarray,
    label_names: list[str],
    engine: str = "litert",
    *,
    model_path: Path | None = None,
    clip_paths: list[Path] | None = None,
    frontend: dict[str, Any] | None = None,
    engine_options: dict[str, Any] | None = None,
) -> EvalResult:
    """Quantize float features with the model's input parameters, run them through `engine`, score argmax."""
    shape, scale, zero_point = model_input_quant(flatbuffer)
    per_example = int(np.prod(shape[1:]))
    if int(np.prod(features.shape[1:])) != per_example:
        raise EvalError(
            f"features are {features.shape[1:]} per clip but the model input is {shape[1:]}: "
            "use the frontend configuration the model was trained with (--frontend)"
        )
    q = quantize_input(features.reshape(len(features), *shape[1:]), scale, zero_point)
    request = EngineRequest(
        flatbuffer,
        q,
        model_path,
        list(clip_paths or []),
        list(label_names),
        frontend,
        dict(engine_options or {}),
    )
    out = run_engine(engine, request)
    if out.shape[1] != len(label_names):
        raise EvalError(f"model has {out.shape[1]} outputs but {len(label_names)} labels were given")
    pred = np.argmax(out, axis=-1)
    cm = confusion_matrix(labels, pred, len(label_names))
    acc = float(np.mean(pred == labels)) if len(labels) else float("nan")
    return EvalResult(acc, len(labels), list(label_names), cm, pred, engine, dict(request.extra))


def read_manifest_beside(model_path: Path) -> dict[str, Any] | None:
    """manifest.json in the model's folder, if any (written by `tinyaudio train`)."""
    m = Path(model_path).parent / "manifest.json"
    if m.is_file():
        try:
            data = json.loads(m.read_text())
            return data if isinstance(data, dict) else None
        except json.JSONDecodeError as err:
            raise EvalError(f"{m}: not valid JSON ({err})") from err
    return None


def evaluate_model_on_data(
    model_path: str | Path,
    data: str | Path,
    *,
    split: str = "test",
    engine: str = "litert",
    frontend: str | None = None,
    labels: list[str] | None = None,
    split_kind: str | None = None,
    fold: int | None = None,
    cache_dir: Path | None = None,
    target: str = "host",
) -> EvalResult:
    """Features of the chosen split through the frontend, then `evaluate_int8`.

    Frontend, labels and split default to those in manifest.json beside the model (as `tinyaudio train` writes
    it), so the test set is exactly the one the training run held out.
    """
    from tinyaudio.data import extract_features
    from tinyaudio.errors import DatasetError, RecipeError
    from tinyaudio.frontend import PRESET_NAMES, FrontendConfig, preset
    from tinyaudio.train.data_prep import open_labelled, select_split
    from tinyaudio.train.recipe import SPLITS, DatasetSection

    model_path = Path(model_path)
    if not model_path.is_file():
        raise EvalError(f"{model_path}: model file not found")
    flatbuffer = model_path.read_bytes()
    manifest = read_manifest_beside(model_path) or {}
    if frontend is not None:
        config = preset(frontend) if frontend in PRESET_NAMES else FrontendConfig.load(frontend)
    elif manifest.get("frontend"):
        config = FrontendConfig.from_dict(manifest["frontend"])
    else:
        raise EvalError(f"{model_path}: no manifest.json beside the model; give --frontend PRESET|FILE.json")
    recorded = manifest.get("split") or {}
    section = DatasetSection(
        split=split_kind or recorded.get("kind", "standard"),
        fold=fold if fold is not None else int(recorded.get("fold", 0)),
        val_fraction=float(recorded.get("val_fraction", 0.1)),
        labels=labels or recorded.get("labels_filter"),
    )
    if section.split not in SPLITS:
        raise EvalError(f"--split-kind {section.split!r}: choose one of {', '.join(SPLITS)}")
    try:
        ds = open_labelled(Path(data), section.labels)
        split_obj = select_split(ds, section, seed=int(recorded.get("seed", 0)))
    except RecipeError as err:
        raise EvalError(str(err)) from err
    names = list(labels or manifest.get("labels") or ds.labels)
    if set(names) != set(ds.labels):
        raise EvalError(f"model labels {names} differ from the dataset's {ds.labels}; pass --labels")
    parts = {
        "train": split_obj.train,
        "val": split_obj.val,
        "test": split_obj.test,
        "all": np.arange(len(ds)),
    }
    if split not in parts:
        raise EvalError(f"--split {split!r}: choose one of {', '.join(parts)}")
    idx = np.asarray(parts[split], dtype=np.int64)
    if len(idx) == 0:
        raise DatasetError(f"{data}: the {split} part of split {split_obj.name!r} is empty")
    subset = ds.subset(idx)
    label_index = {name: i for i, name in enumerate(names)}
    if engine == "firmware":  # the clips through the firmware's own frontend and model on `target`
        from tinyaudio.emulate.evaluate import evaluate_firmware

        y = np.array([label_index[c.label] for c in subset.clips], dtype=np.int64)
        result = evaluate_firmware(model_path, [c.path for c in subset.clips], y, names, config, target)
        result.extra["split_name"] = f"{split} of {split_obj.name}"
        return result
    # Whole-dataset extraction shares the cache entry `tinyaudio train` made.
    feats = extract_features(ds, config, cache_dir, progress=False)[idx]
    label_index = {name: i for i, name in enumerate(names)}
    y = np.array([label_index[c.label] for c in subset.clips], dtype=np.int64)
    result = evaluate_int8(
        flatbuffer,
        feats,
        y,
        names,
        engine,
        model_path=model_path,
        clip_paths=[c.path for c in subset.clips],
        frontend=config.to_dict(),
        engine_options={"target": target},
    )
    result.extra["split_name"] = f"{split} of {split_obj.name}"
    return result
