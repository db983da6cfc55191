"""Training recipes: YAML files validated strictly into dataclasses.

Every unknown key, wrong type or impossible value raises RecipeError naming the file and the dotted key, so a
typo never silently falls back to a default. `--set section.key=value` overrides apply before validation.
"""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tinyaudio.data.splits import SPLIT_KINDS as SPLITS
from tinyaudio.errors import RecipeError


@dataclass
class DatasetSection:
    path: str = ""  # absolute, relative to the recipe's data root ($TINYAUDIO_DATASETS), or given by --data
    split: str = "standard"  # standard | kfold | leave_one_group_out
    fold: int = 0  # which fold (0-based) for kfold / leave_one_group_out
    val_fraction: float = 0.1
    labels: list[str] | None = None  # keep only these labels (in this order); None = all


@dataclass
class FrontendSection:
    preset: str = "logmel"
    overrides: dict[str, Any] = field(default_factory=dict)  # FrontendConfig fields
    config_file: str | None = None  # a FrontendConfig JSON; wins over preset/overrides


@dataclass
class ModelSection:
    name: str = "dscnn"
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class TeacherSection:
    model: ModelSection | None = None  # train this architecture as the teacher
    keras_file: str | None = None  # or use a trained Keras model (logits or probabilities out)
    logits_file: str | None = None  # or precomputed logits: .npz with `paths` and `logits`
    epochs: int | None = None  # teacher epochs (default: training.epochs)
    learning_rate: float | None = None


@dataclass
class DistillationSection:
    alpha: float = 0.5  # weight of the hard-label cross-entropy
    temperature: float = 4.0
    teacher_online: bool = False  # run the teacher on every augmented batch (slower) instead of once per row


@dataclass
class AugmentSection:
    copies: int = 0  # waveform-augmented copies of the training set (time shift + noise), computed once
    time_shift: float = 0.0  # max waveform shift of the copies, as a fraction of the clip
    shift_frames: int = 0  # max feature-domain shift (frames) applied to every training batch
    shift_roll: bool = False  # wrap shifted frames around instead of filling with silence
    noise_dir: str | None = None
    noise_prob: float = 0.8
    noise_snr_db: list[float] = field(default_factory=lambda: [5.0, 25.0])
    time_masks: int = 0
    time_mask_max: int = 0
    freq_masks: int = 0
    freq_mask_max: int = 0
    mixup_alpha: float = 0.0


@dataclass
class TrainingSchedule:
    """Epochs, batches, optimizer, learning-rate schedule, early stopping, seed: what the recipe's `training:`
    section and the training loop's FitConfig (tinyaudio.train.loop) share, defined once."""

    epochs: int = 40
    batch_size: int = 64
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    warmup_epochs: int = 2
    patience: int = 10  # early stopping: epochs without a better validation accuracy (0 = off)
    restore_best: bool = True  # end with the best validation epoch's weights (false: the last epoch's)
    seed: int = 0
    label_smoothing: float = 0.0


@dataclass
class TrainingSection(TrainingSchedule):
    threads: int = 2
    input_norm: bool = True  # (x - mean) / std of the training features in front of the model


@dataclass
class QuantizeSection:
    representative_samples: int = 300
    # Quantization-aware fine-tuning (Keras 3 fake quantization, tinyaudio.quantize.qat) after float training;
    # 0 = off (post-training quantization only).
    qat_epochs: int = 0
    qat_learning_rate: float | None = None  # default: training.learning_rate / 10


@dataclass
class Recipe:
    name: str = "recipe"
    description: str = ""
    dataset: DatasetSection = field(default_factory=DatasetSection)
    frontend: FrontendSection = field(default_factory=FrontendSection)
    model: ModelSection = field(default_factory=ModelSection)
    teacher: TeacherSection | None = None
    distillation: DistillationSection = field(default_factory=DistillationSection)
    augment: AugmentSection = field(default_factory=AugmentSection)
    training: TrainingSection = field(default_factory=TrainingSection)
    quantize: QuantizeSection = field(default_factory=QuantizeSection)
    source: str = ""  # the file it was read from (not a YAML key)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("source", None)
        return d


