"""The micro frontend (TF audio_microfrontend in fixed point), measured: host throughput, memory and code
size, and instructions per second of audio on emulated Cortex-M cores.

1. Host: seconds of audio per CPU second through the extension (whole clips and streamed in 160-sample
   pieces), and TensorFlow's op on the same clips (one call per clip) for reference.
2. Memory: sizeof(ta_mfe_t) and of the run-time table storage with the default limits and with limits
   fitted to the presets (Cortex-M, 4-byte pointers); .text of the per-frame code (ta_micro_frontend.c +
   ta_fft_i16.c) and of the table builder for Cortex-M0+ and Cortex-M4 at -Os; .rodata of each preset's
   generated tables.
3. QEMU (mps2-an386 Cortex-M4F by default): TFLM's micro_speech int8 model compiled with the preset (clip
   length chosen so that it gives the model's 49 x 40 input) run on real clips; the project's
   instruction-count plugin counts the frontend (every ta_mfe_push/flush call) and the model. Instructions
   per second of audio do not depend on the clip length; QEMU counts instructions, not cycles.

Run:  .venv/bin/python benchmarks/bench_micro_frontend.py [--clips 200] [--target qemu-m4] [--no-tf]
      [--no-qemu]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def datasets_root() -> Path:
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


def speech_clips(count: int) -> list[Path]:
    files = sorted((datasets_root() / "speech_commands_v2_dev").glob("*/*.wav"))
    return files[:: max(1, len(files) // count)][:count]


def read_pcm(path: Path, n: int) -> np.ndarray:
    import soundfile as sf

    pcm, _ = sf.read(str(path), dtype="int16")
    out = np.zeros(n, dtype=np.int16)
    out[: min(n, len(pcm))] = pcm[:n]
    return out


def cpu_seconds(run: Any, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def host_section(names: list[str], clips: int, with_tf: bool) -> None:
    from tinyaudio.frontend import MicroFrontendStream, any_preset, compute_micro_features
    from tinyaudio.frontend.micro import micro_features_batch

    paths = speech_clips(clips)
    pcm = np.stack([read_pcm(p, 16000) for p in paths])
    seconds = len(paths) * 1.0
    print(f"\n== host: {len(paths)} Speech Commands clips of 1 s, CPU seconds (best of 3)")
    for name in names:
        config = any_preset(name)

        def streamed(config: Any = config) -> None:
            stream = MicroFrontendStream(config)
            for clip in pcm:
                for start in range(0, len(clip), 160):
                    stream.push(clip[start : start + 160])
                stream.flush()

        batch = cpu_seconds(lambda config=config: micro_features_batch(pcm, config))
        per_clip = cpu_seconds(lambda config=config: [compute_micro_features(c, config) for c in pcm])
        stream = cpu_seconds(streamed)
        print(
            f"   {name:24} batch {seconds / batch:8.0f}x real time   per clip {seconds / per_clip:8.0f}x   "
            f"streamed 160 samples {seconds / stream:8.0f}x"
        )
        if with_tf:
            import tensorflow as tf
            from tensorflow.lite.experimental.microfrontend.python.ops import audio_microfrontend_op as op

            args = config.op_arguments()
            out_type = tf.uint16 if args.pop("out_type") == "uint16" else tf.float32

            def tf_all(args: dict[str, Any] = args, out_type: Any = out_type) -> None:
                for clip in pcm:
                    op.audio_microfrontend(tf.constant(clip), **args, out_type=out_type).numpy()

            tf_all()  # graph/kernel set-up outside the measurement
            rate = seconds / cpu_seconds(tf_all, 1)
            print(f"   {'':24} TensorFlow's op, one call per clip: {rate:8.0f}x real time")


def arm_size(sources: list[Path], flags: list[str], defines: list[str], work: Path) -> dict[str, int]:
    """.text/.rodata/.data/.bss of the objects, summed (arm-none-eabi-size -A)."""
    from tinyaudio.cbuild import STRICT_FLAGS, run
    from tinyaudio.resources import firmware_dir

    totals = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    for src in sources:
        obj = work / (src.stem + ".o")
        run(
            [
                "arm-none-eabi-gcc",
                *flags,
                *STRICT_FLAGS,
                "-Os",
                *defines,
                f"-I{firmware_dir() / 'frontend'}",
                "-c",
                str(src),
                "-o",
                str(obj),
            ],
            f"compiling {src.name}",
        )
        out = subprocess.run(
            ["arm-none-eabi-size", "-A", str(obj)], capture_output=True, text=True, check=True
        )
        for line in out.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                section = parts[0].lstrip(".").split(".")[0]
                if section in totals:
                    totals[section] += int(parts[1])
    return totals


def sizeof_on_arm(defines: list[str], work: Path) -> dict[str, int]:
    """sizeof(ta_mfe_t) and sizeof(ta_mfe_table_storage_t) for Cortex-M4 with these limits."""
    from tinyaudio.cbuild import cortex_m_flags
    from tinyaudio.resources import firmware_dir

    src = work / "sizes.c"
    src.write_text('#include "ta_micro_frontend.h"\nta_mfe_t state;\nta_mfe_table_storage_t storage;\n')
    obj = work / "sizes.o"
    subprocess.run(
        [
            "arm-none-eabi-gcc",
            *cortex_m_flags("cortex-m4"),
            "-std=c99",
            *defines,
            f"-I{firmware_dir() / 'frontend'}",
            "-fno-common",
            "-c",
            str(src),
            "-o",
            str(obj),
        ],
        check=True,
    )
    out = subprocess.run(
        ["arm-none-eabi-nm", "-S", str(obj)], capture_output=True, text=True, check=True
    ).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4:
            sizes[parts[3]] = int(parts[1], 16)
    return sizes


def memory_section(names: list[str]) -> None:
    from tinyaudio.cbuild import cortex_m_flags
    from tinyaudio.frontend import any_preset, micro_state_bytes, micro_tables_to_c
    from tinyaudio.resources import firmware_dir

    fe = firmware_dir() / "frontend"
    host = micro_state_bytes()
    print("\n== memory (bytes)")
    print(
        f"   x86-64 extension, default limits (TA_MFE_MAX_FFT 1024, _CHANNELS 128, _STACK 16): "
        f"ta_mfe_t {host['state']:,}, ta_mfe_table_storage_t {host['table_storage']:,}"
    )
    with tempfile.TemporaryDirectory(prefix="bench_mfe_") as tmp:
        work = Path(tmp)
        for label, defines in [
            ("default limits", []),
            (
                "-DTA_MFE_MAX_FFT=512u -DTA_MFE_MAX_CHANNELS=40u -DTA_MFE_MAX_STACK=1u",
                ["-DTA_MFE_MAX_FFT=512u", "-DTA_MFE_MAX_CHANNELS=40u", "-DTA_MFE_MAX_STACK=1u"],
            ),
        ]:
            s = sizeof_on_arm(defines, work)
            print(f"   Cortex-M, {label}: ta_mfe_t {s['state']:,}, ta_mfe_table_storage_t {s['storage']:,}")
        per_frame = [fe / "ta_micro_frontend.c", fe / "ta_fft_i16.c"]
        for cpu in ("cortex-m0plus", "cortex-m4"):
            code = arm_size(per_frame, list(cortex_m_flags(cpu)), [], work)
            builder = arm_size([fe / "ta_micro_frontend_tables.c"], list(cortex_m_flags(cpu)), [], work)
            print(
                f"   {cpu} -Os: per-frame code .text {code['text']:,} + .rodata {code['rodata']:,} "
                f"(.data {code['data']}, .bss {code['bss']}); table builder .text {builder['text']:,}"
            )
        for name in names:
            src = work / f"tables_{name}.c"
            src.write_text('#include "ta_micro_frontend.h"\n' + micro_tables_to_c(any_preset(name), "t"))  # type: ignore[arg-type]
            tables = arm_size([src], list(cortex_m_flags("cortex-m4")), [], work)
            print(f"   {name}: generated const tables .rodata {tables['rodata'] + tables['data']:,}")


def qemu_section(names: list[str], target: str, n_clips: int) -> None:
    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.emulate.firmware import run_clips
    from tinyaudio.frontend import any_preset

    tflite = datasets_root() / "tflm_micro_speech" / "models" / "micro_speech_quantized.tflite"
    print(f"\n== {target}: micro_speech int8 (49 x 40 input) + micro frontend, {n_clips} real clips")
    for name in names:
        base = any_preset(name)
        # Samples that give 49 rows: window + 48 steps.
        clip = base.frame_length + 48 * base.hop_length  # type: ignore[union-attr]
        config = any_preset(name, clip_samples=clip)
        audio = np.stack([read_pcm(p, clip).astype(np.float32) / 32768.0 for p in speech_clips(n_clips)])
        with tempfile.TemporaryDirectory(prefix="bench_mfe_qemu_") as tmp:
            model_dir = Path(tmp) / "model"
            compile_model(tflite, model_dir, frontend=config, micro_input="tflm")
            run = run_clips(model_dir, target, audio, count_instructions=True)
        assert run.instructions is not None and run.size is not None
        region = run.instructions.regions["frontend"]
        seconds = len(audio) * clip / config.sample_rate
        frames = len(audio) * 49
        print(
            f"   {name:24} frontend {region.instructions / seconds:12,.0f} instructions / s of audio   "
            f"{region.instructions / frames:9,.0f} / frame   ({region.calls} push/flush calls)"
        )
        print(
            f"   {'':24} model {run.instructions_per_inference or 0:14,.0f} instructions / inference;   "
            f"flash {run.size.flash_bytes:,} B, RAM {run.size.data_bytes + run.size.bss_bytes:,} B"
        )


def main() -> int:
    from tinyaudio.frontend import MICRO_PRESET_NAMES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=200)
    parser.add_argument("--qemu-clips", type=int, default=4)
    parser.add_argument("--target", default="qemu-m4", choices=["qemu-m4", "qemu-m55"])
    parser.add_argument("--no-tf", action="store_true", help="skip TensorFlow's op")
    parser.add_argument("--no-qemu", action="store_true", help="skip the emulator")
    args = parser.parse_args()
    names = list(MICRO_PRESET_NAMES)
    host_section(names, args.clips, not args.no_tf)
    memory_section(names)
    if not args.no_qemu:
        qemu_section(names, args.target, args.qemu_clips)
    return 0


if __name__ == "__main__":
    sys.exit(main())
