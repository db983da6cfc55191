"""The whole firmware (C frontend + compiled model + app core) against the Python int8 pipeline
(C frontend through the extension, quantization, the tflite-micro interpreter), clip by clip, and raw
int8 tensors on the emulated Cortex-M cores against the host build and tflite-micro."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from model_fixtures import FixtureModel  # noqa: I001

from tinyaudio.emulate.firmware import run_wav_files
from tinyaudio.emulate.host import build_host_runner, run_tensors
from tinyaudio.emulate.qemu_tensors import run_tensors_qemu
from tinyaudio.evaluate import evaluate_int8, model_input_quant, run_engine

pytestmark = [pytest.mark.slow, pytest.mark.qemu]


def python_int8_predictions(model: FixtureModel) -> tuple[np.ndarray, np.ndarray]:
    """(predictions, int8 scores) of the Python pipeline: features -> quantize -> tflite-micro."""
    result = evaluate_int8(model.tflite, model.test_features, model.test_y, model.labels, engine="tflm")
    shape, scale, zero_point = model_input_quant(model.tflite)
    from tinyaudio.evaluate import quantize_input

    q = quantize_input(model.test_features.reshape(len(model.test_features), *shape[1:]), scale, zero_point)
    return result.predictions, run_engine("tflm", model.tflite, q)


@pytest.mark.parametrize("target", ["host", "qemu-m4"])
def test_firmware_predictions_equal_python(trained_model: FixtureModel, target: str) -> None:
    expected, expected_scores = python_int8_predictions(trained_model)
    run = run_wav_files(trained_model.model_dir, target, trained_model.test_paths, count_instructions=False)
    agree = run.predictions == expected
    same_scores = np.all(run.scores == expected_scores, axis=1)
    mismatches = [
        f"{trained_model.test_paths[i]}: python {expected[i]} {expected_scores[i].tolist()} "
        f"firmware {run.predictions[i]} {run.scores[i].tolist()}"
        for i in np.nonzero(~agree)[0]
    ]
    print(f"{trained_model.name} on {target}: {agree.sum()}/{len(agree)} predictions and "
          f"{same_scores.sum()}/{len(agree)} score vectors identical to the Python int8 pipeline")
    for line in mismatches:
        print("  mismatch", line)
    assert len(agree) == len(trained_model.test_paths) > 100
    assert agree.mean() >= 0.995, "\n".join(mismatches)


def raw_inputs(model_dir: Path, tflite: bytes, features: np.ndarray | None, n_random: int = 60) -> np.ndarray:
    shape, scale, zero_point = model_input_quant(tflite)
    rng = np.random.default_rng(7)
    parts = [rng.integers(-128, 128, size=(n_random, *shape[1:]), dtype=np.int8)]
    if features is not None:
        from tinyaudio.evaluate import quantize_input

        parts.append(quantize_input(features[:40].reshape(-1, *shape[1:]), scale, zero_point))
    return np.concatenate(parts)


@pytest.mark.parametrize("target", ["qemu-m4", "qemu-m55"])
def test_raw_int8_bit_identical_to_host_and_tflm(trained_model: FixtureModel, target: str) -> None:
    x = raw_inputs(trained_model.model_dir, trained_model.tflite, trained_model.test_features)
    on_target = run_tensors_qemu(trained_model.model_dir, target, x).outputs
    on_host = run_tensors(build_host_runner(trained_model.model_dir), x)
    tflm = run_engine("tflm", trained_model.tflite, x).reshape(on_host.shape)
    assert on_target.dtype == np.int8
    np.testing.assert_array_equal(on_target, on_host)
    np.testing.assert_array_equal(on_target, tflm)


@pytest.mark.parametrize("target", ["qemu-m4", "qemu-m55"])
def test_raw_int8_micro_speech_bit_identical(micro_speech_model: tuple[Path, bytes], target: str) -> None:
    model_dir, tflite = micro_speech_model
    x = raw_inputs(model_dir, tflite, None, n_random=40)
    on_target = run_tensors_qemu(model_dir, target, x).outputs
    on_host = run_tensors(build_host_runner(model_dir), x)
    tflm = run_engine("tflm", tflite, x).reshape(on_host.shape)
    np.testing.assert_array_equal(on_target, on_host)
    np.testing.assert_array_equal(on_target, tflm)


def test_instruction_counts_repeatable_and_sizes(fsdd_model: FixtureModel) -> None:
    paths = fsdd_model.test_paths[:4]
    first = run_wav_files(fsdd_model.model_dir, "qemu-m4", paths)
    second = run_wav_files(fsdd_model.model_dir, "qemu-m4", paths)
    assert first.instructions is not None and first.instructions == second.instructions
    model = first.instructions.regions["model"]
    frontend = first.instructions.regions["frontend"]
    assert model.calls == len(paths)
    manifest = json.loads((fsdd_model.model_dir / "manifest.json").read_text())
    # An int8 MAC costs at least a load, a multiply-accumulate and loop overhead on a Cortex-M4.
    assert model.per_call > manifest["macs"]
    assert frontend.calls >= len(paths) * 8000 // 128
    assert (first.frontend_instructions_per_second_of_audio or 0) > 0
    size = first.size
    assert size is not None and first.stack_high_water is not None
    assert size.flash_bytes > size.rodata_bytes >= manifest["weights_bytes"]
    assert size.bss_bytes >= manifest["arena_bytes"] + size.app_state_bytes
    assert 0 < first.stack_high_water < size.stack_reserved_bytes
    static = size.data_bytes + size.bss_bytes + size.heap_reserved_bytes
    assert size.ram_bytes == static + first.stack_high_water
    assert size.heap_reserved_bytes == 0  # the application uses no heap


def test_run_cli_json(speech_commands_model: FixtureModel, tmp_path: Path) -> None:
    from tinyaudio.cli import main

    out = tmp_path / "result.json"
    wavs = [str(p) for p in speech_commands_model.test_paths[:3]]
    # Both spellings: --wav a.wav --wav b.wav, and --wav b.wav c.wav.
    args = ["run", str(speech_commands_model.model_dir), "--target", "qemu-m4", "--json", str(out),
            "--wav", wavs[0], "--wav", wavs[1], wavs[2]]
    assert main(args) == 0
    doc = json.loads(out.read_text())
    assert doc["target"] == "qemu-m4"
    assert [c["path"] for c in doc["clips"]] == wavs
    assert all(c["label"] in speech_commands_model.labels and len(c["scores"]) == 12 for c in doc["clips"])
    assert doc["instructions_per_inference"] > 0 and doc["frontend_instructions_per_second_of_audio"] > 0
    assert doc["size"]["flash_bytes"] > 0 and doc["size"]["ram_bytes"] > 0


@pytest.mark.parametrize("target", ["host", "qemu-m4"])
def test_streaming_windows_equal_python(fsdd_model: FixtureModel, target: str) -> None:
    """A microphone-like stream (several clips back to back), a result every `stride` frames: each equals
    the Python pipeline on the same window of the stream's frames."""
    from tinyaudio.data import load_wav
    from tinyaudio.emulate.firmware import run_stream
    from tinyaudio.evaluate import quantize_input
    from tinyaudio.frontend import FrontendConfig, compute_features

    manifest = json.loads((fsdd_model.model_dir / "manifest.json").read_text())
    audio = np.concatenate([load_wav(p, 8000) for p in fsdd_model.test_paths[:6]]).astype(np.float32)
    hop = int(manifest["frontend"]["hop_length"])
    audio = audio[: len(audio) // hop * hop]
    stride = 7
    run = run_stream(fsdd_model.model_dir, target, audio, stride)
    stream_config = FrontendConfig.from_dict({**manifest["frontend"], "clip_samples": len(audio)})
    frames = compute_features(audio, stream_config)
    shape, scale, zero_point = model_input_quant(fsdd_model.tflite)
    windows = np.stack([frames[k:k + shape[1]] for k in range(0, len(frames) - shape[1] + 1, stride)])
    expected = run_engine("tflm", fsdd_model.tflite, quantize_input(windows.reshape(-1, *shape[1:]), scale,
                                                                   zero_point))
    assert len(windows) >= 10
    np.testing.assert_array_equal(run.scores, expected)


def test_host_firmware_clean_under_sanitizers(speech_commands_model: FixtureModel) -> None:
    """The host build of the whole firmware under ASan/UBSan (the clip-buffer path of a normalizing
    frontend included) gives the same answers as the plain build and no findings (a finding aborts)."""
    from dataclasses import replace

    from tinyaudio.emulate.build import BuildOptions, read_manifest

    manifest = read_manifest(speech_commands_model.model_dir)
    options = replace(BuildOptions.from_manifest(manifest), sanitize=True)
    paths = speech_commands_model.test_paths[:6]
    sanitized = run_wav_files(speech_commands_model.model_dir, "host", paths, options=options)
    plain = run_wav_files(speech_commands_model.model_dir, "host", paths)
    np.testing.assert_array_equal(sanitized.scores, plain.scores)


def test_firmware_on_m55_equals_m4_and_python(speech_commands_model: FixtureModel) -> None:
    """The Cortex-M55 build (MVE-capable compiler output, other libm code paths) answers like the M4 and
    Python on a subset of clips."""
    expected, expected_scores = python_int8_predictions(speech_commands_model)
    n = 40
    m55 = run_wav_files(speech_commands_model.model_dir, "qemu-m55", speech_commands_model.test_paths[:n],
                        count_instructions=False)
    np.testing.assert_array_equal(m55.scores, expected_scores[:n])
    np.testing.assert_array_equal(m55.predictions, expected[:n])
