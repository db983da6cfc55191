"""Frontend tables const (generated at build time) vs built at boot: boot instructions, RAM, flash.

The same firmware (C frontend + compiled model + app core) is built twice for the target and run on one
clip under QEMU with the project's instruction-count plugin:
  - const: the model carries `ta_model_frontend_tables` (tinyaudio compile writes them with the
    frontend config) and the app calls ta_frontend_init_const(): nothing is built at boot;
  - boot:  the same model.h says TA_MODEL_HAS_FRONTEND_TABLES 0, so the app builds the tables at boot
    with libm into a static ta_frontend_table_storage_t (what every build did before).
With --firmware-dir DIR (another checkout's firmware/, e.g. a `git worktree` of an older commit) a third
column runs that firmware with a model compiled without tables ("before").

Measured: instructions from the entry of ta_app_init() to the entry of ta_model_init() (zeroing the app
state + frontend init), total instructions of the run, .data/.bss/flash of the Cortex-M image, the app
state and table storage symbols, and whether every variant answered the same int8 scores.

The model is TFLM's micro_speech int8 model (49 x 40 input) with two 49 x 40 frontends: logmel and
mlperf-mfcc with 40 coefficients (no training needed; the figures do not depend on the weights).

Run:  .venv/bin/python benchmarks/bench_frontend_tables.py [--target qemu-m4] [--firmware-dir DIR]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
INIT_REGION = ("ta_app_init", "ta_model_init")


def datasets_root() -> Path:
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


def compile_variant(tflite: Path, frontend: Any, out: Path, variant: str) -> Path:
    import tinyaudio.frontend
    from tinyaudio.compile.compiler import compile_model

    original = tinyaudio.frontend.config_to_c
    if variant != "const":  # a model.c without tables, as tinyaudio compile wrote it before
        tinyaudio.frontend.config_to_c = functools.partial(original, tables=False)  # type: ignore[assignment]
    try:
        compile_model(tflite, out, frontend=frontend)
    finally:
        tinyaudio.frontend.config_to_c = original  # type: ignore[assignment]
    if variant != "const":
        header = out / "model.h"
        lines = [ln for ln in header.read_text().splitlines(keepends=True)
                 if "ta_model_frontend_tables" not in ln and "TA_MODEL_HAS_FRONTEND_TABLES" not in ln]
        header.write_text("".join(lines))
    return out


def run_variant(model_dir: Path, target: str, audio: np.ndarray, firmware_dir: Path | None) -> dict[str, Any]:
    import tinyaudio.emulate.qemu as qemu
    from tinyaudio.emulate.build import build_firmware
    from tinyaudio.emulate.firmware import run_clips
    from tinyaudio.emulate.size import symbol_sizes

    saved_env = os.environ.get("TINYAUDIO_FIRMWARE_DIR")
    if firmware_dir is not None:
        os.environ["TINYAUDIO_FIRMWARE_DIR"] = str(firmware_dir)
    qemu.PROBES["frontend_init"] = INIT_REGION
    try:
        run = run_clips(model_dir, target, audio)
        build = build_firmware(model_dir, target)
    finally:
        del qemu.PROBES["frontend_init"]
        if firmware_dir is not None:
            if saved_env is None:
                del os.environ["TINYAUDIO_FIRMWARE_DIR"]
            else:
                os.environ["TINYAUDIO_FIRMWARE_DIR"] = saved_env
    assert run.instructions is not None and run.size is not None and build.app is not None
    symbols = symbol_sizes(build.app)
    init = run.instructions.regions["frontend_init"]
    return {
        "init_instructions": init.instructions,
        "total_instructions": run.instructions.total,
        "frontend_instructions_per_hop": run.frontend_instructions_per_hop,
        "data_bytes": run.size.data_bytes,
        "bss_bytes": run.size.bss_bytes,
        "flash_bytes": run.size.flash_bytes,
        "rodata_bytes": run.size.rodata_bytes,
        "text_bytes": run.size.text_bytes,
        "app_state_bytes": symbols.get("ta_app_instance", 0),
        "table_storage_bytes": symbols.get("ta_app_frontend_tables", 0),
        "scores": run.scores.tolist(),
    }


def main() -> int:
    from tinyaudio.frontend import preset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="qemu-m4", choices=["qemu-m4", "qemu-m55"])
    parser.add_argument("--firmware-dir", type=Path, help="an older firmware/ to measure as 'before'")
    args = parser.parse_args()

    tflite = datasets_root() / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
    frontends = {"logmel": preset("logmel"), "mlperf-mfcc (40 coeffs)": preset("mlperf-mfcc", num_coeffs=40)}
    variants = ["const", "boot"] + (["before"] if args.firmware_dir else [])
    for name, frontend in frontends.items():
        rng = np.random.default_rng(0)
        audio = rng.uniform(-0.5, 0.5, size=(1, frontend.clip_samples)).astype(np.float32)
        rows: dict[str, dict[str, Any]] = {}
        with tempfile.TemporaryDirectory(prefix="bench_fe_tables_") as tmp:
            for variant in variants:
                model_dir = compile_variant(tflite, frontend, Path(tmp) / variant, variant)
                firmware = args.firmware_dir if variant == "before" else None
                rows[variant] = run_variant(model_dir, args.target, audio, firmware)
        same = all(rows[v]["scores"] == rows["const"]["scores"] for v in variants)
        print(f"\n== {args.target}, micro_speech int8 + frontend {name} (fft {frontend.fft_length}, "
              f"{frontend.num_mel_bins} mel bins); same int8 scores in every variant: {same}")
        print(f"   {'':34}" + "".join(f"{v:>14}" for v in variants))
        for key, label in [
            ("init_instructions", "ta_app_init -> ta_model_init insns"),
            ("total_instructions", "total instructions (1 clip)"),
            ("frontend_instructions_per_hop", "frontend instructions/hop"),
            ("data_bytes", ".data bytes"),
            ("bss_bytes", ".bss bytes"),
            ("flash_bytes", "flash bytes"),
            ("rodata_bytes", ".rodata bytes"),
            ("app_state_bytes", "ta_app_instance bytes"),
            ("table_storage_bytes", "RAM table storage bytes"),
        ]:
            print(f"   {label:34}" + "".join(f"{rows[v][key]:>14,.0f}" for v in variants))
        ram = {v: rows[v]["data_bytes"] + rows[v]["bss_bytes"] for v in variants}
        print(f"   {'RAM (.data + .bss) bytes':34}" + "".join(f"{ram[v]:>14,}" for v in variants))
    return 0


if __name__ == "__main__":
    sys.exit(main())
