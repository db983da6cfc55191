"""The micro frontend: TensorFlow's fixed-point `audio_microfrontend` (TFLM micro_speech, microWakeWord) as a
frontend configuration, run by the C code in firmware/frontend/ta_micro_frontend*.c through the extension.

`MicroFrontendConfig` holds the op's arguments one for one (same names, same defaults as the op's Python
wrapper except where the presets say otherwise) plus `clip_samples`. Its JSON carries `"kind": "micro"`;
`tinyaudio.frontend.config_from_dict()` tells the two kinds of config apart.

Output (as the op): rows of `num_channels * (1 + left_context + right_context)` values, one every
`frame_stride` frames; `out_type` "uint16" gives `value // out_scale` (uint16), "float32" gives
`value / out_scale` (float32), where `value` is the uint16 the C code computes (log-scaled filterbank energy,
about 0..1000 with the default scale_shift 6).
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.cgen import c_comment, c_float, c_initializer, c_int, c_struct_fields
from tinyaudio.errors import FrontendConfigError, TinyaudioError

FORMAT_VERSION = 1
KIND = "micro"

# Limits of the default C build (TA_MFE_MAX_FFT, TA_MFE_MAX_CHANNELS, TA_MFE_MAX_STACK).
MAX_FFT = 1024
MAX_CHANNELS = 128
MAX_STACK = 16

OUT_TYPES: dict[str, int] = {"uint16": 0, "float32": 1}

# Python field -> C field of ta_mfe_config_t, in the C struct's order.
_C_NAMES: dict[str, str] = {
    "sample_rate": "sample_rate_hz",
    "clip_samples": "clip_samples",
    "window_size": "window_size_ms",
    "window_step": "window_step_ms",
    "num_channels": "num_channels",
    "upper_band_limit": "upper_band_limit_hz",
    "lower_band_limit": "lower_band_limit_hz",
    "smoothing_bits": "smoothing_bits",
    "even_smoothing": "even_smoothing",
    "odd_smoothing": "odd_smoothing",
    "min_signal_remaining": "min_signal_remaining",
    "enable_pcan": "enable_pcan",
    "pcan_strength": "pcan_strength",
    "pcan_offset": "pcan_offset",
    "gain_bits": "gain_bits",
    "enable_log": "enable_log",
    "scale_shift": "scale_shift",
    "left_context": "left_context",
    "right_context": "right_context",
    "frame_stride": "frame_stride",
    "zero_padding": "zero_padding",
    "out_scale": "out_scale",
    "out_type": "out_type",
}


@dataclass(frozen=True)
class MicroFrontendConfig:
    """TensorFlow's audio_microfrontend op arguments (window_size/window_step in ms) plus clip_samples.

    Defaults are the `micro-frontend` preset: what the deployed microWakeWord models use (30 ms windows every
    10 ms, 40 channels, PCAN on), i.e. the op's Python defaults with window_size 30 and num_channels 40.
    """

    sample_rate: int = 16000
    clip_samples: int = 16000
    window_size: int = 30
    window_step: int = 10
    num_channels: int = 40
    upper_band_limit: float = 7500.0
    lower_band_limit: float = 125.0
    smoothing_bits: int = 10
    even_smoothing: float = 0.025
    odd_smoothing: float = 0.06
    min_signal_remaining: float = 0.05
    enable_pcan: bool = True
    pcan_strength: float = 0.95
    pcan_offset: float = 80.0
    gain_bits: int = 21
    enable_log: bool = True
    scale_shift: int = 6
    left_context: int = 0
    right_context: int = 0
    frame_stride: int = 1
    zero_padding: bool = False
    out_scale: int = 1
    out_type: str = "uint16"

    def __post_init__(self) -> None:
        _validate(self)

    # Derived sizes --------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return KIND

    @property
    def frame_length(self) -> int:
        """Samples per window (the op: window_size * sample_rate // 1000)."""
        return self.window_size * self.sample_rate // 1000

    @property
    def hop_length(self) -> int:
        """Samples per window step."""
        return self.window_step * self.sample_rate // 1000

    @property
    def fft_length(self) -> int:
        return 1 << max(0, (self.frame_length - 1).bit_length())

    @property
    def num_frames(self) -> int:
        """Output rows for one clip of `clip_samples` samples."""
        return rows_for_samples(self, self.clip_samples)

    @property
    def num_features(self) -> int:
        """Values per output row: num_channels * (1 + left_context + right_context)."""
        return self.num_channels * (1 + self.left_context + self.right_context)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.num_frames, self.num_features)

    @property
    def clip_seconds(self) -> float:
        return self.clip_samples / self.sample_rate

    @property
    def output_dtype(self) -> np.dtype[Any]:
        return np.dtype(np.uint16) if self.out_type == "uint16" else np.dtype(np.float32)

    # Serialization --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": FORMAT_VERSION, "kind": KIND}
        out.update(dataclasses.asdict(self))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MicroFrontendConfig:
        if not isinstance(data, dict):
            raise FrontendConfigError(f"frontend config must be a JSON object, got {type(data).__name__}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values = dict(data)
        version = values.pop("version", FORMAT_VERSION)
        kind = values.pop("kind", KIND)
        if kind != KIND:
            raise FrontendConfigError(f"frontend config kind {kind!r} is not a micro frontend ({KIND!r})")
        if version != FORMAT_VERSION:
            raise FrontendConfigError(
                f"micro frontend config version {version!r} is not supported (expected {FORMAT_VERSION})"
            )
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise FrontendConfigError(
                f"unknown micro frontend config field(s) {', '.join(unknown)}; known: {', '.join(fields)}"
            )
        return cls(**{k: _coerce(k, v) for k, v in values.items()})

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False)

    @classmethod
    def from_json(cls, text: str) -> MicroFrontendConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise FrontendConfigError(f"frontend config is not valid JSON: {err}") from err
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> MicroFrontendConfig:
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

    def replace(self, **changes: Any) -> MicroFrontendConfig:
        return dataclasses.replace(self, **changes)

    def op_arguments(self) -> dict[str, Any]:
        """Keyword arguments of TensorFlow's audio_microfrontend for this config (out_type as a string:
        "uint16" or "float32", to be mapped to tf.uint16 / tf.float32 by the caller)."""
        out = dataclasses.asdict(self)
        del out["clip_samples"]
        return out


