"""`tinyaudio train RECIPE.yaml --data DIR -o RUN_DIR`: teacher, distilled student, int8 model, reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app


@app.command("train")
def train(
    recipe_path: Annotated[
        Path, typer.Argument(metavar="RECIPE.yaml", help="Training recipe (models/*.yaml).")
    ],
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Run folder to write (model.keras, model_int8.tflite).")
    ],
    data: Annotated[
        Path | None, typer.Option("--data", help="Dataset folder or CSV manifest (default: the recipe's).")
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a recipe field: --set training.epochs=3 (repeatable)."),
    ] = None,
    epochs: Annotated[
        int | None, typer.Option("--epochs", help="Shortcut for --set training.epochs=N.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Shortcut for --set training.seed=N.")] = None,
    fold: Annotated[
        int | None, typer.Option("--fold", help="Shortcut for --set dataset.fold=N (0-based).")
    ] = None,
    all_folds: Annotated[
        bool,
        typer.Option(
            "--all-folds", help="Cross-validate every fold of dataset.split into OUT/fold<k> + cv.json."
        ),
    ] = False,
    no_teacher: Annotated[
        bool, typer.Option("--no-teacher", help="Train the student without distillation.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print the summary.")] = False,
) -> None:
    """Train (teacher, then distilled student), quantize to full int8 and report accuracy at each step."""
    from tinyaudio.train.data_prep import count_folds, open_labelled, resolve_data_path
    from tinyaudio.train.pipeline import run_recipe
    from tinyaudio.train.recipe import load_recipe

    sets = list(overrides or [])
    for key, value in (("training.epochs", epochs), ("training.seed", seed), ("dataset.fold", fold)):
        if value is not None:
            sets.append(f"{key}={value}")
    if no_teacher:
        sets.append("teacher=null")
    recipe = load_recipe(recipe_path, sets)
    log = (lambda _msg: None) if quiet else (lambda msg: typer.echo(msg))

    if not all_folds:
        result = run_recipe(recipe, out, data, log=log, progress=not quiet)
        m = result.metrics
        teacher = "" if m["teacher_accuracy"] is None else f", teacher {m['teacher_accuracy']:.4f}"
        typer.echo(
            f"{recipe.name}: int8 {m['int8_accuracy']:.4f}, float {m['float_accuracy']:.4f}{teacher} "
            f"on {m['n_test']} test clips ({m['split']['name']}); {result.manifest['params']} params, "
            f"{result.manifest['tflite_bytes']} tflite bytes -> {out}"
        )
        return
    data_path = resolve_data_path(recipe.dataset, data, recipe.source)
    n_folds = count_folds(open_labelled(data_path, recipe.dataset.labels), recipe.dataset)
    rows = []
    for k in range(n_folds):
        fold_recipe = load_recipe(recipe_path, [*sets, f"dataset.fold={k}"])
        result = run_recipe(fold_recipe, out / f"fold{k}", data, log=log, progress=not quiet)
        m = result.metrics
        rows.append(
            {
                "fold": k,
                "split": m["split"]["name"],
                "n_test": m["n_test"],
                "float_accuracy": m["float_accuracy"],
                "int8_accuracy": m["int8_accuracy"],
                "teacher_accuracy": m["teacher_accuracy"],
                "timings_s": result.timings,
            }
        )
        typer.echo(
            f"fold {k} ({m['split']['name']}): int8 {m['int8_accuracy']:.4f}, float {m['float_accuracy']:.4f}"
        )

    def mean(key: str) -> float | None:
        vals = [r[key] for r in rows if r[key] is not None]
        return float(sum(vals) / len(vals)) if vals else None

    summary = {
        "recipe": recipe.name,
        "folds": rows,
        "mean_int8_accuracy": mean("int8_accuracy"),
        "mean_float_accuracy": mean("float_accuracy"),
        "mean_teacher_accuracy": mean("teacher_accuracy"),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "cv.json").write_text(json.dumps(summary, indent=2))
    teacher_mean = summary["mean_teacher_accuracy"]
    typer.echo(
        f"{recipe.name}: {n_folds}-fold mean int8 {summary['mean_int8_accuracy']:.4f}, float "
        f"{summary['mean_float_accuracy']:.4f}"
        + ("" if teacher_mean is None else f", teacher {teacher_mean:.4f}")
        + f" -> {out / 'cv.json'}"
    )
