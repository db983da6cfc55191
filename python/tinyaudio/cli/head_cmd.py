"""`tinyaudio head inspect HEAD.bin`: what a stored head is (model, labels, counts, CRC)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app

head_app = typer.Typer(help="On-device learning heads (HEAD.bin: one head record).", no_args_is_help=True)
app.add_typer(head_app, name="head")


@head_app.command("inspect")
def inspect_command(
    head: Annotated[Path, typer.Argument(help="A head record (HEAD.bin).")],
    model: Annotated[
        Path | None, typer.Option("--model", help="Also check it against this model (run or compiled dir).")
    ] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the description as JSON.")] = None,
) -> None:
    """Print a head record's identity (model and frontend sha256), format version, sequence number, device
    id, labels and per-class sample counts; the CRC is checked on reading (a corrupt file is an error)."""
    from tinyaudio.manifest import write_manifest
    from tinyaudio.ondevice.record import check_identity, read_record

    record = read_record(head)
    doc = record.describe()
    if model is not None:
        from tinyaudio.ondevice.factory import compiled_for_adapt, factory_from_compiled

        check_identity(record, factory_from_compiled(compiled_for_adapt(model)), source=str(head))
        doc["matches_model"] = str(model)
    counts = ", ".join(f"{lab}={n}" for lab, n in zip(doc["labels"], doc["sample_counts"], strict=True))
    typer.echo(f"{head}: tinyaudio head record v{doc['format_version']}, CRC-32 {doc['crc32']} ok")
    typer.echo(f"  model sha256     {doc['model_sha256']}")
    typer.echo(f"  frontend sha256  {doc['frontend_sha256']}")
    typer.echo(f"  sequence {doc['sequence']}, device '{doc['device_id']}', learned: {doc['learned']}")
    typer.echo(
        f"  {doc['classes']} classes ({doc['factory_classes']} from the model) x {doc['dim']} embedding "
        f"values, {doc['record_bytes']} B"
    )
    typer.echo(f"  samples learned: {counts}")
    if model is not None:
        typer.echo(f"  matches {model}")
    if json_path is not None:
        write_manifest(json_path, doc, "head")
