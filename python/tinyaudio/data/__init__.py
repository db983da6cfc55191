"""Datasets: discover clips and labels, decode WAVs, split without leaks, cache features."""

from tinyaudio.data.cache import default_cache_dir, extract_features, load_audio
from tinyaudio.data.layouts import Clip, Dataset, open_dataset
from tinyaudio.data.splits import (
    PARTS,
    SPLIT_KINDS,
    Split,
    count_folds,
    group_kfold,
    leave_one_group_out,
    select_split,
    split_part,
    standard_split,
)
from tinyaudio.data.wav import fit_length, load_wav, resample

__all__ = [
    "PARTS",
    "SPLIT_KINDS",
    "Clip",
    "Dataset",
    "Split",
    "count_folds",
    "default_cache_dir",
    "extract_features",
    "fit_length",
    "group_kfold",
    "leave_one_group_out",
    "load_audio",
    "load_wav",
    "open_dataset",
    "resample",
    "select_split",
    "split_part",
    "standard_split",
]
