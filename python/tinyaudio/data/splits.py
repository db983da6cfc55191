"""Train/validation/test splits that respect each dataset's standard protocol.

No group (speaker or fold) of a test set appears in its training set, except where the dataset's own
protocol says otherwise (FSDD's standard split tests on takes 0–4 of speakers that are also trained on).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinyaudio.data.layouts import Dataset
from tinyaudio.errors import DatasetError


@dataclass(frozen=True)
class Split:
    """Index arrays into a Dataset, plus a name that says how they were made (goes into metrics.json)."""

    name: str
    train: np.ndarray
    val: np.ndarray
    test: np.ndarray

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "n_train": len(self.train),
            "n_val": len(self.val),
            "n_test": len(self.test),
        }


def _unit_hash(text: str) -> float:
    """A stable number in [0, 1) for a group name, so that splits do not change between runs or machines."""
    digest = hashlib.sha1(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def _random_val(train: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    order = rng.permutation(train)
    n_val = int(round(len(train) * fraction))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def _by_group_hash(ds: Dataset, test_fraction: float, val_fraction: float, name: str) -> Split:
    u = np.array([_unit_hash(g) for g in ds.groups()])
    test = np.flatnonzero(u < test_fraction)
    val = np.flatnonzero((u >= test_fraction) & (u < test_fraction + val_fraction))
    train = np.flatnonzero(u >= test_fraction + val_fraction)
    return Split(name, train, val, test)


def _read_list(path: Path, ds: Dataset) -> np.ndarray:
    wanted = {line.strip() for line in path.read_text().splitlines() if line.strip()}
    rel = [c.path.relative_to(ds.root).as_posix() if c.path.is_relative_to(ds.root) else "" for c in ds.clips]
    return np.array([i for i, r in enumerate(rel) if r in wanted], dtype=np.int64)


def standard_split(
    ds: Dataset, *, val_fraction: float = 0.1, test_fraction: float = 0.2, test_fold: str = "1", seed: int = 0
) -> Split:
    """The dataset's standard test set; validation is carved from what remains.

    fsdd: takes 0–4 of every speaker and digit are the test set. speech_commands: `testing_list.txt` and
    `validation_list.txt` when present, else speakers hashed into test/val/train. esc: `test_fold` is the test
    set. Anything else: groups (speakers) hashed into test/val/train.
    """
    everything = np.arange(len(ds))
    if ds.layout == "fsdd":
        takes = np.array([-1 if c.take is None else c.take for c in ds.clips])
        if np.any(takes < 0):
            raise DatasetError(f"{ds.root}: FSDD clips without a take number in their name")
        test = np.flatnonzero(takes < 5)
        train, val = _random_val(np.setdiff1d(everything, test), val_fraction, seed)
        return Split("fsdd-standard (takes 0-4 test)", train, val, test)
    if ds.layout == "speech_commands" and (ds.root / "testing_list.txt").is_file():
        test = _read_list(ds.root / "testing_list.txt", ds)
        val_list = ds.root / "validation_list.txt"
        val = _read_list(val_list, ds) if val_list.is_file() else np.array([], dtype=np.int64)
        train = np.setdiff1d(everything, np.union1d(test, val))
        return Split("speech-commands lists", train, val, test)
    if ds.layout == "esc":
        folds = np.array(ds.groups())
        if test_fold not in set(folds):
            raise DatasetError(f"{ds.root}: no fold {test_fold!r}; folds are {sorted(set(folds))}")
        test = np.flatnonzero(folds == test_fold)
        train, val = _random_val(np.flatnonzero(folds != test_fold), val_fraction, seed)
        return Split(f"esc fold {test_fold} test", train, val, test)
    return _by_group_hash(ds, test_fraction, val_fraction, f"by-group hash ({test_fraction:.0%} test)")


def group_kfold(ds: Dataset, k: int = 5, *, val_fraction: float = 0.1, seed: int = 0) -> list[Split]:
    """k-fold cross-validation over groups: ESC's predefined folds, or groups hashed into k folds."""
    groups = ds.groups()
    if ds.layout == "esc":
        fold_names = sorted(set(groups), key=lambda g: (len(g), g))
        fold_of = np.array([fold_names.index(g) for g in groups])
        k = len(fold_names)
    else:
        if len(set(groups)) < k:
            raise DatasetError(f"{ds.root}: {len(set(groups))} groups cannot make {k} folds")
        fold_of = np.array([int(_unit_hash(g) * k) for g in groups])
    splits = []
    for fold in range(k):
        test = np.flatnonzero(fold_of == fold)
        train, val = _random_val(np.flatnonzero(fold_of != fold), val_fraction, seed + fold)
        splits.append(Split(f"group {k}-fold, fold {fold + 1}", train, val, test))
    return splits


def leave_one_group_out(ds: Dataset, *, val_fraction: float = 0.1, seed: int = 0) -> list[Split]:
    """One split per group (e.g. speaker): that group is the test set."""
    groups = np.array(ds.groups())
    splits = []
    for i, group in enumerate(sorted(set(groups))):
        test = np.flatnonzero(groups == group)
        train, val = _random_val(np.flatnonzero(groups != group), val_fraction, seed + i)
        splits.append(Split(f"leave out {group}", train, val, test))
    return splits


SPLIT_KINDS = ("standard", "kfold", "leave_one_group_out")
PARTS = ("test", "val", "train", "all")


def _kfold_or_logo(ds: Dataset, kind: str, val_fraction: float, seed: int) -> list[Split]:
    if kind == "kfold":
        return group_kfold(ds, val_fraction=val_fraction, seed=seed)
    return leave_one_group_out(ds, val_fraction=val_fraction, seed=seed)


def _check_kind(kind: str) -> None:
    if kind not in SPLIT_KINDS:
        raise DatasetError(f"split kind {kind!r}: choose one of {', '.join(SPLIT_KINDS)}")


def select_split(
    ds: Dataset, kind: str = "standard", *, fold: int = 0, val_fraction: float = 0.1, seed: int = 0
) -> Split:
    """The split a training run uses (and `tinyaudio eval` re-derives from the run's manifest): the dataset's
    standard split, or fold `fold` (0-based) of group k-fold or leave-one-group-out."""
    _check_kind(kind)
    if kind == "standard":
        return standard_split(ds, val_fraction=val_fraction, seed=seed)
    splits = _kfold_or_logo(ds, kind, val_fraction, seed)
    if not 0 <= fold < len(splits):
        raise DatasetError(
            f"{ds.root}: fold {fold} is out of range; {kind} has {len(splits)} folds (0-based)"
        )
    return splits[fold]


def count_folds(ds: Dataset, kind: str) -> int:
    """How many splits `kind` makes of `ds` (1 for the standard split)."""
    _check_kind(kind)
    return 1 if kind == "standard" else len(_kfold_or_logo(ds, kind, 0.1, 0))


def split_part(ds: Dataset, split: Split, part: str) -> np.ndarray:
    """Indices of one part of `split`: "test", "val", "train", or "all" (every clip of `ds`)."""
    if part not in PARTS:
        raise DatasetError(f"split part {part!r}: choose one of {', '.join(PARTS)}")
    if part == "all":
        return np.arange(len(ds), dtype=np.int64)
    return np.asarray(getattr(split, part), dtype=np.int64)
