"""`tinyaudio eval MODEL_int8.tflite --data DIR`: accuracy of any int8 classifier on a dataset split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app


@app.command("eval")
def eval_model(
    model: Annotated[Path, typer.Argument(metavar="MODEL_int8.tflite", help="Full-int8 TFLite classifier.")],
    data: Annotated[Path, typer.Option("--data", help="Dataset folder or CSV manifest.")],
    split: Annotated[
        str, typer.Option("--split", help="test | val | train | all (every clip, e.g. of a plain folder).")
    ] = "test",
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="litert | tflm | firmware (built in). Python code adds engines with "
            "tinyaudio.evaluate.register_engine(name, fn) before calling tinyaudio.cli.main().",
        ),
    ] = "litert",
    target: Annotated[
        str, typer.Option("--target", help="With --engine firmware: host | qemu-m4 | qemu-m55.")
    ] = "host",
    frontend: Annotated[
        str | None, typer.Option("--frontend", help="Preset or FrontendConfig JSON (default: manifest.json).")
    ] = None,
    labels: Annotated[
        str | None,
        typer.Option("--labels", help="Comma-separated labels in output order (default: manifest)."),
    ] = None,
    split_kind: Annotated[
        str | None,
        typer.Option("--split-kind", help="standard | kfold | leave_one_group_out (default: manifest's)."),
    ] = None,
    fold: Annotated[
        int | None, typer.Option("--fold", help="Fold for kfold / leave_one_group_out (0-based).")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write per-class results and confusion here.")
    ] = None,
) -> None:
    """Evaluate MODEL on the dataset's split with the model's frontend and labels."""
    from tinyaudio.evaluate import evaluate_model_on_data

    result = evaluate_model_on_data(
        model,
        data,
        split=split,
        engine=engine,
        frontend=frontend,
        labels=labels.split(",") if labels else None,
        split_kind=split_kind,
        fold=fold,
        target=target,
    )
    if json_out is not None:
        json_out.write_text(json.dumps(result.to_dict(), indent=2))
    correct = int(round(result.accuracy * result.n))
    typer.echo(
        f"{model}: {engine} accuracy {result.accuracy:.4f} ({correct}/{result.n}) "
        f"on {result.extra['split_name']}"
    )
