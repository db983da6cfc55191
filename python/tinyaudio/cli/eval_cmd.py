"""`tinyaudio eval MODEL_int8.tflite --data DIR`: accuracy of any int8 classifier on a dataset split."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tinyaudio.cli._app import app


@app.command("eval")
def eval_model(
    model: Path = typer.Argument(..., metavar="MODEL_int8.tflite", help="Full-int8 TFLite classifier."),
    data: Path = typer.Option(..., "--data", help="Dataset folder or CSV manifest."),
    split: str = typer.Option("test", "--split", help="test | val | train | all."),
    engine: str = typer.Option("litert", "--engine", help="litert | tflm | firmware (others may be registered)."),
    target: str = typer.Option("host", "--target", help="With --engine firmware: host | qemu-m4 | qemu-m55."),
    frontend: str = typer.Option(
        None, "--frontend", help="Preset name or FrontendConfig JSON (default: manifest.json beside the model)."
    ),
    labels: str = typer.Option(None, "--labels", help="Comma-separated label list in output order (default: manifest)."),
    split_kind: str = typer.Option(
        None, "--split-kind", help="standard | kfold | leave_one_group_out (default: the manifest's, else standard)."
    ),
    fold: int = typer.Option(None, "--fold", help="Fold for kfold / leave_one_group_out (0-based)."),
    json_out: Path = typer.Option(None, "--json", help="Write the full result (per-class, confusion) here."),
) -> None:
    """Evaluate MODEL on the dataset's split with the model's frontend and labels."""
    from tinyaudio.evaluate import evaluate_model_on_data

    result = evaluate_model_on_data(
        model, data, split=split, engine=engine, frontend=frontend,
        labels=labels.split(",") if labels else None, split_kind=split_kind, fold=fold, target=target,
    )
    if json_out is not None:
        json_out.write_text(json.dumps(result.to_dict(), indent=2))
    typer.echo(
        f"{model}: {engine} accuracy {result.accuracy:.4f} ({int(round(result.accuracy * result.n))}/{result.n}) "
        f"on {result.extra.get('split_name', split)}"
    )