def datasets_root() -> Path:
    """$TINYAUDIO_DATASETS, else ../shared/datasets beside the repository."""
    env = os.environ.get("TINYAUDIO_DATASETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "datasets"


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _convert(value: Any, tp: Any, where: str) -> Any:
    """Check/convert one YAML value against a dataclass field type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        errors = []
        for a in inner:
            try:
                return _convert(value, a, where)
            except RecipeError as err:
                errors.append(str(err))
        raise RecipeError(errors[0])
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise RecipeError(f"{where}: expected a mapping, got {type(value).__name__}")
        return _build(tp, value, where)
    if origin is list:
        if not isinstance(value, list):
            raise RecipeError(f"{where}: expected a list, got {type(value).__name__} {value!r}")
        return [_convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)] if args else list(value)
    if origin is dict:
        if not isinstance(value, dict):
            raise RecipeError(f"{where}: expected a mapping, got {type(value).__name__}")
        return dict(value)
    if tp is Any:
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise RecipeError(f"{where}: expected true/false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecipeError(f"{where}: expected an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecipeError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise RecipeError(f"{where}: expected a string, got {value!r}")
        return value
    raise RecipeError(f"{where}: unsupported field type {_type_name(tp)}")


def _build(cls: Any, data: dict[str, Any], where: str) -> Any:
    hints = typing.get_type_hints(cls)
    allowed = [f.name for f in dataclasses.fields(cls) if f.name != "source"]
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        prefix = f"{where}." if where else ""
        raise RecipeError(
            f"unknown key {prefix}{unknown[0]}"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + f"; allowed under {where or 'the top level'}: {', '.join(allowed)}"
        )
    kwargs = {k: _convert(v, hints[k], f"{where}.{k}" if where else k) for k, v in data.items()}
    return cls(**kwargs)


def _check_values(r: Recipe) -> None:
    def need(cond: bool, key: str, msg: str) -> None:
        if not cond:
            raise RecipeError(f"{key}: {msg}")

    need(r.dataset.split in SPLITS, "dataset.split", f"{r.dataset.split!r} is not one of {', '.join(SPLITS)}")
    need(r.dataset.fold >= 0, "dataset.fold", "must be >= 0")
    need(0.0 <= r.dataset.val_fraction < 0.9, "dataset.val_fraction", "must be in [0, 0.9)")
    need(r.training.epochs >= 1, "training.epochs", "must be >= 1")
    need(r.training.batch_size >= 1, "training.batch_size", "must be >= 1")
    need(r.training.learning_rate > 0, "training.learning_rate", "must be > 0")
    need(r.training.patience >= 0, "training.patience", "must be >= 0 (0 = no early stopping)")
    need(0.0 <= r.training.label_smoothing < 1.0, "training.label_smoothing", "must be in [0, 1)")
    need(r.training.threads >= 1, "training.threads", "must be >= 1")
    need(0.0 <= r.distillation.alpha <= 1.0, "distillation.alpha", "must be in [0, 1]")
    need(r.distillation.temperature > 0, "distillation.temperature", "must be > 0")
    a = r.augment
    need(a.copies >= 0, "augment.copies", "must be >= 0")
    need(0.0 <= a.time_shift < 1.0, "augment.time_shift", "must be a fraction in [0, 1)")
    need(a.shift_frames >= 0, "augment.shift_frames", "must be >= 0")
    need(0.0 <= a.noise_prob <= 1.0, "augment.noise_prob", "must be in [0, 1]")
    need(
        len(a.noise_snr_db) == 2 and a.noise_snr_db[0] <= a.noise_snr_db[1],
        "augment.noise_snr_db",
        "must be [low, high] in dB",
    )
    for key in ("time_masks", "time_mask_max", "freq_masks", "freq_mask_max"):
        need(getattr(a, key) >= 0, f"augment.{key}", "must be >= 0")
    need(a.mixup_alpha >= 0, "augment.mixup_alpha", "must be >= 0 (0 = off)")
    need(r.quantize.representative_samples >= 1, "quantize.representative_samples", "must be >= 1")
    need(r.quantize.qat_epochs >= 0, "quantize.qat_epochs", "must be >= 0 (0 = post-training quantization)")
    need(
        r.quantize.qat_learning_rate is None or r.quantize.qat_learning_rate > 0,
        "quantize.qat_learning_rate",
        "must be > 0",
    )
    if r.teacher is not None:
        sources = [s for s in (r.teacher.model, r.teacher.keras_file, r.teacher.logits_file) if s is not None]
        need(
            len(sources) == 1,
            "teacher",
            "give exactly one of teacher.model, teacher.keras_file, teacher.logits_file",
        )
        need(r.teacher.epochs is None or r.teacher.epochs >= 1, "teacher.epochs", "must be >= 1")
    from tinyaudio.models import MODEL_NAMES

    need(
        r.model.name in MODEL_NAMES, "model.name", f"{r.model.name!r} is not one of {', '.join(MODEL_NAMES)}"
    )
    if r.teacher is not None and r.teacher.model is not None:
        need(
            r.teacher.model.name in MODEL_NAMES,
            "teacher.model.name",
            f"{r.teacher.model.name!r} is not one of {', '.join(MODEL_NAMES)}",
        )


def parse_override(text: str) -> tuple[list[str], Any]:
    """'training.epochs=3' -> (['training', 'epochs'], 3); the value is parsed as YAML."""
    if "=" not in text:
        raise RecipeError(f"--set {text!r}: expected KEY=VALUE, e.g. training.epochs=3")
    key, raw = text.split("=", 1)
    parts = [p for p in key.strip().split(".") if p]
    if not parts:
        raise RecipeError(f"--set {text!r}: empty key")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as err:
        raise RecipeError(f"--set {text!r}: value is not valid YAML ({err})") from err
    return parts, value


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    for text in overrides:
        parts, value = parse_override(text)
        node = data
        for p in parts[:-1]:
            if node.get(p) is None:
                node[p] = {}
            if not isinstance(node[p], dict):
                raise RecipeError(f"--set {text!r}: {p} is not a section")
            node = node[p]
        node[parts[-1]] = value
    return data


def recipe_from_dict(
    data: dict[str, Any], source: str = "<dict>", overrides: list[str] | None = None
) -> Recipe:
    if not isinstance(data, dict):
        raise RecipeError(f"{source}: a recipe must be a YAML mapping, got {type(data).__name__}")
    data = apply_overrides(dict(data), overrides or [])
    try:
        recipe = _build(Recipe, data, "")
        _check_values(recipe)
    except RecipeError as err:
        raise RecipeError(f"{source}: {err}") from None
    recipe.source = source
    return recipe


def load_recipe(path: str | Path, overrides: list[str] | None = None) -> Recipe:
    """Read and validate a YAML recipe; `overrides` are 'a.b=value' strings applied first."""
    p = Path(path)
    if not p.is_file():
        raise RecipeError(f"{p}: recipe file not found")
    try:
        data = yaml.safe_load(p.read_text())
    except yaml.YAMLError as err:
        raise RecipeError(f"{p}: not valid YAML: {err}") from err
    return recipe_from_dict(data if data is not None else {}, str(p), overrides)
