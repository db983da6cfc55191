"""`tinyaudio` command line: a thin layer over the library, one module per stage."""

from __future__ import annotations

import os
import sys

import typer

from tinyaudio import __version__
from tinyaudio.cli._app import app
from tinyaudio.errors import TinyaudioError

# Each module registers its commands on `app` when imported.
from tinyaudio.cli import datasets_cmd as _datasets_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import features_cmd as _features_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import compile_cmd as _compile_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import run_cmd as _run_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import train_cmd as _train_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import eval_cmd as _eval_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import boards_cmd as _boards_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import adapt_cmd as _adapt_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import head_cmd as _head_cmd  # noqa: E402,F401  isort: skip
from tinyaudio.cli import fleet_cmd as _fleet_cmd  # noqa: E402,F401  isort: skip


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tinyaudio {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Audio ML for microcontrollers: features, training, int8 models, C firmware, emulation."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: user errors become one line on stderr and exit code 2 (usage errors too, via click)."""
    # TensorFlow's C++ start-up chatter (oneDNN, CUDA probing) is noise to a CLI user; errors still show.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        app(args=argv, prog_name="tinyaudio")
    except TinyaudioError as err:
        typer.secho(f"error: {err}", err=True, fg=typer.colors.RED)
        return 2
    except SystemExit as ex:  # click's standalone mode exits with the command's code
        return ex.code if isinstance(ex.code, int) else (0 if ex.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
