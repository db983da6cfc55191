"""Driving the firmware in adapt mode (firmware/app/ta_adapt_main.c) on the host or QEMU.

A run is a list of commands (train on a labelled clip, evaluate a clip, imprint a new class, save, reboot,
...) encoded as float32 like PCM, a storage image (the device's flash: two A/B head slots), and what comes
back: result lines, console lines, the storage image after the run, and on QEMU the instruction counts of
each head update (probe region `head_update`). `adapt()` is the library face of `tinyaudio adapt`.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.ondevice.factory import AdaptError, compiled_for_adapt, factory_from_compiled
from tinyaudio.ondevice.head import HParams
from tinyaudio.ondevice.record import STORAGE_BYTES, HeadRecord, read_slots, read_store, write_record

HEADER = 24  # TA_ADAPT_HEADER
LABEL_AT = 8
OP_TRAIN, OP_EVAL, OP_IMPRINT, OP_SAVE, OP_RESET, OP_BOOT, OP_CONFIG, OP_EMBED, OP_ERASE, OP_LISTEN = range(
    1, 11
)
POWER_CUT_EXIT = 75  # TA_STORAGE_FILE_POWER_CUT_EXIT


@dataclass(frozen=True)
class Command:
    """One adapt-mode command and the clips that follow it ((K, clip_samples) float32, or None)."""

    op: int
    arg: int = 0
    params: tuple[float, ...] = ()
    label: str = ""
    clips: np.ndarray | None = None

    def header(self) -> np.ndarray:
        h = np.zeros(HEADER, dtype=np.float32)
        h[0], h[1] = self.op, self.arg
        h[2 : 2 + len(self.params)] = self.params
        raw = self.label.encode("ascii")[:15]
        h[LABEL_AT : LABEL_AT + len(raw)] = list(raw)
        return h


def config(hp: HParams, device_id: str = "") -> Command:
    hp.check()
    params = (hp.learning_rate, hp.l2, hp.clip_norm, hp.momentum, hp.reject_confidence, hp.imprint_margin)
    return Command(OP_CONFIG, 0, params, device_id)


def train(clip: np.ndarray, label: int) -> Command:
    return Command(OP_TRAIN, int(label), clips=clip[None, :])


def evaluate(clip: np.ndarray) -> Command:
    return Command(OP_EVAL, clips=clip[None, :])


def listen(clip: np.ndarray) -> Command:
    return Command(OP_LISTEN, clips=clip[None, :])


def embed(clip: np.ndarray) -> Command:
    return Command(OP_EMBED, clips=clip[None, :])


def imprint(label: str, clips: np.ndarray) -> Command:
    return Command(OP_IMPRINT, len(clips), label=label, clips=np.asarray(clips, dtype=np.float32))


def save(cut_after: int | None = None) -> Command:
    return Command(OP_SAVE, -1 if cut_after is None else int(cut_after))


def encode(commands: Sequence[Command], clip_samples: int) -> np.ndarray:
    parts: list[np.ndarray] = []
    for c in commands:
        parts.append(c.header())
        if c.clips is not None:
            clips = np.asarray(c.clips, dtype=np.float32)
            if clips.ndim != 2 or clips.shape[1] != clip_samples:
                raise AdaptError(f"clips must be (K, {clip_samples}) float32, got {clips.shape}")
            parts.append(clips.reshape(-1))
    return np.concatenate(parts).astype("<f4") if parts else np.zeros(0, "<f4")


@dataclass
class FirmwareOutcome:
    """What one ta_adapt run produced."""

    returncode: int
    console: str
    results: list[tuple[int, np.ndarray]]  # (label index, int8 values) per EVAL/EMBED, in order
    storage: bytes
    instructions: Any | None = None  # tinyaudio.emulate.plugin.InstructionCounts
    size: Any | None = None  # tinyaudio.emulate.size.SizeReport
    build_dir: Path | None = None

    @property
    def power_cut(self) -> bool:
        return self.returncode == POWER_CUT_EXIT

    def console_int(self, key: str) -> int | None:
        m = re.search(rf"\b{re.escape(key)}=(-?\d+)", self.console)
        return int(m.group(1)) if m else None

    @property
    def instructions_per_update(self) -> float | None:
        region = self.instructions.regions.get("head_update") if self.instructions else None
        return region.per_call if region and region.calls else None

    def boots(self) -> list[str]:
        return re.findall(r"^TA_HEAD boot (.*)$", self.console, flags=re.MULTILINE)

    def refusals(self) -> list[str]:
        return re.findall(r"^TA_HEAD refused (.*)$", self.console, flags=re.MULTILINE)


def adapt_executable(model_dir: Path, target: str) -> Path:
    from tinyaudio.emulate.build import build_firmware

    build = build_firmware(model_dir, target)
    exe = build.build_dir / "ta_adapt"
    if not exe.is_file():
        raise AdaptError(
            f"{model_dir}: the firmware has no ta_adapt program (the model needs a frontend and a "
            "head: compile with --embedding auto)"
        )
    return exe


def run_firmware(
    model_dir: str | Path,
    target: str,
    commands: Sequence[Command],
    storage: bytes | None = None,
    *,
    count_instructions: bool | None = None,
    expect_power_cut: bool = False,
    timeout: float = 3600.0,
) -> FirmwareOutcome:
    """Runs ta_adapt for `model_dir` on `target` with `commands`, booting from `storage` (None: erased)."""
    from tinyaudio.emulate.qemu import describe_exit, run_qemu
    from tinyaudio.emulate.targets import get_target

    model_dir = Path(model_dir).resolve()
    tgt = get_target(target)
    manifest_frontend = factory_manifest_frontend(model_dir)
    clip_samples = int(manifest_frontend["clip_samples"])
    exe = adapt_executable(model_dir, target)
    counting = tgt.is_qemu if count_instructions is None else (count_instructions and tgt.is_qemu)
    with tempfile.TemporaryDirectory(prefix="ta_adapt_") as tmp:
        cmd_path, res_path, sto_path = (
            Path(tmp) / "commands.f32",
            Path(tmp) / "results.txt",
            Path(tmp) / "flash.bin",
        )
        encode(commands, clip_samples).tofile(cmd_path)
        if storage is not None:
            if len(storage) != STORAGE_BYTES:
                raise AdaptError(f"a storage image is {STORAGE_BYTES} bytes, got {len(storage)}")
            sto_path.write_bytes(storage)
        args = [str(cmd_path), str(res_path), str(sto_path)]
        counts = None
        if tgt.is_qemu:
            run = run_qemu(exe, tgt, args, count_instructions=counting, timeout=timeout)
            code, console = run.returncode, run.stdout + run.stderr
            counts = run.instructions
        else:
            try:
                proc = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                raise AdaptError(f"ta_adapt on the host did not finish within {timeout:.0f} s") from None
            code, console = proc.returncode, proc.stdout + proc.stderr
        ok = code == 0 or (expect_power_cut and code == POWER_CUT_EXIT)
        if not ok:
            errors = [ln for ln in console.splitlines() if ln.startswith(("TA_ERROR", "TA_FAULT"))]
            detail = errors[-1] if errors else " | ".join(console.strip().splitlines()[-3:])
            raise AdaptError(f"ta_adapt on {target} failed with {describe_exit(code)}: {detail}")
        results = _parse_results(res_path.read_text() if res_path.is_file() else "")
        image = sto_path.read_bytes() if sto_path.is_file() else b"\xff" * STORAGE_BYTES
    size = None
    if tgt.is_qemu and code == 0:
        from tinyaudio.emulate.results import console_value
        from tinyaudio.emulate.size import size_report
        from tinyaudio.manifest import read_manifest

        size = size_report(exe, read_manifest(model_dir), console_value(console, "TA_STACK_HWM"))
    return FirmwareOutcome(code, console, results, image, counts, size, exe.parent)


def factory_manifest_frontend(model_dir: Path) -> dict[str, Any]:
    from tinyaudio.manifest import read_manifest

    frontend = read_manifest(model_dir).get("frontend")
    if not isinstance(frontend, dict):
        raise AdaptError(f"{model_dir}: the compiled model has no frontend configuration")
    return frontend


def _parse_results(text: str) -> list[tuple[int, np.ndarray]]:
    out = []
    for i, line in enumerate(text.splitlines()):
        parts = line.split()
        if len(parts) < 2 or int(parts[0]) != i:
            raise AdaptError(f"malformed ta_adapt result line {i}: {line[:80]!r}")
        out.append((int(parts[1]), np.array([int(v) for v in parts[2:]], dtype=np.int8)))
    return out


@dataclass
class AdaptResult:
    """What `tinyaudio adapt` reports (`to_json()` is the R.json document)."""

    target: str
    labels: list[str]
    new_classes: list[str]
    n_train: int
    n_eval: int
    epochs: int
    accuracy_before: float
    accuracy_after: float
    updates: int
    rejected: int
    head_bytes: int
    head_ram_bytes: int | None
    instructions_per_update: float | None
    model_sha256: str
    frontend_sha256: str
    record: HeadRecord | None
    hparams: HParams
    size: dict[str, Any] | None = None
    per_class_after: dict[str, float] = field(default_factory=dict)
    head_path: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "accuracy_before": self.accuracy_before,
            "accuracy_after": self.accuracy_after,
            "n_train": self.n_train,
            "n_eval": self.n_eval,
            "target": self.target,
            "labels": self.labels,
            "new_classes": self.new_classes,
            "epochs": self.epochs,
            "updates": self.updates,
            "rejected_by_guard": self.rejected,
            "head_bytes": self.head_bytes,
            "head_ram_bytes": self.head_ram_bytes,
            "instructions_per_update": self.instructions_per_update,
            "model_sha256": self.model_sha256,
            "frontend_sha256": self.frontend_sha256,
            "head": self.head_path,
            "head_sequence": self.record.seq if self.record else None,
            "sample_counts": [int(v) for v in self.record.counts] if self.record else None,
            "hparams": vars(self.hparams),
            "recall_after": self.per_class_after,
            "size": self.size,
        }


def _accuracy(predicted: Sequence[int] | np.ndarray, truth: Sequence[int] | np.ndarray) -> float:
    return float(np.mean(np.asarray(predicted) == np.asarray(truth))) if len(truth) else 0.0


def adapt(
    model: str | Path,
    train_clips: Sequence[tuple[Path, str]],
    eval_clips: Sequence[tuple[Path, str]],
    *,
    target: str = "host",
    epochs: int = 1,
    allow_new_classes: bool = False,
    head_out: str | Path | None = None,
    hparams: HParams | None = None,
    device_id: str = "",
    seed: int = 0,
    storage: bytes | None = None,
) -> AdaptResult:
    """Streams (path, label) clips through the firmware: evaluates `eval_clips`, learns from `train_clips`
    for `epochs` passes (shuffled with `seed`), saves the head, evaluates again. Labels the model lacks are
    an error unless `allow_new_classes`: then each is added by imprinting from its training clips first."""
    from tinyaudio.emulate.firmware import load_clips

    if epochs < 1:
        raise AdaptError(f"--epochs must be at least 1, got {epochs}")
    if not train_clips or not eval_clips:
        raise AdaptError("adapt needs training clips and evaluation clips")
    model_dir = compiled_for_adapt(model)
    factory = factory_from_compiled(model_dir)
    frontend = factory_manifest_frontend(model_dir)
    hp = (hparams or HParams()).check()
    known = list(factory.labels)
    new = sorted({lab for _, lab in train_clips} - set(known))
    if new and not allow_new_classes:
        raise AdaptError(
            f"training label(s) {', '.join(repr(x) for x in new)} are not classes of the model "
            f"({', '.join(known)}); pass --allow-new-classes to add them on the device"
        )
    labels = known + new
    unknown_eval = sorted({lab for _, lab in eval_clips} - set(labels))
    if unknown_eval:
        raise AdaptError(
            f"evaluation label(s) {', '.join(repr(x) for x in unknown_eval)} are neither classes of "
            "the model nor in the training data"
        )
    index = {lab: i for i, lab in enumerate(labels)}
    train_audio = load_clips([p for p, _ in train_clips], frontend)
    eval_audio = load_clips([p for p, _ in eval_clips], frontend)
    train_y = np.array([index[lab] for _, lab in train_clips])
    eval_y = np.array([index[lab] for _, lab in eval_clips])

    commands: list[Command] = [config(hp, device_id)]
    commands += [evaluate(c) for c in eval_audio]
    if new:
        # Imprinting centres a new class on what the device has heard: the training clips, unlabelled.
        commands += [listen(c) for c in train_audio]
    for lab in new:
        commands.append(imprint(lab, train_audio[train_y == index[lab]]))
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        for i in rng.permutation(len(train_clips)):
            commands.append(train(train_audio[i], int(train_y[i])))
    commands.append(save())
    commands += [evaluate(c) for c in eval_audio]
    out = run_firmware(model_dir, target, commands, storage)
    n_eval = len(eval_clips)
    if len(out.results) != 2 * n_eval:
        raise AdaptError(f"ta_adapt answered {len(out.results)} of {2 * n_eval} evaluations")
    before = [lab for lab, _ in out.results[:n_eval]]
    after = [lab for lab, _ in out.results[n_eval:]]
    record = read_store(out.storage, factory)
    if record is None:
        raise AdaptError(
            "the device saved no readable head (storage: "
            + "; ".join(s.problem or "ok" for s in read_slots(out.storage))
            + ")"
        )
    head_path = None
    if head_out is not None:
        head_path = str(write_record(head_out, record))
    per_class = {}
    for lab in labels:
        mask = eval_y == index[lab]
        if mask.any():
            per_class[lab] = float(np.mean(np.asarray(after)[mask] == index[lab]))
    return AdaptResult(
        target=target,
        labels=list(record.labels),
        new_classes=new,
        n_train=len(train_clips),
        n_eval=n_eval,
        epochs=epochs,
        accuracy_before=_accuracy(before, eval_y),
        accuracy_after=_accuracy(after, eval_y),
        updates=out.console_int("updates") or 0,
        rejected=out.console_int("rejected") or 0,
        head_bytes=len(record.pack()),
        head_ram_bytes=out.console_int("ram_bytes"),
        instructions_per_update=out.instructions_per_update,
        model_sha256=factory.model_sha256,
        frontend_sha256=factory.frontend_sha256,
        record=record,
        hparams=hp,
        size=out.size.to_dict() if out.size is not None else None,
        per_class_after=per_class,
        head_path=head_path,
    )
