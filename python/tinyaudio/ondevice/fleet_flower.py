"""The fleet on Flower (flwr, Message API, 1.21 or newer): a ClientApp per device, a ServerApp with FedAvg.

Flower lives in its own environment (its pins of typer, rich and protobuf differ from ours): `tinyaudio fleet
simulate --engine flower` prepares the devices in the main environment (their embeddings, computed by the
firmware), writes them to one .npz file (`write_spec`), and runs this module with the Flower environment's
Python:

    FLEET_PYTHON -m tinyaudio.ondevice.fleet_flower SPEC.npz --rounds N --json OUT.json

This module imports only numpy, flwr and tinyaudio's own numpy modules (head, record, fleet), so that
environment needs nothing else (`pip install 'flwr[simulation]' numpy` and tinyaudio with --no-deps).

The ClientApp is what a gateway runs for its device: its train step hands the global head to a `DeviceLink`
and sends back the head the device learned and how many samples it learned from; its evaluate step reports
the device's accuracy. In simulation the link is the numpy mirror of the firmware's head on the device's
embeddings (`MirrorLink`); a gateway's link would provision the head into the device's storage slot
(HEAD.bin, tinyaudio.ondevice.record) and read the device's record back. The global head travels as two
arrays (weights, bias); its identity (model and frontend sha256, labels) travels in the ConfigRecord and
every client refuses a head that is not for its model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from tinyaudio.ondevice.fleet import Device, FleetError, accuracy, device_round, factory_record
from tinyaudio.ondevice.head import Factory, HParams
from tinyaudio.ondevice.record import HeadRecord

if TYPE_CHECKING:  # flwr is imported only when the apps are built
    from flwr.clientapp import ClientApp
    from flwr.serverapp import ServerApp

MISSING_FLWR = (
    "the Flower engine needs flwr in its own environment: in a checkout run `make fleet` (builds "
    ".venv-fleet); elsewhere `python -m venv FLEET && FLEET/bin/pip install 'tinyaudio[fleet]'` and set "
    "TINYAUDIO_FLEET_PYTHON=FLEET/bin/python; or use --engine numpy"
)


class DeviceLink(Protocol):
    """What a ClientApp needs from its device."""

    def learn(self, global_record: HeadRecord, server_round: int) -> tuple[HeadRecord, int]: ...

    def evaluate(self, record: HeadRecord) -> tuple[float, int]: ...


@dataclass
class MirrorLink:
    """A simulated device: the numpy mirror of the firmware's head on the device's own embeddings."""

    factory: Factory
    device: Device
    hp: HParams
    index: int = 0
    epochs: int = 1

    def learn(self, global_record: HeadRecord, server_round: int) -> tuple[HeadRecord, int]:
        return device_round(
            global_record,
            self.factory,
            self.device,
            self.hp,
            epochs=self.epochs,
            seed=1000 * server_round + self.index,
        )

    def evaluate(self, record: HeadRecord) -> tuple[float, int]:
        return accuracy(record, self.factory, self.device.test_embeddings, self.device.test_labels), len(
            self.device.test_labels
        )


def identity_config(factory: Factory) -> dict[str, str]:
    return {
        "model-sha256": factory.model_sha256,
        "frontend-sha256": factory.frontend_sha256,
        "labels": "\n".join(factory.labels),
    }


def record_from_message(
    arrays: Sequence[np.ndarray], config: dict[str, Any], factory: Factory, server_round: int
) -> HeadRecord:
    """The global head of a Flower message, refused (FleetError) unless it is for this device's model."""
    if (
        config.get("model-sha256") != factory.model_sha256
        or config.get("frontend-sha256") != factory.frontend_sha256
    ):
        raise FleetError(
            f"global head for model {str(config.get('model-sha256'))[:12]}…, this device runs "
            f"{factory.model_sha256[:12]}…; refused"
        )
    labels = str(config.get("labels", "")).split("\n")
    if labels[: factory.classes] != list(factory.labels):
        raise FleetError(f"global head labels {labels} do not extend this device's {factory.labels}; refused")
    w, b = (np.asarray(a, dtype=np.float32) for a in arrays[:2])
    if w.shape != (len(labels), factory.dim) or b.shape != (len(labels),):
        raise FleetError(f"global head of shape {w.shape} does not fit {len(labels)} x {factory.dim}")
    return HeadRecord(
        factory.model_sha256,
        factory.frontend_sha256,
        labels,
        w,
        b,
        np.zeros(len(labels), np.uint32),
        factory.classes,
        True,
        server_round,
        "global",
    )


def make_client_app(factory: Factory, link_for: Callable[[Any], DeviceLink]) -> ClientApp:
    """The ClientApp: `link_for(context)` gives the DeviceLink of the node (simulation: by partition-id)."""
    try:
        from flwr.app import ArrayRecord, Context, Message, MetricRecord, RecordDict
        from flwr.clientapp import ClientApp
    except ImportError as err:
        raise FleetError(f"{MISSING_FLWR} ({err})") from None

    app = ClientApp()

    @app.train()
    def train(msg: Message, context: Context) -> Message:
        config = dict(msg.content["config"])
        server_round = int(config.get("server-round", 0))
        arrays = msg.content["arrays"].to_numpy_ndarrays()
        global_record = record_from_message(arrays, config, factory, server_round)
        record, learned = link_for(context).learn(global_record, server_round)
        reply = RecordDict(
            {
                "arrays": ArrayRecord([record.weights, record.bias]),
                "metrics": MetricRecord({"num-examples": int(learned)}),
            }
        )
        return Message(content=reply, reply_to=msg)

    @app.evaluate()
    def evaluate(msg: Message, context: Context) -> Message:
        config = dict(msg.content["config"])
        arrays = msg.content["arrays"].to_numpy_ndarrays()
        record = record_from_message(arrays, config, factory, int(config.get("server-round", 0)))
        acc, n = link_for(context).evaluate(record)
        # Weighted by 1 per device: the aggregated accuracy is the mean over devices (as the numpy engine's).
        reply = RecordDict(
            {"metrics": MetricRecord({"accuracy": float(acc), "clips": int(n), "num-examples": 1})}
        )
        return Message(content=reply, reply_to=msg)

    return app


