"""The whole `tinyaudio train` pipeline: features -> teacher -> student (distilled) -> int8 -> reports.

RUN_DIR gets model.keras, model_int8.tflite, manifest.json, metrics.json, curves.png, confusion_int8.png
(and teacher.keras when a teacher was trained).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.manifest import stamp, write_manifest
from tinyaudio.train.augment import SpecAugmentSpec
from tinyaudio.train.loop import FitConfig
from tinyaudio.train.recipe import Recipe

MANIFEST_FORMAT_VERSION = 1

Log = Callable[[str], None]


@dataclass
class RunResult:
    out_dir: Path
    metrics: dict[str, Any]
    manifest: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


def _fit_config(
    recipe: Recipe, distill: bool, epochs: int | None = None, lr: float | None = None
) -> FitConfig:
    a, t = recipe.augment, recipe.training
    masks = a.time_masks or a.freq_masks
    return FitConfig.from_schedule(
        t,
        epochs=epochs or t.epochs,
        learning_rate=lr or t.learning_rate,
        mixup_alpha=a.mixup_alpha,
        shift_frames=a.shift_frames,
        shift_roll=a.shift_roll,
        spec_augment=SpecAugmentSpec(a.time_masks, a.time_mask_max, a.freq_masks, a.freq_mask_max)
        if masks
        else None,
        alpha=recipe.distillation.alpha if distill else 1.0,
        temperature=recipe.distillation.temperature,
    )


def _epoch_logger(log: Log, name: str) -> Callable[[int, dict[str, float]], None]:
    def on_epoch(epoch: int, m: dict[str, float]) -> None:
        log(
            f"{name} epoch {epoch + 1}: loss {m['loss']:.3f} acc {m['accuracy']:.3f} "
            f"val_loss {m['val_loss']:.3f} val_acc {m['val_accuracy']:.3f}"
        )

    return on_epoch


def _fine_tune_qat(
    recipe: Recipe,
    student: Any,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    n_classes: int,
    distill: bool,
    teacher_model: Any,
    teacher_logits_rows: np.ndarray | None,
    log: Log,
) -> dict[str, Any]:
    """Fine-tune `student` in place through its fake-quantized twin (same data, augmentation, teacher)."""
    import dataclasses

    from tinyaudio.quantize.qat import qat_model
    from tinyaudio.train.loop import fit
    from tinyaudio.train.tfsetup import seed_everything

    q = recipe.quantize
    seed_everything(recipe.training.seed)
    model = qat_model(student)
    lr = q.qat_learning_rate or recipe.training.learning_rate / 10
    # Fine-tuning from trained weights: no warm-up from zero.
    cfg = dataclasses.replace(_fit_config(recipe, distill, epochs=q.qat_epochs, lr=lr), warmup_epochs=0)
    h = fit(
        model,
        x_train,
        y_train,
        x_val,
        y_val,
        n_classes,
        cfg,
        teacher=teacher_model if recipe.distillation.teacher_online else None,
        teacher_logits=teacher_logits_rows,
        on_epoch=_epoch_logger(log, "qat"),
    )
    return h.to_dict()


def run_recipe(
    recipe: Recipe,
    out_dir: Path,
    data: str | Path | None = None,
    log: Log = print,
    progress: bool = True,
    cache_dir: Path | None = None,
) -> RunResult:
    """Run `recipe` on the dataset at `data` (default: recipe's dataset.path) and write RUN_DIR."""
    from tinyaudio.train.tfsetup import configure_tensorflow, seed_everything

    configure_tensorflow(recipe.training.threads)
    import keras

    from tinyaudio.evaluate import evaluate_int8, score
    from tinyaudio.models import build_model
    from tinyaudio.quantize.export import check_int8_model, convert_int8, representative_subset
    from tinyaudio.quantize.report import model_facts
    from tinyaudio.train.data_prep import prepare, resolve_data_path
    from tinyaudio.train.loop import fit, predict_logits
    from tinyaudio.train.plots import plot_confusion, plot_curves
    from tinyaudio.train.teacher import load_keras_teacher, load_teacher_logits

    timings: dict[str, float] = {}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data_path = resolve_data_path(recipe.dataset, data, recipe.source)

    t0 = time.perf_counter()
    prep = prepare(recipe, data_path, progress=progress, cache_dir=cache_dir)
    timings["features"] = time.perf_counter() - t0
    ds, split = prep.dataset, prep.split
    labels = list(ds.labels)
    n_classes = len(labels)
    input_shape = tuple(int(d) for d in prep.features.shape[1:])
    x_val, y_val = prep.features[split.val], prep.labels[split.val]
    x_test, y_test = prep.features[split.test], prep.labels[split.test]
    log(
        f"data: {data_path} ({ds.layout}), {len(ds)} clips, {n_classes} labels, split {split.name}: "
        f"{len(split.train)} train (+{len(prep.x_train) - len(split.train)} augmented) / "
        f"{len(split.val)} val / "
        f"{len(split.test)} test; features {input_shape}"
    )
    if len(x_val) == 0:  # early stopping needs something to watch; fall back to the clean training clips
        x_val, y_val = prep.features[split.train], prep.labels[split.train]

    clean_train = prep.features[split.train]
    input_norm = (float(clean_train.mean()), float(clean_train.std())) if recipe.training.input_norm else None
    histories: dict[str, dict[str, Any]] = {}
    teacher_model, teacher_logits, teacher_acc = None, None, None
    t = recipe.teacher
    t0 = time.perf_counter()
    if t is not None and t.model is not None:
        seed_everything(recipe.training.seed)
        teacher_model = build_model(t.model.name, input_shape, n_classes, input_norm, **t.model.params)
        log(f"teacher {t.model.name}: {teacher_model.count_params()} parameters")
        cfg = _fit_config(recipe, distill=False, epochs=t.epochs, lr=t.learning_rate)
        h = fit(
            teacher_model,
            prep.x_train,
            prep.y_train,
            x_val,
            y_val,
            n_classes,
            cfg,
            on_epoch=_epoch_logger(log, "teacher"),
        )
        histories["teacher"] = h.to_dict()
        teacher_model.trainable = False
        teacher_model.save(out_dir / "teacher.keras")
    elif t is not None and t.keras_file is not None:
        # "{fold}" in the path picks each cross-validation fold's own teacher (e.g. from an earlier run).
        teacher_model = load_keras_teacher(
            t.keras_file.format(fold=recipe.dataset.fold), input_shape, n_classes
        )
    elif t is not None and t.logits_file is not None:
        teacher_logits = load_teacher_logits(t.logits_file.format(fold=recipe.dataset.fold), ds)
    teacher_logits_rows: np.ndarray | None = None
    if teacher_model is not None and not recipe.distillation.teacher_online:
        # Offline teacher: one forward pass over every training row (clean and augmented copies); SpecAugment
        # and mixup then vary the student's input only, and mixup mixes the teacher's probabilities.
        teacher_logits_rows = predict_logits(teacher_model, prep.x_train)
    elif teacher_logits is not None:
        teacher_logits_rows = teacher_logits[prep.train_source]
    if teacher_model is not None:
        teacher_acc = score(predict_logits(teacher_model, x_test), y_test, labels).accuracy
    elif teacher_logits is not None:
        teacher_acc = score(teacher_logits[split.test], y_test, labels).accuracy
    timings["teacher"] = time.perf_counter() - t0
    if teacher_acc is not None:
        log(f"teacher test accuracy {teacher_acc:.4f}")

    t0 = time.perf_counter()
    seed_everything(recipe.training.seed)
    student = build_model(recipe.model.name, input_shape, n_classes, input_norm, **recipe.model.params)
    log(f"student {recipe.model.name}: {student.count_params()} parameters")
    distill = teacher_model is not None or teacher_logits is not None
    h = fit(
        student,
        prep.x_train,
        prep.y_train,
        x_val,
        y_val,
        n_classes,
        _fit_config(recipe, distill),
        teacher=teacher_model if recipe.distillation.teacher_online else None,
        teacher_logits=teacher_logits_rows,
        on_epoch=_epoch_logger(log, "student"),
    )
    histories["student"] = h.to_dict()
    timings["student"] = time.perf_counter() - t0
    float_acc = score(predict_logits(student, x_test), y_test, labels).accuracy
    log(f"student float test accuracy {float_acc:.4f}")
    rep = representative_subset(clean_train, recipe.quantize.representative_samples, recipe.training.seed)

    qat_info: dict[str, Any] | None = None
    if recipe.quantize.qat_epochs > 0:
        t0 = time.perf_counter()
        # The post-training-quantized model of the same float student, kept so that the report says whether
        # QAT helped.
        ptq_flatbuffer = convert_int8(student, rep)
        (out_dir / "model_int8_ptq.tflite").write_bytes(ptq_flatbuffer)
        ptq_acc = evaluate_int8(ptq_flatbuffer, x_test, y_test, labels, engine="litert").accuracy
        log(f"int8 (post-training quantization only) test accuracy {ptq_acc:.4f}")
        histories["qat"] = _fine_tune_qat(
            recipe,
            student,
            prep.x_train,
            prep.y_train,
            x_val,
            y_val,
            n_classes,
            distill,
            teacher_model,
            teacher_logits_rows,
            log,
        )
        float_before = float_acc
        float_acc = score(predict_logits(student, x_test), y_test, labels).accuracy
        timings["qat"] = time.perf_counter() - t0
        log(f"student float test accuracy after QAT {float_acc:.4f} (before {float_before:.4f})")
        qat_info = {
            "method": "keras3-fake-quant",
            "epochs": recipe.quantize.qat_epochs,
            "float_accuracy_before": float_before,
            "float_accuracy_after": float_acc,
            "int8_accuracy_ptq_only": ptq_acc,
        }
    student.save(out_dir / "model.keras")

    t0 = time.perf_counter()
    flatbuffer = convert_int8(student, rep)
    check_int8_model(flatbuffer)
    (out_dir / "model_int8.tflite").write_bytes(flatbuffer)
    timings["quantize"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = evaluate_int8(flatbuffer, x_test, y_test, labels, engine="litert")
    timings["evaluate"] = time.perf_counter() - t0
    log(
        f"int8 test accuracy {result.accuracy:.4f} (float {float_acc:.4f}, "
        f"drop {100 * (float_acc - result.accuracy):.2f} pp)"
    )
    if qat_info is not None:
        qat_info["int8_accuracy_qat"] = result.accuracy

    facts = model_facts(flatbuffer)
    split_info = {
        **split.describe(),
        "kind": recipe.dataset.split,
        "fold": recipe.dataset.fold,
        "val_fraction": recipe.dataset.val_fraction,
        "seed": recipe.training.seed,
        "labels_filter": recipe.dataset.labels,
    }
    metrics = {
        "float_accuracy": float_acc,
        "int8_accuracy": result.accuracy,
        "int8_drop_pp": 100.0 * (float_acc - result.accuracy),
        "teacher_accuracy": teacher_acc,
        "distilled": distill,
        "n_test": int(len(y_test)),
        "per_class": result.per_class(),
        "confusion_int8": result.confusion.tolist(),
        "split": split_info,
        "dataset": str(data_path),
        "params": int(student.count_params()),
        "history": histories,
        "timings_s": timings,
        "qat": qat_info,  # None: post-training quantization only
    }
    manifest = {
        "format_version": MANIFEST_FORMAT_VERSION,
        "model_sha256": facts["model_sha256"],
        "name": recipe.name,
        "model": {"name": recipe.model.name, "params": recipe.model.params},
        "labels": labels,
        "frontend": prep.config.to_dict(),
        "input": facts["input"],
        "output": facts["output"],
        "params": int(student.count_params()),
        "int8_params": facts["int8_params"],
        "macs": facts["macs"],
        "tflite_bytes": facts["tflite_bytes"],
        "ops": facts["ops"],
        "split": split_info,
        "recipe": recipe.to_dict(),
        "metrics": {k: metrics[k] for k in ("float_accuracy", "int8_accuracy", "teacher_accuracy", "n_test")},
        "keras_version": keras.__version__,
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    manifest = stamp(manifest, "training-run")
    write_manifest(out_dir / "manifest.json", manifest, "training-run")
    plot_curves(histories, out_dir / "curves.png")
    plot_confusion(
        result.confusion,
        labels,
        out_dir / "confusion_int8.png",
        f"{recipe.name} int8: {result.accuracy:.3f} on {len(y_test)} test clips",
    )
    return RunResult(out_dir, metrics, manifest, timings)
