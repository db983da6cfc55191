"""What the firmware answers, read and reported: its result lines and console markers
(firmware/app/ta_app_main.c), and `RunReport`, the one `tinyaudio run --json` document (kind `run-result`,
documented in MANIFESTS.md) for every way of running a model."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.emulate.plugin import InstructionCounts, RegionCount
from tinyaudio.emulate.size import SizeReport
from tinyaudio.errors import BuildError
from tinyaudio.manifest import write_manifest

# Modes of `tinyaudio run`: "tensors" (--input X.npy), "clips" (--wav / --data). A new mode (a stream) names
# itself and adds its own keys through RunReport.sections.
RUN_MODES = ("tensors", "clips")


def parse_results(
    text: str, num_scores: int, dtype: np.dtype[Any] | type = np.int8
) -> tuple[np.ndarray, np.ndarray]:
    """'<index> <label> <s0> ... <sK-1>' lines -> (labels (N,) int64, scores (N, K) of `dtype`)."""
    rows = [line.split() for line in text.splitlines() if line.strip()]
    labels = np.zeros(len(rows), dtype=np.int64)
    scores = np.zeros((len(rows), num_scores), dtype=dtype)
    info = np.iinfo(scores.dtype)
    for i, row in enumerate(rows):
        if len(row) != num_scores + 2 or int(row[0]) != i:
            raise BuildError(f"malformed firmware result line {i}: {' '.join(row)[:120]!r}")
        values = [int(v) for v in row[2:]]
        if any(v < info.min or v > info.max for v in values):
            raise BuildError(f"firmware result line {i}: a score outside {scores.dtype.name}: {values}")
        labels[i] = int(row[1])
        scores[i] = values
    return labels, scores


def console_value(text: str, key: str) -> int | None:
    """The N of a 'KEY...=N' console line (e.g. console_value(out, 'TA_STACK_HWM'))."""
    m = re.search(rf"^{re.escape(key)}\s+\w+=(\d+)", text, flags=re.MULTILINE)
    return int(m.group(1)) if m else None


def _raw(values: np.ndarray) -> list[Any]:
    """One output as JSON numbers: integers stay integers in their own range (uint8 scores 0..255)."""
    return [int(v) for v in values.reshape(-1)] if values.dtype.kind in "iub" else values.reshape(-1).tolist()


@dataclass(frozen=True)
class RunReport:
    """One `tinyaudio run`: where it ran, every item's raw outputs (in the model's output dtype) and, on QEMU,
    what it cost. An item is a clip (`clips` mode) or one input tensor (`tensors` mode). Modes that report
    more (a stream's steps and events) put their keys in `sections`, next to the common ones."""

    target: str
    mode: str  # RUN_MODES, or a later mode's name
    outputs: np.ndarray  # (N, *output shape without the batch axis), the model's output dtype
    labels: list[str] = field(default_factory=list)  # names by output index; [] when the model has none
    paths: list[str] | None = None  # the clip behind each item (None for tensors)
    true_labels: list[str] | None = None  # each clip's label in its dataset (run --data)
    accuracy: float | None = None  # tinyaudio.evaluate.score of the outputs against true_labels
    instructions: InstructionCounts | None = None
    audio_seconds: float | None = None  # audio the firmware's frontend processed
    stack_high_water: int | None = None
    size: SizeReport | None = None
    sections: dict[str, Any] = field(default_factory=dict)

    def _region(self, name: str) -> RegionCount | None:
        region = self.instructions.regions.get(name) if self.instructions else None
        return region if region and region.calls else None

    @property
    def instructions_per_inference(self) -> float | None:
        model = self._region("model")
        return model.per_call if model else None

    @property
    def frontend_instructions_per_hop(self) -> float | None:
        frontend = self._region("frontend")
        return frontend.per_call if frontend else None

    @property
    def frontend_instructions_per_second_of_audio(self) -> float | None:
        frontend = self._region("frontend")
        seconds = self.audio_seconds or 0.0
        return frontend.instructions / seconds if frontend and seconds > 0 else None

    def label_indices(self) -> np.ndarray:
        """argmax of each item's outputs (the first on ties, as the firmware)."""
        return np.argmax(self.outputs.reshape(len(self.outputs), -1), axis=-1)

    def predicted_labels(self) -> list[str | None]:
        return [self.labels[i] if 0 <= i < len(self.labels) else None for i in self.label_indices()]

    def to_dict(self) -> dict[str, Any]:
        """The document (without `kind`/`schema_version`, which `write` adds)."""
        names = self.predicted_labels()
        indices = self.label_indices()
        clips = [
            {
                "index": i,
                "path": self.paths[i] if self.paths is not None else None,
                "label": names[i],
                "label_index": int(indices[i]),
                "scores": _raw(self.outputs[i]),
                "true_label": self.true_labels[i] if self.true_labels is not None else None,
            }
            for i in range(len(self.outputs))
        ]
        counts = self.instructions
        doc: dict[str, Any] = {
            "mode": self.mode,
            "target": self.target,
            "output": {"dtype": self.outputs.dtype.name, "shape": list(self.outputs.shape[1:])},
            "labels": list(self.labels),
            "clips": clips,
            "accuracy": self.accuracy,
            "instructions_per_inference": self.instructions_per_inference,
            "frontend_instructions_per_hop": self.frontend_instructions_per_hop,
            "frontend_instructions_per_second_of_audio": self.frontend_instructions_per_second_of_audio,
            "total_instructions": counts.total if counts else None,
            "instruction_regions": (
                {
                    name: {"calls": r.calls, "instructions": r.instructions, "min": r.min, "max": r.max}
                    for name, r in counts.regions.items()
                }
                if counts
                else None
            ),
            "size": self.size.to_dict() if self.size else None,
            "stack_high_water_bytes": self.stack_high_water,
        }
        clash = sorted(set(doc) & set(self.sections))
        if clash:
            raise BuildError(f"run report sections may not replace the common keys {', '.join(clash)}")
        return {**doc, **self.sections}

    def write(self, path: str | Path) -> Path:
        """Writes the document as JSON (kind `run-result`) to `path`."""
        try:
            return write_manifest(Path(path), self.to_dict(), "run-result")
        except OSError as err:
            raise BuildError(f"{path}: cannot write: {err.strerror or err}") from None

    def summary(self) -> str:
        """One line: what ran where, accuracy when known, and what it cost when measured."""
        what = "clips" if self.paths is not None else "inputs"
        text = f"{self.target}: {len(self.outputs)} {what}"
        if self.accuracy is not None:
            correct = int(round(self.accuracy * len(self.outputs)))
            text += f", accuracy {self.accuracy:.4f} ({correct}/{len(self.outputs)})"
        if self.instructions_per_inference is not None:
            text += f", {self.instructions_per_inference:,.0f} instructions/inference"
        per_second = self.frontend_instructions_per_second_of_audio
        if per_second is not None:
            text += f", frontend {per_second:,.0f} instructions/s of audio"
        if self.size is not None:
            text += f", flash {self.size.flash_bytes:,} B, RAM {self.size.ram_bytes:,} B"
        return text
