"""The Typer application every command module registers on.

Command modules must not import TensorFlow (or anything slow) at module level: `tinyaudio --help`
imports them all, and it must answer in well under a second.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="tinyaudio",
    help="Audio ML for microcontrollers: features, training, int8 models, C firmware, emulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
