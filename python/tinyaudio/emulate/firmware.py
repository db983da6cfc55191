"""The whole firmware (C frontend + compiled model + app core) on the host or in QEMU, fed with audio.

Python decodes, resamples and pads every clip exactly as the Python pipeline does (tinyaudio.data
load_wav + fit_length) and hands those float32 samples to the firmware; from there on everything —
features, quantization, the model — is the firmware's own C code.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.compile.compiler import compile_model
from tinyaudio.data.cache import default_cache_dir
from tinyaudio.emulate.build import BuildOptions, FirmwareBuild, build_firmware, read_manifest
from tinyaudio.emulate.plugin import InstructionCounts
from tinyaudio.emulate.qemu import check, describe_exit, run_qemu
from tinyaudio.emulate.results import RunReport, console_value, parse_results
from tinyaudio.emulate.size import SizeReport, size_report
from tinyaudio.emulate.targets import Target, get_target
from tinyaudio.errors import BuildError
from tinyaudio.frontend import AnyFrontendConfig


@dataclass(frozen=True)
class FirmwareRun:
    """What the firmware answered for N clips, with what it cost (QEMU targets)."""

    target: str
    predictions: np.ndarray  # (N,) label index per clip
    scores: np.ndarray  # (N, K) raw int8 model outputs
    labels: list[str]  # label names of the model, index -> name
    clip_seconds: float  # seconds of audio per clip
    instructions: InstructionCounts | None
    stack_high_water: int | None
    size: SizeReport | None

    def report(
        self,
        paths: Sequence[str | Path] | None = None,
        true_labels: Sequence[str] | None = None,
        accuracy: float | None = None,
    ) -> RunReport:
        """The `tinyaudio run --json` document of this run (`clips` mode)."""
        return RunReport(
            target=self.target,
            mode="clips",
            outputs=self.scores,
            labels=list(self.labels),
            paths=[str(p) for p in paths] if paths is not None else None,
            true_labels=list(true_labels) if true_labels is not None else None,
            accuracy=accuracy,
            instructions=self.instructions,
            audio_seconds=len(self.predictions) * self.clip_seconds,
            stack_high_water=self.stack_high_water,
            size=self.size,
        )

    @property
    def instructions_per_inference(self) -> float | None:
        return self.report().instructions_per_inference

    @property
    def frontend_instructions_per_hop(self) -> float | None:
        return self.report().frontend_instructions_per_hop

    @property
    def frontend_instructions_per_second_of_audio(self) -> float | None:
        return self.report().frontend_instructions_per_second_of_audio

    def predicted_labels(self) -> list[str]:
        return [self.labels[i] if 0 <= i < len(self.labels) else str(i) for i in self.predictions]


def compiled_model_dir(
    model_path: Path, frontend: AnyFrontendConfig, labels: list[str], cache_dir: Path | None = None
) -> Path:
    """`tinyaudio compile` of the .tflite at model_path with this frontend and label list, cached by their
    content: the directory the firmware is built from."""
    key = hashlib.sha256()
    key.update(Path(model_path).read_bytes())
    key.update(json.dumps(frontend.to_dict(), sort_keys=True).encode())
    key.update(json.dumps(labels).encode())
    out = (cache_dir or default_cache_dir()) / "compiled" / key.hexdigest()[:24]
    if not (out / "manifest.json").is_file():
        compile_model(model_path, out, labels=labels, frontend=frontend)
    return out


def model_frontend(model_dir: Path) -> dict[str, Any]:
    """The frontend configuration dict the model was compiled with (manifest.json)."""
    manifest = read_manifest(model_dir)
    frontend = manifest.get("frontend")
    if not isinstance(frontend, dict):
        raise BuildError(
            f"{model_dir}: the model has no frontend configuration; compile it with --frontend "
            "to run audio through the firmware (raw tensors work with --input)"
        )
    return frontend


def model_labels(model_dir: Path, count: int) -> list[str]:
    labels = read_manifest(model_dir).get("labels") or []
    return [str(x) for x in labels] if len(labels) == count else [str(i) for i in range(count)]


def load_clips(paths: Sequence[str | Path], frontend: dict[str, Any]) -> np.ndarray:
    """(N, clip_samples) float32: each WAV decoded, resampled and padded/cropped as in Python."""
    from tinyaudio.data import fit_length, load_wav

    rate = int(frontend["sample_rate"])
    length = int(frontend["clip_samples"])
    out = np.zeros((len(paths), length), dtype=np.float32)
    for i, path in enumerate(paths):
        out[i] = fit_length(load_wav(path, rate), length)
    return out


def run_clips(
    model_dir: str | Path,
    target: str | Target,
    audio: np.ndarray,
    *,
    count_instructions: bool | None = None,
    options: BuildOptions | None = None,
    timeout: float = 1800.0,
) -> FirmwareRun:
    """Runs the firmware on `audio` (N, clip_samples) float32 clips. On QEMU targets the instruction
    counts are measured unless count_instructions=False; sizes are reported for Cortex-M builds."""
    model_dir = Path(model_dir).resolve()
    tgt = get_target(target) if isinstance(target, str) else target
    frontend = model_frontend(model_dir)
    clip_samples = int(frontend["clip_samples"])
    audio = np.ascontiguousarray(audio, dtype="<f4")
    if audio.ndim != 2 or audio.shape[1] != clip_samples:
        raise BuildError(f"audio must be (clips, {clip_samples}) float32, got {audio.shape}")
    build = build_firmware(model_dir, tgt, options)
    if build.app is None:
        raise BuildError(f"{model_dir}: this model has no frontend, so the firmware app was not built")
    manifest = read_manifest(model_dir)
    num_scores = _output_size(manifest, build)
    counting = tgt.is_qemu if count_instructions is None else (count_instructions and tgt.is_qemu)

    with tempfile.TemporaryDirectory(prefix="ta_fw_") as tmp:
        pcm = Path(tmp) / "clips.f32"
        results = Path(tmp) / "results.txt"
        audio.tofile(pcm)
        if tgt.is_qemu:
            run = check(
                run_qemu(
                    build.app, tgt, [str(pcm), str(results)], count_instructions=counting, timeout=timeout
                ),
                f"the firmware on {tgt.name}",
            )
            stdout, counts = run.stdout, run.instructions
        else:
            stdout, counts = _run_host(build, [str(pcm), str(results)], timeout), None
        text = results.read_text() if results.is_file() else ""
    predictions, scores = parse_results(text, num_scores)
    if len(predictions) != audio.shape[0]:
        raise BuildError(f"the firmware answered {len(predictions)} of {audio.shape[0]} clips")
    hwm = console_value(stdout, "TA_STACK_HWM") if tgt.is_qemu else None
    size = size_report(build.app, manifest, hwm) if tgt.is_qemu else None
    return FirmwareRun(
        target=tgt.name,
        predictions=predictions,
        scores=scores,
        labels=model_labels(model_dir, num_scores),
        clip_seconds=clip_samples / float(frontend["sample_rate"]),
        instructions=counts,
        stack_high_water=hwm,
        size=size,
    )


def run_wav_files(
    model_dir: str | Path, target: str | Target, paths: Sequence[str | Path], **kwargs: Any
) -> FirmwareRun:
    """Decodes `paths` for the model's frontend and runs them through the firmware."""
    frontend = model_frontend(Path(model_dir))
    return run_clips(model_dir, target, load_clips(paths, frontend), **kwargs)


