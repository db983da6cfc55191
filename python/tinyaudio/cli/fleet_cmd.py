"""`tinyaudio fleet aggregate HEAD.bin... -o HEAD.bin` and `tinyaudio fleet simulate MODEL --data DIR`."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from tinyaudio.cli._app import app

fleet_app = typer.Typer(help="Pool what many devices' heads learned.", no_args_is_help=True)
app.add_typer(fleet_app, name="fleet")


@fleet_app.command("aggregate")
def aggregate_command(
    heads: Annotated[
        list[Path], typer.Argument(help="Head records (HEAD.bin) of devices running one model.")
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="The aggregated head record.")],
) -> None:
    """Sample-weighted federated averaging (FedAvg) of heads; heads of another model, frontend, embedding
    size or label set are refused."""
    from tinyaudio.ondevice.fleet import aggregate
    from tinyaudio.ondevice.record import read_record, write_record

    records = [read_record(h) for h in heads]
    merged = aggregate(records, [str(h) for h in heads])
    write_record(out, merged)
    total = int(merged.counts.sum())
    typer.echo(f"{out}: {len(records)} heads averaged, weighted by {total} samples; sequence {merged.seq}")


def _fleet_python() -> str:
    """The Python of the Flower environment: $TINYAUDIO_FLEET_PYTHON, else .venv-fleet beside the checkout."""
    env = os.environ.get("TINYAUDIO_FLEET_PYTHON")
    if env:
        return env
    from tinyaudio.resources import checkout_root

    root = checkout_root()
    candidate = root / ".venv-fleet" / "bin" / "python" if root is not None else None
    if candidate is None or not candidate.is_file():
        from tinyaudio.ondevice.fleet import FleetError
        from tinyaudio.ondevice.fleet_flower import MISSING_FLWR

        raise FleetError(MISSING_FLWR)
    return str(candidate)


@fleet_app.command("simulate")
def simulate_command(
    model: Annotated[
        Path, typer.Argument(help="Training run directory, .tflite, or compiled directory (with a head).")
    ],
    data: Annotated[Path, typer.Option("--data", help="Dataset; each group (speaker, fold) is one device.")],
    rounds: Annotated[int, typer.Option("--rounds", help="Federated rounds.")] = 3,
    engine: Annotated[
        str, typer.Option("--engine", help="numpy (built in) or flower (its own environment).")
    ] = "numpy",
    epochs: Annotated[int, typer.Option("--epochs", help="Local passes per round.")] = 1,
    head_out: Annotated[Path | None, typer.Option("--head-out", help="Write the final global head.")] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Per-round accuracies as JSON.")] = None,
) -> None:
    """N simulated devices (one per group of --data; each learns from its later clips and is tested on its
    earlier ones), each the numpy mirror of the firmware's head fed with the firmware's own embeddings;
    FedAvg over their heads each round; prints the global head's mean accuracy over devices per round."""
    from tinyaudio.manifest import write_manifest
    from tinyaudio.ondevice.fleet import FleetError, RoundResult, devices_from_dataset, simulate
    from tinyaudio.ondevice.head import HParams
    from tinyaudio.ondevice.record import HeadRecord, write_record

    if engine not in ("numpy", "flower"):
        raise FleetError(f"unknown engine {engine!r} (numpy or flower)")
    factory, devices = devices_from_dataset(model, data)
    typer.echo(
        f"{len(devices)} devices: "
        + ", ".join(f"{d.name} ({len(d.train_labels)} train / {len(d.test_labels)} test)" for d in devices)
    )
    hp = HParams()

    def show(r: RoundResult) -> None:
        typer.echo(
            f"round {r.round}: mean accuracy {100 * r.mean_accuracy:.1f} % ({r.samples} samples learned)"
        )

    if engine == "numpy":
        final, results = simulate(factory, devices, rounds=rounds, hp=hp, epochs=epochs, on_round=show)
        table = [
            {"round": r.round, "mean_accuracy": r.mean_accuracy, "per_device": r.per_device} for r in results
        ]
    else:
        import json

        import numpy as np

        from tinyaudio.ondevice.fleet import evaluate_round, factory_record
        from tinyaudio.ondevice.fleet_flower import write_spec

        show(evaluate_round(0, factory_record(factory), factory, devices, 0))
        with tempfile.TemporaryDirectory(prefix="ta_fleet_") as tmp:
            spec = write_spec(Path(tmp) / "spec.npz", factory, devices, hp, epochs)
            out_json = Path(tmp) / "out.json"
            cmd = [
                _fleet_python(),
                "-m",
                "tinyaudio.ondevice.fleet_flower",
                str(spec),
                "--rounds",
                str(rounds),
                "--json",
                str(out_json),
            ]
            proc = subprocess.run(
                cmd, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
            )
            if proc.returncode != 0 or not out_json.is_file():
                raise FleetError(f"the Flower simulation failed (exit {proc.returncode})")
            out = json.loads(out_json.read_text())
        table = [{"round": 0, "mean_accuracy": None}] + out["rounds"]
        for row in out["rounds"]:
            typer.echo(f"round {row['round']}: mean accuracy {100 * row['mean_accuracy']:.1f} % (Flower)")
        ref = factory_record(factory)
        final = HeadRecord(
            ref.model_sha256,
            ref.frontend_sha256,
            list(ref.labels),
            np.asarray(out["weights"], np.float32),
            np.asarray(out["bias"], np.float32),
            ref.counts,
            ref.factory_classes,
            True,
            rounds,
            "fleet",
        )
    if head_out is not None:
        write_record(head_out, final)
        typer.echo(f"{head_out}: global head after {rounds} rounds")
    if json_path is not None:
        write_manifest(
            json_path, {"engine": engine, "rounds": table, "devices": [d.name for d in devices]}, "run-result"
        )
