"""One preset namespace and one JSON loader for both kinds of frontend: the float frontend (FrontendConfig,
tinyaudio.frontend.config) and the fixed-point micro frontend (TensorFlow's audio_microfrontend,
tinyaudio.frontend.micro). JSON documents are told apart by "kind". This module sits above both, so neither
config module imports the other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinyaudio.errors import FrontendConfigError
from tinyaudio.frontend.config import PRESET_NAMES, FrontendConfig, preset
from tinyaudio.frontend.micro import KIND as MICRO_KIND
from tinyaudio.frontend.micro import MICRO_PRESET_NAMES, MicroFrontendConfig, micro_preset

AnyFrontendConfig = FrontendConfig | MicroFrontendConfig

ALL_PRESET_NAMES: tuple[str, ...] = PRESET_NAMES + MICRO_PRESET_NAMES


def any_preset(name: str, **overrides: Any) -> AnyFrontendConfig:
    """A preset of either frontend by name (see ALL_PRESET_NAMES), with fields replaced by `overrides`."""
    if name in MICRO_PRESET_NAMES:
        return micro_preset(name, **overrides)
    if name not in PRESET_NAMES:
        raise FrontendConfigError(
            f"unknown frontend preset {name!r}; choose one of {', '.join(ALL_PRESET_NAMES)}"
        )
    return preset(name, **overrides)


def config_from_dict(data: dict[str, Any]) -> AnyFrontendConfig:
    """A config of either kind from its JSON object: `"kind": "micro"` is the micro frontend, no kind (or
    "mel") the float frontend."""
    if isinstance(data, dict) and data.get("kind", "mel") == MICRO_KIND:
        return MicroFrontendConfig.from_dict(data)
    if isinstance(data, dict) and "kind" in data:
        if data["kind"] != "mel":
            raise FrontendConfigError(f"unknown frontend kind {data['kind']!r}; choose mel or micro")
        data = {k: v for k, v in data.items() if k != "kind"}
    return FrontendConfig.from_dict(data)


def config_from_json(text: str) -> AnyFrontendConfig:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FrontendConfigError(f"frontend config is not valid JSON: {err}") from err
    return config_from_dict(data)


def load_config(path: str | Path) -> AnyFrontendConfig:
    """A frontend config JSON file of either kind."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as err:
        raise FrontendConfigError(f"{path}: cannot read frontend config: {err.strerror}") from err
    try:
        return config_from_json(text)
    except FrontendConfigError as err:
        raise FrontendConfigError(f"{path}: {err}") from err
