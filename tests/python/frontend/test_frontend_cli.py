"""`tinyaudio features`: WAV lists, datasets, configs, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import fit, read_clip

from tinyaudio.cli import main
from tinyaudio.frontend import FrontendConfig, compute_features, preset


def test_wav_list_to_npy(micro_speech_clips: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "feats.npy"
    assert (
        main(["features", "--preset", "mlperf-mfcc", "-q", "-o", str(out), *map(str, micro_speech_clips)])
        == 0
    )
    got = np.load(out)
    assert got.shape == (len(micro_speech_clips), 49, 10) and got.dtype == np.float32
    for row, path in zip(got, micro_speech_clips, strict=True):
        np.testing.assert_array_equal(
            row, compute_features(fit(read_clip(path), 16000), preset("mlperf-mfcc"))
        )
    meta = json.loads(out.with_suffix(".json").read_text())
    assert FrontendConfig.from_dict(meta["frontend"]) == preset("mlperf-mfcc")
    assert [c["path"] for c in meta["clips"]] == [str(p) for p in micro_speech_clips]


def test_write_config_then_use_it(micro_speech_clips: list[Path], tmp_path: Path) -> None:
    config_path = tmp_path / "frontend.json"
    assert (
        main(
            [
                "features",
                "--preset",
                "logmel",
                "--set",
                "num_mel_bins=64",
                "--set",
                "mel_scale=htk",
                "--write-config",
                str(config_path),
                "-q",
            ]
        )
        == 0
    )
    written = FrontendConfig.load(config_path)
    assert written == preset("logmel", num_mel_bins=64, mel_scale="htk")
    out = tmp_path / "x.npy"
    assert (
        main(["features", "--config", str(config_path), "-q", "-o", str(out), str(micro_speech_clips[0])])
        == 0
    )
    assert np.load(out).shape == (1, 49, 64)


def test_partial_config_file_overrides_the_preset(micro_speech_clips: list[Path], tmp_path: Path) -> None:
    config_path = tmp_path / "partial.json"
    config_path.write_text('{"num_coeffs": 20, "dct": "ortho"}')
    out = tmp_path / "x.npy"
    assert (
        main(
            [
                "features",
                "-p",
                "mfcc",
                "-c",
                str(config_path),
                "-q",
                "-o",
                str(out),
                str(micro_speech_clips[0]),
            ]
        )
        == 0
    )
    assert np.load(out).shape == (1, 49, 20)


def test_dataset_folder(datasets_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "tflm.npy"
    assert main(["features", "--data", str(datasets_dir / "tflm_micro_speech"), "-q", "-o", str(out)]) == 0
    meta = json.loads(out.with_suffix(".json").read_text())
    features = np.load(out)
    assert features.shape == (len(meta["clips"]), 49, 10)
    assert meta["labels"] and all(c["label"] in meta["labels"] for c in meta["clips"])
    first = Path(meta["clips"][0]["path"])
    np.testing.assert_allclose(
        features[0], compute_features(fit(read_clip(first), 16000), preset("mlperf-mfcc")), atol=1e-6
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "nope", "-o", "x.npy", "a.wav"], "unknown frontend preset 'nope'"),
        (["-o", "x.npy", "missing.wav"], "missing.wav"),
        (["-o", "x.npy", "BAD"], "BAD"),
        (["--set", "fft_length=500", "-o", "x.npy", "a.wav"], "fft_length"),
        (["--set", "fft_length", "-o", "x.npy", "a.wav"], "FIELD=VALUE"),
        ([], "nothing to do"),
        (["a.wav"], "missing -o"),
        (["-o", "x.txt", "a.wav"], ".npy"),
        (["--config", "nofile.json", "-o", "x.npy", "a.wav"], "nofile.json"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "BAD").write_bytes(b"RIFF\x00\x00not a wav")
    assert main(["features", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
