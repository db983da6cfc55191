"""Datasets: discover clips and labels, decode WAVs, split without leaks, cache features."""

from tinyaudio.data.cache import default_cache_dir, extract_features, load_audio
from tinyaudio.data.layouts import Clip, Dataset, open_dataset
from tinyaudio.data.splits import Split, group_kfold, leave_one_group_out, standard_split
from tinyaudio.data.wav import fit_length, load_wav, resample

__all__ = [
    "Clip",
    "Dataset",
    "Split",
    "default_cache_dir",
    "extract_features",
    "fit_length",
    "group_kfold",
    "leave_one_group_out",
    "load_audio",
    "load_wav",
    "open_dataset",
    "resample",
    "standard_split",
]