def frames_for_samples(config: MicroFrontendConfig, n_samples: int) -> int:
    """Frames the op computes from n samples (before frame_stride)."""
    if n_samples < config.frame_length:
        return 0
    return 1 + (n_samples - config.frame_length) // config.hop_length


def rows_for_samples(config: MicroFrontendConfig, n_samples: int) -> int:
    """Output rows of the op for n samples: its frames sampled every frame_stride."""
    frames = frames_for_samples(config, n_samples)
    return 0 if frames == 0 else 1 + (frames - 1) // config.frame_stride


def _coerce(name: str, value: Any) -> Any:
    """JSON gives ints for floats like 80; keep types exact so equality and hashing are stable."""
    field_type = {f.name: f.type for f in dataclasses.fields(MicroFrontendConfig)}[name]
    if field_type == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _fail(field: str, message: str) -> FrontendConfigError:
    return FrontendConfigError(f"micro frontend config field '{field}': {message}")


def _validate(c: MicroFrontendConfig) -> None:
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
    if c.out_type not in OUT_TYPES:
        raise _fail("out_type", f"unknown value {c.out_type!r}; choose one of {', '.join(OUT_TYPES)}")
    if not 1000 <= c.sample_rate <= 192000:
        raise _fail("sample_rate", f"{c.sample_rate} Hz is outside 1000..192000")
    for name in ("window_size", "window_step", "num_channels", "out_scale", "frame_stride"):
        if not 1 <= getattr(c, name) <= 65535:
            raise _fail(name, f"{getattr(c, name)} must be in 1..65535")
    if not 4 <= c.frame_length <= MAX_FFT:
        samples = f"{c.window_size} ms is {c.frame_length} samples"
        raise _fail("window_size", f"{samples}; need 4..{MAX_FFT} (the FFT limit)")
    if not 1 <= c.hop_length <= c.frame_length:
        raise _fail("window_step", f"{c.window_step} ms is {c.hop_length} samples; need 1..{c.frame_length}")
    if c.num_channels > MAX_CHANNELS:
        raise _fail("num_channels", f"{c.num_channels} must be in 1..{MAX_CHANNELS}")
    if not 0.0 <= c.lower_band_limit < c.upper_band_limit <= c.sample_rate / 2:
        raise _fail(
            "lower_band_limit/upper_band_limit",
            f"need 0 <= lower ({c.lower_band_limit}) < upper ({c.upper_band_limit}) <= sample_rate / 2",
        )
    if not 0 <= c.smoothing_bits <= 31:
        raise _fail("smoothing_bits", f"{c.smoothing_bits} must be in 0..31")
    for name in ("even_smoothing", "odd_smoothing", "min_signal_remaining"):
        if not 0.0 <= getattr(c, name) <= 1.0:
            raise _fail(name, f"{getattr(c, name)} must be in 0..1")
    correction = c.fft_length.bit_length() - 1 - 6
    if c.enable_pcan:
        if not 0 <= c.gain_bits <= 31:
            raise _fail("gain_bits", f"{c.gain_bits} must be in 0..31")
        if c.pcan_offset < 0:
            raise _fail("pcan_offset", f"{c.pcan_offset} must be >= 0")
        if not 0 <= c.gain_bits - correction - 12 <= 63:
            fft = f"a {c.fft_length}-point FFT"
            raise _fail("gain_bits", f"{c.gain_bits} gives an SNR shift outside 0..63 for {fft}")
        if not 0 <= c.smoothing_bits - correction <= 31:
            raise _fail(
                "smoothing_bits", f"{c.smoothing_bits} - {correction} (FFT scale) must be in 0..31 with PCAN"
            )
    if not 0 <= c.scale_shift <= 31:
        raise _fail("scale_shift", f"{c.scale_shift} must be in 0..31")
    if c.left_context < 0 or c.right_context < 0 or 1 + c.left_context + c.right_context > MAX_STACK:
        raise _fail("left_context/right_context", f"need >= 0 and 1 + left + right <= {MAX_STACK}")
    if c.clip_samples < c.frame_length or c.clip_samples > 2**31 - 1:
        raise _fail("clip_samples", f"{c.clip_samples} must hold one window ({c.frame_length} samples)")


