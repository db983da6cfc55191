"""Dataset discovery: which clips exist, their labels and their groups (speaker or fold).

Supported layouts, detected in this order:
- `esc50`: ESC-50 as released (`meta/esc50.csv` + `audio/`); `esc10` when only the ESC-10 subset is wanted.
- `manifest`: a `metadata.csv` (as in ../shared/datasets) or any CSV given directly, columns
  `path,label[,group]` (`speaker_or_fold` is accepted as the group column).
- `fsdd`: FSDD's flat `recordings/` folder of `<digit>_<speaker>_<take>.wav`.
- `folders`: `<label>/<clip>.wav`. Speech Commands is this plus `validation_list.txt`/`testing_list.txt`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinyaudio.errors import DatasetError

_FSDD_NAME = re.compile(r"^(\d)_([A-Za-z]+)_(\d+)\.wav$")
_SPEECH_COMMANDS_NAME = re.compile(r"^([0-9a-f]{8})_nohash_(\d+)\.wav$")


@dataclass(frozen=True)
class Clip:
    """One labelled recording. `group` is the unit that must not leak across splits (speaker, fold)."""

    path: Path
    label: str
    group: str
    take: int | None = None


@dataclass
class Dataset:
    root: Path
    layout: str
    clips: list[Clip]
    labels: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.labels:
            self.labels = sorted({c.label for c in self.clips})

    def __len__(self) -> int:
        return len(self.clips)

    def subset(self, indices: Sequence[int] | np.ndarray) -> Dataset:
        """The same dataset restricted to `indices`; the label list (and so label ids) is kept."""
        return Dataset(self.root, self.layout, [self.clips[int(i)] for i in indices], list(self.labels))

    def label_ids(self) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.labels)}
        return np.array([index[c.label] for c in self.clips], dtype=np.int64)

    def groups(self) -> list[str]:
        return [c.group for c in self.clips]

    def with_labels(self, labels: Sequence[str] | None) -> Dataset:
        """Only the clips of `labels`, in that label order (it sets the label ids); every clip when None."""
        if not labels:
            return self
        missing = sorted(set(labels) - set(self.labels))
        if missing:
            have = ", ".join(self.labels)
            raise DatasetError(f"{self.root}: no label {', '.join(missing)} in this dataset (it has {have})")
        wanted = set(labels)
        return Dataset(self.root, self.layout, [c for c in self.clips if c.label in wanted], list(labels))


def open_dataset(path: str | Path, *, subset: str | None = None) -> Dataset:
    """Find the clips under `path` (a folder or a CSV manifest). `subset="esc10"` picks ESC-10 from ESC-50."""
    root = Path(path)
    if not root.exists():
        raise DatasetError(f"{root}: no such dataset folder or manifest")
    if root.is_file():
        if root.suffix.lower() != ".csv":
            raise DatasetError(f"{root}: a dataset is a folder or a .csv manifest")
        ds = _read_manifest(root, root.parent)
    elif (root / "meta" / "esc50.csv").is_file():
        ds = _read_esc50(root, esc10_only=subset == "esc10")
    elif (root / "metadata.csv").is_file():
        ds = _read_manifest(root / "metadata.csv", root)
    elif (root / "recordings").is_dir() and any(
        _FSDD_NAME.match(p.name) for p in (root / "recordings").iterdir()
    ):
        ds = _read_fsdd(root / "recordings", root)
    elif any(_FSDD_NAME.match(p.name) for p in root.glob("*.wav")):
        ds = _read_fsdd(root, root)
    else:
        ds = _read_folders(root)
    if not ds.clips:
        raise DatasetError(f"{root}: no .wav clips found")
    if len(ds.labels) < 2:
        raise DatasetError(
            f"{root}: found only one label ({ds.labels[0]!r}); a classifier needs at least two"
        )
    return ds


def _take_from_name(name: str) -> int | None:
    m = _FSDD_NAME.match(name) or _SPEECH_COMMANDS_NAME.match(name)
    return int(m.group(3 if m.re is _FSDD_NAME else 2)) if m else None


def _group_from_name(path: Path) -> str:
    """Speaker from FSDD or Speech Commands names; otherwise the clip is its own group."""
    m = _FSDD_NAME.match(path.name)
    if m:
        return m.group(2)
    m = _SPEECH_COMMANDS_NAME.match(path.name)
    if m:
        return m.group(1)
    return path.stem


def _read_manifest(csv_path: Path, base: Path) -> Dataset:
    try:
        with csv_path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            columns = reader.fieldnames or []
            if "path" not in columns or "label" not in columns:
                raise DatasetError(
                    f"{csv_path}: a manifest needs 'path' and 'label' columns, found {columns}"
                )
            group_col = next(
                (c for c in ("group", "speaker_or_fold", "fold", "speaker") if c in columns), None
            )
            clips = []
            for line_no, row in enumerate(reader, start=2):
                rel, label = (row.get("path") or "").strip(), (row.get("label") or "").strip()
                if not rel or not label:
                    raise DatasetError(f"{csv_path}:{line_no}: empty path or label")
                clip_path = (base / rel).resolve() if not Path(rel).is_absolute() else Path(rel)
                group = (row.get(group_col) or "").strip() if group_col else ""
                take = _take_from_name(clip_path.name)
                if take is None and (row.get("utterance_index") or "").strip().isdigit():
                    take = int(row["utterance_index"])
                clips.append(Clip(clip_path, label, group or _group_from_name(clip_path), take))
    except UnicodeDecodeError as err:
        raise DatasetError(f"{csv_path}: not a UTF-8 CSV file ({err.reason})") from None
    missing = [c.path for c in clips if not c.path.is_file()]
    if missing:
        raise DatasetError(f"{csv_path}: {len(missing)} listed clips do not exist, e.g. {missing[0]}")
    layout = "manifest"
    names = [c.path.name for c in clips]
    if names and all(_FSDD_NAME.match(n) for n in names):
        layout = "fsdd"
    elif (base / "validation_list.txt").is_file() or any(
        _SPEECH_COMMANDS_NAME.match(n) for n in names[:1000]
    ):
        layout = "speech_commands"
    elif group_col == "fold" or ("freesound_id" in columns and all(c.group.isdigit() for c in clips)):
        layout = "esc"  # predefined cross-validation folds
    return Dataset(base, layout, clips)


def _read_fsdd(folder: Path, root: Path) -> Dataset:
    clips = []
    for p in sorted(folder.glob("*.wav")):
        m = _FSDD_NAME.match(p.name)
        if m:
            clips.append(Clip(p, m.group(1), m.group(2), int(m.group(3))))
    return Dataset(root, "fsdd", clips)


def _read_esc50(root: Path, esc10_only: bool) -> Dataset:
    clips = []
    with (root / "meta" / "esc50.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            if esc10_only and row.get("esc10", "").strip().lower() != "true":
                continue
            clips.append(Clip(root / "audio" / row["filename"], row["category"], row["fold"]))
    return Dataset(root, "esc", clips)


def _read_folders(root: Path) -> Dataset:
    clips = []
    for label_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        # Speech Commands keeps its background noise here; it is not a label.
        if label_dir.name == "_background_noise_":
            continue
        for p in sorted(label_dir.rglob("*.wav")):
            clips.append(Clip(p, label_dir.name, _group_from_name(p), _take_from_name(p.name)))
    is_speech_commands = (root / "validation_list.txt").is_file() or (root / "testing_list.txt").is_file()
    return Dataset(root, "speech_commands" if is_speech_commands else "folders", clips)
