"""Runtime benchmark: per model, our static arena vs TFLM's minimum arena, weights, MACs and host
instructions per inference.

    .venv/bin/python benchmarks/bench_runtime.py [--models NAME,...] [--inferences N] [--json OUT.json]

- arena: `tinyaudio compile`'s plan (manifest arena_bytes) vs the smallest `arena_size` with which the
  tflite-micro interpreter allocates and invokes the model, found by bisection (each probe in its own
  process: TFLM aborts the process on some arena sizes instead of raising).
- weights: bytes of const data in model.c (weights, biases, requantization tables) and the .tflite size.
- instructions: valgrind --tool=callgrind on the host tensor runner (cc -O2): total instructions with 1
  and with N inputs, per inference = (I_N - I_1) / (N - 1), startup = I_1 - per inference; cross-checked
  with --toggle-collect=ta_model_invoke. Instruction counts are exact and repeatable (not seconds).
- Cortex-M4: guest instructions between the model probes of the tensor runner on QEMU mps2-an386
  (the emulator's TCG plugin), when qemu-system-arm and arm-none-eabi-gcc are installed (--no-qemu skips).
Models: TFLM's micro_speech and keyword_scrambled(_8bit), the MLPerf Tiny DS-CNN (built and converted
by tests/support/models.py, needs TensorFlow) and the project's dscnn.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support import models as rt_models  # noqa: E402

from tinyaudio.compile.compiler import compile_tflite  # noqa: E402
from tinyaudio.emulate.host import build_host_runner  # noqa: E402

PROBE = r"""
import sys, numpy as np
from tflite_micro.python.tflite_micro import runtime
buf = open(sys.argv[1], 'rb').read()
it = runtime.Interpreter.from_bytes(buf, arena_size=int(sys.argv[2]))
d = it.get_input_details(0)
it.set_input(np.zeros(d['shape'], d['dtype']), 0)
it.invoke()
print('OK')
"""


def model_sources() -> dict[str, object]:
    d = rt_models.tflm_models_dir()
    return {
        "micro_speech": lambda: (d / "micro_speech_quantized.tflite").read_bytes(),
        "keyword_scrambled": lambda: (d / "keyword_scrambled.tflite").read_bytes(),
        "keyword_scrambled_8bit": lambda: (d / "keyword_scrambled_8bit.tflite").read_bytes(),
        "mlperf_dscnn": rt_models.mlperf_dscnn_tflite,
        "project_dscnn": rt_models.project_dscnn_tflite,
    }


def tflm_arena_ok(path: Path, size: int) -> bool:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(path), str(size)], capture_output=True, text=True)
    return proc.returncode == 0 and "OK" in proc.stdout


def tflm_min_arena(path: Path, hi: int = 1 << 20, granularity: int = 16) -> int:
    """Smallest arena_size (to `granularity` bytes) with which TFLM allocates and invokes the model."""
    lo = 0
    if not tflm_arena_ok(path, hi):
        raise RuntimeError(f"{path}: TFLM fails even with {hi} bytes")
    while hi - lo > granularity:
        mid = (lo + hi) // 2
        if tflm_arena_ok(path, mid):
            hi = mid
        else:
            lo = mid
    return hi


def callgrind_instructions(exe: Path, inputs: Path, outputs: Path, toggle: str | None = None) -> int:
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={outputs}.cg"]
    if toggle:
        cmd.append(f"--toggle-collect={toggle}")
    proc = subprocess.run([*cmd, str(exe), str(inputs), str(outputs)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"callgrind failed: {proc.stderr[-2000:]}")
    match = re.search(r"Collected\s*:\s*(\d+)", proc.stderr)
    if match is None:
        raise RuntimeError(f"no instruction count in callgrind output: {proc.stderr[-500:]}")
    return int(match.group(1))


def host_instructions(model_dir: Path, n: int) -> dict[str, float]:
    build = build_host_runner(model_dir, sanitize=False)
    entry = build.manifest["input"]
    dtype = {"int8": np.int8, "int16": np.int16}[entry["dtype"]]
    info = np.iinfo(dtype)
    rng = np.random.default_rng(0)
    per_item = int(np.prod(entry["shape"]))
    with tempfile.TemporaryDirectory(prefix="bench_rt_") as tmp:
        t = Path(tmp)
        x = rng.integers(info.min // 8, info.max // 8, size=(n, per_item), dtype=dtype)
        x[:1].tofile(t / "one.bin")
        x.tofile(t / "many.bin")
        one = callgrind_instructions(build.executable, t / "one.bin", t / "o1")
        many = callgrind_instructions(build.executable, t / "many.bin", t / "on")
        invoke_only = callgrind_instructions(
            build.executable, t / "many.bin", t / "ot", toggle="ta_model_invoke"
        )
    per_inference = (many - one) / (n - 1)
    return {
        "per_inference": per_inference,
        "per_inference_toggle": invoke_only / n,
        "startup": one - per_inference,
    }


def qemu_instructions(model_dir: Path, target: str, n: int) -> float | None:
    """Guest instructions per ta_model_invoke() on a QEMU Cortex-M target (the emulator's probes and
    TCG plugin), or None when the ARM toolchain or QEMU is missing."""
    from tinyaudio.emulate.build import build_firmware
    from tinyaudio.emulate.qemu import check, run_qemu
    from tinyaudio.emulate.targets import get_target
    from tinyaudio.emulate.tools import available

    if not available("qemu-system-arm", "arm-none-eabi-gcc", "cmake"):
        return None
    build = build_firmware(model_dir, target)
    if build.tensor is None:
        return None
    entry = build_host_runner(model_dir).manifest["input"]
    dtype = {"int8": np.int8, "int16": np.int16}[entry["dtype"]]
    x = np.random.default_rng(0).integers(-16, 16, size=(n, int(np.prod(entry["shape"]))), dtype=dtype)
    with tempfile.TemporaryDirectory(prefix="bench_rt_qemu_") as tmp:
        x.tofile(Path(tmp) / "in.bin")
        run = check(run_qemu(build.tensor, get_target(target), [str(Path(tmp) / "in.bin"),
                                                                 str(Path(tmp) / "out.bin")],
                             count_instructions=True), f"{model_dir.name} on {target}")
    if run.instructions is None or "model" not in run.instructions.regions:
        return None
    return run.instructions.regions["model"].per_call


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(model_sources()))
    parser.add_argument("--inferences", type=int, default=11)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-qemu", dest="qemu", action="store_false",
                        help="skip the Cortex-M4 (QEMU) instruction counts")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    sources = model_sources()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_runtime_") as tmp:
        for name in args.models.split(","):
            data = sources[name]()  # type: ignore[operator]
            tflite = Path(tmp) / f"{name}.tflite"
            tflite.write_bytes(data)
            compiled = compile_tflite(data)
            out = Path(tmp) / name
            compiled.write(out)
            m = compiled.manifest
            instr = host_instructions(out, args.inferences)
            m4 = qemu_instructions(out, "qemu-m4", 3) if args.qemu else None
            tflm_arena = tflm_min_arena(tflite)
            row = {
                "model": name,
                "arena_bytes": m["arena_bytes"],
                "tflm_min_arena_bytes": tflm_arena,
                "weights_bytes": m["weights_bytes"],
                "tflite_bytes": m["tflite_bytes"],
                "macs": m["macs"],
                "host_instructions_per_inference": round(instr["per_inference"]),
                "host_instructions_per_inference_invoke_only": round(instr["per_inference_toggle"]),
                "host_startup_instructions": round(instr["startup"]),
                "host_instructions_per_mac": round(instr["per_inference"] / max(m["macs"], 1), 2),
                "cortex_m4_instructions_per_inference": round(m4) if m4 is not None else None,
                "cortex_m4_instructions_per_mac": None if m4 is None else round(m4 / max(m["macs"], 1), 2),
                "ops": m["ops"],
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    header = ("model", "arena B", "TFLM min arena B", "weights B", ".tflite B", "MACs", "host instr/inf",
              "instr/MAC", "startup instr", "M4 instr/inf", "M4 instr/MAC")
    print(" | ".join(header))
    for r in rows:
        print(" | ".join(str(v) for v in (
            r["model"], r["arena_bytes"], r["tflm_min_arena_bytes"], r["weights_bytes"], r["tflite_bytes"],
            r["macs"], r["host_instructions_per_inference"], r["host_instructions_per_mac"],
            r["host_startup_instructions"], r["cortex_m4_instructions_per_inference"],
            r["cortex_m4_instructions_per_mac"])))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
