"""Raw tensors through the compiled model on an emulated Cortex-M (firmware/app/ta_tensor_main.c built
for QEMU): the Cortex-M counterpart of tinyaudio.emulate.host.run_tensors, same file protocol."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinyaudio.emulate.build import build_firmware
from tinyaudio.emulate.host import _DTYPES, _as_batch, _item_shape, read_manifest
from tinyaudio.emulate.plugin import InstructionCounts
from tinyaudio.emulate.qemu import check, run_qemu
from tinyaudio.emulate.results import console_value
from tinyaudio.emulate.targets import Target, get_target
from tinyaudio.errors import BuildError


@dataclass(frozen=True)
class TensorRun:
    outputs: np.ndarray
    instructions: InstructionCounts | None
    stack_high_water: int | None = None

    @property
    def instructions_per_inference(self) -> float | None:
        region = self.instructions.regions.get("model") if self.instructions else None
        return region.per_call if region and region.calls else None


def run_tensors_qemu(
    model_dir: str | Path,
    target: str | Target,
    inputs: np.ndarray,
    *,
    count_instructions: bool = False,
    timeout: float = 1800.0,
) -> TensorRun:
    """N stacked input tensors through the model on a QEMU target; returns (N, *output_shape[1:])."""
    model_dir = Path(model_dir).resolve()
    tgt = get_target(target) if isinstance(target, str) else target
    if not tgt.is_qemu:
        raise BuildError(f"target {tgt.name} is not a QEMU target (use tinyaudio.emulate.host for the host)")
    manifest = read_manifest(model_dir)
    batch = _as_batch(inputs, manifest["input"], "input")
    build = build_firmware(model_dir, tgt)
    if build.tensor is None:
        raise BuildError("firmware/app/ta_tensor_main.c is missing: no raw-tensor runner to build")
    out_entry = manifest["output"]
    out_dtype = np.dtype(_DTYPES[str(out_entry["dtype"])]).newbyteorder("<")
    out_shape = list(out_entry["shape"])
    with tempfile.TemporaryDirectory(prefix="ta_qemu_tensor_") as tmp:
        in_path, out_path = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
        batch.astype(batch.dtype.newbyteorder("<"), copy=False).tofile(in_path)
        raw_run = run_qemu(build.tensor, tgt, [str(in_path), str(out_path)],
                           count_instructions=count_instructions, timeout=timeout)
        run = check(raw_run, f"the tensor runner on {tgt.name}")
        if "TA_TENSOR_DONE" not in run.stdout:
            raise BuildError(f"the tensor runner on {tgt.name} did not finish: {run.stdout.strip()[-200:]}")
        raw = np.fromfile(out_path, dtype=out_dtype)
    n = batch.shape[0]
    per_item = int(np.prod(out_shape)) if out_shape else 1
    if raw.size != n * per_item:
        raise BuildError(f"the tensor runner on {tgt.name} wrote {raw.size} values, expected {n}x{per_item}")
    outputs = raw.astype(out_dtype.newbyteorder("="), copy=False).reshape([n, *_item_shape(out_shape)])
    return TensorRun(outputs, run.instructions, console_value(run.stderr, "TA_STACK_HWM"))
