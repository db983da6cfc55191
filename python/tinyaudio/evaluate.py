"""Evaluate an int8 classifier on a dataset through a registered inference engine, scored in one place.

An engine turns an `EngineRequest` into the model's raw outputs, one row per clip (N, classes). What it reads
is part of its registration (`Engine.reads`):
- "tensors": int8 input tensors, the Python frontend's features quantized with the model's input parameters
  (built in: `litert`, `tflm`);
- "clips": the clips' WAV files, which the engine runs through its own frontend (built in: `firmware`, the
  compiled C frontend and model on the host or an emulated Cortex-M, `options["target"]`).
Every engine, the built-in ones included, is added with `register_engine`; `score` turns any engine's
outputs into accuracy, confusion matrix and per-class recall.

Data flows one way: this module calls data/, frontend/, quantize/ and emulate/; none of them imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.data import PARTS, SPLIT_KINDS, extract_features, open_dataset, select_split, split_part
from tinyaudio.emulate.firmware import compiled_model_dir, run_wav_files
from tinyaudio.errors import DatasetError, TinyaudioError
from tinyaudio.frontend import ALL_PRESET_NAMES, any_preset, config_from_dict, load_config
from tinyaudio.manifest import manifest_beside
from tinyaudio.quantize.export import io_details

ENGINE_READS = ("tensors", "clips")


@dataclass
class EngineRequest:
    """What an engine gets: the model and, depending on what it reads, tensors or clips."""

    flatbuffer: bytes
    inputs: np.ndarray | None  # (N, *input_shape_without_batch) int8; always set for "tensors" engines
    model_path: Path | None = None
    clip_paths: list[Path] = field(default_factory=list)  # same order as `inputs`; always set for "clips"
    labels: list[str] = field(default_factory=list)
    frontend: dict[str, Any] | None = None  # FrontendConfig.to_dict() of the features
    options: dict[str, Any] = field(default_factory=dict)  # engine-specific, e.g. {"target": "qemu-m4"}
    extra: dict[str, Any] = field(default_factory=dict)  # engines report more here (goes into the result)


EngineFn = Callable[[EngineRequest], np.ndarray]


@dataclass(frozen=True)
class Engine:
    name: str
    run: EngineFn
    reads: str = "tensors"  # one of ENGINE_READS
    description: str = ""


_ENGINES: dict[str, Engine] = {}


class EvalError(TinyaudioError):
    """Evaluation cannot run: unknown engine, model/feature mismatch, missing label list."""


def register_engine(name: str, fn: EngineFn, *, reads: str = "tensors", description: str = "") -> None:
    """Make `--engine name` available to `tinyaudio eval` (in this process) and to `evaluate_int8`.

    `fn(request)` returns the raw outputs (N, classes); `reads` says whether it needs the int8 input tensors
    ("tensors") or the WAV files ("clips"). Registering an existing name replaces that engine."""
    if reads not in ENGINE_READS:
        raise EvalError(f"engine {name!r}: reads={reads!r}; choose one of {', '.join(ENGINE_READS)}")
    if not name:
        raise EvalError("an engine needs a name")
    _ENGINES[name] = Engine(name, fn, reads, description)


def unregister_engine(name: str) -> None:
    """Remove engine `name` (nothing happens when there is none)."""
    _ENGINES.pop(name, None)


def engines() -> dict[str, Engine]:
    """The registered engines by name (a copy)."""
    return dict(_ENGINES)


def engine_names() -> list[str]:
    return sorted(_ENGINES)


def get_engine(name: str) -> Engine:
    engine = _ENGINES.get(name)
    if engine is None:
        raise EvalError(f"unknown engine {name!r}; available: {', '.join(engine_names())}")
    return engine


def run_engine(name: str, request: EngineRequest | bytes, inputs: np.ndarray | None = None) -> np.ndarray:
    """Run `request` through engine `name`; `run_engine(name, flatbuffer, inputs)` is shorthand."""
    engine = get_engine(name)
    if isinstance(request, bytes):
        if inputs is None:
            raise EvalError("run_engine: inputs are missing")
        request = EngineRequest(request, inputs)
    if engine.reads == "tensors" and request.inputs is None:
        raise EvalError(f"engine {name!r} runs on input tensors: the request has none")
    if engine.reads == "clips" and not request.clip_paths:
        raise EvalError(f"engine {name!r} runs on WAV clips: the request names none")
    return np.asarray(engine.run(request))


def quantize_input(features: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """Float features -> int8 with the model's input quantization: round half away from zero (std::round, as
    TFLite's QUANTIZE), add the zero point, saturate."""
    v = np.asarray(features, dtype=np.float64) / scale
    q = np.sign(v) * np.floor(np.abs(v) + 0.5) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def model_input_quant(flatbuffer: bytes) -> tuple[tuple[int, ...], float, int]:
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


