"""The firmware in adapt mode (firmware/app/ta_adapt_main.c) on the host and QEMU: learning from a new
speaker end to end through the CLI, a head that never learned predicting exactly as the plain firmware,
the same head bit for bit on QEMU and the host, power cuts during a save, and refused heads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from adapt_fixtures import NEW_SPEAKER, AdaptModel, link_clips  # noqa: I001

from tinyaudio.cli import main as cli
from tinyaudio.data import open_dataset
from tinyaudio.emulate.firmware import load_clips, run_clips
from tinyaudio.ondevice import adapt as A
from tinyaudio.ondevice.factory import factory_from_compiled
from tinyaudio.ondevice.head import Head, HParams
from tinyaudio.ondevice.record import (
    STORAGE_BYTES,
    HeadRecord,
    read_record,
    read_slots,
    read_store,
    store_image,
)


def george_audio(model: AdaptModel, takes: range) -> tuple[np.ndarray, np.ndarray]:
    ds = open_dataset(model.fsdd)
    clips = [c for c in ds.clips if c.group == NEW_SPEAKER and (c.take or 0) in takes]
    frontend = A.factory_manifest_frontend(model.model_dir)
    return load_clips([c.path for c in clips], frontend), np.array(
        [model.labels.index(c.label) for c in clips]
    )


def test_adapt_end_to_end_on_the_host(
    adapt_model: AdaptModel, george_sets: tuple[Path, Path], tmp_path: Path
) -> None:
    train, evaluation = george_sets
    r_json, head = tmp_path / "R.json", tmp_path / "HEAD.bin"
    code = cli(
        [
            "adapt",
            str(adapt_model.model_dir),
            "--train-data",
            str(train),
            "--eval-data",
            str(evaluation),
            "--head-out",
            str(head),
            "--json",
            str(r_json),
            "--device-id",
            "kitchen",
        ]
    )
    assert code == 0
    r = json.loads(r_json.read_text())
    assert r["kind"] == "run-result"
    for key in (
        "accuracy_before",
        "accuracy_after",
        "n_train",
        "n_eval",
        "target",
        "labels",
        "head_bytes",
        "instructions_per_update",
    ):
        assert key in r
    assert r["n_train"] == 250 and r["n_eval"] == 250 and r["target"] == "host"
    assert r["labels"] == adapt_model.labels and r["instructions_per_update"] is None
    assert r["accuracy_after"] >= r["accuracy_before"] + 0.05  # the device learned the new speaker
    rec = read_record(head)
    assert rec.device_id == "kitchen" and rec.learned and int(rec.counts.sum()) == r["updates"]
    assert r["head_bytes"] == head.stat().st_size
    # the numpy mirror replays the same learning: the same head, bit for bit
    factory = factory_from_compiled(adapt_model.model_dir)
    assert rec.model_sha256 == factory.model_sha256 and rec.frontend_sha256 == factory.frontend_sha256
    assert cli(["head", "inspect", str(head), "--model", str(adapt_model.model_dir)]) == 0


def test_mirror_replays_the_device_bit_for_bit(adapt_model: AdaptModel) -> None:
    """Embeddings from the firmware, updates in numpy: the head the firmware saved after the same stream."""
    audio, y = george_audio(adapt_model, range(25, 40))
    out = A.run_firmware(
        adapt_model.model_dir,
        "host",
        [A.embed(a) for a in audio]
        + [A.train(a, int(lab)) for a, lab in zip(audio, y, strict=True)]
        + [A.save()],
    )
    factory = factory_from_compiled(adapt_model.model_dir)
    head = Head(factory, HParams())
    for (_, emb), lab in zip(out.results, y, strict=True):
        head.update(emb, int(lab))
    saved = read_store(out.storage, factory)
    assert saved is not None
    assert np.array_equal(saved.weights.view(np.uint32), head.w.view(np.uint32))
    assert np.array_equal(saved.bias.view(np.uint32), head.b.view(np.uint32))


def test_a_head_that_never_learned_predicts_as_today(adapt_model: AdaptModel) -> None:
    audio, _ = george_audio(adapt_model, range(0, 12))
    today = run_clips(adapt_model.model_dir, "host", audio)
    out = A.run_firmware(adapt_model.model_dir, "host", [A.evaluate(a) for a in audio])
    assert [lab for lab, _ in out.results] == list(today.predictions)
    assert np.array_equal(np.stack([s for _, s in out.results]), today.scores)
    assert out.boots() == [f"source=factory classes={len(adapt_model.labels)}"]


def test_qemu_m4_learns_the_same_head_and_counts_instructions(adapt_model: AdaptModel) -> None:
    audio, y = george_audio(adapt_model, range(25, 31))
    cmds = [A.config(HParams(), "qemu")] + [A.train(a, int(lab)) for a, lab in zip(audio, y, strict=True)]
    cmds += [A.save(), A.evaluate(audio[0])]
    m4 = A.run_firmware(adapt_model.model_dir, "qemu-m4", cmds, count_instructions=True)
    host = A.run_firmware(adapt_model.model_dir, "host", cmds)
    rec_m4, rec_host = read_store(m4.storage), read_store(host.storage)
    assert rec_m4 is not None and rec_host is not None and rec_m4.pack() == rec_host.pack()
    assert m4.instructions_per_update is not None and 1_000 < m4.instructions_per_update < 1_000_000
    assert m4.instructions is not None and m4.instructions.regions["head_update"].calls == len(audio)
    assert m4.size is not None and m4.console_int("ram_bytes") is not None
    assert m4.results[0][0] == host.results[0][0]


def test_adapt_on_qemu_through_the_cli(adapt_model: AdaptModel, tmp_path: Path) -> None:
    ds = open_dataset(adapt_model.fsdd)
    mine = [c for c in ds.clips if c.group == NEW_SPEAKER]
    train = link_clips([c for c in mine if c.take in (30, 31) and c.label in ("1", "2", "3")], tmp_path / "t")
    evaluation = link_clips([c for c in mine if c.take == 3 and c.label in ("1", "2", "3")], tmp_path / "e")
    r_json = tmp_path / "R.json"
    assert (
        cli(
            [
                "adapt",
                str(adapt_model.model_dir),
                "--train-data",
                str(train),
                "--eval-data",
                str(evaluation),
                "--target",
                "qemu-m4",
                "--json",
                str(r_json),
            ]
        )
        == 0
    )
    r = json.loads(r_json.read_text())
    assert r["target"] == "qemu-m4" and r["n_train"] == 6 and r["updates"] + r["rejected_by_guard"] == 6
    assert r["instructions_per_update"] > 1000 and r["head_ram_bytes"] > 0


def _old_and_new(model: AdaptModel) -> tuple[bytes, bytes, list[A.Command]]:
    """A storage image holding an old head, the commands that learn a new one, and that new head's record."""
    audio, y = george_audio(model, range(25, 27))
    old = A.run_firmware(model.model_dir, "host", [A.train(audio[0], int(y[0])), A.save()])
    learn = [A.train(audio[1], int(y[1]))]
    new = A.run_firmware(model.model_dir, "host", [*learn, A.save()], old.storage)
    old_rec, new_rec = read_store(old.storage), read_store(new.storage)
    assert old_rec is not None and new_rec is not None and old_rec.pack() != new_rec.pack()
    return old.storage, new_rec.pack(), learn


