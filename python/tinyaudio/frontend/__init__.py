"""The audio frontend: Python face of the one C implementation in firmware/frontend/.

`FrontendConfig` describes how audio becomes features; `compute_features*` and `FrontendStream`
run the C code through the `tinyaudio._frontend` extension (imported on first use, not here).
"""

from tinyaudio.frontend.config import (
    FORMAT_VERSION,
    PRESET_NAMES,
    FrontendConfig,
    c_fields,
    config_fields_c,
    frames_for_samples,
    preset,
)
from tinyaudio.frontend.features import (
    FrontendStream,
    clip_gain,
    compute_features,
    compute_features_batch,
    frontend_state_bytes,
)
from tinyaudio.frontend.micro import (
    MICRO_PRESET_NAMES,
    MicroFrontendConfig,
    MicroFrontendStream,
    compute_micro_features,
    micro_c_fields,
    micro_frontend_tables,
    micro_preset,
    micro_state_bytes,
    micro_tables_to_c,
)
from tinyaudio.frontend.presets import (
    ALL_PRESET_NAMES,
    AnyFrontendConfig,
    any_preset,
    config_from_dict,
    config_from_json,
    load_config,
)
from tinyaudio.frontend.tables import config_to_c, frontend_tables, tables_to_c

__all__ = [
    "ALL_PRESET_NAMES",
    "MICRO_PRESET_NAMES",
    "AnyFrontendConfig",
    "MicroFrontendConfig",
    "MicroFrontendStream",
    "any_preset",
    "compute_micro_features",
    "config_from_dict",
    "config_from_json",
    "load_config",
    "micro_c_fields",
    "micro_frontend_tables",
    "micro_preset",
    "micro_state_bytes",
    "micro_tables_to_c",
    "FORMAT_VERSION",
    "PRESET_NAMES",
    "FrontendConfig",
    "FrontendStream",
    "c_fields",
    "config_fields_c",
    "clip_gain",
    "compute_features",
    "compute_features_batch",
    "config_to_c",
    "frames_for_samples",
    "frontend_state_bytes",
    "frontend_tables",
    "preset",
    "tables_to_c",
]
