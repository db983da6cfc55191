"""Helpers of the on-device learning tests: build the C harnesses (host with ASan/UBSan, or QEMU), write their
operation streams, and replay the same streams through the numpy mirror."""

from __future__ import annotations

import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio import cbuild
from tinyaudio.emulate.qemu import check, run_qemu
from tinyaudio.emulate.targets import get_target
from tinyaudio.ondevice.head import LABEL_BYTES, Factory, Head, HeadError, HParams
from tinyaudio.resources import firmware_dir

HERE = Path(__file__).resolve().parent
C_DIR = HERE / "c"

# ta_status_t values (firmware/runtime/ta_status.h)
TA_OK, TA_ERR_PARAM, TA_ERR_STATE, TA_ERR_CAPACITY = 0, 3, 5, 7

Op = tuple[Any, ...]


def ondevice_sources(*names: str) -> list[Path]:
    return [firmware_dir() / "ondevice" / n for n in names]


def include_dirs() -> list[Path]:
    fw = firmware_dir()
    return [fw / "ondevice", fw / "runtime", fw / "platform"]


def build_program(
    sources: Sequence[Path], name: str, target: str = "host", defines: dict[str, str | int] | None = None
) -> Path:
    """A host executable with ASan/UBSan, or a bare-metal ELF for a QEMU target (startup, semihosting, a
    16 KB heap for stdio), both through tinyaudio.cbuild."""
    if target == "host":
        return cbuild.compile_executable(
            list(sources),
            name,
            include_dirs=include_dirs(),
            defines=defines,
            flags=("-O2", "-ffp-contract=off"),
            sanitize=True,
        )
    tgt = get_target(target)
    fw = firmware_dir()
    qemu_dir = fw / "platform" / "qemu"
    platform = [qemu_dir / n for n in ("ta_startup.c", "ta_semihost.c", "ta_syscalls.c")]
    flags = (
        *cbuild.cortex_m_flags(str(tgt.cpu)),
        "-O2",
        "-ffp-contract=off",
        "-ffunction-sections",
        "-fdata-sections",
        "--specs=rdimon.specs",
        "-nostartfiles",
        f"-L{qemu_dir}",
        f"-T{tgt.linker_script}",
        "-Wl,--gc-sections",
        "-Wl,--defsym=TA_STACK_SIZE=16384",
        "-Wl,--defsym=TA_HEAP_SIZE=16384",
    )
    return cbuild.compile_executable(
        [*sources, *platform],
        name,
        include_dirs=[*include_dirs(), qemu_dir],
        defines=defines,
        flags=flags,
        cc=cbuild.require("arm-none-eabi-gcc"),
    )


def run_program(exe: Path, target: str, args: list[str], *, expect_ok: bool = True) -> tuple[int, str]:
    """Runs a harness; returns (exit code, console output)."""
    if target == "host":
        proc = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600)
        if expect_ok and proc.returncode != 0:
            raise AssertionError(
                f"{exe.name} failed ({proc.returncode}): {proc.stdout[-500:]} {proc.stderr[-2000:]}"
            )
        return proc.returncode, proc.stdout + proc.stderr
    run = run_qemu(exe, get_target(target), args, timeout=600)
    if expect_ok:
        check(run, f"{exe.name} on {target}")
    return run.returncode, run.stdout + run.stderr


def _label_bytes(label: str) -> bytes:
    return label.encode("ascii")[:LABEL_BYTES].ljust(LABEL_BYTES, b"\0")


def _hp_bytes(hp: HParams) -> bytes:
    return struct.pack(
        "<6f", hp.learning_rate, hp.l2, hp.clip_norm, hp.momentum, hp.reject_confidence, hp.imprint_margin
    )


def write_stream(path: Path, factory: Factory, hp: HParams, ops: Sequence[Op]) -> None:
    """The input of c/head_stream.c."""
    c, d = factory.classes, factory.dim
    parts = [
        struct.pack("<IIfiI", c, d, factory.input_scale, factory.input_zero_point, factory.bias is not None)
    ]
    parts.append(np.asarray(factory.weights, np.int8).tobytes())
    parts.append(np.asarray(factory.weight_scales, "<f4").tobytes())
    if factory.bias is not None:
        parts.append(np.asarray(factory.bias, "<i4").tobytes())
    parts += [_label_bytes(label) for label in factory.labels]
    parts.append(bytes.fromhex(factory.model_sha256) + bytes.fromhex(factory.frontend_sha256))
    parts.append(_hp_bytes(hp))
    parts.append(struct.pack("<I", len(ops)))
    for op in ops:
        kind = op[0]
        if kind == "update":
            parts.append(struct.pack("<II", 1, op[1]) + np.asarray(op[2], np.int8).tobytes())
        elif kind == "classify":
            parts.append(
                struct.pack("<I", 2)
                + np.asarray(op[1], np.int8).tobytes()
                + np.asarray(op[2], np.int8).tobytes()
            )
        elif kind == "imprint_begin":
            parts.append(struct.pack("<I", 3) + _label_bytes(op[1]))
        elif kind == "imprint_add":
            parts.append(struct.pack("<I", 4) + np.asarray(op[1], np.int8).tobytes())
        elif kind == "imprint_end":
            parts.append(struct.pack("<I", 5))
        elif kind == "reset":
            parts.append(struct.pack("<I", 6))
        elif kind == "hparams":
            parts.append(struct.pack("<I", 7) + _hp_bytes(op[1]))
        elif kind == "observe":
            parts.append(struct.pack("<I", 9) + np.asarray(op[1], np.int8).tobytes())
        elif kind == "record":
            parts.append(struct.pack("<II", 8, op[1]) + op[2].encode("ascii").ljust(16, b"\0")[:16])
        else:
            raise ValueError(kind)
    path.write_bytes(b"".join(parts))