def _boot(model: AdaptModel, storage: bytes, target: str = "host") -> tuple[str, HeadRecord | None]:
    out = A.run_firmware(model.model_dir, target, [], storage)
    return out.boots()[0], read_store(out.storage)


def test_power_cut_at_200_offsets_on_the_host(adapt_model: AdaptModel) -> None:
    old_storage, new_bytes, learn = _old_and_new(adapt_model)
    old_rec = read_store(old_storage)
    assert old_rec is not None
    units = 9 + len(new_bytes)  # sector erases + bytes written by one save
    rng = np.random.default_rng(0)
    cuts = sorted({0, 1, 8, 9, 10, units - 4, units - 1, *rng.choice(units, 200, replace=False).tolist()})
    assert len(cuts) >= 200
    got = {"old": 0, "new": 0}
    for cut in cuts:
        out = A.run_firmware(
            adapt_model.model_dir, "host", [*learn, A.save(cut)], old_storage, expect_power_cut=True
        )
        assert out.power_cut, f"cut at {cut}: the save completed"
        boot, rec = _boot(adapt_model, out.storage)
        assert rec is not None, f"cut at {cut}: no head ({boot})"
        assert rec.pack() in (old_rec.pack(), new_bytes), f"cut at {cut}: garbage"
        got["old" if rec.pack() == old_rec.pack() else "new"] += 1
        assert boot.startswith("source=slot-")
    assert got["old"] == len(cuts)  # a cut save never wins
    done = A.run_firmware(adapt_model.model_dir, "host", [*learn, A.save(units)], old_storage)
    assert not done.power_cut and _boot(adapt_model, done.storage)[1].pack() == new_bytes  # type: ignore[union-attr]


def test_power_cut_in_qemu(adapt_model: AdaptModel) -> None:
    old_storage, new_bytes, learn = _old_and_new(adapt_model)
    old_rec = read_store(old_storage)
    assert old_rec is not None
    for cut in (0, 5, 400, 9 + len(new_bytes) - 1):
        out = A.run_firmware(
            adapt_model.model_dir,
            "qemu-m4",
            [*learn, A.save(cut)],
            old_storage,
            count_instructions=False,
            expect_power_cut=True,
        )
        assert out.power_cut
        boot, rec = _boot(adapt_model, out.storage, "qemu-m4")
        assert rec is not None and rec.pack() == old_rec.pack() and boot.startswith("source=slot-")


