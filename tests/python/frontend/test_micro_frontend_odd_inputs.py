"""The micro frontend on odd inputs (silence, clipping, short clips) against the op, config validation, the
JSON contract and the features CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from micro_helpers import read_pcm, tf_microfrontend

from tinyaudio.cli import main
from tinyaudio.errors import FrontendConfigError
from tinyaudio.frontend import (
    ALL_PRESET_NAMES,
    MicroFrontendConfig,
    any_preset,
    compute_micro_features,
    config_from_dict,
    config_from_json,
    preset,
)

SPEECH = any_preset("micro-frontend-speech")


def odd_signals(clip: np.ndarray) -> dict[str, np.ndarray]:
    n = 16000
    t = np.arange(n)
    square = np.where((t // 40) % 2 == 0, 32767, -32768).astype(np.int16)
    loud = np.clip(clip.astype(np.int64) * 16, -32768, 32767).astype(np.int16)
    return {
        "silence": np.zeros(n, dtype=np.int16),
        "full-scale square": square,
        "all -32768": np.full(n, -32768, dtype=np.int16),
        "clipped speech": loud,
        "dc": np.full(n, 1000, dtype=np.int16),
        "impulses": np.where(t % 1000 == 0, 32767, 0).astype(np.int16),
        "one lsb noise": np.random.RandomState(3).randint(-1, 2, size=n).astype(np.int16),
    }


@pytest.mark.parametrize("name", ["micro-frontend", "micro-frontend-speech"])
def test_odd_signals_match_the_op(tf: Any, name: str, micro_speech_clips: list[Path]) -> None:
    config = any_preset(name)
    assert isinstance(config, MicroFrontendConfig)
    clip = read_pcm(micro_speech_clips[-1])
    for label, pcm in odd_signals(clip).items():
        np.testing.assert_array_equal(
            compute_micro_features(pcm, config), tf_microfrontend(tf, pcm, config), err_msg=label
        )


def test_short_clips_match_the_op(tf: Any, micro_speech_clips: list[Path]) -> None:
    config = any_preset("micro-frontend", left_context=1, right_context=1)
    assert isinstance(config, MicroFrontendConfig)
    pcm = read_pcm(micro_speech_clips[0])
    window, step = config.frame_length, config.hop_length
    for n in (0, 1, window - 1, window, window + 1, window + step - 1, window + step, 1000):
        expected = tf_microfrontend(tf, pcm[:n], config)
        got = compute_micro_features(pcm[:n], config)
        assert got.shape == expected.shape == (max(0, (n - window) // step + 1), config.num_features), n
        np.testing.assert_array_equal(got, expected, err_msg=str(n))


def test_the_30_ms_clips_give_one_frame(tf: Any, micro_speech_clips: list[Path]) -> None:
    short = [p for p in micro_speech_clips if "30ms" in p.name]
    assert short
    for path in short:
        pcm = read_pcm(path)
        got = compute_micro_features(pcm, SPEECH)  # type: ignore[arg-type]
        assert got.shape == (1, 40)
        np.testing.assert_array_equal(got, tf_microfrontend(tf, pcm, SPEECH))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"window_size": 100}, "window_size"),
        ({"window_size": 0}, "window_size"),
        ({"window_step": 40}, "window_step"),
        ({"num_channels": 0}, "num_channels"),
        ({"num_channels": 500}, "num_channels"),
        ({"lower_band_limit": 8000.0}, "lower_band_limit"),
        ({"upper_band_limit": 9000.0}, "upper_band_limit"),
        ({"even_smoothing": 1.5}, "even_smoothing"),
        ({"min_signal_remaining": -0.1}, "min_signal_remaining"),
        ({"smoothing_bits": 40}, "smoothing_bits"),
        ({"gain_bits": 3}, "gain_bits"),
        ({"pcan_offset": -1.0}, "pcan_offset"),
        ({"scale_shift": 32}, "scale_shift"),
        ({"left_context": 10, "right_context": 10}, "left_context"),
        ({"frame_stride": 0}, "frame_stride"),
        ({"out_scale": 0}, "out_scale"),
        ({"out_type": "int8"}, "out_type"),
        ({"enable_pcan": 1}, "enable_pcan"),
        ({"pcan_strength": float("nan")}, "pcan_strength"),
        ({"clip_samples": 100}, "clip_samples"),
        ({"sample_rate": 500}, "sample_rate"),
    ],
)
def test_invalid_configs_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(FrontendConfigError, match=field):
        any_preset("micro-frontend", **changes)


def test_json_round_trip_and_kind_dispatch(tmp_path: Path) -> None:
    config = any_preset("micro-frontend", out_type="float32", left_context=2)
    data = config.to_dict()
    assert data["kind"] == "micro" and data["version"] == 1
    assert config_from_dict(json.loads(json.dumps(data))) == config
    assert config_from_json(config.to_json()) == config
    assert config_from_dict(preset("logmel").to_dict()) == preset("logmel")
    assert config_from_dict({**preset("mfcc").to_dict(), "kind": "mel"}) == preset("mfcc")
    assert config_from_dict({"kind": "micro", "upper_band_limit": 7000}).upper_band_limit == 7000.0
    with pytest.raises(FrontendConfigError, match="unknown micro frontend config field"):
        config_from_dict({"kind": "micro", "num_mel_bins": 40})
    with pytest.raises(FrontendConfigError, match="kind"):
        config_from_dict({"kind": "wavelet"})
    assert {"micro-frontend", "micro-frontend-speech", "mlperf-mfcc"} <= set(ALL_PRESET_NAMES)
    assert any_preset("micro-frontend").shape == (98, 40)
    assert any_preset("micro-frontend-speech").shape == (49, 40)
    with pytest.raises(FrontendConfigError, match="micro-frontend"):
        any_preset("micro")


def test_features_cli_writes_the_op_dtype(tmp_path: Path, micro_speech_clips: list[Path]) -> None:
    wavs = [str(p) for p in micro_speech_clips if "1000ms" in p.name][:2]
    out = tmp_path / "x.npy"
    assert main(["features", "--preset", "micro-frontend", "-q", "-o", str(out), *wavs]) == 0
    got = np.load(out)
    assert got.dtype == np.uint16 and got.shape == (2, 98, 40)
    for row, wav in zip(got, wavs, strict=True):
        np.testing.assert_array_equal(
            row, compute_micro_features(read_pcm(Path(wav)), any_preset("micro-frontend"))
        )
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["frontend"]["kind"] == "micro" and meta["dtype"] == "uint16"

    out2 = tmp_path / "y.npy"
    argv = [
        "features",
        "-p",
        "micro-frontend-speech",
        "--set",
        "out_type=float32",
        "--set",
        "out_scale=4",
        "-q",
    ]
    assert main([*argv, "-o", str(out2), wavs[0]]) == 0
    floats = np.load(out2)
    assert floats.dtype == np.float32 and floats.shape == (1, 49, 40)
    config = any_preset("micro-frontend-speech", out_type="float32", out_scale=4)
    np.testing.assert_array_equal(floats[0], compute_micro_features(read_pcm(Path(wavs[0])), config))  # type: ignore[arg-type]

    config_file = tmp_path / "micro.json"
    config_file.write_text(any_preset("micro-frontend", num_channels=20).to_json())
    out3 = tmp_path / "z.npy"
    assert main(["features", "--config", str(config_file), "-q", "-o", str(out3), wavs[0]]) == 0
    assert np.load(out3).shape == (1, 98, 20)
    assert (
        main(["features", "--preset", "micro-frontend", "--set", "window_size=90", "-o", str(out3), wavs[0]])
        != 0
    )


def test_micro_input_rules() -> None:
    from tinyaudio.frontend.micro import micro_input_rule, quantize_micro_features

    values = np.arange(0, 65536, 7, dtype=np.uint16)
    tflm = micro_input_rule(SPEECH, 0.1017, -128, "tflm")  # type: ignore[arg-type]
    expected = np.clip((values.astype(np.int64) * 256 + 333) // 666 - 128, -128, 127)
    np.testing.assert_array_equal(quantize_micro_features(values, tflm), expected)
    with pytest.raises(FrontendConfigError, match="zero point"):
        micro_input_rule(SPEECH, 0.1017, 0, "tflm")  # type: ignore[arg-type]

    config = any_preset("micro-frontend", out_scale=2)
    rule = micro_input_rule(config, 2.5, -20)  # type: ignore[arg-type]
    q = quantize_micro_features(values, rule).astype(np.float64)
    real = values / 2.0  # the op's value / out_scale
    inside = (q > -128) & (q < 127)
    assert inside.sum() > 100
    # Within half a quantization step of round(real / scale) + zero point (the rule's 2^-16 precision).
    assert np.abs((q[inside] + 20) * 2.5 - real[inside]).max() <= 2.5 / 2 + 1e-3
    with pytest.raises(FrontendConfigError, match="rule"):
        micro_input_rule(config, 2.5, -20, "nearest")  # type: ignore[arg-type]
