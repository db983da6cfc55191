"""`tinyaudio run --json`: one documented schema (kind `run-result`) for raw tensors and for clips, on the
host and on QEMU; raw outputs kept as integers of the output dtype (uint8 included); --output optional."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import tinyaudio
from tinyaudio.cli import main
from tinyaudio.emulate.plugin import InstructionCounts, RegionCount
from tinyaudio.emulate.results import RunReport, parse_results
from tinyaudio.errors import BuildError
from tinyaudio.manifest import read_manifest

LABELS = ["down", "go", "left", "no"]


def documented_keys() -> set[str]:
    """The keys MANIFESTS.md lists for run-result (first column of its table)."""
    text = (Path(tinyaudio.__file__).parent / "MANIFESTS.md").read_text()
    section = text.split("## `run-result`", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


COMMON = {"kind", "schema_version"}


@pytest.fixture(scope="module")
def compiled(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TFLM's micro_speech (int8 1960 in = 49 x 40 logmel frames, 4 scores out) compiled with a frontend."""
    out = tmp_path_factory.mktemp("compiled") / "ms"
    model = datasets_dir / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
    assert (
        main(["compile", str(model), "-o", str(out), "--labels", ",".join(LABELS), "--frontend", "logmel"])
        == 0
    )
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("inputs") / "x.npy"
    np.save(path, np.random.default_rng(3).integers(-128, 128, (5, 1960), dtype=np.int8))
    return path


def test_uint8_scores_stay_integers_of_their_range(tmp_path: Path) -> None:
    counts = InstructionCounts(1000, {"model": RegionCount(2, 800, 390, 410)})
    outputs = np.array([[200, 3, 255, 0], [0, 0, 1, 9]], dtype=np.uint8)
    report = RunReport("qemu-m4", "tensors", outputs, ["a", "b", "c", "d"], instructions=counts)
    path = report.write(tmp_path / "r.json")
    doc = read_manifest(path, "run-result")
    assert set(doc) == documented_keys() | COMMON
    assert doc["output"] == {"dtype": "uint8", "shape": [4]}
    assert [c["scores"] for c in doc["clips"]] == outputs.tolist()
    assert [c["label"] for c in doc["clips"]] == ["c", "d"] and doc["instructions_per_inference"] == 400.0
    assert doc["frontend_instructions_per_second_of_audio"] is None and doc["size"] is None


def test_sections_extend_but_never_replace_the_common_keys() -> None:
    outputs = np.zeros((1, 2), dtype=np.int8)
    extended = RunReport("host", "stream", outputs, sections={"steps": [], "events": []}).to_dict()
    assert extended["steps"] == [] and extended["events"] == [] and extended["mode"] == "stream"
    with pytest.raises(BuildError, match="target"):
        RunReport("host", "stream", outputs, sections={"target": "x"}).to_dict()


def test_firmware_result_lines_in_the_output_dtype() -> None:
    labels, scores = parse_results("0 0 200 3\n1 1 0 255\n", 2, np.uint8)
    assert scores.dtype == np.uint8 and scores.tolist() == [[200, 3], [0, 255]] and labels.tolist() == [0, 1]
    with pytest.raises(BuildError, match="outside int8"):
        parse_results("0 0 200 3\n", 2)


def test_tensors_on_the_host_json_without_output(compiled: Path, inputs: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    assert main(["run", str(compiled), "--input", str(inputs), "--json", str(report)]) == 0
    assert main(["run", str(compiled), "--input", str(inputs), "--output", str(tmp_path / "y.npy")]) == 0
    doc = json.loads(report.read_text())
    assert set(doc) == documented_keys() | COMMON
    assert doc["kind"] == "run-result" and doc["mode"] == "tensors" and doc["target"] == "host"
    y = np.load(tmp_path / "y.npy")
    assert [c["scores"] for c in doc["clips"]] == y.tolist()
    assert [c["label_index"] for c in doc["clips"]] == np.argmax(y, axis=1).tolist()
    assert all(c["path"] is None and c["true_label"] is None for c in doc["clips"])
    assert doc["instructions_per_inference"] is None and doc["size"] is None and doc["labels"] == LABELS


def test_clips_on_the_host_same_schema_and_accuracy(
    compiled: Path, datasets_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    source = datasets_dir / "speech_commands_v2_dev"
    for label in LABELS:
        (data / label).mkdir(parents=True)
        for wav in sorted((source / label).glob("*.wav"))[:2]:
            shutil.copy(wav, data / label / wav.name)
    report = tmp_path / "r.json"
    assert main(["run", str(compiled), "--data", str(data), "--json", str(report)]) == 0
    doc = json.loads(report.read_text())
    assert set(doc) == documented_keys() | COMMON
    assert doc["mode"] == "clips" and len(doc["clips"]) == 8
    hits = [c["label"] == c["true_label"] for c in doc["clips"]]
    assert doc["accuracy"] == pytest.approx(float(np.mean(hits)))
    assert all(Path(c["path"]).parent.name == c["true_label"] for c in doc["clips"])


def test_no_input_is_one_line(compiled: Path, inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(compiled)]) == 2
    assert "--input" in capsys.readouterr().err
    assert main(["run", str(compiled), "--input", str(inputs), "--wav", str(inputs)]) == 2
    assert "not both" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.qemu
def test_tensors_on_qemu_report_instruction_counts(compiled: Path, inputs: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    args = ["run", str(compiled), "--target", "qemu-m4", "--input", str(inputs), "--json", str(report)]
    assert main([*args, "--output", str(tmp_path / "y.npy")]) == 0
    assert main(["run", str(compiled), "--input", str(inputs), "--output", str(tmp_path / "host.npy")]) == 0
    doc = json.loads(report.read_text())
    assert set(doc) == documented_keys() | COMMON and doc["target"] == "qemu-m4"
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), np.load(tmp_path / "host.npy"))
    assert doc["instruction_regions"]["model"]["calls"] == 5
    # An int8 MAC costs at least a load, a multiply-accumulate and loop overhead on a Cortex-M4.
    assert doc["instructions_per_inference"] > json.loads((compiled / "manifest.json").read_text())["macs"]
    assert doc["total_instructions"] > 5 * doc["instructions_per_inference"]
    assert doc["size"]["flash_bytes"] > doc["size"]["weights_bytes"] > 0
    assert 0 < doc["stack_high_water_bytes"] == doc["size"]["stack_high_water_bytes"]