def test_wrong_model_and_corrupt_heads_are_refused(
    adapt_model: AdaptModel,
    tmp_path: Path,
    george_sets: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    audio, y = george_audio(adapt_model, range(25, 26))
    out = A.run_firmware(adapt_model.model_dir, "host", [A.train(audio[0], int(y[0])), A.save()])
    rec = read_store(out.storage)
    assert rec is not None
    # A head of another model in the device storage: refused in one line, the device boots its factory head.
    foreign = HeadRecord(**{**rec.__dict__, "model_sha256": "ab" * 32})
    boot = A.run_firmware(adapt_model.model_dir, "host", [], store_image(foreign))
    assert boot.refusals() == ["slot=A reason=head for another model"]
    assert boot.boots() == [f"source=factory classes={len(adapt_model.labels)}"]
    # The same head as HEAD.bin: `head inspect --model` and `adapt --head-in` refuse it in one line.
    bad = tmp_path / "foreign.bin"
    bad.write_bytes(foreign.pack())
    train, evaluation = george_sets
    capsys.readouterr()
    assert cli(["head", "inspect", str(bad), "--model", str(adapt_model.model_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "made for model abababababab" in err[0] and "refusing" in err[0]
    assert (
        cli(
            [
                "adapt",
                str(adapt_model.model_dir),
                "--train-data",
                str(train),
                "--eval-data",
                str(evaluation),
                "--head-in",
                str(bad),
                "--json",
                str(tmp_path / "R.json"),
            ]
        )
        == 2
    )
    assert "made for model abababababab" in capsys.readouterr().err
    # A corrupt HEAD.bin (one flipped bit) and a truncated one.
    data = bytearray(rec.pack())
    data[200] ^= 0x04
    (tmp_path / "corrupt.bin").write_bytes(bytes(data))
    (tmp_path / "short.bin").write_bytes(rec.pack()[:100])
    for name, words in (("corrupt.bin", "corrupt head record (CRC-32"), ("short.bin", "truncated")):
        assert cli(["head", "inspect", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and words in err[0], err
    # In the device's storage the corrupt record is refused too.
    image = bytearray(store_image(rec))
    image[200] ^= 0x04
    boot = A.run_firmware(adapt_model.model_dir, "host", [], bytes(image))
    assert boot.refusals() == ["slot=A reason=CRC mismatch (corrupt or incomplete)"]
    assert [s.problem is not None for s in read_slots(bytes(image))] == [True, True]
    assert len(image) == STORAGE_BYTES


def test_labels_the_model_lacks_need_allow_new_classes(
    adapt_model: AdaptModel, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = open_dataset(adapt_model.fsdd)
    jackson = [c for c in ds.clips if c.group == "jackson" and c.label == "7"]
    # the digit 7 under another name stands for a word the model never learned
    renamed = tmp_path / "renamed"
    for c in jackson[:5]:
        d = renamed / "seven"
        d.mkdir(parents=True, exist_ok=True)
        (d / c.path.name).symlink_to(c.path.resolve())
    link_clips([c for c in ds.clips if c.group == "jackson" and c.label == "1"][:3], renamed)
    evaluation = link_clips([c for c in ds.clips if c.group == NEW_SPEAKER and c.take == 0], tmp_path / "e")
    args = [
        "adapt",
        str(adapt_model.model_dir),
        "--train-data",
        str(renamed),
        "--eval-data",
        str(evaluation),
        "--json",
        str(tmp_path / "R.json"),
        "--head-out",
        str(tmp_path / "H.bin"),
    ]
    capsys.readouterr()
    assert cli(args) == 2
    err = capsys.readouterr().err
    assert "'seven'" in err and "--allow-new-classes" in err
    assert cli([*args, "--allow-new-classes"]) == 0
    rec = read_record(tmp_path / "H.bin")
    assert rec.labels == [*adapt_model.labels, "seven"]
    r = json.loads((tmp_path / "R.json").read_text())
    assert r["new_classes"] == ["seven"] and r["n_train"] == 8
    # 5 examples imprinted, then each of the 8 clips is one update unless the guard rejects it
    assert int(rec.counts.sum()) == 5 + r["updates"] and r["updates"] + r["rejected_by_guard"] == 8


def test_a_training_run_directory_is_compiled_with_its_head(adapt_model: AdaptModel) -> None:
    from tinyaudio.ondevice.factory import compiled_for_adapt

    run_dir = adapt_model.model_dir.parent
    compiled = compiled_for_adapt(run_dir)
    assert compiled != adapt_model.model_dir and (compiled / "model.c").is_file()
    a, b = factory_from_compiled(compiled), factory_from_compiled(adapt_model.model_dir)
    assert (
        a.model_sha256 == b.model_sha256 and a.frontend_sha256 == b.frontend_sha256 and a.labels == b.labels
    )
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.weight_scales, b.weight_scales)
    assert compiled_for_adapt(run_dir) == compiled  # cached
