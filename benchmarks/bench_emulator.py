"""Firmware on an emulated Cortex-M: instructions, flash, RAM — measured; latency — estimated.

For every shipped model (a `tinyaudio train` run directory: model_int8.tflite + manifest.json; default:
every runs/*/ of the checkout) the model is compiled with its frontend and labels, built for the target
(default qemu-m4, the Cortex-M4F of mps2-an386) and fed with real clips of its dataset. Reference models
that need no training are measured too: TFLM's micro_speech int8 model (raw tensors, model only) and an
MLPerf-Tiny-size DS-CNN (49x10 MFCC input, 64 channels, untrained weights: the instruction count of int8
kernels does not depend on the weight values except through saturation).

Printed per model: instructions per inference (exact, the project's QEMU TCG plugin), instructions per MAC,
frontend instructions per hop and per second of audio, flash and RAM of the Cortex-M image (RAM = .data +
.bss + measured stack high-water mark), and a latency ESTIMATE = instructions x assumed CPI / clock.
QEMU does not model cycles: the CPI is an assumption, stated in the output (default: the board registry's
table, tinyaudio.boards.registry.CPI — 1.25 for the Cortex-M4, 1.1 for the M55 — shared with `tinyaudio fit`).

Run:  .venv/bin/python benchmarks/bench_emulator.py [RUN_DIR ...] [--target qemu-m4] [--clips 8]
      [--clock-mhz 80] [--cpi N] [--no-reference] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def datasets_root() -> Path:
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


def find_runs(args_runs: list[str]) -> list[Path]:
    if args_runs:
        return [Path(r) for r in args_runs]
    return sorted(p.parent for p in (REPO / "runs").glob("*/model_int8.tflite"))


def sample_clips(manifest: dict[str, Any], count: int) -> list[Path]:
    """`count` clips of the run's dataset, spread over its clip list (content barely moves the counts)."""
    from tinyaudio.data import open_dataset

    recipe = manifest.get("recipe") or {}
    rel = (recipe.get("dataset") or {}).get("path") or manifest.get("name", "").split("_")[0]
    path = Path(rel)
    if not path.is_absolute():
        path = datasets_root() / rel
    ds = open_dataset(path)
    step = max(1, len(ds.clips) // count)
    return [c.path for c in ds.clips[::step][:count]]


def measure_run(run_dir: Path, target: str, clips: int) -> dict[str, Any]:
    from tinyaudio.emulate.firmware import compiled_model_dir, run_wav_files
    from tinyaudio.frontend import FrontendConfig

    manifest = json.loads((run_dir / "manifest.json").read_text())
    frontend = FrontendConfig.from_dict(manifest["frontend"])
    model_dir = compiled_model_dir(run_dir / "model_int8.tflite", frontend, list(manifest["labels"]))
    compiled = json.loads((model_dir / "manifest.json").read_text())
    run = run_wav_files(model_dir, target, sample_clips(manifest, clips))
    assert run.instructions is not None and run.size is not None
    model = run.instructions.regions["model"]
    return {
        "model": str(run_dir),
        "kind": "firmware (frontend + model)",
        "macs": compiled["macs"],
        "instructions_per_inference": model.per_call,
        "instructions_per_inference_min_max": [model.min, model.max],
        "frontend_instructions_per_hop": run.frontend_instructions_per_hop,
        "frontend_instructions_per_second_of_audio": run.frontend_instructions_per_second_of_audio,
        "size": run.size.to_dict(),
        "clips": len(run.predictions),
    }


def measure_tensor_model(
    name: str, tflite: Path, target: str, count: int, frontend: Any = None
) -> dict[str, Any]:
    """Model-only figures through the raw-tensor runner (random int8 inputs)."""
    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.emulate.build import build_firmware
    from tinyaudio.emulate.qemu_tensors import run_tensors_qemu
    from tinyaudio.emulate.size import size_report

    with tempfile.TemporaryDirectory(prefix="bench_emu_") as tmp:
        model_dir = Path(tmp) / "c"
        compile_model(tflite, model_dir, frontend=frontend)
        manifest = json.loads((model_dir / "manifest.json").read_text())
        shape = manifest["input"]["shape"]
        x = np.random.default_rng(0).integers(-128, 128, size=(count, *shape[1:]), dtype=np.int8)
        run = run_tensors_qemu(model_dir, target, x, count_instructions=True)
        build = build_firmware(model_dir, target)
        assert build.tensor is not None and run.instructions is not None
        size = size_report(build.tensor, manifest, run.stack_high_water)
        region = run.instructions.regions["model"]
        return {
            "model": name,
            "kind": "model only (raw int8 tensors; image includes the stdio test harness)",
            "macs": manifest["macs"],
            "instructions_per_inference": region.per_call,
            "instructions_per_inference_min_max": [region.min, region.max],
            "frontend_instructions_per_hop": None,
            "frontend_instructions_per_second_of_audio": None,
            "size": size.to_dict(),
            "clips": count,
        }


def mlperf_size_dscnn(out: Path) -> Path:
    """An MLPerf Tiny KWS-size DS-CNN (49x10x1 -> 12, 64 channels, 4 blocks) quantized to int8 with random
    calibration data: weights are untrained, the op sequence and shapes are the reference model's."""
    import keras

    from tinyaudio.models.dscnn import dscnn
    from tinyaudio.quantize.export import convert_int8

    keras.utils.set_random_seed(0)
    model = dscnn((49, 10, 1), 12, filters=64, blocks=4, first_kernel=(10, 4), first_stride=(2, 2),
                  dropout=0.0)
    rep = np.random.default_rng(0).normal(0.0, 10.0, size=(64, 49, 10, 1)).astype(np.float32)
    out.write_bytes(convert_int8(model, rep))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="*", help="run directories (default: runs/*/ with model_int8.tflite)")
    parser.add_argument("--target", default="qemu-m4", choices=["qemu-m4", "qemu-m55"])
    parser.add_argument("--clips", type=int, default=8, help="clips per shipped model")
    parser.add_argument("--clock-mhz", type=float, default=80.0, help="clock for the latency estimate")
    parser.add_argument("--cpi", type=float, default=None,
                        help="assumed cycles per instruction (default: tinyaudio.boards.registry.CPI of the "
                             "target's core, the table `tinyaudio fit` uses)")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip micro_speech and the MLPerf-size DS-CNN")
    parser.add_argument("--json", type=Path, help="write all figures here")
    args = parser.parse_args()

    rows: list[dict[str, Any]] = []
    runs = find_runs(args.runs)
    if not runs:
        print("no shipped model runs found (runs/*/model_int8.tflite): train them with `tinyaudio train "
              "models/<recipe>.yaml -o runs/<recipe>`; measuring the reference models only")
    for run_dir in runs:
        rows.append(measure_run(run_dir, args.target, args.clips))
    if not args.no_reference:
        micro = datasets_root() / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
        rows.append(measure_tensor_model("tflm micro_speech_quantized (theirs)", micro, args.target, 8))
        with tempfile.TemporaryDirectory(prefix="bench_dscnn_") as tmp:
            tflite = mlperf_size_dscnn(Path(tmp) / "dscnn_mlperf_size.tflite")
            rows.append(measure_tensor_model("DS-CNN, MLPerf Tiny KWS size (untrained weights)", tflite,
                                             args.target, 4))

    if args.cpi is None:
        from tinyaudio.boards.registry import CPI, QEMU_TARGET_CORE

        args.cpi = CPI[QEMU_TARGET_CORE[args.target]].cpi
    hz = args.clock_mhz * 1e6
    print(f"\nTarget {args.target}. Instruction counts are exact (QEMU TCG plugin, identical on every run).")
    print(f"Latency is an ESTIMATE: instructions x {args.cpi} cycles/instruction (assumed CPI) / "
          f"{args.clock_mhz:g} MHz (assumed clock); QEMU does not model cycles, caches or wait states.\n")
    for row in rows:
        ipi = row["instructions_per_inference"]
        size = row["size"]
        row["instructions_per_mac"] = ipi / row["macs"] if row["macs"] else None
        row["latency_estimate_ms"] = ipi * args.cpi / hz * 1e3
        row["latency_assumptions"] = {"cpi": args.cpi, "clock_mhz": args.clock_mhz}
        fe_s = row["frontend_instructions_per_second_of_audio"]
        if fe_s is not None:
            row["frontend_load_estimate_percent"] = 100.0 * fe_s * args.cpi / hz
        print(f"== {row['model']}  [{row['kind']}]")
        print(f"   MACs/inference            {row['macs']:>14,}")
        lo, hi = row["instructions_per_inference_min_max"]
        print(f"   instructions/inference    {ipi:>14,.0f}   (min {lo:,}, max {hi:,})")
        if row["instructions_per_mac"]:
            print(f"   instructions/MAC          {row['instructions_per_mac']:>14.2f}")
        if fe_s is not None:
            print(f"   frontend instructions/hop {row['frontend_instructions_per_hop']:>14,.0f}")
            print(f"   frontend instr./s audio   {fe_s:>14,.0f}   (ESTIMATE: "
                  f"{row['frontend_load_estimate_percent']:.1f} % of a {args.clock_mhz:g} MHz core)")
        weights = size["weights_bytes"] or 0
        print(f"   flash                     {size['flash_bytes']:>14,} B  (weights {weights:,} B)")
        print(f"   RAM                       {size['ram_bytes']:>14,} B  (.data {size['data_bytes']:,} + "
              f".bss "
              f"{size['bss_bytes']:,} + heap {size['heap_reserved_bytes']:,} + stack used "
              f"{size['stack_high_water_bytes'] or 0:,}; arena {size['arena_bytes'] or 0:,}, app state "
              f"{size['app_state_bytes']:,}, clip buffer {size['clip_buffer_bytes']:,})")
        print(f"   latency ESTIMATE          {row['latency_estimate_ms']:>14.2f} ms per inference\n")
    if args.json:
        args.json.write_text(json.dumps({"target": args.target, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
