"""Flower's simulation engine (its own environment, .venv-fleet, built by `make fleet`) runs the same device
steps and the same sample-weighted FedAvg as the built-in numpy fleet: the global heads agree."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from ondevice_helpers import class_embeddings, random_factory

from tinyaudio.ondevice.fleet import Device, factory_record, simulate
from tinyaudio.ondevice.fleet_flower import write_spec
from tinyaudio.ondevice.head import HParams

REPO = Path(__file__).resolve().parents[3]


def _fleet_python() -> Path | None:
    env = os.environ.get("TINYAUDIO_FLEET_PYTHON")
    path = Path(env) if env else REPO / ".venv-fleet" / "bin" / "python"
    return path if path.is_file() else None


def test_flower_simulation_equals_the_numpy_fleet(tmp_path: Path) -> None:
    python = _fleet_python()
    if python is None:
        pytest.skip("no Flower environment: run `make fleet` (or set TINYAUDIO_FLEET_PYTHON)")
    rng = np.random.default_rng(3)
    factory = random_factory(rng)
    devices = []
    for i in range(3):
        e, y = class_embeddings(rng, factory, 60)
        devices.append(Device(f"d{i}", e[:30], y[:30], e[30:], y[30:]))
    hp = HParams()
    spec = write_spec(tmp_path / "spec.npz", factory, devices, hp, epochs=1)
    out = tmp_path / "flower.json"
    proc = subprocess.run(
        [str(python), "-m", "tinyaudio.ondevice.fleet_flower", str(spec)]
        + ["--rounds", "2", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    flower = json.loads(out.read_text())

    final, rounds = simulate(factory, devices, rounds=2, hp=hp, epochs=1)
    assert [r["round"] for r in flower["rounds"]] == [1, 2]
    for got, want in zip(flower["rounds"], rounds[1:], strict=True):
        assert got["mean_accuracy"] == pytest.approx(want.mean_accuracy, abs=1e-9)
    # Same updates and the same weighted mean; only the order of float32 sums may differ.
    np.testing.assert_allclose(np.array(flower["weights"]), final.weights, atol=1e-5)
    np.testing.assert_allclose(np.array(flower["bias"]), final.bias, atol=1e-5)
    start = factory_record(factory)
    assert np.abs(np.array(flower["weights"]) - start.weights).max() > 1e-3  # the fleet did learn