def score(
    outputs: np.ndarray,
    y_true: np.ndarray,
    label_names: list[str],
    engine: str = "",
    extra: dict[str, Any] | None = None,
) -> EvalResult:
    """The one scorer: argmax of each output row (the first on ties, as the firmware), accuracy against the
    true label indices `y_true`, confusion matrix and per-class recall."""
    outputs = np.asarray(outputs)
    y = np.asarray(y_true, dtype=np.int64)
    rows = outputs.reshape(len(outputs), -1) if outputs.size else np.zeros((len(outputs), len(label_names)))
    if rows.shape[1] != len(label_names):
        raise EvalError(f"model has {rows.shape[1]} outputs but {len(label_names)} labels were given")
    if len(rows) != len(y):
        raise EvalError(f"{len(rows)} outputs for {len(y)} labelled clips")
    pred = np.argmax(rows, axis=-1)
    acc = float(np.mean(pred == y)) if len(y) else float("nan")
    cm = confusion_matrix(y, pred, len(label_names))
    return EvalResult(acc, len(y), list(label_names), cm, pred, engine, dict(extra or {}))


def evaluate_int8(
    flatbuffer: bytes,
    features: np.ndarray | None,
    labels: np.ndarray,
    label_names: list[str],
    engine: str = "litert",
    *,
    model_path: Path | None = None,
    clip_paths: list[Path] | None = None,
    frontend: dict[str, Any] | None = None,
    engine_options: dict[str, Any] | None = None,
) -> EvalResult:
    """Run the clips through `engine` and score its outputs against `labels` (true label indices).

    A "tensors" engine gets `features` (float, one row per clip) quantized with the model's input parameters;
    a "clips" engine gets `clip_paths` and `frontend` (then `features` may be None)."""
    eng = get_engine(engine)
    inputs = None
    if eng.reads == "tensors":
        if features is None:
            raise EvalError(f"engine {engine!r} runs on features: none were given")
        shape, scale, zero_point = model_input_quant(flatbuffer)
        per_example = int(np.prod(shape[1:]))
        if int(np.prod(features.shape[1:])) != per_example:
            raise EvalError(
                f"features are {features.shape[1:]} per clip but the model input is {shape[1:]}: "
                "use the frontend configuration the model was trained with (--frontend)"
            )
        inputs = quantize_input(features.reshape(len(features), *shape[1:]), scale, zero_point)
    request = EngineRequest(
        flatbuffer,
        inputs,
        model_path,
        list(clip_paths or []),
        list(label_names),
        frontend,
        dict(engine_options or {}),
    )
    outputs = run_engine(engine, request)
    return score(outputs, labels, label_names, engine, request.extra)


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
    """The clips of one part of the dataset's split through `engine`, scored.

    Frontend, labels and split default to those in the training run's manifest.json beside the model, so the
    test set is exactly the one the training run held out. A "tensors" engine gets the features from the
    whole-dataset cache `tinyaudio train` filled; a "clips" engine gets the WAV files.
    """
    model_path = Path(model_path)
    if not model_path.is_file():
        raise EvalError(f"{model_path}: model file not found")
    eng = get_engine(engine)  # an unknown engine is reported before any work
    if split not in PARTS:
        raise EvalError(f"--split {split!r}: choose one of {', '.join(PARTS)}")
    flatbuffer = model_path.read_bytes()
    manifest = manifest_beside(model_path, "training-run")
    if frontend is not None:
        config = any_preset(frontend) if frontend in ALL_PRESET_NAMES else load_config(frontend)
    elif manifest.get("frontend"):
        config = config_from_dict(manifest["frontend"])
    else:
        raise EvalError(f"{model_path}: no manifest.json beside the model; give --frontend PRESET|FILE.json")
    recorded = manifest.get("split") or {}
    kind = split_kind or recorded.get("kind", "standard")
    if kind not in SPLIT_KINDS:
        raise EvalError(f"--split-kind {kind!r}: choose one of {', '.join(SPLIT_KINDS)}")
    ds = open_dataset(Path(data)).with_labels(labels or recorded.get("labels_filter"))
    split_obj = select_split(
        ds,
        kind,
        fold=fold if fold is not None else int(recorded.get("fold", 0)),
        val_fraction=float(recorded.get("val_fraction", 0.1)),
        seed=int(recorded.get("seed", 0)),
    )
    names = list(labels or manifest.get("labels") or ds.labels)
    if set(names) != set(ds.labels):
        raise EvalError(f"model labels {names} differ from the dataset's {ds.labels}; pass --labels")
    idx = split_part(ds, split_obj, split)
    if len(idx) == 0:
        raise DatasetError(
            f"{data}: the {split} part of split {split_obj.name!r} is empty; "
            "evaluate every clip of the folder with --split all"
        )
    subset = ds.subset(idx)
    label_index = {name: i for i, name in enumerate(names)}
    y = np.array([label_index[c.label] for c in subset.clips], dtype=np.int64)
    # Whole-dataset extraction shares the cache entry `tinyaudio train` made.
    features = None
    if eng.reads == "tensors":
        features = extract_features(ds, config, cache_dir, progress=False)[idx]
    result = evaluate_int8(
        flatbuffer,
        features,
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


# Built-in engines ---------------------------------------------------------------------------------------


def _run_litert(req: EngineRequest) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    assert req.inputs is not None  # run_engine checks it
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

    assert req.inputs is not None  # run_engine checks it
    fb = req.flatbuffer
    interp = runtime.Interpreter.from_bytes(fb, arena_size=max(1 << 20, 10 * len(fb)))
    shape = tuple(interp.get_input_details(0)["shape"])
    results = []
    for x in req.inputs:
        interp.set_input(x.reshape(shape), 0)
        interp.invoke()
        results.append(np.array(interp.get_output(0)).reshape(-1).copy())
    return np.stack(results) if results else np.zeros((0, 0), np.int8)


def _run_firmware(req: EngineRequest) -> np.ndarray:
    """The clips through the firmware (C frontend + the model compiled by `tinyaudio compile`, cached) on
    `options["target"]` (host, qemu-m4, qemu-m55); QEMU runs add instruction counts and sizes to `extra`."""
    if req.model_path is None or req.frontend is None:
        raise EvalError("the firmware engine compiles the model file with its frontend: give both")
    target = str(req.options.get("target", "host"))
    frontend = config_from_dict(req.frontend)
    model_dir = compiled_model_dir(req.model_path, frontend, list(req.labels))
    run = run_wav_files(model_dir, target, req.clip_paths)
    req.extra.update(
        target=target,
        instructions_per_inference=run.instructions_per_inference,
        frontend_instructions_per_second_of_audio=run.frontend_instructions_per_second_of_audio,
        size=run.size.to_dict() if run.size else None,
    )
    return run.scores


register_engine("litert", _run_litert, description="LiteRT interpreter, reference kernels (no XNNPACK)")
register_engine("tflm", _run_tflm, description="tflite-micro interpreter, the kernels' bit-exact oracle")
register_engine(
    "firmware", _run_firmware, reads="clips", description="the compiled C frontend and model on --target"
)
