"""`tinyaudio compile MODEL.tflite -o OUT_DIR`: int8 TFLite to C99 with a static memory plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app


def _load_frontend(spec: str) -> object:
    """A preset name or a frontend config JSON file (either kind)."""
    from tinyaudio import frontend as fe  # light: no TensorFlow

    path = Path(spec)
    if spec.endswith(".json") or path.is_file():
        return fe.load_config(path)
    return fe.any_preset(spec)


@app.command("compile")
def compile_command(
    model: Annotated[Path, typer.Argument(help="int8 .tflite model (full-integer quantized).")],
    out_dir: Annotated[Path, typer.Option("-o", "--out", help="Directory for model.c/.h, manifest.json.")],
    frontend: Annotated[
        str | None,
        typer.Option("--frontend", help="Frontend preset name (e.g. micro-frontend) or config JSON file."),
    ] = None,
    labels: Annotated[
        str | None, typer.Option("--labels", help="Comma-separated class labels, in output order.")
    ] = None,
    embedding: Annotated[
        str | None,
        typer.Option("--embedding", help="Tensor kept after invoke: auto (last dense's input), name, index."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print the plan per tensor.")] = False,
    micro_input: Annotated[
        str,
        typer.Option(
            "--micro-input",
            help="Micro frontend only: how its uint16 values become the int8 input: 'scale' (the model's "
            "input scale, values / out_scale) or 'tflm' ((v * 256 + 333) / 666 - 128, TFLM micro_speech / "
            "microWakeWord models).",
        ),
    ] = "scale",
    feature_scale: Annotated[
        float | None,
        typer.Option("--feature-scale", help="Micro frontend, rule 'scale': real feature value per unit."),
    ] = None,
) -> None:
    """Compile an int8 TFLite model into C (no interpreter, no heap, one static arena)."""
    from tinyaudio import frontend as fe
    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.manifest import manifest_beside

    label_list = [s.strip() for s in labels.split(",")] if labels else None
    frontend_config = _load_frontend(frontend) if frontend else None
    # A model from `tinyaudio train` carries its labels and frontend next to it; use them unless overridden.
    beside = manifest_beside(model, "training-run")
    beside_labels, beside_frontend = beside.get("labels"), beside.get("frontend")
    if label_list is None and isinstance(beside_labels, list):
        label_list = [str(x) for x in beside_labels]
        typer.echo(f"labels from {model.parent / 'manifest.json'}")
    if frontend_config is None and isinstance(beside_frontend, dict):
        frontend_config = fe.config_from_dict(beside_frontend)
        typer.echo(f"frontend from {model.parent / 'manifest.json'}")
    compiled = compile_model(
        model,
        out_dir,
        labels=label_list,
        frontend=frontend_config,
        embedding=embedding,
        micro_input=micro_input,
        feature_scale=feature_scale,
    )
    m = compiled.manifest
    if verbose:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"memory plan ({m['arena_bytes']} B arena)")
        for col in ("tensor", "name", "dtype", "shape", "offset", "bytes", "live ops"):
            table.add_column(col)
        for row in m["tensors"]:
            table.add_row(
                "-" if row["tensor"] is None else str(row["tensor"]),
                str(row["name"]),
                str(row.get("dtype", "")),
                "x".join(str(d) for d in row.get("shape", [])),
                str(row["offset"]),
                str(row["bytes"]),
                f"{row['first_op']}..{row['last_op']}",
            )
        Console().print(table)
    ops = ", ".join(f"{k}x{v}" for k, v in m["ops"].items())
    typer.echo(
        f"{out_dir}: arena {m['arena_bytes']} B, weights {m['weights_bytes']} B, {m['macs']} MACs, ops: {ops}"
    )
