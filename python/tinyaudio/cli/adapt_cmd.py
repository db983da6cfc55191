"""`tinyaudio adapt MODEL --train-data DIR --eval-data DIR`: on-device learning through the firmware."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app


@app.command("adapt")
def adapt_command(
    model: Annotated[
        Path, typer.Argument(help="Training run directory, .tflite, or compiled directory (with a head).")
    ],
    train_data: Annotated[Path, typer.Option("--train-data", help="Labelled clips the device learns from.")],
    eval_data: Annotated[
        Path, typer.Option("--eval-data", help="Labelled clips evaluated before and after.")
    ],
    json_path: Annotated[Path, typer.Option("--json", help="Where to write the result document (R.json).")],
    target: Annotated[
        str, typer.Option("--target", help="Where the firmware runs: host, qemu-m4, qemu-m55.")
    ] = "host",
    epochs: Annotated[int, typer.Option("--epochs", help="Passes over the training clips.")] = 1,
    allow_new_classes: Annotated[
        bool, typer.Option("--allow-new-classes", help="Add labels the model lacks by weight imprinting.")
    ] = False,
    head_out: Annotated[
        Path | None, typer.Option("--head-out", help="Write the learned head (HEAD.bin).")
    ] = None,
    head_in: Annotated[
        Path | None,
        typer.Option("--head-in", help="Boot the device with this head (HEAD.bin) in its storage."),
    ] = None,
    learning_rate: Annotated[float, typer.Option("--learning-rate", help="Head SGD step size.")] = 0.02,
    reject_confidence: Annotated[
        float,
        typer.Option(
            "--reject-confidence",
            help="Bad-label guard: reject contradicted predictions this sure (>1: off).",
        ),
    ] = 0.95,
    device_id: Annotated[str, typer.Option("--device-id", help="Device id stored in the head record.")] = "",
    seed: Annotated[int, typer.Option("--seed", help="Shuffle seed of the training clips.")] = 0,
) -> None:
    """Stream labelled clips through the firmware (frontend -> int8 model -> embedding -> head update),
    save the head to the device's storage, and report accuracy before and after on --eval-data."""
    from tinyaudio.data import open_dataset
    from tinyaudio.emulate.targets import get_target
    from tinyaudio.manifest import write_manifest
    from tinyaudio.ondevice.adapt import adapt
    from tinyaudio.ondevice.factory import compiled_for_adapt, factory_from_compiled
    from tinyaudio.ondevice.head import HParams
    from tinyaudio.ondevice.record import check_identity, read_record, store_image

    get_target(target)
    storage = None
    if head_in is not None:
        record = read_record(head_in)
        check_identity(record, factory_from_compiled(compiled_for_adapt(model)), source=str(head_in))
        storage = store_image(record)
    train = open_dataset(train_data)
    evaluation = open_dataset(eval_data)
    hp = HParams(learning_rate=learning_rate, reject_confidence=reject_confidence)
    result = adapt(
        model,
        [(c.path, c.label) for c in train.clips],
        [(c.path, c.label) for c in evaluation.clips],
        target=target,
        epochs=epochs,
        allow_new_classes=allow_new_classes,
        head_out=head_out,
        hparams=hp,
        device_id=device_id,
        seed=seed,
        storage=storage,
    )
    write_manifest(json_path, result.to_json(), "run-result")
    added = f", added {', '.join(result.new_classes)}" if result.new_classes else ""
    cost = (
        f", {result.instructions_per_update:,.0f} instructions/update"
        if result.instructions_per_update is not None
        else ""
    )
    typer.echo(
        f"{target}: accuracy {100 * result.accuracy_before:.1f} % -> {100 * result.accuracy_after:.1f} % "
        f"on {result.n_eval} clips after {result.updates} updates from {result.n_train} clips x {epochs} "
        f"({result.rejected} rejected by the guard{added}); head {result.head_bytes} B{cost}"
    )
    if head_out is not None:
        typer.echo(f"{head_out}: head sequence {result.record.seq if result.record else '?'}")