def _output_size(manifest: dict[str, Any], build: FirmwareBuild) -> int:
    shape = (manifest.get("output") or {}).get("shape")
    if shape:
        return int(np.prod(shape))
    header = (build.model_dir / "model.h").read_text()
    for line in header.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "#define" and parts[1] == "TA_MODEL_OUTPUT_BYTES":
            return int(parts[2].rstrip("uUlL()").lstrip("("))
    raise BuildError(f"{build.model_dir}: cannot tell the model's output size (no manifest output shape)")


def _run_host(build: FirmwareBuild, args: list[str], timeout: float) -> str:
    assert build.app is not None
    try:
        proc = subprocess.run([str(build.app), *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BuildError(f"the host firmware did not finish within {timeout:.0f} s") from None
    if proc.returncode != 0:
        detail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:])
        raise BuildError(f"the host firmware failed with {describe_exit(proc.returncode)}: {detail}")
    return proc.stdout


@dataclass(frozen=True)
class StreamRun:
    """Results of the firmware fed one continuous stream: window k ends at frame
    num_frames - 1 + k * stride_frames."""

    scores: np.ndarray  # (K, num_scores) int8
    predictions: np.ndarray  # (K,)
    instructions: InstructionCounts | None


def run_stream(
    model_dir: str | Path,
    target: str | Target,
    audio: np.ndarray,
    stride_frames: int,
    *,
    count_instructions: bool = False,
    timeout: float = 1800.0,
) -> StreamRun:
    """Feeds `audio` (1-D float32 at the model's rate) hop by hop as one stream (a microphone) and returns a
    result every `stride_frames` frames once the first window is full. Streaming applies no clip
    normalization, so models whose frontend normalizes clips are refused."""
    model_dir = Path(model_dir).resolve()
    tgt = get_target(target) if isinstance(target, str) else target
    frontend = model_frontend(model_dir)
    if str(frontend.get("normalize", "none")) != "none":
        raise BuildError(
            f"{model_dir}: the frontend normalizes whole clips ({frontend['normalize']}); "
            "streaming has no clip to normalize"
        )
    if stride_frames < 1:
        raise BuildError("stride_frames must be >= 1")
    build = build_firmware(model_dir, tgt)
    if build.app is None:
        raise BuildError(f"{model_dir}: this model has no frontend, so the firmware app was not built")
    num_scores = _output_size(read_manifest(model_dir), build)
    samples = np.ascontiguousarray(np.asarray(audio, dtype="<f4").reshape(-1))
    with tempfile.TemporaryDirectory(prefix="ta_stream_") as tmp:
        pcm = Path(tmp) / "stream.f32"
        results = Path(tmp) / "results.txt"
        samples.tofile(pcm)
        args = [str(pcm), str(results), str(int(stride_frames))]
        counts = None
        if tgt.is_qemu:
            raw = run_qemu(build.app, tgt, args, count_instructions=count_instructions, timeout=timeout)
            run = check(raw, f"the firmware on {tgt.name}")
            counts = run.instructions
        else:
            _run_host(build, args, timeout)
        text = results.read_text() if results.is_file() else ""
    predictions, scores = parse_results(text, num_scores)
    return StreamRun(scores, predictions, counts)
