"""The serial protocol: the C device side under ASan/UBSan on scripted input, and both sides real over a
pseudo-terminal (the board-independent device loop in a host-simulated board, the Python host side through
pyserial), with the detections checked against the host firmware's own streaming run."""

from __future__ import annotations

import os
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest

from tinyaudio.boards.serial_protocol import DeviceLink, ProtocolError, open_port, parse_detection
from tinyaudio.cbuild import compile_executable
from tinyaudio.resources import firmware_dir

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def harness() -> Path:
    fw = firmware_dir()
    return compile_executable(
        [HERE / "protocol_harness.c", fw / "app" / "ta_serial_protocol.c"],
        "ta_protocol_harness",
        include_dirs=[fw / "app"],
        sanitize=True,
    )


def talk(harness: Path, script: str, *args: str) -> list[str]:
    proc = subprocess.run([str(harness), *args], input=script, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_info_labels_and_streaming(harness: Path) -> None:
    out = talk(
        harness,
        "AT\r\nAT+INFO?\nAT+LABELS?\n!RESULT 1\nAT+STREAM=1\n!RESULT 2\nAT+STREAM=2\n!RESULT 3\n"
        "AT+STREAM?\n\n",
    )
    assert out[:2] == ["OK", "+INFO: proto=1,board=testboard,model=00ff,labels=4,head=0,rate=16000"]
    assert out[2:8] == ["OK", "+LABEL: 0,silence", "+LABEL: 1,unknown", "+LABEL: 2,yes", "+LABEL: 3,no", "OK"]
    # no result line while streaming is off; then detections, then detections with scores
    assert out[8:] == [
        "OK",
        "+DET: 2,500,2,yes,90",
        "OK",
        "+DET: 3,750,2,yes,90",
        "+SCORES: 3,-128,-100,90,-128",
        "+STREAM: 2",
        "OK",
    ]
    det = parse_detection(out[9])
    assert (det.index, det.time_ms, det.label, det.score) == (2, 500, "yes", 90)


def test_head_upload_then_download_round_trip(harness: Path) -> None:
    head = bytes(range(256)) + b"tail"
    script = f"AT+HEAD={len(head)},{zlib.crc32(head):08x}\n"
    for off in range(0, len(head), 64):
        script += f"AT+HEADDATA={off},{head[off : off + 64].hex()}\n"
    script += "AT+HEADEND\nAT+INFO?\nAT+HEAD?\n"
    out = talk(harness, script)
    assert out[:7] == ["OK"] * 7
    assert out[7].endswith("head=1,rate=16000")
    assert out[9] == f"+HEAD: 1,{len(head)},{zlib.crc32(head):08x}"
    data = b"".join(bytes.fromhex(line.split(",")[1]) for line in out[10:-1])
    assert data == head and out[-1] == "OK"


@pytest.mark.parametrize(
    ("script", "answer"),
    [
        ("AT+BOGUS\n", "ERROR: unknown command"),
        ("hello\n", "ERROR: unknown command"),
        ("AT+STREAM=7\n", "ERROR: AT+STREAM=0|1|2"),
        ("AT+LABEL=4\n", "ERROR: AT+LABEL=<label index below the number of labels>"),
        ("AT+LABEL=2\n", "ERROR: wrong state"),
        ("AT+HEADDATA=0,00\n", "ERROR: no upload in progress (AT+HEAD=<length>,<crc32> first)"),
        ("AT+HEAD=301,0\n", "ERROR: head larger than the device's buffer"),
        ("AT+HEAD=2,zz\n", "ERROR: AT+HEAD=<length>,<crc32 hex>"),
        ("AT+HEAD=2,0\nAT+HEADDATA=1,00\n", "ERROR: chunk out of order"),
        ("AT+HEAD=2,0\nAT+HEADDATA=0,0g\n", "ERROR: not hex"),
        ("AT+HEAD=2,0\nAT+HEADDATA=0,000000\n", "ERROR: chunk length"),
        ("AT+HEAD=2,0\nAT+HEADDATA=0,00\nAT+HEADEND\n", "ERROR: head incomplete"),
        ("AT+HEAD=2,0\nAT+HEADDATA=0,0000\nAT+HEADEND\n", "ERROR: crc mismatch"),
        ("AT+" + "X" * 300 + "\n", "ERROR: line too long"),
    ],
)
def test_errors_are_one_line(harness: Path, script: str, answer: str) -> None:
    assert talk(harness, script)[-1] == answer


def test_commands_without_hooks_answer_unsupported(harness: Path) -> None:
    out = talk(harness, "AT+LABEL=1\nAT+HEAD?\nAT+HEAD=4,0\nAT+INFO?\n", "--no-hooks")
    assert out[:3] == ["ERROR: unsupported"] * 3
    assert "head=0" in out[3]


# ------------------------------------------------------------------------------ both sides over a pty


@pytest.fixture(scope="module")
def simulator(compiled_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tinyaudio.boards.project import load_compiled, settings_for, stage_portable
    from tinyaudio.boards.registry import get_board

    manifest = load_compiled(compiled_model)
    settings = settings_for(manifest, stride_frames=10)
    src = tmp_path_factory.mktemp("sim") / "src"
    sources = stage_portable(compiled_model, manifest, get_board("nano33ble"), settings, src)
    fw = firmware_dir()
    sim = fw / "platform" / "boards" / "host_sim" / "ta_board_host_sim.c"
    return compile_executable(
        [*sources, sim, fw / "platform" / "ta_storage_ram.c"],
        "ta_board_host_sim",
        include_dirs=[src],
        flags=["-O1", *settings.flags],
        sanitize=True,
    )


def _speech(micro_speech_dir: Path) -> np.ndarray:
    from tinyaudio.data import load_wav

    clips = [
        load_wav(micro_speech_dir / "testdata" / f"{n}_1000ms.wav", 16000)
        for n in ("yes", "silence", "no", "noise")
    ]
    audio = np.concatenate(clips)
    return np.clip(np.round(audio * 32768.0), -32768, 32767).astype("<i2")


def test_device_loop_and_host_side_over_a_pty(
    simulator: Path, compiled_model: Path, micro_speech_dir: Path, tmp_path: Path
) -> None:
    from tinyaudio.emulate.firmware import run_stream

    pcm16 = _speech(micro_speech_dir)
    pcm_path = tmp_path / "speech.s16"
    pcm16.tofile(pcm_path)
    master, slave = os.openpty()
    device = subprocess.Popen(
        [str(simulator), str(pcm_path)], stdin=master, stdout=master, stderr=subprocess.PIPE
    )
    port = open_port(os.ttyname(slave), timeout=0.05)
    try:
        link = DeviceLink(port, timeout=10.0)
        link.ping()
        info = link.info()
        assert (info.board, info.model_sha256, info.labels) == (
            "nano33ble",
            __import__("json").loads((compiled_model / "manifest.json").read_text())["model_sha256"],
            ["silence", "unknown", "yes", "no"],
        )
        assert info.head_version == 0
        with pytest.raises(ProtocolError, match="ERROR: wrong state"):
            link.label_last_window(2)  # nothing inferred yet
        link.stream(2)
        detections = []
        for det in link.detections(20.0):
            detections.append(det)
            if any(line.startswith("# TA_DONE") for line in link.log):
                break
        done = [line for line in link.log if line.startswith("# TA_DONE")]
        assert done, link.log
        assert len(detections) == int(done[0].split("=")[1]) > 0
        # the same scores as the host firmware fed the same samples as one stream
        reference = run_stream(compiled_model, "host", pcm16.astype(np.float32) / 32768.0, 10)
        assert len(reference.scores) == len(detections)
        for det, scores in zip(detections, reference.scores, strict=True):
            assert det.scores == [int(s) for s in scores]
            assert det.label_index == int(np.argmax(scores))
        assert [d.index for d in detections] == list(range(len(detections)))
        assert {d.label for d in detections} <= set(info.labels)
        link.label_last_window(3)
        head = bytes(np.random.default_rng(1).integers(0, 256, 700, dtype=np.uint8))
        link.upload_head(head)
        got = link.download_head()
        assert got.data == head and got.version == 1
        assert link.info().head_version == 1
    finally:
        os.close(slave)
        port_close = getattr(port, "close", None)
        if port_close:
            port_close()
        device.wait(timeout=20)
        os.close(master)
    assert device.returncode == 0, device.stderr.read().decode() if device.stderr else ""
