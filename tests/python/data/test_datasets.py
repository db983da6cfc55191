"""Dataset layouts and splits on the real public datasets, and on small folders made here."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tinyaudio.data import (
    extract_features,
    group_kfold,
    leave_one_group_out,
    load_audio,
    open_dataset,
    standard_split,
)
from tinyaudio.errors import DatasetError, WavError


def _write_clip(path: Path, seconds: float = 0.1, rate: int = 16000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(len(str(path)))
    soundfile.write(path, (0.1 * rng.standard_normal(int(seconds * rate))).astype(np.float32), rate)


def test_fsdd_standard_split(datasets_dir: Path) -> None:
    ds = open_dataset(datasets_dir / "fsdd")
    assert ds.layout == "fsdd" and len(ds) == 3000 and ds.labels == [str(d) for d in range(10)]
    split = standard_split(ds)
    assert len(split.test) == 300
    assert all(ds.clips[i].take is not None and ds.clips[i].take < 5 for i in split.test)
    assert not set(split.test) & (set(split.train) | set(split.val))
    assert len(split.train) + len(split.val) == 2700


def test_fsdd_leave_one_speaker_out(datasets_dir: Path) -> None:
    ds = open_dataset(datasets_dir / "fsdd")
    splits = leave_one_group_out(ds)
    assert len(splits) == 6
    for s in splits:
        test_speakers = {ds.clips[i].group for i in s.test}
        train_speakers = {ds.clips[i].group for i in np.concatenate([s.train, s.val])}
        assert len(test_speakers) == 1 and not test_speakers & train_speakers


def test_esc10_folds_are_the_predefined_ones(datasets_dir: Path) -> None:
    ds = open_dataset(datasets_dir / "esc10")
    assert ds.layout == "esc" and len(ds.labels) == 10
    folds = group_kfold(ds)
    assert len(folds) == 5
    tested = np.concatenate([f.test for f in folds])
    assert sorted(tested) == list(range(len(ds)))  # every clip tested exactly once
    for f in folds:
        assert len({ds.clips[i].group for i in f.test}) == 1


def test_speech_commands_split_by_speaker(datasets_dir: Path) -> None:
    ds = open_dataset(datasets_dir / "speech_commands_v2_dev")
    assert ds.layout == "speech_commands" and len(ds.labels) == 12
    split = standard_split(ds)
    groups = ds.groups()
    test_speakers = {groups[i] for i in split.test}
    assert not test_speakers & {groups[i] for i in np.concatenate([split.train, split.val])}
    assert 0.1 < len(split.test) / len(ds) < 0.35


def test_split_is_stable_across_calls(datasets_dir: Path) -> None:
    ds = open_dataset(datasets_dir / "speech_commands_v2_dev")
    a, b = standard_split(ds), standard_split(ds)
    np.testing.assert_array_equal(a.test, b.test)
    np.testing.assert_array_equal(a.train, b.train)


def test_folder_per_label_and_speech_commands_lists(tmp_path: Path) -> None:
    for label in ("yes", "no"):
        for speaker in ("0a1b2c3d", "1a1b2c3d", "2a1b2c3d"):
            _write_clip(tmp_path / label / f"{speaker}_nohash_0.wav")
    _write_clip(tmp_path / "_background_noise_" / "white.wav")
    (tmp_path / "testing_list.txt").write_text("yes/0a1b2c3d_nohash_0.wav\nno/0a1b2c3d_nohash_0.wav\n")
    (tmp_path / "validation_list.txt").write_text("yes/1a1b2c3d_nohash_0.wav\n")
    ds = open_dataset(tmp_path)
    assert ds.layout == "speech_commands" and ds.labels == ["no", "yes"] and len(ds) == 6
    split = standard_split(ds)
    assert len(split.test) == 2 and len(split.val) == 1 and len(split.train) == 3


def test_csv_manifest_with_groups(tmp_path: Path) -> None:
    rows = []
    for i in range(6):
        rel = f"clips/c{i}.wav"
        _write_clip(tmp_path / rel)
        rows.append({"path": rel, "label": "a" if i % 2 else "b", "group": f"spk{i % 3}"})
    manifest = tmp_path / "list.csv"
    with manifest.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["path", "label", "group"])
        writer.writeheader()
        writer.writerows(rows)
    ds = open_dataset(manifest)
    assert ds.layout == "manifest" and ds.groups().count("spk0") == 2


@pytest.mark.parametrize(
    "content,message",
    [
        ("path,label\nmissing.wav,a\nother.wav,b\n", "do not exist"),
        ("file,class\nx.wav,a\n", "'path' and 'label'"),
        ("path,label\n,a\n", "empty path or label"),
    ],
)
def test_bad_manifests_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(content)
    with pytest.raises(DatasetError, match=message):
        open_dataset(manifest)


def test_missing_or_empty_dataset(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such"):
        open_dataset(tmp_path / "nothing")
    with pytest.raises(DatasetError, match="no .wav"):
        open_dataset(tmp_path)
    _write_clip(tmp_path / "only" / "x.wav")
    with pytest.raises(DatasetError, match="only one label"):
        open_dataset(tmp_path)


def test_load_audio_skips_bad_files_only_when_asked(tmp_path: Path) -> None:
    good, bad = tmp_path / "a" / "good.wav", tmp_path / "b" / "bad.wav"
    _write_clip(good, seconds=0.05)
    bad.parent.mkdir()
    bad.write_bytes(b"garbage" * 20)
    with pytest.raises(WavError, match="bad.wav"):
        load_audio([good, bad], 16000, 1000)
    audio, kept = load_audio([good, bad], 16000, 1000, skip_bad=True)
    assert audio.shape == (1, 1000) and kept.tolist() == [0]
    assert np.all(audio[0, 800:] == 0)  # 0.05 s = 800 samples, then zero padding


def test_feature_cache_hits_on_content_not_on_name(tmp_path: Path, datasets_dir: Path) -> None:
    from tinyaudio.frontend import preset

    config = preset("mfcc")
    clips = sorted((datasets_dir / "speech_commands_v2_dev" / "yes").glob("*.wav"))[:4]
    cache = tmp_path / "cache"
    first = extract_features(clips, config, cache, progress=False)
    assert first.shape == (4, config.num_frames, config.num_features)
    entries = list((cache / "features").glob("*.npy"))
    assert len(entries) == 1
    # A poisoned cache entry proves the second call reads the cache instead of recomputing.
    np.save(entries[0], np.full_like(first, 7.0))
    assert np.all(extract_features(clips, config, cache, progress=False) == 7.0)
    renamed = []
    for i, clip in enumerate(clips):
        renamed.append(tmp_path / f"renamed_{i}.wav")
        renamed[-1].write_bytes(clip.read_bytes())
    assert np.all(extract_features(renamed, config, cache, progress=False) == 7.0)
    # Another configuration is another entry.
    other = preset("logmel")
    extract_features(clips, other, cache, progress=False)
    assert len(list((cache / "features").glob("*.npy"))) == 2
