"""The micro frontend streaming: any split of a clip into pushes gives exactly the whole clip's rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from micro_helpers import read_pcm

from tinyaudio.frontend import MicroFrontendConfig, MicroFrontendStream, any_preset, compute_micro_features

CONFIGS = {
    "micro-frontend": any_preset("micro-frontend"),
    "micro-frontend-speech": any_preset("micro-frontend-speech"),
    "context-stride": MicroFrontendConfig(
        window_size=30,
        window_step=20,
        left_context=3,
        right_context=2,
        frame_stride=3,
        out_type="float32",
        out_scale=4,
    ),
    "zero-padding": MicroFrontendConfig(
        window_size=25,
        window_step=10,
        num_channels=20,
        left_context=1,
        right_context=4,
        zero_padding=True,
        enable_pcan=False,
    ),
}


def stream_rows(config: MicroFrontendConfig, pcm: np.ndarray, cuts: list[int]) -> np.ndarray:
    stream = MicroFrontendStream(config)
    parts = [stream.push(piece) for piece in np.split(pcm, cuts)]
    parts.append(stream.flush())
    return np.concatenate(parts)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_streaming_equals_the_whole_clip(name: str, speech_clips: list[Path]) -> None:
    config = CONFIGS[name]
    assert isinstance(config, MicroFrontendConfig)
    rng = np.random.RandomState(7)
    for path in speech_clips[:4]:
        pcm = read_pcm(path)
        whole = compute_micro_features(pcm, config)
        hops = list(range(config.hop_length, len(pcm), config.hop_length))
        random_cuts = sorted(set(rng.randint(1, len(pcm), size=40).tolist()))
        for cuts in (hops, random_cuts, []):
            got = stream_rows(config, pcm, cuts)
            assert got.dtype == whole.dtype
            np.testing.assert_array_equal(got, whole, err_msg=f"{path} {name}")


def test_one_sample_at_a_time(micro_speech_clips: list[Path]) -> None:
    config = CONFIGS["context-stride"]
    pcm = read_pcm(micro_speech_clips[-1])[:5000]
    got = stream_rows(config, pcm, list(range(1, len(pcm))))
    np.testing.assert_array_equal(got, compute_micro_features(pcm, config))


def test_rows_come_out_as_soon_as_their_window_is_complete(speech_clips: list[Path]) -> None:
    """Without right context a hop completes one row (after the first window); flush has nothing left."""
    config = CONFIGS["micro-frontend"]
    assert isinstance(config, MicroFrontendConfig)
    stream = MicroFrontendStream(config)
    pcm = read_pcm(speech_clips[5])
    first = config.frame_length // config.hop_length + (config.frame_length % config.hop_length > 0)
    counts = [
        len(stream.push(hop)) for hop in np.split(pcm, range(config.hop_length, len(pcm), config.hop_length))
    ]
    assert counts[: first - 1] == [0] * (first - 1)
    assert all(c == 1 for c in counts[first - 1 : len(pcm) // config.hop_length])
    assert len(stream.flush()) == 0


def test_a_stream_is_reset_by_flush(speech_clips: list[Path]) -> None:
    """Noise estimates and context do not leak from one clip into the next."""
    config = CONFIGS["zero-padding"]
    a, b = read_pcm(speech_clips[1]), read_pcm(speech_clips[2])
    stream = MicroFrontendStream(config)
    stream.push(a)
    stream.flush()
    np.testing.assert_array_equal(
        np.concatenate([stream.push(b), stream.flush()]), compute_micro_features(b, config)
    )
