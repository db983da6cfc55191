"""The PDM -> PCM CIC decimator (firmware/platform/boards/common/ta_pdm_cic.c) on a sigma-delta modulated
sine: the right frequency at the right level, and silence (a 50 % duty stream) stays near zero."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinyaudio.cbuild import compile_executable
from tinyaudio.resources import firmware_dir

HERE = Path(__file__).parent


def sigma_delta(x: np.ndarray) -> np.ndarray:
    """Second-order sigma-delta modulator: samples in [-1, 1] -> bits (1 = +1)."""
    bits = np.empty(len(x), dtype=np.uint8)
    i1 = i2 = 0.0
    y = 0.0
    for n, v in enumerate(x):
        i1 += v - y
        i2 += i1 - y
        y = 1.0 if i2 >= 0.0 else -1.0
        bits[n] = y > 0
    return bits


def pack(bits: np.ndarray) -> np.ndarray:
    """Bits -> uint32 words, the earliest bit in bit 31 (as RP2040's PIO shifting left delivers them)."""
    return np.packbits(bits.reshape(-1, 32), axis=1, bitorder="big").view(">u4").astype("<u4").reshape(-1)


@pytest.fixture(scope="module")
def cic() -> Path:
    common = firmware_dir() / "platform" / "boards" / "common"
    return compile_executable(
        [HERE / "cic_harness.c", common / "ta_pdm_cic.c"],
        "ta_cic_harness",
        include_dirs=[common],
        sanitize=True,
    )


@pytest.mark.parametrize("decimation", [32, 64])
def test_sine_comes_out_at_its_frequency_and_level(cic: Path, decimation: int) -> None:
    rate = 16000
    seconds = 0.25
    t = np.arange(int(rate * decimation * seconds)) / (rate * decimation)
    amplitude = 0.5
    bits = sigma_delta(amplitude * np.sin(2 * np.pi * 440.0 * t))
    proc = subprocess.run(
        [str(cic), str(decimation)], input=pack(bits).tobytes(), capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    pcm = np.frombuffer(proc.stdout, dtype="<i2").astype(np.float64) / 32768.0
    assert len(pcm) == int(rate * seconds)
    steady = pcm[200:]  # past the filter's start-up
    spectrum = np.abs(np.fft.rfft(steady * np.hanning(len(steady))))
    peak_hz = np.argmax(spectrum) * rate / len(steady)
    assert abs(peak_hz - 440.0) < rate / len(steady) * 1.5
    rms = np.sqrt(np.mean(steady**2))
    # a sine of amplitude 0.5 has RMS 0.354; the CIC's droop at 440 Hz is a small fraction of a dB
    assert 0.32 < rms < 0.37, rms


def test_idle_stream_is_silence(cic: Path) -> None:
    bits = np.tile(np.array([1, 0], dtype=np.uint8), 32 * 4000)  # 64 bits per sample
    proc = subprocess.run([str(cic), "64"], input=pack(bits).tobytes(), capture_output=True, timeout=60)
    pcm = np.frombuffer(proc.stdout, dtype="<i2")
    assert len(pcm) == 4000 and np.abs(pcm[10:]).max() <= 1


def test_unsupported_decimation_is_refused(cic: Path) -> None:
    assert subprocess.run([str(cic), "48"], input=b"", capture_output=True).returncode == 2