# Presets ------------------------------------------------------------------------------------

MICRO_PRESET_NAMES: tuple[str, ...] = ("micro-frontend", "micro-frontend-speech")

_PRESETS: dict[str, dict[str, Any]] = {
    # microWakeWord / ESPHome: 30 ms windows every 10 ms, 40 channels, PCAN, uint16 out.
    "micro-frontend": {},
    # TFLM micro_speech: 30 ms windows every 20 ms, 40 channels (49 x 40 per second).
    "micro-frontend-speech": {"window_step": 20},
}


def micro_preset(name: str, **overrides: Any) -> MicroFrontendConfig:
    """A named micro frontend configuration, with fields replaced by `overrides` (validated)."""
    if name not in _PRESETS:
        raise FrontendConfigError(
            f"unknown micro frontend preset {name!r}; choose one of {', '.join(MICRO_PRESET_NAMES)}"
        )
    fields = {f.name for f in dataclasses.fields(MicroFrontendConfig)}
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise FrontendConfigError(f"unknown micro frontend config field(s) {', '.join(unknown)}")
    return MicroFrontendConfig(**{**_PRESETS[name], **overrides})


# Bridge to C --------------------------------------------------------------------------------


def micro_c_fields(config: MicroFrontendConfig) -> dict[str, int | float]:
    """The ta_mfe_config_t field values (bools and out_type as integers), in struct order."""
    out: dict[str, int | float] = {}
    for py_name, c_name in _C_NAMES.items():
        value = getattr(config, py_name)
        if py_name == "out_type":
            value = OUT_TYPES[value]
        elif isinstance(value, bool):
            value = int(value)
        out[c_name] = value
    return out


