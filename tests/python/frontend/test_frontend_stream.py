"""Frame-by-frame use gives exactly the whole-clip numbers (the firmware feeds one hop at a time)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from frontend_helpers import fit, read_clip

from tinyaudio.errors import TinyaudioError
from tinyaudio.frontend import FrontendConfig, FrontendStream, clip_gain, compute_features, preset


def stream_clip(config: FrontendConfig, audio: np.ndarray, gain: float = 1.0) -> np.ndarray:
    stream = FrontendStream(config, gain=gain)
    rows = []
    hop = config.hop_length
    for start in range(0, len(audio), hop):
        frame = stream.push(audio[start : start + hop])
        if frame is not None:
            rows.append(frame)
    tail = stream.flush()
    return np.concatenate([np.stack(rows) if rows else tail[:0], tail])


CONFIGS = {
    "mlperf-mfcc": preset("mlperf-mfcc"),
    "logmel": preset("logmel"),
    "mfcc": preset("mfcc"),
    "mfcc-center": preset("mfcc", center=True),
    "logmel-25ms-10ms-center": preset("logmel", frame_length=400, hop_length=160, center=True),
    "odd-sizes": preset(
        "logmel",
        frame_length=300,
        hop_length=100,
        fft_length=512,
        clip_samples=12000,
        window="hann_symmetric",
        spectrum="magnitude",
        mel_weights="tf",
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_streaming_equals_whole_clip_exactly(name: str, speech_clips: list[Path]) -> None:
    config = CONFIGS[name]
    assert config.clip_samples % config.hop_length == 0
    for path in speech_clips[:4]:
        audio = fit(read_clip(path), config.clip_samples)
        whole = compute_features(audio, config)
        streamed = stream_clip(config, audio, gain=clip_gain(audio, config))
        assert streamed.shape == whole.shape
        np.testing.assert_array_equal(streamed, whole)


def test_stream_without_gain_is_the_unnormalized_clip(speech_clips: list[Path]) -> None:
    config = preset("mlperf-mfcc")
    audio = fit(read_clip(speech_clips[1]), 16000)
    unnormalized = compute_features(audio, config.replace(normalize="none"))
    np.testing.assert_array_equal(stream_clip(config, audio), unnormalized)


def test_stream_is_reusable_after_flush(speech_clips: list[Path]) -> None:
    config = preset("logmel")
    a = fit(read_clip(speech_clips[2]), 16000)
    b = fit(read_clip(speech_clips[3]), 16000)
    stream = FrontendStream(config)
    for clip in (a, b):
        rows = [f for s in range(0, 16000, 320) if (f := stream.push(clip[s : s + 320])) is not None]
        got = np.concatenate([np.stack(rows), stream.flush()])
        np.testing.assert_array_equal(got, compute_features(clip, config))


def test_push_rejects_a_hop_of_the_wrong_size() -> None:
    stream = FrontendStream(preset("mlperf-mfcc"))
    with pytest.raises(TinyaudioError, match="hop_length=320"):
        stream.push(np.zeros(100, dtype=np.float32))
    with pytest.raises(TinyaudioError, match="gain"):
        stream.set_gain(0.0)
