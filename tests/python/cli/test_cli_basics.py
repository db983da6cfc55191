"""The CLI contract: help, version, exit codes, one-line errors, no TensorFlow at start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tinyaudio import __version__


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tinyaudio", *args], capture_output=True, text=True, timeout=120
    )


def test_help_lists_the_stages_and_does_not_import_tensorflow() -> None:
    probe = (
        "import sys\n"
        "from tinyaudio.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'ai_edge_litert', 'tflite_micro') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    for command in ("datasets", "features"):
        assert command in out.stdout


def test_version() -> None:
    out = _run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"tinyaudio {__version__}"


def test_datasets_info_on_real_data(datasets_dir: Path) -> None:
    out = _run("datasets", "info", str(datasets_dir / "esc10"))
    assert out.returncode == 0, out.stderr
    assert "layout: esc" in out.stdout and "clips: 400" in out.stdout and "16000 Hz × 400" in out.stdout


def test_bad_input_is_one_line_and_nonzero(tmp_path: Path) -> None:
    out = _run("datasets", "info", str(tmp_path / "missing"))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "no such dataset" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_command_is_a_usage_error() -> None:
    out = _run("frobnicate")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_features_stops_on_a_bad_wav_or_skips_it_when_asked(tmp_path: Path, datasets_dir: Path) -> None:
    good = datasets_dir / "fsdd" / "0" / "0_george_0.wav"
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not a wav file")
    out = tmp_path / "x.npy"
    stopped = _run("features", "-q", "-o", str(out), str(good), str(bad))
    assert stopped.returncode == 2 and "bad.wav" in stopped.stderr and not out.exists()
    skipped = _run("features", "-q", "--skip-bad", "-o", str(out), str(good), str(bad))
    assert skipped.returncode == 0, skipped.stderr
    assert "warning: skipping" in skipped.stderr and "bad.wav" in skipped.stderr
    import numpy as np

    assert np.load(out).shape == (1, 49, 10)
