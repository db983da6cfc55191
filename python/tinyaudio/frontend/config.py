"""Frontend configuration: one frozen dataclass, JSON round trip, presets, and the C struct fields.

The fields mirror `ta_frontend_config_t` in firmware/frontend/ta_frontend_types.h one for one;
`c_fields()` is the single place that maps them, used by both the extension and
`tinyaudio.frontend.tables.config_to_c()`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinyaudio.cgen import c_float, c_int, c_struct_fields
from tinyaudio.errors import FrontendConfigError

FORMAT_VERSION = 1

# Limits of the default C build (TA_FRONTEND_MAX_FFT, TA_FRONTEND_MAX_MEL_BINS).
MAX_FFT = 1024
MAX_MEL_BINS = 128

# Python value -> C enum constant, per enum-valued field.
_ENUMS: dict[str, dict[str, tuple[int, str]]] = {
    "window": {
        "hann_periodic": (0, "TA_WINDOW_HANN_PERIODIC"),
        "hann_symmetric": (1, "TA_WINDOW_HANN_SYMMETRIC"),
    },
    "spectrum": {"magnitude": (0, "TA_SPECTRUM_MAGNITUDE"), "power": (1, "TA_SPECTRUM_POWER")},
    "mel_scale": {"htk": (0, "TA_MEL_SCALE_HTK"), "slaney": (1, "TA_MEL_SCALE_SLANEY")},
    "mel_weights": {"tf": (0, "TA_MEL_WEIGHTS_TF"), "librosa": (1, "TA_MEL_WEIGHTS_LIBROSA")},
    "mel_norm": {"none": (0, "TA_MEL_NORM_NONE"), "slaney": (1, "TA_MEL_NORM_SLANEY")},
    "log": {"none": (0, "TA_LOG_NONE"), "ln": (1, "TA_LOG_LN"), "db": (2, "TA_LOG_DB")},
    "dct": {"none": (0, "TA_DCT_NONE"), "tf": (1, "TA_DCT_TF"), "ortho": (2, "TA_DCT_ORTHO")},
    "normalize": {
        "none": (0, "TA_NORMALIZE_NONE"),
        "max": (1, "TA_NORMALIZE_MAX"),
        "max_abs": (2, "TA_NORMALIZE_MAX_ABS"),
    },
}

# Python field -> C field, in the C struct's order.
_C_NAMES: dict[str, str] = {
    "sample_rate": "sample_rate_hz",
    "clip_samples": "clip_samples",
    "frame_length": "frame_length",
    "hop_length": "hop_length",
    "fft_length": "fft_length",
    "window": "window",
    "center": "center",
    "spectrum": "spectrum",
    "mel_scale": "mel_scale",
    "mel_weights": "mel_weights",
    "mel_norm": "mel_norm",
    "num_mel_bins": "num_mel_bins",
    "fmin": "fmin_hz",
    "fmax": "fmax_hz",
    "log": "log_type",
    "log_floor": "log_floor",
    "log_offset": "log_offset",
    "dct": "dct",
    "num_coeffs": "num_coeffs",
    "normalize": "normalize",
}


@dataclass(frozen=True)
class FrontendConfig:
    """How audio becomes features. Every field is JSON-serializable; see ta_frontend_types.h.

    Framing follows tf.signal.stft (frames inside the clip) or, with `center`, librosa's
    center=True with zero padding. The log is `log(max(mel, log_floor) + log_offset)`
    (natural log for "ln", 10*log10 for "db").
    """

    sample_rate: int = 16000
    clip_samples: int = 16000
    frame_length: int = 480
    hop_length: int = 320
    fft_length: int = 512
    window: str = "hann_periodic"
    center: bool = False
    spectrum: str = "magnitude"
    mel_scale: str = "htk"
    mel_weights: str = "tf"
    mel_norm: str = "none"
    num_mel_bins: int = 40
    fmin: float = 20.0
    fmax: float = 4000.0
    log: str = "ln"
    log_floor: float = 0.0
    log_offset: float = 1e-6
    dct: str = "tf"
    num_coeffs: int = 10
    normalize: str = "max"

    def __post_init__(self) -> None:
        _validate(self)

    # Derived sizes --------------------------------------------------------------------------
    @property
    def num_frames(self) -> int:
        """Frames in one clip of `clip_samples` samples."""
        return frames_for_samples(self, self.clip_samples)

    @property
    def num_features(self) -> int:
        """Values per frame: DCT coefficients, or mel bins when there is no DCT."""
        return self.num_coeffs if self.dct != "none" else self.num_mel_bins

    @property
    def shape(self) -> tuple[int, int]:
        return (self.num_frames, self.num_features)

    @property
    def clip_seconds(self) -> float:
        return self.clip_samples / self.sample_rate

    # Serialization --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": FORMAT_VERSION}
        out.update(dataclasses.asdict(self))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FrontendConfig:
        if not isinstance(data, dict):
            raise FrontendConfigError(f"frontend config must be a JSON object, got {type(data).__name__}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values = dict(data)
        version = values.pop("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise FrontendConfigError(
                f"frontend config version {version!r} is not supported (expected {FORMAT_VERSION})"
            )
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise FrontendConfigError(
                f"unknown frontend config field(s) {', '.join(unknown)}; known: {', '.join(fields)}"
            )
        return cls(**{k: _coerce(k, v) for k, v in values.items()})

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False)

    @classmethod
    def from_json(cls, text: str) -> FrontendConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise FrontendConfigError(f"frontend config is not valid JSON: {err}") from err
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> FrontendConfig:
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as err:
            raise FrontendConfigError(f"{path}: cannot read frontend config: {err.strerror}") from err
        try:
            return cls.from_json(text)
        except FrontendConfigError as err:
            raise FrontendConfigError(f"{path}: {err}") from err

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n")

    def replace(self, **changes: Any) -> FrontendConfig:
        return dataclasses.replace(self, **changes)


def frames_for_samples(config: FrontendConfig, n_samples: int) -> int:
    """Frames the C frontend emits for a clip of n_samples (same formula as ta_frontend_num_frames)."""
    if config.center:
        return 1 + n_samples // config.hop_length
    if n_samples < config.frame_length:
        return 0
    return 1 + (n_samples - config.frame_length) // config.hop_length


def _coerce(name: str, value: Any) -> Any:
    """JSON gives ints for floats like 20; keep types exact so equality and hashing are stable."""
    field_type = {f.name: f.type for f in dataclasses.fields(FrontendConfig)}[name]
    if field_type == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _fail(field: str, message: str) -> FrontendConfigError:
    return FrontendConfigError(f"frontend config field '{field}': {message}")


def _validate(c: FrontendConfig) -> None:
    for f in dataclasses.fields(c):
        value = getattr(c, f.name)
        if f.type == "int" and (not isinstance(value, int) or isinstance(value, bool)):
            raise _fail(f.name, f"must be an integer, got {value!r}")
        if f.type == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise _fail(f.name, f"must be a number, got {value!r}")
            if not math.isfinite(value):
                raise _fail(f.name, f"must be finite, got {value!r}")
        if f.type == "bool" and not isinstance(value, bool):
            raise _fail(f.name, f"must be true or false, got {value!r}")
        if f.name in _ENUMS and value not in _ENUMS[f.name]:
            raise _fail(f.name, f"unknown value {value!r}; choose one of {', '.join(_ENUMS[f.name])}")

    if not 1000 <= c.sample_rate <= 192000:
        raise _fail("sample_rate", f"{c.sample_rate} Hz is outside 1000..192000")
    n = c.fft_length
    if n < 2 or n > MAX_FFT or n & (n - 1):
        raise _fail("fft_length", f"{n} is not a power of two in 2..{MAX_FFT}")
    if not 1 <= c.frame_length <= n:
        raise _fail("frame_length", f"{c.frame_length} must be in 1..fft_length ({n})")
    if not 1 <= c.hop_length <= c.frame_length:
        raise _fail("hop_length", f"{c.hop_length} must be in 1..frame_length ({c.frame_length})")
    if c.clip_samples < 1 or c.clip_samples > 2**31 - 1:
        raise _fail("clip_samples", f"{c.clip_samples} must be a positive 32-bit count")
    if not c.center and c.clip_samples < c.frame_length:
        raise _fail(
            "clip_samples", f"{c.clip_samples} is shorter than one frame ({c.frame_length}); use center=true"
        )
    if not 1 <= c.num_mel_bins <= MAX_MEL_BINS:
        raise _fail("num_mel_bins", f"{c.num_mel_bins} must be in 1..{MAX_MEL_BINS}")
    nyquist = c.sample_rate / 2
    if not 0.0 <= c.fmin < c.fmax <= nyquist:
        raise _fail("fmin/fmax", f"need 0 <= fmin ({c.fmin}) < fmax ({c.fmax}) <= sample_rate/2 ({nyquist})")
    if c.log != "none":
        if c.log_floor < 0 or c.log_offset < 0:
            raise _fail("log_floor/log_offset", "must not be negative")
        if c.log_floor == 0 and c.log_offset == 0:
            raise _fail("log_floor/log_offset", "one must be > 0, or silence gives log(0) = -inf")
    if c.dct != "none":
        if c.log == "none":
            raise _fail("dct", "a DCT needs log-compressed mel energies (log 'ln' or 'db')")
        if not 1 <= c.num_coeffs <= c.num_mel_bins:
            raise _fail("num_coeffs", f"{c.num_coeffs} must be in 1..num_mel_bins ({c.num_mel_bins})")


# Presets ------------------------------------------------------------------------------------

PRESET_NAMES: tuple[str, ...] = ("mlperf-mfcc", "logmel", "mfcc")

_PRESETS: dict[str, dict[str, Any]] = {
    # MLPerf Tiny / TensorFlow KWS: tf.signal.stft(480, 320, 512, periodic Hann), magnitude,
    # linear_to_mel_weight_matrix(40, 257, 16000, 20, 4000), log(mel + 1e-6),
    # mfccs_from_log_mel_spectrograms, first 10 -> 49 x 10; clip divided by tf.reduce_max.
    "mlperf-mfcc": {},
    # librosa-style log-mel (Slaney scale and area norm, power spectrum, dB without top_db),
    # 30 ms / 20 ms framing so that 1 s is 49 frames.
    "logmel": {
        "spectrum": "power",
        "mel_scale": "slaney",
        "mel_weights": "librosa",
        "mel_norm": "slaney",
        "num_mel_bins": 40,
        "fmin": 20.0,
        "fmax": 8000.0,
        "log": "db",
        "log_floor": 1e-10,
        "log_offset": 0.0,
        "dct": "none",
        "normalize": "none",
    },
}
_PRESETS["mfcc"] = {**_PRESETS["logmel"], "dct": "ortho", "num_coeffs": 13}


def preset(name: str, **overrides: Any) -> FrontendConfig:
    """A named configuration, with fields replaced by `overrides` (validated)."""
    if name not in _PRESETS:
        raise FrontendConfigError(
            f"unknown frontend preset {name!r}; choose one of {', '.join(PRESET_NAMES)}"
        )
    fields = {f.name for f in dataclasses.fields(FrontendConfig)}
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise FrontendConfigError(f"unknown frontend config field(s) {', '.join(unknown)}")
    return FrontendConfig(**{**_PRESETS[name], **overrides})


# Bridge to C ------------------------------------------------------------------------------


def c_fields(config: FrontendConfig) -> dict[str, int | float]:
    """The ta_frontend_config_t field values (enums as their integer values), in struct order."""
    out: dict[str, int | float] = {}
    for py_name, c_name in _C_NAMES.items():
        value = getattr(config, py_name)
        if py_name in _ENUMS:
            value = _ENUMS[py_name][value][0]
        elif isinstance(value, bool):
            value = int(value)
        out[c_name] = value
    return out


def config_fields_c(config: FrontendConfig) -> list[str]:
    """The designated-initializer lines `.field = value,` of ta_frontend_config_t, in struct order."""
    fields: dict[str, str] = {}
    for py_name, c_name in _C_NAMES.items():
        value = getattr(config, py_name)
        if py_name in _ENUMS:
            fields[c_name] = _ENUMS[py_name][value][1]
        elif isinstance(value, float):
            fields[c_name] = c_float(value)
        else:
            fields[c_name] = c_int(int(value), unsigned=True)
    return c_struct_fields(fields, indent="").splitlines()
