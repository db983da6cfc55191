"""Fleet aggregation (sample-weighted FedAvg of head records) and its refusals, the fleet simulation with the
numpy engine, and the pieces of the Flower apps that run without Flower."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from adapt_fixtures import AdaptModel, link_clips  # noqa: I001
from ondevice_helpers import class_embeddings, random_factory

from tinyaudio.cli import main as cli
from tinyaudio.ondevice.fleet import Device, FleetError, aggregate, device_round, factory_record, simulate
from tinyaudio.ondevice.fleet_flower import MirrorLink, read_spec, record_from_message, write_spec
from tinyaudio.ondevice.head import Head, HParams
from tinyaudio.ondevice.record import HeadRecord, read_record, write_record


def trained_records(n: int = 3, seed: int = 0) -> tuple[list[HeadRecord], list[int]]:
    rng = np.random.default_rng(seed)
    factory = random_factory(rng)
    e, y = class_embeddings(rng, factory, 40 * n)
    records, sizes = [], []
    for i in range(n):
        head = Head(factory, HParams(reject_confidence=2.0))
        size = 10 * (i + 1)
        for q, lab in zip(e[40 * i : 40 * i + size], y[40 * i : 40 * i + size], strict=True):
            head.update(q, int(lab))
        records.append(HeadRecord.from_head(head, seq=i + 1, device_id=f"dev{i}"))
        sizes.append(size)
    return records, sizes


def test_aggregate_is_the_sample_weighted_mean() -> None:
    records, sizes = trained_records()
    merged = aggregate(records)
    share = np.array(sizes, dtype=np.float64) / sum(sizes)
    expected = sum(s * r.weights.astype(np.float64) for s, r in zip(share, records, strict=True))
    assert np.allclose(merged.weights, expected, atol=1e-6)
    assert np.allclose(
        merged.bias,
        sum(s * r.bias.astype(np.float64) for s, r in zip(share, records, strict=True)),
        atol=1e-6,
    )
    assert int(merged.counts.sum()) == sum(sizes) and merged.seq == 4 and merged.device_id == "fleet"
    # a head that learned 3x as much weighs 3x as much: not the plain mean
    assert not np.allclose(merged.weights, np.mean([r.weights for r in records], axis=0), atol=1e-6)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"model_sha256": "cd" * 32}, "heads of different models cannot be combined"),
        ({"frontend_sha256": "ef" * 32}, "refusing to combine them"),
        ({"labels": [f"x{k}" for k in range(10)]}, "different label sets cannot be averaged"),
    ],
)
def test_aggregate_refuses_mismatched_heads(
    tmp_path: Path, change: dict, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    records, _ = trained_records(2)
    paths = [
        write_record(tmp_path / "a.bin", records[0]),
        write_record(tmp_path / "b.bin", replace(records[1], **change)),
    ]
    with pytest.raises(FleetError, match=words):
        aggregate([read_record(p) for p in paths], [str(p) for p in paths])
    capsys.readouterr()
    assert cli(["fleet", "aggregate", *map(str, paths), "-o", str(tmp_path / "out.bin")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(paths[1]) in err[0] and words in err[0]
    assert not (tmp_path / "out.bin").exists()


def test_aggregate_cli_writes_one_record(tmp_path: Path) -> None:
    records, sizes = trained_records()
    paths = [str(write_record(tmp_path / f"h{i}.bin", r)) for i, r in enumerate(records)]
    assert cli(["fleet", "aggregate", *paths, "-o", str(tmp_path / "fleet.bin")]) == 0
    merged = read_record(tmp_path / "fleet.bin")
    assert merged.pack() == aggregate(records).pack()
    assert int(merged.counts.sum()) == sum(sizes)


def test_numpy_fleet_simulation_learns_across_devices() -> None:
    rng = np.random.default_rng(1)
    factory = random_factory(rng)
    devices = []
    for i in range(4):
        e, y = class_embeddings(np.random.default_rng(100), factory, 160)  # the same world for every device
        idx = np.random.default_rng(i).permutation(160)
        devices.append(Device(f"d{i}", e[idx[:40]], y[idx[:40]], e[idx[80:]], y[idx[80:]]))
    final, results = simulate(factory, devices, rounds=3)
    assert [r.round for r in results] == [0, 1, 2, 3]
    assert results[-1].mean_accuracy > results[0].mean_accuracy + 0.2
    assert results[1].samples > 0 and final.learned and final.labels == factory.labels


def test_flower_client_pieces_without_flower(tmp_path: Path) -> None:
    """The message check and the device step of the ClientApp, and the spec file, need no flwr."""
    rng = np.random.default_rng(2)
    factory = random_factory(rng)
    e, y = class_embeddings(rng, factory, 60)
    device = Device("d0", e[:30], y[:30], e[30:], y[30:])
    start = factory_record(factory)
    config = {
        "model-sha256": factory.model_sha256,
        "frontend-sha256": factory.frontend_sha256,
        "labels": "\n".join(factory.labels),
    }
    rec = record_from_message([start.weights, start.bias], config, factory, 1)
    link = MirrorLink(factory, device, HParams(), 0)
    learned, n = link.learn(rec, 1)
    expected, n2 = device_round(rec, factory, device, HParams(), seed=1000)
    assert n == n2 > 0 and learned.pack() == expected.pack()
    with pytest.raises(FleetError, match="refused"):
        record_from_message([start.weights, start.bias], {**config, "model-sha256": "00" * 32}, factory, 1)
    with pytest.raises(FleetError, match="labels"):
        record_from_message([start.weights, start.bias], {**config, "labels": "a\nb"}, factory, 1)
    spec = write_spec(tmp_path / "spec.npz", factory, [device], HParams(learning_rate=0.01), epochs=2)
    f2, d2, hp2, epochs = read_spec(spec)
    assert f2.labels == factory.labels and f2.model_sha256 == factory.model_sha256 and epochs == 2
    assert hp2.learning_rate == 0.01 and np.array_equal(d2[0].train_embeddings, device.train_embeddings)


def test_fleet_simulate_cli_on_the_firmware_embeddings(adapt_model: AdaptModel, tmp_path: Path) -> None:
    from tinyaudio.data import open_dataset

    ds = open_dataset(adapt_model.fsdd)
    data = link_clips(
        [c for c in ds.clips if c.group in ("george", "theo") and (c.take or 0) % 5 == 0],
        tmp_path / "two_speakers",
    )
    out_json, head = tmp_path / "fleet.json", tmp_path / "global.bin"
    assert (
        cli(
            [
                "fleet",
                "simulate",
                str(adapt_model.model_dir),
                "--data",
                str(data),
                "--rounds",
                "2",
                "--json",
                str(out_json),
                "--head-out",
                str(head),
            ]
        )
        == 0
    )
    doc = json.loads(out_json.read_text())
    assert doc["engine"] == "numpy" and doc["devices"] == ["george", "theo"]
    assert [r["round"] for r in doc["rounds"]] == [0, 1, 2]
    assert read_record(head).labels == adapt_model.labels
