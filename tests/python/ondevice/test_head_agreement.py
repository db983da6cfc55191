"""The C head (firmware/ondevice) against its numpy mirror (tinyaudio.ondevice.head): the same stream of
operations gives the same weights — bit for bit on the host (ASan/UBSan build) and on QEMU Cortex-M4/M55."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from ondevice_helpers import (  # noqa: I001  (tests dir is on sys.path)
    C_DIR,
    TA_ERR_CAPACITY,
    TA_ERR_PARAM,
    TA_ERR_STATE,
    build_program,
    class_embeddings,
    ondevice_sources,
    random_factory,
    read_output,
    replay_numpy,
    run_program,
    write_stream,
)

from tinyaudio.ondevice.head import MAX_CLASSES, Factory, Head, HParams, expf, sqrtf
from tinyaudio.ondevice.record import HeadRecord

HEAD_SOURCES = ("ta_head.c", "ta_head_exp.c", "ta_head_record.c", "ta_crc32.c")


def head_stream(target: str = "host", momentum: bool = False) -> Path:
    return build_program(
        [C_DIR / "head_stream.c", *ondevice_sources(*HEAD_SOURCES)],
        "head_stream",
        target,
        defines={"TA_HEAD_MOMENTUM": int(momentum)},
    )


def run_stream(
    tmp: Path, factory: Factory, hp: HParams, ops: list, target: str = "host", momentum: bool = False
) -> dict:
    write_stream(tmp / "in.bin", factory, hp, ops)
    args = [str(tmp / "in.bin"), str(tmp / "out.bin"), str(tmp / "record.bin")]
    run_program(head_stream(target, momentum), target, args)
    return read_output(tmp / "out.bin", len(ops), factory.dim)


def update_stream(seed: int, n: int = 1000, noise_labels: float = 0.0) -> tuple[Factory, list]:
    rng = np.random.default_rng(seed)
    factory = random_factory(rng)
    e, y = class_embeddings(rng, factory, n)
    flip = rng.random(n) < noise_labels
    y = np.where(flip, rng.integers(0, factory.classes, n), y)
    return factory, [("update", int(label), q) for q, label in zip(e, y, strict=True)]


@pytest.mark.parametrize("momentum", [False, True])
def test_1000_updates_bit_identical_on_host(tmp_path: Path, momentum: bool) -> None:
    factory, ops = update_stream(1, noise_labels=0.2)
    hp = HParams(momentum=0.9 if momentum else 0.0, learning_rate=0.02 if momentum else 0.05)
    c = run_stream(tmp_path, factory, hp, ops, momentum=momentum)
    n, head = replay_numpy(factory, hp, ops)
    assert c["init"] == 0
    assert c["results"] == n["results"]  # the same samples updated / rejected by the guard
    assert 0 < n["results"].count(1) < 300  # the guard did act, on a minority (20 % of labels are random)
    assert np.abs(c["w"] - n["w"]).max() <= 1e-5
    assert np.array_equal(c["w"].view(np.uint32), n["w"].view(np.uint32))
    assert np.array_equal(c["b"].view(np.uint32), n["b"].view(np.uint32))
    assert np.array_equal(c["counts"], n["counts"]) and int(c["counts"].sum()) == head.updates
    # the head moved: learning happened, not a no-op that trivially agrees
    w0, _ = factory.float_weights()
    assert np.abs(c["w"] - w0).max() > 0.05


@pytest.mark.parametrize("target", ["qemu-m4", "qemu-m55"])
def test_1000_updates_bit_identical_on_qemu(tmp_path: Path, target: str) -> None:
    factory, ops = update_stream(2, noise_labels=0.2)
    hp = HParams()
    c = run_stream(tmp_path, factory, hp, ops, target=target)
    n, _ = replay_numpy(factory, hp, ops)
    assert c["results"] == n["results"]
    assert np.array_equal(c["w"].view(np.uint32), n["w"].view(np.uint32))
    assert np.array_equal(c["b"].view(np.uint32), n["b"].view(np.uint32))


def test_imprint_classify_reset_agree(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    factory = random_factory(rng, classes=6)
    e, y = class_embeddings(rng, factory, 300, classes=8)  # classes 6 and 7 are new to the model
    ops: list = [("observe", q) for q in e[:20]]  # imprinting centres on what the device heard
    for new in (6, 7):
        ops.append(("imprint_begin", f"new{new}"))
        ops += [("imprint_add", q) for q in e[y == new][:5]]
        ops.append(("imprint_end",))
    ops.append(("imprint_begin", "new6"))  # duplicate label: refused
    ops.append(("imprint_begin", ""))  # empty label: refused
    ops.append(("imprint_begin", "late"))
    ops.append(("imprint_end",))  # no examples: refused
    scores = rng.integers(-128, 128, size=(300, factory.classes)).astype(np.int8)
    for q, label, s in zip(e, y, scores, strict=True):
        ops.append(("update", int(label), q))
        ops.append(("classify", q, s))
    ops.append(("update", 8, e[0]))  # bad label: refused, nothing changes
    ops.append(("reset",))
    ops.append(("classify", e[1], scores[1]))
    c = run_stream(tmp_path, factory, HParams(), ops)
    n, _ = replay_numpy(factory, HParams(), ops)
    assert c["results"] == n["results"]
    assert c["results"][26] == 6 and c["results"][33] == 7
    assert c["results"][34:38] == [16 * TA_ERR_PARAM, 16 * TA_ERR_PARAM, 0, -16 * TA_ERR_STATE]
    assert c["results"][-3] == 16 * TA_ERR_PARAM
    assert c["results"][-1] == int(np.argmax(scores[1]))  # after a reset: the int8 path again
    assert np.array_equal(c["w"].view(np.uint32), n["w"].view(np.uint32))
    assert c["w"].shape == (6, factory.dim) and not c["learned"]


def test_imprint_grows_to_the_compile_time_maximum(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    factory = random_factory(rng, classes=MAX_CLASSES - 2)
    e, _ = class_embeddings(rng, factory, 10)
    ops: list = []
    for i in range(3):
        ops += [("imprint_begin", f"extra{i}"), ("imprint_add", e[i]), ("imprint_end",)]
    c = run_stream(tmp_path, factory, HParams(), ops)
    assert c["results"][:6] == [0, 0, MAX_CLASSES - 2, 0, 0, MAX_CLASSES - 1]
    assert c["results"][6] == 16 * TA_ERR_CAPACITY
    assert c["w"].shape[0] == MAX_CLASSES


def test_an_unchanged_head_uses_the_int8_path(tmp_path: Path) -> None:
    """A head that never learned answers argmax(model int8 scores) even where its float twin would not."""
    rng = np.random.default_rng(5)
    factory = random_factory(rng)
    e, _ = class_embeddings(rng, factory, 200)
    scores = rng.integers(-128, 128, size=(200, factory.classes)).astype(np.int8)
    ops = [("classify", q, s) for q, s in zip(e, scores, strict=True)]
    c = run_stream(tmp_path, factory, HParams(), ops)
    assert c["results"] == [int(np.argmax(s)) for s in scores]
    float_labels = Head(factory).predict_batch(e)
    assert np.mean(float_labels != np.argmax(scores, axis=1)) > 0.5  # random scores: the paths differ


def test_record_bytes_equal_the_python_writer(tmp_path: Path) -> None:
    factory, ops = update_stream(6, n=50)
    ops = [
        *ops,
        ("imprint_begin", "bird"),
        ("imprint_add", ops[0][2]),
        ("imprint_end",),
        ("record", 7, "dev-42"),
    ]
    c = run_stream(tmp_path, factory, HParams(), ops)
    assert c["results"][-1] == 0
    _, head = replay_numpy(factory, HParams(), ops)
    data = (tmp_path / "record.bin").read_bytes()
    assert data == HeadRecord.from_head(head, seq=7, device_id="dev-42").pack()
    rec = HeadRecord.unpack(data)
    assert rec.labels[-1] == "bird" and rec.seq == 7 and rec.device_id == "dev-42" and rec.learned
    assert rec.crc == zlib.crc32(data[4:84] + data[88:])


@pytest.mark.parametrize("target", ["host", "qemu-m4"])
def test_expf_bit_identical_and_accurate(tmp_path: Path, target: str) -> None:
    rng = np.random.default_rng(7)
    x = np.concatenate(
        [
            rng.uniform(-90, 90, 4000),
            rng.uniform(-1, 0, 4000),
            np.linspace(-87.5, 88.5, 2001),
            [0.0, -0.0, 88.0, -87.0, np.nan],
        ]
    ).astype(np.float32)
    x.tofile(tmp_path / "in.bin")
    exe = build_program([C_DIR / "exp_dump.c", *ondevice_sources("ta_head_exp.c")], "exp_dump", target)
    run_program(exe, target, [str(tmp_path / "in.bin"), str(tmp_path / "out.bin")])
    c = np.fromfile(tmp_path / "out.bin", dtype="<f4")
    mirror = expf(x)
    assert np.array_equal(c.view(np.uint32), mirror.view(np.uint32))
    finite = (x > -87.0) & (x <= 88.0)
    rel = np.abs(c[finite].astype(np.float64) / np.exp(x[finite].astype(np.float64)) - 1.0)
    assert rel.max() < 3e-7
    assert np.all(c[(x < -87.0)] == 0.0) and np.isnan(c[-1])


def test_sqrt_mirror_is_close_to_the_true_root() -> None:
    for v in np.geomspace(1e-30, 1e30, 2000).astype(np.float32):
        assert abs(float(sqrtf(v)) / np.sqrt(float(v)) - 1.0) < 2e-7


def test_crc32_matches_zlib(tmp_path: Path) -> None:
    data = np.random.default_rng(8).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    (tmp_path / "blob").write_bytes(data)
    exe = build_program([C_DIR / "crc32_test.c", *ondevice_sources("ta_crc32.c")], "crc32_test")
    _, out = run_program(exe, "host", [str(tmp_path / "blob")])
    assert f"TA_CRC32 {zlib.crc32(data):08x} {len(data)}" in out


def test_fpu_less_cortex_m0plus_code_is_bit_identical(tmp_path: Path) -> None:
    """The head built for Cortex-M0+ (no FPU: libgcc's soft float) gives the mirror's weights bit for bit."""
    from ondevice_helpers import build_m0plus_program

    exe = build_m0plus_program(
        [C_DIR / "head_stream.c", *ondevice_sources(*HEAD_SOURCES)], "head_stream_m0plus"
    )
    factory, ops = update_stream(9, n=300, noise_labels=0.2)
    write_stream(tmp_path / "in.bin", factory, HParams(), ops)
    run_program(exe, "qemu-m4", [str(tmp_path / "in.bin"), str(tmp_path / "out.bin")])
    c = read_output(tmp_path / "out.bin", len(ops), factory.dim)
    n, _ = replay_numpy(factory, HParams(), ops)
    assert c["results"] == n["results"]
    assert np.array_equal(c["w"].view(np.uint32), n["w"].view(np.uint32))
