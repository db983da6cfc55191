"""Distillation teachers: a model trained here, a user's Keras model file, or precomputed per-clip logits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.errors import RecipeError


def load_keras_teacher(path: str | Path, input_shape: tuple[int, ...], num_classes: int) -> Any:
    """A user's Keras model; returns a logits model (log-probabilities if it outputs probabilities)."""
    import keras

    p = Path(path)
    if not p.is_file():
        raise RecipeError(f"teacher.keras_file: {p} not found")
    try:
        model = keras.models.load_model(p, compile=False)
    except Exception as err:  # keras raises several types for bad files
        raise RecipeError(f"teacher.keras_file: {p} is not a loadable Keras model ({err})") from err
    if tuple(model.input_shape[1:]) != tuple(input_shape):
        raise RecipeError(
            f"teacher.keras_file: {p} takes input {model.input_shape[1:]}, the features are {input_shape}"
        )
    if int(model.output_shape[-1]) != num_classes:
        raise RecipeError(
            f"teacher.keras_file: {p} has {model.output_shape[-1]} outputs, the dataset {num_classes} labels"
        )
    probe = np.asarray(model(np.zeros((2, *input_shape), np.float32), training=False))
    if np.all(probe >= 0) and np.allclose(probe.sum(-1), 1.0, atol=1e-3):
        inp = keras.Input(input_shape)
        logits = keras.layers.Lambda(lambda t: keras.ops.log(keras.ops.maximum(t, 1e-7)))(model(inp))
        model = keras.Model(inp, logits, name="teacher_logits")
    model.trainable = False
    return model


def load_teacher_logits(path: str | Path, dataset: Any) -> np.ndarray:
    """Logits for every clip of `dataset`, from an .npz with `paths` (relative to the dataset root, or
    absolute) and `logits` (N, classes) -- or an .npy of (len(dataset), classes) in dataset order."""
    p = Path(path)
    if not p.is_file():
        raise RecipeError(f"teacher.logits_file: {p} not found")
    n_classes = len(dataset.labels)
    if p.suffix == ".npy":
        logits = np.load(p)
        if logits.shape != (len(dataset), n_classes):
            raise RecipeError(
                f"teacher.logits_file: {p} is {logits.shape}, need ({len(dataset)}, {n_classes})"
            )
        return logits.astype(np.float32)
    try:
        data = np.load(p, allow_pickle=False)
        paths, logits = [str(x) for x in data["paths"]], np.asarray(data["logits"], np.float32)
    except (KeyError, ValueError, OSError) as err:
        raise RecipeError(f"teacher.logits_file: {p} needs arrays 'paths' and 'logits' ({err})") from err
    if logits.ndim != 2 or logits.shape[1] != n_classes or len(paths) != len(logits):
        raise RecipeError(
            f"teacher.logits_file: {p}: logits {logits.shape} for {len(paths)} paths, {n_classes} labels"
        )
    index = {}
    for i, raw in enumerate(paths):
        q = Path(raw)
        index[str((q if q.is_absolute() else dataset.root / q).resolve())] = i
    rows = []
    for clip in dataset.clips:
        key = str(Path(clip.path).resolve())
        if key not in index:
            raise RecipeError(f"teacher.logits_file: {p} has no logits for {clip.path}")
        rows.append(index[key])
    return logits[np.array(rows)]