def _extension() -> Any:
    from tinyaudio.frontend.native import extension

    return extension()


def _native(config: MicroFrontendConfig) -> Any:
    if not isinstance(config, MicroFrontendConfig):
        raise FrontendConfigError(f"expected a MicroFrontendConfig, got {type(config).__name__}")
    try:
        return _extension().MicroFrontend(micro_c_fields(config))
    except ValueError as err:  # the C builder disagrees (e.g. the filterbank runs past Nyquist)
        raise FrontendConfigError(str(err)) from err


_per_thread = threading.local()


def _cached_native(config: MicroFrontendConfig) -> Any:
    """One initialized C state per (thread, config): tables are built once (the GIL is released inside)."""
    cache: dict[MicroFrontendConfig, Any] | None = getattr(_per_thread, "micro", None)
    if cache is None:
        cache = _per_thread.micro = {}
    native = cache.get(config)
    if native is None:
        if len(cache) >= 8:
            cache.clear()
        native = cache[config] = _native(config)
    return native


def check_builds(config: MicroFrontendConfig) -> None:
    """Raises FrontendConfigError if the C builder refuses `config` (e.g. a band above the last FFT bin)."""
    _cached_native(config)


def to_int16(audio: np.ndarray) -> np.ndarray:
    """float samples in [-1, 1] -> int16 PCM: round(x * 32768), saturated (exact for 16-bit WAV data)."""
    audio = np.asarray(audio)
    if audio.dtype == np.int16:
        return np.ascontiguousarray(audio)
    scaled = np.rint(np.asarray(audio, dtype=np.float64) * 32768.0)
    return np.ascontiguousarray(np.clip(scaled, -32768, 32767).astype(np.int16))


