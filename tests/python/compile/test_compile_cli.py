"""`tinyaudio compile` from the command line, and its output run with `tinyaudio run --target host`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.support import models
from tests.support.oracle import run_tflm

from tinyaudio.cli import main

MICRO_SPEECH = models.tflm_models_dir() / "micro_speech_quantized.tflite"


def test_compile_then_run_matches_tflm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ms"
    assert (
        main(
            ["compile", str(MICRO_SPEECH), "-o", str(out), "--labels", "silence,unknown,yes,no", "--verbose"]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "memory plan" in text and "Reshape_1" in text and "arena 5968 B" in text
    x = np.random.default_rng(5).integers(-128, 128, (7, 1960), dtype=np.int8)
    np.save(tmp_path / "x.npy", x)
    assert (
        main(
            [
                "run",
                str(out),
                "--target",
                "host",
                "--input",
                str(tmp_path / "x.npy"),
                "--output",
                str(tmp_path / "y.npy"),
            ]
        )
        == 0
    )
    y = np.load(tmp_path / "y.npy")
    assert y.shape == (7, 4) and y.dtype == np.int8
    assert np.array_equal(y, run_tflm(MICRO_SPEECH.read_bytes(), x).reshape(7, 4))


def test_cli_errors_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(MICRO_SPEECH.read_bytes()[:500])
    assert main(["compile", str(bad), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "bad.tflite" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "o").exists()

    assert main(["compile", str(tmp_path / "missing.tflite"), "-o", str(tmp_path / "o")]) == 2
    assert "cannot read" in capsys.readouterr().err

    out = tmp_path / "ms"
    assert main(["compile", str(MICRO_SPEECH), "-o", str(out)]) == 0
    np.save(tmp_path / "x16.npy", np.zeros((2, 1960), np.int16))
    assert (
        main(["run", str(out), "--input", str(tmp_path / "x16.npy"), "--output", str(tmp_path / "y.npy")])
        == 2
    )
    assert "int16" in capsys.readouterr().err
    np.save(tmp_path / "xs.npy", np.zeros((2, 1961), np.int8))
    assert (
        main(["run", str(out), "--input", str(tmp_path / "xs.npy"), "--output", str(tmp_path / "y.npy")]) == 2
    )
    assert "does not stack tensors" in capsys.readouterr().err


def test_compile_embeds_frontend_preset_or_json(tmp_path: Path) -> None:
    from tinyaudio.frontend import preset

    config = preset("mlperf-mfcc")
    (tmp_path / "fe.json").write_text(config.to_json())
    for spec in ("mlperf-mfcc", str(tmp_path / "fe.json")):
        out = tmp_path / ("preset" if spec == "mlperf-mfcc" else "json")
        assert main(["compile", str(MICRO_SPEECH), "-o", str(out), "--frontend", spec]) == 0
        assert "#define TA_MODEL_HAS_FRONTEND 1" in (out / "model.h").read_text()
        assert "ta_model_frontend" in (out / "model.c").read_text()
        assert json.loads((out / "manifest.json").read_text())["frontend"] == config.to_dict()
        # The model still builds and runs on the host with the frontend configuration inside.
        np.save(tmp_path / "x.npy", np.zeros((2, 1960), np.int8))
        assert (
            main(["run", str(out), "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy")])
            == 0
        )
    assert (
        main(["compile", str(MICRO_SPEECH), "-o", str(tmp_path / "bad"), "--frontend", "no-such-preset"]) == 2
    )
