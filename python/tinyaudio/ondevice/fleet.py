"""A fleet of devices pooling what their heads learned: sample-weighted federated averaging (FedAvg) of head
records, with the semantic checks that keep heads of different models apart, and a simulation of many
devices learning in rounds (each device the numpy mirror of the firmware's head on its own clips).

`aggregate` refuses heads made for another model, another frontend configuration, another embedding size or
another label set — one line naming the file and what differs. `simulate` runs the numpy engine itself;
`tinyaudio.ondevice.fleet_flower` runs the same device step inside Flower's ClientApp/ServerApp.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinyaudio.errors import TinyaudioError
from tinyaudio.ondevice.head import Factory, Head, HParams
from tinyaudio.ondevice.record import HeadRecord


class FleetError(TinyaudioError):
    """Heads that cannot be combined (another model, frontend, shape or label set), or no heads at all."""


def check_compatible(records: Sequence[HeadRecord], sources: Sequence[str] | None = None) -> None:
    """Raises FleetError (one line naming the file) unless every record matches the first one."""
    if not records:
        raise FleetError("no heads to aggregate")
    names = list(sources) if sources is not None else [f"head {i}" for i in range(len(records))]
    ref, ref_name = records[0], names[0]
    for rec, name in zip(records[1:], names[1:], strict=True):
        if rec.model_sha256 != ref.model_sha256:
            raise FleetError(
                f"{name}: head for model {rec.model_sha256[:12]}…, but {ref_name} is for model "
                f"{ref.model_sha256[:12]}…; heads of different models cannot be combined"
            )
        if rec.frontend_sha256 != ref.frontend_sha256:
            raise FleetError(
                f"{name}: head for frontend {rec.frontend_sha256[:12]}…, but {ref_name} is for "
                f"{ref.frontend_sha256[:12]}…; refusing to combine them"
            )
        if rec.dim != ref.dim or rec.factory_classes != ref.factory_classes:
            raise FleetError(
                f"{name}: {rec.factory_classes} factory classes x {rec.dim}, but {ref_name} has "
                f"{ref.factory_classes} x {ref.dim}"
            )
        if rec.labels != ref.labels:
            raise FleetError(
                f"{name}: labels {rec.labels} differ from {ref_name}'s {ref.labels}; heads with "
                "different label sets cannot be averaged"
            )


def aggregate(
    records: Sequence[HeadRecord],
    sources: Sequence[str] | None = None,
    weights: Sequence[float] | None = None,
) -> HeadRecord:
    """FedAvg: the heads' weights and biases averaged with weight n_i = the samples head i learned (its
    per-class counts summed; `weights` overrides), plain mean when no head learned anything. The result's
    counts are the sum, its sequence number one past the largest, its device id "fleet"."""
    check_compatible(records, sources)
    n = np.array(
        [float(r.counts.sum()) for r in records] if weights is None else list(weights), dtype=np.float64
    )
    if n.shape != (len(records),) or np.any(n < 0):
        raise FleetError("aggregation weights must be one non-negative number per head")
    if n.sum() == 0:
        n = np.ones(len(records))
    share = n / n.sum()
    w = np.sum([s * r.weights.astype(np.float64) for s, r in zip(share, records, strict=True)], axis=0)
    b = np.sum([s * r.bias.astype(np.float64) for s, r in zip(share, records, strict=True)], axis=0)
    ref = records[0]
    counts = np.sum([r.counts.astype(np.uint64) for r in records], axis=0)
    return HeadRecord(
        model_sha256=ref.model_sha256,
        frontend_sha256=ref.frontend_sha256,
        labels=list(ref.labels),
        weights=w.astype(np.float32),
        bias=b.astype(np.float32),
        counts=np.minimum(counts, 0xFFFFFFFF).astype(np.uint32),
        factory_classes=ref.factory_classes,
        learned=any(r.learned for r in records),
        seq=(max(r.seq for r in records) + 1) & 0xFFFFFFFF,
        device_id="fleet",
    )


@dataclass
class Device:
    """One simulated device: the int8 embeddings its firmware computed for its own clips, with labels."""

    name: str
    train_embeddings: np.ndarray  # int8 [n, dim]
    train_labels: np.ndarray  # [n] class index
    test_embeddings: np.ndarray
    test_labels: np.ndarray


def device_round(
    global_record: HeadRecord,
    factory: Factory,
    device: Device,
    hp: HParams,
    *,
    epochs: int = 1,
    seed: int = 0,
) -> tuple[HeadRecord, int]:
    """One device's local step: start from the global head, learn its own clips (the numpy mirror of the
    firmware's update, shuffled with `seed`); returns its head and how many samples it learned from."""
    head = global_record.to_head(factory, Head(factory, hp))
    before = int(head.counts.sum())
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        for i in rng.permutation(len(device.train_labels)):
            head.update(device.train_embeddings[i], int(device.train_labels[i]))
    rec = HeadRecord.from_head(head, seq=global_record.seq, device_id=device.name[:16])
    return rec, int(head.counts.sum()) - before


