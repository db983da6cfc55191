"""The one C frontend as Python sees it: the `tinyaudio._frontend` extension, loaded on first use.

`extension()` imports the extension (saying how to build it when it is missing); `native(config)` is a C
frontend state initialized for one configuration. Feature computation (features.py) and the tables printed as
C source (tables.py) both reach the C code through here, so neither imports the other.
"""

from __future__ import annotations

from typing import Any

from tinyaudio.errors import FrontendConfigError, TinyaudioError
from tinyaudio.frontend.config import FrontendConfig, c_fields


def extension() -> Any:
    """The `tinyaudio._frontend` module."""
    try:
        import tinyaudio._frontend as _frontend
    except ImportError as err:  # the package was installed without building its C part
        raise TinyaudioError(
            "the C frontend extension tinyaudio._frontend is not built; run "
            "`pip install -e . --no-deps --no-build-isolation` in the repository"
        ) from err
    return _frontend


def native(config: FrontendConfig) -> Any:
    """A new C frontend state (`ta_frontend_t` with its tables built) for `config`."""
    if not isinstance(config, FrontendConfig):
        raise FrontendConfigError(f"expected a FrontendConfig, got {type(config).__name__}")
    ext = extension()
    try:
        return ext.Frontend(c_fields(config))
    except ValueError as err:  # the C check disagrees with the Python one: still a config error
        raise FrontendConfigError(str(err)) from err