def make_server_app(factory: Factory, num_devices: int, rounds: int, out: dict[str, Any]) -> ServerApp:
    """The ServerApp: FedAvg over the devices' heads, weighted by the samples each learned in the round.
    Fills `out`: "rounds" (round, mean accuracy over devices) and the final global "weights" and "bias"."""
    try:
        from flwr.app import ArrayRecord, ConfigRecord, Context
        from flwr.serverapp import Grid, ServerApp
        from flwr.serverapp.strategy import FedAvg
    except ImportError as err:
        raise FleetError(f"{MISSING_FLWR} ({err})") from None

    app = ServerApp()
    start = factory_record(factory)

    @app.main()
    def main(grid: Grid, context: Context) -> None:
        strategy = FedAvg(
            fraction_train=1.0,
            fraction_evaluate=1.0,
            min_train_nodes=num_devices,
            min_evaluate_nodes=num_devices,
            min_available_nodes=num_devices,
        )
        config = ConfigRecord(identity_config(factory))
        result = strategy.start(
            grid=grid,
            initial_arrays=ArrayRecord([start.weights, start.bias]),
            num_rounds=rounds,
            train_config=config,
            evaluate_config=config,
        )
        out["rounds"] = [
            {"round": int(r), "mean_accuracy": float(metrics["accuracy"])}
            for r, metrics in sorted(result.evaluate_metrics_clientapp.items())
        ]
        final = (
            result.arrays.to_numpy_ndarrays() if result.arrays is not None else [start.weights, start.bias]
        )
        out["weights"], out["bias"] = np.asarray(final[0]).tolist(), np.asarray(final[1]).tolist()

    return app


def write_spec(path: Path, factory: Factory, devices: Sequence[Device], hp: HParams, epochs: int = 1) -> Path:
    """Everything the Flower run needs, in one .npz (no pickles)."""
    arrays: dict[str, Any] = {
        "weights": factory.weights,
        "weight_scales": factory.weight_scales,
        "bias": factory.bias if factory.bias is not None else np.zeros(0, np.int32),
        "has_bias": np.array(factory.bias is not None),
        "input": np.array([factory.input_scale, factory.input_zero_point], dtype=np.float64),
        "labels": np.array(factory.labels),
        "identity": np.array([factory.model_sha256, factory.frontend_sha256]),
        "hparams": np.array(
            [
                hp.learning_rate,
                hp.l2,
                hp.clip_norm,
                hp.momentum,
                hp.reject_confidence,
                hp.imprint_margin,
                epochs,
            ],
            dtype=np.float64,
        ),
        "names": np.array([d.name for d in devices]),
    }
    for i, d in enumerate(devices):
        arrays[f"train_e{i}"], arrays[f"train_y{i}"] = d.train_embeddings, d.train_labels
        arrays[f"test_e{i}"], arrays[f"test_y{i}"] = d.test_embeddings, d.test_labels
    np.savez(path, **arrays)
    return path


def read_spec(path: Path) -> tuple[Factory, list[Device], HParams, int]:
    with np.load(path, allow_pickle=False) as z:
        factory = Factory(
            z["weights"],
            z["weight_scales"],
            z["bias"] if bool(z["has_bias"]) else None,
            float(z["input"][0]),
            int(z["input"][1]),
            [str(x) for x in z["labels"]],
            str(z["identity"][0]),
            str(z["identity"][1]),
        )
        h = z["hparams"]
        hp = HParams(float(h[0]), float(h[1]), float(h[2]), float(h[3]), float(h[4]), float(h[5]))
        devices = [
            Device(str(n), z[f"train_e{i}"], z[f"train_y{i}"], z[f"test_e{i}"], z[f"test_y{i}"])
            for i, n in enumerate(z["names"])
        ]
    return factory, devices, hp, int(h[6])


def simulate_flower(spec: Path, rounds: int) -> dict[str, Any]:
    """Runs the Flower simulation (Ray backend) of the devices in `spec`; returns {"rounds": [...],
    "weights": ..., "bias": ...} (the final global head)."""
    try:
        from flwr.simulation import run_simulation
    except ImportError as err:
        raise FleetError(f"{MISSING_FLWR} ({err})") from None
    factory, devices, hp, epochs = read_spec(spec)
    links = [MirrorLink(factory, d, hp, i, epochs) for i, d in enumerate(devices)]

    def link_for(context: Any) -> DeviceLink:
        return links[int(context.node_config["partition-id"])]

    out: dict[str, Any] = {}
    run_simulation(
        server_app=make_server_app(factory, len(devices), rounds, out),
        client_app=make_client_app(factory, link_for),
        num_supernodes=len(devices),
        backend_config={"client_resources": {"num_cpus": 1, "num_gpus": 0.0}},
    )
    if "rounds" not in out:
        raise FleetError("the Flower simulation ended without results (see its log above)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the tinyaudio fleet on Flower's simulation engine.")
    ap.add_argument("spec", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path, required=True)
    args = ap.parse_args(argv)
    try:
        out = simulate_flower(args.spec, args.rounds)
    except FleetError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    args.json.write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