def accuracy(record: HeadRecord, factory: Factory, embeddings: np.ndarray, labels: np.ndarray) -> float:
    """The head's accuracy on embeddings (the float head; an unlearned head is its dequantized factory)."""
    if len(labels) == 0:
        return 0.0
    head = record.to_head(factory)
    return float(np.mean(head.predict_batch(embeddings) == labels))


def factory_record(factory: Factory) -> HeadRecord:
    """The factory head as a record (sequence 0): where a fleet starts."""
    return HeadRecord.from_head(Head(factory), seq=0, device_id="factory")


@dataclass
class RoundResult:
    round: int
    mean_accuracy: float  # global head on every device's test clips, mean over devices
    per_device: dict[str, float] = field(default_factory=dict)
    samples: int = 0


def simulate(
    factory: Factory,
    devices: Sequence[Device],
    *,
    rounds: int = 3,
    hp: HParams | None = None,
    epochs: int = 1,
    seed: int = 0,
    on_round: Callable[[RoundResult], None] | None = None,
) -> tuple[HeadRecord, list[RoundResult]]:
    """Federated rounds with the numpy engine: every device trains from the global head, the server takes
    the sample-weighted average. Round 0 is the factory head."""
    hp = (hp or HParams()).check()
    if not devices:
        raise FleetError("no devices to simulate")
    global_record = factory_record(factory)
    results = [evaluate_round(0, global_record, factory, devices, 0)]
    if on_round:
        on_round(results[-1])
    for r in range(1, rounds + 1):
        local = [
            device_round(global_record, factory, d, hp, epochs=epochs, seed=seed + 1000 * r + i)
            for i, d in enumerate(devices)
        ]
        global_record = aggregate(
            [rec for rec, _ in local], [d.name for d in devices], weights=[n for _, n in local]
        )
        results.append(evaluate_round(r, global_record, factory, devices, sum(n for _, n in local)))
        if on_round:
            on_round(results[-1])
    return global_record, results


def evaluate_round(
    r: int, record: HeadRecord, factory: Factory, devices: Sequence[Device], samples: int
) -> RoundResult:
    per = {d.name: accuracy(record, factory, d.test_embeddings, d.test_labels) for d in devices}
    return RoundResult(r, float(np.mean(list(per.values()))), per, samples)


def devices_from_dataset(
    model_dir: str | Path,
    data: str | Path,
    *,
    target: str = "host",
    test_fraction: float = 0.5,
    seed: int = 0,
) -> tuple[Factory, list[Device]]:
    """One device per group (speaker, fold) of the dataset at `data`: its clips' int8 embeddings computed
    by the firmware (EMBED commands on `target`), split into the device's own training and test clips
    (by take when the layout has takes: the later takes train; else a seeded shuffle)."""
    from tinyaudio.data import open_dataset
    from tinyaudio.emulate.firmware import load_clips
    from tinyaudio.ondevice import adapt as A
    from tinyaudio.ondevice.factory import compiled_for_adapt, factory_from_compiled

    model_dir = compiled_for_adapt(model_dir)
    factory = factory_from_compiled(model_dir)
    ds = open_dataset(data)
    unknown = sorted({c.label for c in ds.clips} - set(factory.labels))
    if unknown:
        raise FleetError(f"{data}: label(s) {', '.join(unknown)} are not classes of the model")
    index = {lab: i for i, lab in enumerate(factory.labels)}
    frontend = A.factory_manifest_frontend(model_dir)
    audio = load_clips([c.path for c in ds.clips], frontend)
    out = A.run_firmware(model_dir, target, [A.embed(a) for a in audio])
    emb = np.stack([v for _, v in out.results]).astype(np.int8)
    y = np.array([index[c.label] for c in ds.clips])
    rng = np.random.default_rng(seed)
    devices = []
    for g in sorted({c.group for c in ds.clips}):
        idx = np.array([i for i, c in enumerate(ds.clips) if c.group == g])
        takes = [ds.clips[i].take for i in idx]
        if all(t is not None for t in takes):
            order = idx[np.argsort(np.array(takes), kind="stable")]
        else:
            order = idx[rng.permutation(len(idx))]
        n_test = int(round(len(order) * test_fraction))
        test, train = order[:n_test], order[n_test:]
        devices.append(Device(g, emb[train], y[train], emb[test], y[test]))
    return factory, devices


def round_table(results: Sequence[RoundResult]) -> list[dict[str, Any]]:
    return [
        {"round": r.round, "mean_accuracy": r.mean_accuracy, "samples": r.samples, "per_device": r.per_device}
        for r in results
    ]
