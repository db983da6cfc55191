"""FrontendConfig: presets, JSON round trip, validation errors, and agreement with the C struct."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tinyaudio import _frontend
from tinyaudio.errors import FrontendConfigError
from tinyaudio.frontend import PRESET_NAMES, FrontendConfig, c_fields, config_to_c, preset

REPO = Path(__file__).resolve().parents[3]


def test_presets_have_the_documented_shapes() -> None:
    assert PRESET_NAMES == ("mlperf-mfcc", "logmel", "mfcc")
    assert preset("mlperf-mfcc").shape == (49, 10)
    assert preset("logmel").shape == (49, 40)
    assert preset("mfcc").shape == (49, 13)
    assert preset("logmel", num_mel_bins=64).num_features == 64
    assert preset("mfcc", center=True).num_frames == 51


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_json_round_trip(name: str, tmp_path: Path) -> None:
    config = preset(name, fmin=30)
    assert FrontendConfig.from_json(config.to_json()) == config
    assert FrontendConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    path = tmp_path / "frontend.json"
    config.save(path)
    assert FrontendConfig.load(path) == config
    assert config.to_dict()["version"] == 1


def test_integers_in_json_float_fields_are_accepted() -> None:
    data = preset("logmel").to_dict()
    data["fmax"] = 7600
    assert FrontendConfig.from_dict(data).fmax == 7600.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fft_length": 500}, "fft_length"),
        ({"fft_length": 2048}, "fft_length"),
        ({"frame_length": 1024}, "frame_length"),
        ({"hop_length": 0}, "hop_length"),
        ({"hop_length": 600}, "hop_length"),
        ({"sample_rate": 0}, "sample_rate"),
        ({"clip_samples": 100}, "clip_samples"),
        ({"num_mel_bins": 0}, "num_mel_bins"),
        ({"num_mel_bins": 129}, "num_mel_bins"),
        ({"fmax": 9000.0}, "fmin/fmax"),
        ({"fmin": 5000.0}, "fmin/fmax"),
        ({"log_offset": 0.0, "log_floor": 0.0}, "log_floor/log_offset"),
        ({"log_offset": -1.0}, "log_floor/log_offset"),
        ({"num_coeffs": 41}, "num_coeffs"),
        ({"log": "none"}, "dct"),
        ({"window": "hamming"}, "window"),
        ({"spectrum": "complex"}, "spectrum"),
        ({"mel_scale": "bark"}, "mel_scale"),
        ({"normalize": "rms"}, "normalize"),
        ({"center": 1}, "center"),
        ({"num_mel_bins": 40.0}, "num_mel_bins"),
        ({"fmin": float("nan")}, "fmin"),
    ],
)
def test_invalid_fields_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(FrontendConfigError, match=message):
        preset("mlperf-mfcc", **changes)


def test_bad_documents_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(FrontendConfigError, match="unknown frontend preset 'mel'"):
        preset("mel")
    with pytest.raises(FrontendConfigError, match="unknown frontend config field"):
        preset("logmel", n_mels=40)
    with pytest.raises(FrontendConfigError, match="unknown frontend config field.*hop"):
        FrontendConfig.from_dict({"hop": 3})
    with pytest.raises(FrontendConfigError, match="version 7"):
        FrontendConfig.from_dict({"version": 7})
    with pytest.raises(FrontendConfigError, match="not valid JSON"):
        FrontendConfig.from_json("{")
    with pytest.raises(FrontendConfigError, match="JSON object"):
        FrontendConfig.from_json("[]")
    with pytest.raises(FrontendConfigError, match="missing.json"):
        FrontendConfig.load(tmp_path / "missing.json")


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_c_accepts_every_preset(name: str) -> None:
    assert _frontend.check_config(c_fields(preset(name))) == (0, "ok")


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("fft_length", 384, -4),
        ("frame_length", 0, -5),
        ("hop_length", 481, -6),
        ("num_mel_bins", 200, -8),
        ("fmax_hz", 9000.0, -9),
        ("num_coeffs", 50, -10),
        ("log_offset", 0.0, -11),
        ("window", 3, -12),
        ("sample_rate_hz", 10, -3),
    ],
)
def test_c_check_rejects_what_python_rejects(field: str, value: float, status: int) -> None:
    fields = c_fields(preset("mlperf-mfcc"))
    fields[field] = value
    code, message = _frontend.check_config(fields)
    assert code == status, message
    with pytest.raises(ValueError, match="rejected the config"):
        _frontend.Frontend(fields)


PRINT_FIELDS_C = r"""
#include <stdio.h>
#include "ta_frontend.h"
%s
int main(void) {
    const ta_frontend_config_t *c = &ta_model_frontend;
    printf("{\"sample_rate_hz\": %%u, \"clip_samples\": %%u, \"frame_length\": %%u, \"hop_length\": %%u, "
           "\"fft_length\": %%u, \"window\": %%u, \"center\": %%u, \"spectrum\": %%u, \"mel_scale\": %%u, "
           "\"mel_weights\": %%u, \"mel_norm\": %%u, \"num_mel_bins\": %%u, \"fmin_hz\": %%.9g, "
           "\"fmax_hz\": %%.9g, \"log_type\": %%u, \"log_floor\": %%.9g, \"log_offset\": %%.9g, "
           "\"dct\": %%u, \"num_coeffs\": %%u, \"normalize\": %%u, \"frames\": %%u, \"features\": %%u}\n",
           (unsigned)c->sample_rate_hz, (unsigned)c->clip_samples, c->frame_length, c->hop_length,
           c->fft_length, c->window, c->center, c->spectrum, c->mel_scale, c->mel_weights, c->mel_norm,
           c->num_mel_bins, (double)c->fmin_hz, (double)c->fmax_hz, c->log_type, (double)c->log_floor,
           (double)c->log_offset, c->dct, c->num_coeffs, c->normalize,
           (unsigned)ta_frontend_num_frames(c, c->clip_samples), ta_frontend_num_features(c));
    return ta_frontend_config_check(c) == TA_FRONTEND_OK ? 0 : 1;
}
"""


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_config_to_c_compiles_to_the_same_struct(name: str, tmp_path: Path) -> None:
    import numpy as np

    config = preset(name, center=(name == "mfcc"))
    source = tmp_path / "print_config.c"
    source.write_text(PRINT_FIELDS_C % config_to_c(config))
    frontend = REPO / "firmware" / "frontend"
    exe = tmp_path / "print_config"
    subprocess.run(
        [
            "gcc",
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-Werror",
            f"-I{frontend}",
            str(source),
            *map(str, sorted(frontend.glob("*.c"))),
            "-lm",
            "-o",
            str(exe),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    printed = json.loads(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)
    assert printed.pop("frames") == config.num_frames
    assert printed.pop("features") == config.num_features
    for key, value in c_fields(config).items():
        assert printed[key] == pytest.approx(float(np.float32(value)), rel=1e-7), key
