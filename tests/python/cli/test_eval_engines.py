"""`tinyaudio eval` and its engine registry: the built-in engines are registered like any other, an engine
registered from Python is what `--engine` runs, and a folder without a test part is told about --split all."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tinyaudio.cli import main
from tinyaudio.data import open_dataset, select_split
from tinyaudio.evaluate import (
    EngineRequest,
    engines,
    evaluate_int8,
    get_engine,
    register_engine,
    unregister_engine,
)

LABELS = ["down", "go", "left", "no"]


@pytest.fixture(scope="module")
def micro_speech(datasets_dir: Path) -> Path:
    """TFLM's micro_speech model: int8 1960 in (49 x 40, the `logmel` preset's shape), 4 scores out."""
    return datasets_dir / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"


@pytest.fixture(scope="module")
def plain_folder(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real Speech Commands clips in `<label>/<name>.wav`, names without speakers (each clip is its own
    group), none of them one that the standard split would put in its test part."""
    root = tmp_path_factory.mktemp("plain")
    source = datasets_dir / "speech_commands_v2_dev"
    for label in LABELS:
        (root / label).mkdir()
        for i, wav in enumerate(sorted((source / label).glob("*.wav"))[:4]):
            shutil.copy(wav, root / label / f"{label}{i}.wav")
    everything = open_dataset(root)
    for i in select_split(everything).test:
        everything.clips[int(i)].path.unlink()
    ds = open_dataset(root)
    assert len(select_split(ds).test) == 0 and len(ds) >= 8 and ds.labels == LABELS
    return root


@pytest.fixture
def recorded() -> Iterator[list[EngineRequest]]:
    """Two engines registered for the test, one of each kind; the requests they got."""
    requests: list[EngineRequest] = []

    def truth(req: EngineRequest) -> np.ndarray:
        # Scores that name each clip's folder: the scorer must then count every clip right.
        requests.append(req)
        out = np.full((len(req.clip_paths), len(req.labels)), -128, dtype=np.int8)
        for row, path in enumerate(req.clip_paths):
            out[row, req.labels.index(path.parent.name)] = 127
        return out

    register_engine("test-truth", truth, description="knows every answer")
    register_engine("test-clips", truth, reads="clips")
    yield requests
    unregister_engine("test-truth")
    unregister_engine("test-clips")


def test_the_built_in_engines_are_registered_engines() -> None:
    registered = engines()
    assert {"litert", "tflm", "firmware"} <= set(registered)
    assert registered["litert"].reads == registered["tflm"].reads == "tensors"
    assert registered["firmware"].reads == "clips"
    assert get_engine("firmware") is registered["firmware"]


def test_eval_runs_a_registered_engine(
    micro_speech: Path,
    plain_folder: Path,
    recorded: list[EngineRequest],
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["eval", str(micro_speech), "--data", str(plain_folder), "--split", "all"]
    args += ["--frontend", "logmel", "--labels", ",".join(LABELS)]
    assert main([*args, "--engine", "test-truth"]) == 0
    n = len(open_dataset(plain_folder))
    assert f"test-truth accuracy 1.0000 ({n}/{n}) on all of" in capsys.readouterr().out
    (req,) = recorded
    assert req.inputs is not None and req.inputs.dtype == np.int8 and req.inputs.shape == (n, 1960)
    assert [p.parent.name for p in req.clip_paths] == sorted(p.parent.name for p in req.clip_paths)
    assert req.options == {"target": "host"} and req.frontend is not None

    # An engine that reads clips gets no tensors (no features are computed for it).
    assert main([*args, "--engine", "test-clips"]) == 0
    assert recorded[1].inputs is None and len(recorded[1].clip_paths) == n


def test_unknown_engine_and_help(
    micro_speech: Path, plain_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(micro_speech), "--data", str(plain_folder), "--engine", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown engine 'nope'" in err and "firmware" in err and "litert" in err
    assert main(["eval", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "register_engine" in help_text


def test_empty_test_part_suggests_split_all(
    micro_speech: Path, plain_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["eval", str(micro_speech), "--data", str(plain_folder), "--frontend", "logmel"]
    assert main([*args, "--labels", ",".join(LABELS)]) == 2
    err = capsys.readouterr().err.strip()
    assert "the test part of split" in err and "is empty" in err and "--split all" in err
    assert len(err.splitlines()) == 1


def test_split_choices_are_checked(
    micro_speech: Path, plain_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["eval", str(micro_speech), "--data", str(plain_folder), "--frontend", "logmel"]
    args += ["--labels", ",".join(LABELS), "--engine", "tflm"]
    assert main([*args, "--split-kind", "kfold", "--fold", "99"]) == 2
    assert "fold 99 is out of range; kfold has 5 folds (0-based)" in capsys.readouterr().err
    assert main([*args, "--split", "everything"]) == 2
    assert "choose one of test, val, train, all" in capsys.readouterr().err


def test_scoring_is_the_same_for_every_engine(micro_speech: Path, recorded: list[EngineRequest]) -> None:
    """evaluate_int8 on a "tensors" engine and a "clips" engine: one scorer, same confusion and per-class."""
    paths = [Path(f"/x/{label}/{i}.wav") for label in LABELS for i in range(2)]
    y = np.repeat(np.arange(len(LABELS)), 2)
    features = np.zeros((len(paths), 49, 40), dtype=np.float32)
    a = evaluate_int8(micro_speech.read_bytes(), features, y, LABELS, "test-truth", clip_paths=paths)
    b = evaluate_int8(micro_speech.read_bytes(), None, y, LABELS, "test-clips", clip_paths=paths)
    assert a.accuracy == b.accuracy == 1.0
    np.testing.assert_array_equal(a.confusion, np.diag([2, 2, 2, 2]))
    np.testing.assert_array_equal(a.confusion, b.confusion)
    assert a.per_class() == b.per_class() == {label: {"n": 2, "recall": 1.0} for label in LABELS}
