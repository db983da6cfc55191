"""Frontend throughput, measured: seconds of audio processed per second of CPU time (host).

Per preset: the extension on whole clips (batch and one call per clip), hop-by-hop streaming
through FrontendStream, and the C host driver (firmware/frontend/host) built with -O2.
Run:  .venv/bin/python benchmarks/bench_frontend.py [--clips 200] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tinyaudio.data import fit_length, load_wav
from tinyaudio.frontend import (
    PRESET_NAMES,
    FrontendConfig,
    FrontendStream,
    compute_features,
    compute_features_batch,
    frontend_state_bytes,
    preset,
)
from tinyaudio.frontend.host_tool import build_frontend_host_tool

REPO = Path(__file__).resolve().parent.parent


def datasets_dir() -> Path:
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets"))


def load_clips(count: int, config: FrontendConfig) -> np.ndarray:
    files = sorted((datasets_dir() / "speech_commands_v2_dev").glob("*/*.wav"))
    step = max(1, len(files) // count)
    picked = files[::step][:count]
    return np.stack([fit_length(load_wav(p, config.sample_rate), config.clip_samples) for p in picked])


def best_seconds(run: Callable[[], object], repeats: int) -> float:
    """Best of `repeats` CPU-time measurements of this process (process_time, like the C driver's
    clock()): other jobs on a shared machine inflate wall time, much less CPU time."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def stream_all(config: FrontendConfig, audio: np.ndarray) -> None:
    stream = FrontendStream(config)
    hop = config.hop_length
    for clip in audio:
        for start in range(0, len(clip) - hop + 1, hop):
            stream.push(clip[start : start + hop])
        stream.flush()


def c_host_rate(config: FrontendConfig, audio: np.ndarray, repeats: int, work: Path) -> float | None:
    """audio seconds per CPU second of ta_frontend_host `bench` (-O2), or None without gcc."""
    if shutil.which("gcc") is None:
        return None
    exe = build_frontend_host_tool(config, work)
    clip = work / "clip.f32"
    clip.write_bytes(np.ascontiguousarray(audio[0], dtype="<f4").tobytes())
    rates = []
    for _ in range(repeats):
        out = subprocess.run(
            [str(exe), "bench", str(clip), str(len(audio))], check=True, capture_output=True, text=True
        ).stdout
        fields = out.split()
        rates.append(float(fields[fields.index("audio_seconds_per_second") + 1]))
    return max(rates)


def measure(name: str, clips: int, repeats: int, work: Path) -> dict[str, object]:
    config = preset(name)
    audio = load_clips(clips, config)
    seconds_of_audio = len(audio) * config.clip_seconds
    compute_features_batch(audio[:2], config)  # warm: tables built, pages touched
    batch = best_seconds(lambda: compute_features_batch(audio, config), repeats)
    single = best_seconds(lambda: [compute_features(clip, config) for clip in audio], repeats)
    stream = best_seconds(lambda: stream_all(config, audio), max(1, repeats - 1))
    return {
        "preset": name,
        "clips": len(audio),
        "audio_seconds": seconds_of_audio,
        "extension_batch_audio_s_per_s": seconds_of_audio / batch,
        "extension_per_clip_audio_s_per_s": seconds_of_audio / single,
        "stream_per_hop_audio_s_per_s": seconds_of_audio / stream,
        "c_host_audio_s_per_s": c_host_rate(config, audio, repeats, work),
        "us_per_frame_batch": 1e6 * batch / (len(audio) * config.num_frames),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=200, help="real 1 s clips per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="timings per figure (best is kept)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        results = [measure(name, args.clips, args.repeats, Path(tmp)) for name in PRESET_NAMES]

    print(
        f"tinyaudio frontend throughput (host CPU time, best of {args.repeats}; "
        f"ta_frontend_t = {frontend_state_bytes()} bytes)"
    )
    columns = ("batch", "per clip", "stream", "C -O2")
    header = f"{'preset':<12} {'clips':>5} " + " ".join(f"{c:>10}" for c in columns) + f" {'us/frame':>9}"
    print(header)
    print("-" * len(header))
    for r in results:
        c_rate = "n/a" if r["c_host_audio_s_per_s"] is None else f"{r['c_host_audio_s_per_s']:.0f}"
        print(
            f"{r['preset']:<12} {r['clips']:>5} {r['extension_batch_audio_s_per_s']:>10.0f} "
            f"{r['extension_per_clip_audio_s_per_s']:>10.0f} {r['stream_per_hop_audio_s_per_s']:>10.0f} "
            f"{c_rate:>10} {r['us_per_frame_batch']:>9.1f}"
        )
    print(
        "figures: seconds of audio per second (x real time); stream = FrontendStream.push per hop "
        "(Python call overhead included)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
