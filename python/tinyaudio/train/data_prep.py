"""From a recipe to arrays: dataset, frontend configuration, split, cached features, augmented copies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.data import Dataset, Split, extract_features, load_audio, open_dataset
from tinyaudio.data import count_folds as data_count_folds
from tinyaudio.data import select_split as data_select_split
from tinyaudio.errors import DatasetError, FrontendConfigError, RecipeError
from tinyaudio.train.recipe import DatasetSection, FrontendSection, Recipe, datasets_root


def resolve_data_path(
    section: DatasetSection, data_override: str | Path | None, recipe_source: str = ""
) -> Path:
    raw = str(data_override) if data_override is not None else section.path
    if not raw:
        raise RecipeError(f"{recipe_source}: no dataset: give --data DIR or set dataset.path in the recipe")
    p = Path(raw).expanduser()
    if not p.is_absolute() and data_override is None and not p.exists():
        p = datasets_root() / p
    if not p.exists():
        where = "--data" if data_override is not None else "dataset.path"
        raise RecipeError(f"{recipe_source}: {where}: dataset {p} does not exist")
    return p


def frontend_config(section: FrontendSection, where: str = "frontend") -> Any:
    from tinyaudio.frontend import any_preset, load_config

    try:
        if section.config_file:
            return load_config(section.config_file)
        return any_preset(section.preset, **section.overrides)
    except FrontendConfigError as err:
        raise RecipeError(f"{where}: {err}") from err


def open_labelled(path: Path, labels: list[str] | None) -> Dataset:
    """open_dataset, optionally restricted to `labels` (kept in that order)."""
    ds = open_dataset(path)
    try:
        return ds.with_labels(labels)
    except DatasetError as err:
        raise RecipeError(f"dataset.labels: {err}") from None


def select_split(ds: Dataset, section: DatasetSection, seed: int = 0) -> Split:
    """The recipe's split of `ds`: tinyaudio.data.select_split with the dataset section's settings."""
    if section.split != "standard":
        folds = count_folds(ds, section)
        if section.fold >= folds:  # said with the recipe key a user edits
            raise RecipeError(
                f"dataset.fold: {section.fold} is out of range; {section.split} has {folds} folds (0-based)"
            )
    return data_select_split(
        ds, section.split, fold=section.fold, val_fraction=section.val_fraction, seed=seed
    )


def count_folds(ds: Dataset, section: DatasetSection) -> int:
    return data_count_folds(ds, section.split)


@dataclass
class PreparedData:
    dataset: Dataset
    config: Any
    split: Split
    features: np.ndarray  # (N, frames, features, 1), all clips
    labels: np.ndarray
    x_train: np.ndarray  # clean training features plus augmented copies
    y_train: np.ndarray
    train_source: np.ndarray  # index into the dataset of each x_train row


def augmented_copies(ds: Any, indices: np.ndarray, config: Any, recipe: Recipe, progress: bool) -> np.ndarray:
    """`augment.copies` waveform-augmented feature sets of the clips at `indices` (time shift + noise)."""
    from tinyaudio.frontend import compute_features_batch
    from tinyaudio.train.augment import load_noise_bank, mix_noise, time_shift

    a = recipe.augment
    audio, _ = load_audio(ds.subset(indices), config.sample_rate, config.clip_samples, progress=progress)
    bank = None
    if a.noise_dir:
        noise_dir = Path(a.noise_dir).expanduser()
        if not noise_dir.is_absolute() and not noise_dir.exists():
            noise_dir = datasets_root() / noise_dir  # like dataset.path: relative to $TINYAUDIO_DATASETS
        bank = load_noise_bank(noise_dir, config.sample_rate)
    rng = np.random.default_rng(recipe.training.seed + 1000)
    out = []
    for _ in range(a.copies):
        aug = time_shift(audio, a.time_shift, rng) if a.time_shift > 0 else audio
        if bank is not None:
            aug = mix_noise(aug, bank, (a.noise_snr_db[0], a.noise_snr_db[1]), a.noise_prob, rng)
        out.append(compute_features_batch(aug, config))
    return np.concatenate(out, axis=0)[..., None].astype(np.float32)


def prepare(
    recipe: Recipe, data_path: Path, progress: bool = True, cache_dir: Path | None = None
) -> PreparedData:
    ds = open_labelled(data_path, recipe.dataset.labels)
    config = frontend_config(recipe.frontend)
    split = select_split(ds, recipe.dataset, seed=recipe.training.seed)
    if len(split.train) == 0 or len(split.test) == 0:
        raise DatasetError(
            f"{data_path}: split {split.name!r} leaves {len(split.train)} train / "
            f"{len(split.test)} test clips"
        )
    feats = extract_features(ds, config, cache_dir, progress=progress)[..., None].astype(np.float32)
    labels = ds.label_ids()
    x_train, y_train, source = feats[split.train], labels[split.train], np.asarray(split.train)
    if recipe.augment.copies > 0:
        extra = augmented_copies(ds, split.train, config, recipe, progress)
        x_train = np.concatenate([x_train, extra])
        y_train = np.concatenate([y_train] + [labels[split.train]] * recipe.augment.copies)
        source = np.concatenate([source] + [np.asarray(split.train)] * recipe.augment.copies)
    return PreparedData(ds, config, split, feats, labels, x_train, y_train, source)