def apply_output(values: np.ndarray, config: MicroFrontendConfig) -> np.ndarray:
    """The op's out_scale / out_type applied to the C code's uint16 values."""
    if config.out_type == "uint16":
        return (values // np.uint16(config.out_scale)).astype(np.uint16)
    return values.astype(np.float32) / np.float32(config.out_scale)


def compute_micro_features(audio: np.ndarray, config: MicroFrontendConfig) -> np.ndarray:
    """Exactly TensorFlow's audio_microfrontend(audio, **config.op_arguments()): the whole array, no padding,
    (rows, num_features) in config.output_dtype. `audio` is int16 PCM, or floats in [-1, 1] (to_int16)."""
    pcm = to_int16(audio)
    if pcm.ndim != 1:
        raise TinyaudioError(f"expected a 1-D clip of samples, got shape {pcm.shape}")
    return apply_output(_cached_native(config).compute_clip(pcm), config)


def _fit(pcm: np.ndarray, n: int) -> np.ndarray:
    if pcm.shape[-1] >= n:
        return np.ascontiguousarray(pcm[..., :n])
    out = np.zeros((*pcm.shape[:-1], n), dtype=np.int16)
    out[..., : pcm.shape[-1]] = pcm
    return out


def micro_features_clip(audio: np.ndarray, config: MicroFrontendConfig) -> np.ndarray:
    """Features of one clip zero-padded or cropped to clip_samples, float32 (num_frames, num_features):
    the op's output values (exact in float32)."""
    pcm = to_int16(audio)
    if pcm.ndim != 1:
        raise TinyaudioError(f"expected a 1-D clip of samples, got shape {pcm.shape}")
    out = apply_output(_cached_native(config).compute_clip(_fit(pcm, config.clip_samples)), config)
    return out.astype(np.float32)


def micro_features_batch(audio2d: np.ndarray, config: MicroFrontendConfig) -> np.ndarray:
    """Features of N clips (rows, padded/cropped): float32 (N, num_frames, num_features)."""
    pcm = to_int16(audio2d)
    if pcm.ndim != 2:
        raise TinyaudioError(f"expected a 2-D array (clips, samples), got shape {pcm.shape}")
    out = apply_output(_cached_native(config).compute_batch(_fit(pcm, config.clip_samples)), config)
    return out.astype(np.float32)


class MicroFrontendStream:
    """Streaming use, as the firmware does it: push any number of samples; rows come out as they complete.

    `push()` returns the rows completed by those samples, (k, num_features) in config.output_dtype, k >= 0;
    `flush()` ends a clip (the rows waiting for right context) and resets. Any split of a clip into pushes
    gives exactly compute_micro_features() of the whole clip.
    """

    def __init__(self, config: MicroFrontendConfig) -> None:
        self.config = config
        self._native = _native(config)

    def push(self, samples: np.ndarray) -> np.ndarray:
        pcm = to_int16(samples)
        if pcm.ndim != 1:
            raise TinyaudioError(f"push() takes a 1-D array of samples, got shape {pcm.shape}")
        return apply_output(self._native.push(pcm), self.config)

    def flush(self) -> np.ndarray:
        rows = []
        while True:
            row = self._native.flush()
            if row is None:
                break
            rows.append(row)
        self._native.reset()
        values = np.stack(rows) if rows else np.zeros((0, self.config.num_features), dtype=np.uint16)
        return apply_output(values, self.config)

    def reset(self) -> None:
        self._native.reset()


def micro_state_bytes() -> dict[str, int]:
    """sizeof(ta_mfe_t) and sizeof(ta_mfe_table_storage_t) in the extension's build (default limits)."""
    ext = _extension()
    return {"state": int(ext.MFE_STATE_BYTES), "table_storage": int(ext.MFE_TABLE_STORAGE_BYTES)}


# Tables as C --------------------------------------------------------------------------------


def micro_frontend_tables(config: MicroFrontendConfig) -> dict[str, Any]:
    """Every table the C micro frontend uses for `config`, as ta_mfe_build_tables() built them."""
    return _cached_native(config).tables()  # type: ignore[no-any-return]


def _int_array(c_type: str, name: str, values: np.ndarray, comment: str) -> str:
    items = [int(v) for v in np.asarray(values).ravel()]
    size = max(len(items), 1)
    body = c_initializer(items or [0])
    return f"/* {c_comment(comment)} */\nstatic const {c_type} {name}[{size}] = {body};"


def _cpx_array(name: str, values: np.ndarray, comment: str) -> str:
    pairs = np.asarray(values, dtype=np.int64).reshape(-1, 2)
    entries = [f"{{{c_int(int(r))}, {c_int(int(i))}}}" for r, i in pairs]
    lines = ["    " + ", ".join(entries[k : k + 8]) + "," for k in range(0, len(entries), 8)]
    return (
        f"/* {c_comment(comment)} */\nstatic const ta_cpx_i16_t {name}[{len(entries)}] = {{\n"
        + "\n".join(lines)
        + "\n};"
    )


def micro_config_fields_c(config: MicroFrontendConfig) -> dict[str, str]:
    """C text of every ta_mfe_config_t field, for a designated initializer."""
    out: dict[str, str] = {}
    for py_name, c_name in _C_NAMES.items():
        value = getattr(config, py_name)
        if py_name == "out_type":
            out[c_name] = "TA_MFE_OUT_UINT16" if value == "uint16" else "TA_MFE_OUT_FLOAT32"
        elif isinstance(value, bool):
            out[c_name] = "1u" if value else "0u"
        elif isinstance(value, float):
            out[c_name] = c_float(value)
        else:
            out[c_name] = c_int(value, unsigned=True)
    return out


def micro_tables_to_c(config: MicroFrontendConfig, name: str = "ta_model_micro_frontend_tables") -> str:
    """C99 definitions (need #include "ta_micro_frontend.h"): the integer tables as `static const` arrays
    named `<name>_*` and `const ta_mfe_tables_t <name>` for ta_mfe_init_const() on a device (no float, no
    table building at boot). The numbers are the C builder's, run on this host; Python only prints them."""
    if not name.isidentifier():
        raise FrontendConfigError(f"{name!r} is not a C identifier")
    t = micro_frontend_tables(config)
    pcan = len(t["pcan_lut"]) > 0
    half = t["fft_n"] // 2
    parts = [
        f"/* tinyaudio micro frontend tables (layout {t['version']}): built on the host by the C frontend's\n"
        " * ta_mfe_build_tables() and printed as numbers; ta_mfe_init_const() uses them as they are. */",
        _int_array("int16_t", f"{name}_window", t["window"], f"Hann window, Q12, {len(t['window'])} values"),
        _cpx_array(f"{name}_twiddles", t["twiddles"], f"FFT twiddles, Q15, {half}-point complex FFT"),
        _cpx_array(f"{name}_super_twiddles", t["super_twiddles"], "real-FFT split twiddles, Q15"),
        _int_array("uint16_t", f"{name}_band_start", t["band_start"], "first FFT bin of each band"),
        _int_array("uint16_t", f"{name}_band_width", t["band_width"], "FFT bins of each band"),
        _int_array("int16_t", f"{name}_weights", t["weights"], "filterbank weights, Q12, band after band"),
        _int_array("int16_t", f"{name}_unweights", t["unweights"], "filterbank unweights (Q12), by band"),
    ]
    if pcan:
        parts.append(_int_array("int16_t", f"{name}_pcan_lut", t["pcan_lut"], "PCAN gain lookup"))
    config_lines = c_struct_fields(micro_config_fields_c(config), indent="        ")
    fields = {
        "version": c_int(int(t["version"]), unsigned=True),
        "config": "{\n" + config_lines + "\n    }",
        "window_samples": c_int(int(t["window_samples"]), unsigned=True),
        "step_samples": c_int(int(t["step_samples"]), unsigned=True),
        "window": f"{name}_window",
        "fft": (
            f"{{\n        .n = {c_int(int(t['fft_n']), unsigned=True)},\n"
            f"        .twiddles = {name}_twiddles,\n        .super_twiddles = {name}_super_twiddles,\n    }}"
        ),
        "num_weights": c_int(len(t["weights"]), unsigned=True),
        "band_start": f"{name}_band_start",
        "band_width": f"{name}_band_width",
        "weights": f"{name}_weights",
        "unweights": f"{name}_unweights",
        "even_smoothing": c_int(int(t["even_smoothing"]), unsigned=True),
        "odd_smoothing": c_int(int(t["odd_smoothing"]), unsigned=True),
        "min_signal_remaining": c_int(int(t["min_signal_remaining"]), unsigned=True),
        "snr_shift": c_int(int(t["snr_shift"])),
        "pcan_lut": f"{name}_pcan_lut" if pcan else "NULL",
        "correction_bits": c_int(int(t["correction_bits"])),
    }
    parts.append(f"const ta_mfe_tables_t {name} = {{\n{c_struct_fields(fields)}\n}};")
    return "\n".join(parts) + "\n"


# Model input: uint16 rows -> int8 ---------------------------------------------------------------
# The op's values become a model's int8 input with one integer-only rule, the same in the firmware
# (firmware/app) and in Python (quantize_micro_features):
#     int8 = clamp(floor((value * num + den / 2) / den) + zero_point, -128, 127)
# "tflm": num/den = 256/666, zero_point -128, the rule of TFLM's micro_speech feature provider and of the
#         deployed microWakeWord engines (features trained as value / 25.6, inputs quantized on [0, 26]).
# "scale": num/den = round(2^16 * feature_scale / input_scale) / 2^16 with the model's own input scale and
#         zero point, feature_scale defaulting to 1 / out_scale (models trained on this frontend's output).

MICRO_INPUT_RULES: tuple[str, ...] = ("scale", "tflm")


@dataclass(frozen=True)
class MicroInputRule:
    rule: str
    num: int
    den: int
    zero_point: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def micro_input_rule(
    config: MicroFrontendConfig,
    input_scale: float,
    input_zero_point: int,
    rule: str = "scale",
    feature_scale: float | None = None,
) -> MicroInputRule:
    """The integer rule that turns this frontend's values into a model's int8 input (see above)."""
    if rule == "tflm":
        if input_zero_point != -128:
            raise FrontendConfigError(
                f"micro input rule 'tflm' needs a model input zero point of -128, got {input_zero_point}"
            )
        return MicroInputRule("tflm", 256, 666, -128)
    if rule != "scale":
        raise FrontendConfigError(
            f"unknown micro input rule {rule!r}; choose one of {', '.join(MICRO_INPUT_RULES)}"
        )
    if not (math.isfinite(input_scale) and input_scale > 0):
        raise FrontendConfigError(f"model input scale {input_scale} must be finite and > 0")
    scale = 1.0 / config.out_scale if feature_scale is None else float(feature_scale)
    if not (math.isfinite(scale) and scale > 0):
        raise FrontendConfigError(f"feature scale {feature_scale} must be finite and > 0")
    den = 1 << 16
    num = int(round(den * scale / input_scale))
    if not 1 <= num < 2**31:
        raise FrontendConfigError(f"feature scale / input scale = {scale / input_scale:g} is out of range")
    return MicroInputRule("scale", num, den, int(input_zero_point))


def quantize_micro_features(values: np.ndarray, rule: MicroInputRule) -> np.ndarray:
    """The C code's uint16 values (before out_scale) -> int8 model input, exactly as the firmware does."""
    v = np.asarray(values, dtype=np.uint64)
    q = (v * np.uint64(rule.num) + np.uint64(rule.den // 2)) // np.uint64(rule.den)
    return np.clip(q.astype(np.int64) + rule.zero_point, -128, 127).astype(np.int8)


def micro_raw_features(audio: np.ndarray, config: MicroFrontendConfig) -> np.ndarray:
    """The C code's uint16 rows (before out_scale/out_type) of one clip padded/cropped to clip_samples."""
    pcm = to_int16(audio)
    if pcm.ndim != 1:
        raise TinyaudioError(f"expected a 1-D clip of samples, got shape {pcm.shape}")
    return _cached_native(config).compute_clip(_fit(pcm, config.clip_samples))  # type: ignore[no-any-return]


def micro_model_c(config: MicroFrontendConfig, rule: MicroInputRule) -> tuple[str, str]:
    """(model.c part, model.h declarations) for a model compiled with this frontend: the const tables
    `ta_model_micro_frontend` and the input rule as TA_MODEL_FEATURE_* macros."""
    source = micro_tables_to_c(config, "ta_model_micro_frontend")
    header = (
        "#define TA_MODEL_HAS_FRONTEND 1\n"
        "#define TA_MODEL_FRONTEND_MICRO 1 /* the fixed-point micro frontend (TF audio_microfrontend) */\n"
        '#include "ta_micro_frontend.h"\n'
        "extern const ta_mfe_tables_t ta_model_micro_frontend;\n"
        "/* int8 input = clamp(floor((value * NUM + DEN / 2) / DEN) + ZERO_POINT), "
        f"rule {c_comment(rule.rule)} */\n"
        f"#define TA_MODEL_FEATURE_NUM {c_int(rule.num, unsigned=True)}\n"
        f"#define TA_MODEL_FEATURE_DEN {c_int(rule.den, unsigned=True)}\n"
        f"#define TA_MODEL_FEATURE_ZERO_POINT ({c_int(rule.zero_point)})\n"
    )
    return source, header
