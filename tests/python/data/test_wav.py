"""WAV decoding: every encoding a user may have, and every way a file can be bad."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tinyaudio.data import fit_length, load_wav
from tinyaudio.errors import WavError

RATE = 16000


def _tone(n: int = 1600, rate: int = RATE) -> np.ndarray:
    t = np.arange(n) / rate
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


@pytest.mark.parametrize(
    "subtype,tolerance",
    [("PCM_U8", 1 / 64), ("PCM_16", 1e-4), ("PCM_24", 1e-6), ("PCM_32", 1e-7), ("FLOAT", 0), ("DOUBLE", 0)],
)
def test_every_encoding_decodes_to_the_same_float_signal(
    tmp_path: Path, subtype: str, tolerance: float
) -> None:
    tone = _tone()
    path = tmp_path / f"tone_{subtype}.wav"
    soundfile.write(path, tone, RATE, subtype=subtype)
    audio = load_wav(path)
    assert audio.dtype == np.float32 and audio.shape == tone.shape
    assert np.max(np.abs(audio - tone)) <= tolerance + 1e-7


def test_stereo_is_downmixed_by_averaging(tmp_path: Path) -> None:
    left, right = _tone(), np.zeros(1600, dtype=np.float32)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, np.stack([left, right], axis=1), RATE, subtype="FLOAT")
    np.testing.assert_allclose(load_wav(path), left / 2, atol=1e-7)


def test_resampling_keeps_a_tone_and_the_duration(tmp_path: Path) -> None:
    path = tmp_path / "8k.wav"
    soundfile.write(path, _tone(8000, 8000), 8000, subtype="FLOAT")
    audio = load_wav(path, sample_rate=16000)
    assert audio.shape == (16000,)
    spectrum = np.abs(np.fft.rfft(audio))
    assert abs(np.argmax(spectrum) * 16000 / 16000 - 440) <= 1  # 1 Hz bins


def test_real_clip_matches_stdlib_decoder(datasets_dir: Path) -> None:
    path = datasets_dir / "fsdd" / "0" / "0_george_0.wav"
    with wave.open(str(path)) as w:
        ints = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    np.testing.assert_array_equal(load_wav(path), ints.astype(np.float32) / 32768)


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "cannot decode"),
        (b"this is not audio at all, just text" * 10, "cannot decode"),
    ],
)
def test_bad_files_raise_wav_error_naming_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(WavError, match=reason) as info:
        load_wav(path)
    assert str(path) in str(info.value)


def test_truncated_real_file_is_an_error_or_its_valid_prefix(tmp_path: Path, datasets_dir: Path) -> None:
    data = (datasets_dir / "fsdd" / "1" / "1_jackson_3.wav").read_bytes()
    path = tmp_path / "cut.wav"
    path.write_bytes(data[:30])  # header cut in the middle
    with pytest.raises(WavError):
        load_wav(path)
    path.write_bytes(data[: len(data) // 2])  # data chunk cut: libsndfile reads what is there
    assert 0 < load_wav(path).shape[0] < (len(data) - 44) // 2


def test_wav_with_no_samples_and_non_finite_floats(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    soundfile.write(empty, np.zeros(0, dtype=np.float32), RATE, subtype="PCM_16")
    with pytest.raises(WavError, match="no samples"):
        load_wav(empty)
    nan = tmp_path / "nan.wav"
    soundfile.write(nan, np.array([0.0, np.nan, 0.1], dtype=np.float32), RATE, subtype="FLOAT")
    with pytest.raises(WavError, match="NaN"):
        load_wav(nan)


def test_other_audio_formats_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "clip.flac"
    soundfile.write(path, _tone(), RATE, format="FLAC")
    with pytest.raises(WavError, match="not a WAV"):
        load_wav(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WavError, match="no such file"):
        load_wav(tmp_path / "nope.wav")


def test_fit_length_pads_and_crops_at_the_end() -> None:
    x = np.arange(5, dtype=np.float32)
    np.testing.assert_array_equal(fit_length(x, 7), [0, 1, 2, 3, 4, 0, 0])
    np.testing.assert_array_equal(fit_length(x, 3), [0, 1, 2])