def read_output(path: Path, n_ops: int, dim: int) -> dict[str, Any]:
    data = path.read_bytes()
    init, *results = struct.unpack_from(f"<{n_ops + 1}i", data)
    pos = 4 * (n_ops + 1)
    classes, learned = struct.unpack_from("<II", data, pos)
    pos += 8
    w = np.frombuffer(data, "<f4", classes * dim, pos).reshape(classes, dim)
    pos += 4 * classes * dim
    b = np.frombuffer(data, "<f4", classes, pos)
    pos += 4 * classes
    counts = np.frombuffer(data, "<u4", classes, pos)
    return {
        "init": init,
        "results": list(results),
        "w": w,
        "b": b,
        "counts": counts,
        "learned": bool(learned),
    }


def replay_numpy(factory: Factory, hp: HParams, ops: Sequence[Op]) -> tuple[dict[str, Any], Head]:
    """The same stream through the numpy mirror, with the harness's result codes."""
    head = Head(factory, hp)
    results: list[int] = []
    pending: list[np.ndarray] | None = None
    pending_label = ""
    for op in ops:
        kind = op[0]
        if kind == "update":
            try:
                results.append(0 if head.update(op[2], op[1]) else 1)
            except HeadError:
                results.append(TA_ERR_PARAM * 16)
        elif kind == "classify":
            results.append(head.classify(op[1], op[2]))
        elif kind == "imprint_begin":
            label = op[1]
            if not 1 <= len(label) < LABEL_BYTES or label in head.labels:
                results.append(TA_ERR_PARAM * 16)
            elif head.classes >= head.max_classes:
                results.append(TA_ERR_CAPACITY * 16)
            else:
                pending, pending_label = [], label
                results.append(0)
        elif kind == "imprint_add":
            assert pending is not None
            pending.append(np.asarray(op[1]))
            results.append(0)
        elif kind == "imprint_end":
            if not pending:
                results.append(-16 * TA_ERR_STATE)
            else:
                results.append(head.imprint(pending_label, pending))
            pending = None
        elif kind == "reset":
            head.reset()
            results.append(0)
        elif kind == "hparams":
            head.hp = op[1].check()
            results.append(0)
        elif kind == "record":
            results.append(0)
        elif kind == "observe":
            head.observe(op[1])
            results.append(0)
        else:
            raise ValueError(kind)
    return {
        "init": 0,
        "results": results,
        "w": head.w,
        "b": head.b,
        "counts": head.counts,
        "learned": head.learned,
    }, head


def random_factory(
    rng: np.random.Generator, classes: int = 10, dim: int = 48, *, per_channel: bool = True, bias: bool = True
) -> Factory:
    """A plausible int8 classifier: weights over the whole int8 range, small scales, ReLU-like embeddings
    (zero point -128)."""
    w = rng.integers(-127, 128, size=(classes, dim), dtype=np.int8)
    scales = (rng.uniform(0.002, 0.01, classes) if per_channel else np.full(classes, 0.005)).astype(
        np.float32
    )
    input_scale = np.float32(0.02)
    b = rng.integers(-3000, 3000, size=classes).astype(np.int32) if bias else None
    return Factory(
        w,
        scales,
        b,
        float(input_scale),
        -128,
        [f"c{k}" for k in range(classes)],
        model_sha256=bytes(range(32)).hex(),
        frontend_sha256=bytes(range(32, 64)).hex(),
    )


def class_embeddings(
    rng: np.random.Generator, factory: Factory, n: int, *, classes: int | None = None, noise: float = 40.0
) -> tuple[np.ndarray, np.ndarray]:
    """n int8 embeddings drawn around one prototype per class (so that learning has something to find)."""
    k = classes if classes is not None else factory.classes
    protos = rng.uniform(-128, 60, size=(k, factory.dim))
    y = rng.integers(0, k, size=n)
    e = np.clip(np.rint(protos[y] + rng.normal(0, noise, size=(n, factory.dim))), -128, 127).astype(np.int8)
    return e, y.astype(np.int64)


def build_m0plus_program(sources: Sequence[Path], name: str) -> Path:
    """`sources` compiled for Cortex-M0+ (ARMv6-M, no FPU: soft float from libgcc), linked with the QEMU
    platform (compiled for the M4 without FPU, its startup needs ARMv7-M) into an ELF that runs on qemu-m4:
    ARMv6-M code is a subset of ARMv7-M, so the M4 machine executes exactly the M0+ instructions."""
    fw = firmware_dir()
    qemu_dir = fw / "platform" / "qemu"
    gcc = cbuild.require("arm-none-eabi-gcc")
    objs = []
    for n in ("ta_startup.c", "ta_semihost.c", "ta_syscalls.c"):
        objs.append(
            cbuild.compile_executable(
                [qemu_dir / n],
                n + ".o",
                include_dirs=[qemu_dir, fw / "platform"],
                cc=gcc,
                libs=(),
                flags=("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft", "-O2", "-c"),
            )
        )
    flags = (
        *cbuild.cortex_m_flags("cortex-m0plus"),
        "-O2",
        "-ffp-contract=off",
        "--specs=rdimon.specs",
        "-nostartfiles",
        f"-L{qemu_dir}",
        "-Tmps2_an386.ld",
        "-Wl,--defsym=TA_STACK_SIZE=16384",
        "-Wl,--defsym=TA_HEAP_SIZE=16384",
    )
    return cbuild.compile_executable(
        [*sources, *objs], name, include_dirs=include_dirs(), flags=flags, cc=gcc
    )
