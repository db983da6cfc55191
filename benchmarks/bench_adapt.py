"""On-device learning on FSDD, through the firmware (firmware/app/ta_adapt_main.c): the figures of
firmware/ondevice/README.md.

1. Speaker adaptation, leave one speaker out: for each of the 6 speakers a small DS-CNN is trained on the
   other 5 (every take), compiled with its trainable head (--embedding auto); the device then learns from
   the held-out speaker's takes 25-49 (250 clips, one pass, labels given) and is evaluated on takes 0-24
   (250 clips) before and after. Also with 20 % of the adaptation labels replaced by a wrong digit.
2. New word: the model is trained without one digit (standard split, takes 5-49); the device adds it by
   imprinting from 5 examples; recall of the new digit and accuracy on the old ones, on takes 0-4.
3. Cost on Cortex-M4 (QEMU mps2-an386, exact counts): instructions per head update, the head's RAM, the
   head record, flash/RAM of the adapt firmware.

The quick training recipe (not the shipped fsdd_dscnn.yaml, which takes minutes per model): the same
frontend (log-mel 49 x 32 at 8 kHz), DS-CNN with FILTERS filters and 3 blocks, Adam, EPOCHS epochs, no
teacher, int8 export. Trained models are kept in --work and reused on the next run.

Run:  nice -n 10 .venv/bin/python benchmarks/bench_adapt.py [--work runs/bench_adapt] [--epochs 12]
      [--filters 32] [--no-qemu] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
FRONTEND = dict(
    sample_rate=8000,
    clip_samples=8000,
    frame_length=256,
    hop_length=160,
    fft_length=256,
    num_mel_bins=32,
    fmin=20.0,
    fmax=4000.0,
    log_floor=1e-6,
)


def datasets_root() -> Path:
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


def train_model(
    features: np.ndarray,
    y: np.ndarray,
    labels: list[str],
    train_idx: np.ndarray,
    out: Path,
    *,
    epochs: int,
    filters: int,
    seed: int = 0,
) -> Path:
    """A small DS-CNN on features[train_idx], int8, compiled with its head into out/c; reused if present."""
    compiled = out / "c"
    if (compiled / "model.c").is_file():
        return compiled
    import keras
    import tensorflow as tf

    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.frontend import preset
    from tinyaudio.models import build_model
    from tinyaudio.quantize.export import convert_int8, representative_subset

    x = features[..., None].astype(np.float32)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    norm = (
        float(x[train_idx].mean()),
        float(x[train_idx].std()),
    )  # folded into the first conv by the converter
    model = build_model(
        "dscnn",
        x.shape[1:],
        len(labels),
        norm,
        filters=filters,
        blocks=3,
        first_kernel=(10, 4),
        first_stride=(2, 2),
        first_padding="valid",
        dropout=0.1,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(x[train_idx], y[train_idx], epochs=epochs, batch_size=64, verbose=0)
    flatbuffer = convert_int8(model, representative_subset(x[train_idx], 300))
    out.mkdir(parents=True, exist_ok=True)
    (out / "model_int8.tflite").write_bytes(flatbuffer)
    compile_model(
        out / "model_int8.tflite",
        compiled,
        labels=labels,
        frontend=preset("logmel", **FRONTEND),
        embedding="auto",
    )
    return compiled


def noisy_labels(labels: list[str], fraction: float, seed: int) -> list[str]:
    """`fraction` of the labels replaced by another digit, chosen uniformly (seeded)."""
    rng = np.random.default_rng(seed)
    out = list(labels)
    for i in np.flatnonzero(rng.random(len(labels)) < fraction):
        others = [d for d in sorted(set(labels)) if d != labels[i]]
        out[i] = others[int(rng.integers(len(others)))]
    return out


def speaker_adaptation(ds: Any, models: dict[str, Path], speakers: list[str]) -> list[dict[str, Any]]:
    from tinyaudio.ondevice.adapt import adapt
    from tinyaudio.ondevice.head import HParams

    rows = []
    for s in speakers:
        clips = [c for c in ds.clips if c.group == s]
        train = [(c.path, c.label) for c in clips if 25 <= (c.take or 0) <= 49]
        test = [(c.path, c.label) for c in clips if (c.take or 0) <= 24]
        wrong = noisy_labels([lab for _, lab in train], 0.2, seed=1)
        train_noisy = [(p, lab) for (p, _), lab in zip(train, wrong, strict=True)]
        n_wrong = sum(a != b for (_, a), (_, b) in zip(train, train_noisy, strict=True))
        clean = adapt(models[s], train, test, target="host")
        noisy = adapt(models[s], train_noisy, test, target="host")
        unguarded = adapt(models[s], train_noisy, test, target="host", hparams=HParams(reject_confidence=2.0))
        row = {
            "speaker": s,
            "n_train": len(train),
            "n_eval": len(test),
            "wrong_labels": n_wrong,
            "before": clean.accuracy_before,
            "after": clean.accuracy_after,
            "after_20pct_wrong": noisy.accuracy_after,
            "rejected_20pct_wrong": noisy.rejected,
            "after_20pct_wrong_no_guard": unguarded.accuracy_after,
        }
        rows.append(row)
        print(
            f"  {s:9s} before {100 * row['before']:5.1f} %  after {100 * row['after']:5.1f} %  "
            f"20 % wrong: {100 * row['after_20pct_wrong']:5.1f} % ({noisy.rejected} rejected), "
            f"no guard {100 * row['after_20pct_wrong_no_guard']:5.1f} %",
            flush=True,
        )
    return rows


def new_word(ds: Any, model: Path, new_label: str, margins: list[float]) -> list[dict[str, Any]]:
    """Teach `new_label` from 5 examples (take 5 of five speakers) after hearing 300 unlabelled clips of
    the known words; evaluate on takes 0-4 of every speaker."""
    from tinyaudio.emulate.firmware import load_clips
    from tinyaudio.ondevice import adapt as A
    from tinyaudio.ondevice.head import HParams

    frontend = A.factory_manifest_frontend(model)
    speakers = sorted({c.group for c in ds.clips})
    examples = [c for c in ds.clips if c.label == new_label and c.take == 5 and c.group in speakers[:5]]
    rng = np.random.default_rng(0)
    known = [c for c in ds.clips if c.label != new_label and (c.take or 0) >= 5]
    heard = [known[int(i)] for i in rng.permutation(len(known))[:300]]
    test = [c for c in ds.clips if (c.take or 0) <= 4]
    ex_audio = load_clips([c.path for c in examples], frontend)
    heard_audio = load_clips([c.path for c in heard], frontend)
    test_audio = load_clips([c.path for c in test], frontend)
    truth = np.array([c.label for c in test])
    rows = []
    for margin in margins:
        cmds = [A.config(HParams(imprint_margin=margin))]
        cmds += [A.evaluate(a) for a in test_audio]
        cmds += [A.listen(a) for a in heard_audio]
        cmds += [A.imprint(new_label, ex_audio), A.save()]
        cmds += [A.evaluate(a) for a in test_audio]
        out = A.run_firmware(model, "host", cmds)
        from tinyaudio.ondevice.record import read_store

        record = read_store(out.storage)
        assert record is not None
        names = record.labels
        before = np.array([names[lab] for lab, _ in out.results[: len(test)]])
        after = np.array([names[lab] for lab, _ in out.results[len(test) :]])
        old = truth != new_label
        row = {
            "new_label": new_label,
            "examples": len(examples),
            "heard": len(heard),
            "margin": margin,
            "recall_new": float(np.mean(after[~old] == new_label)),
            "old_accuracy_before": float(np.mean(before[old] == truth[old])),
            "old_accuracy_after": float(np.mean(after[old] == truth[old])),
            "n_test_new": int((~old).sum()),
            "n_test_old": int(old.sum()),
        }
        rows.append(row)
        print(
            f"  margin {margin:3.1f}: recall of '{new_label}' {100 * row['recall_new']:5.1f} % "
            f"({row['n_test_new']} clips), old words {100 * row['old_accuracy_before']:5.1f} % -> "
            f"{100 * row['old_accuracy_after']:5.1f} % ({row['n_test_old']} clips)",
            flush=True,
        )
    return rows


def cost(ds: Any, model: Path, speaker: str, n: int = 20) -> dict[str, Any]:
    """Instructions per update and sizes on qemu-m4; the same commands on the host give the same head."""
    from tinyaudio.emulate.firmware import load_clips
    from tinyaudio.ondevice import adapt as A
    from tinyaudio.ondevice.head import HParams

    frontend = A.factory_manifest_frontend(model)
    clips = [c for c in ds.clips if c.group == speaker and (c.take or 0) >= 25][:n]
    audio = load_clips([c.path for c in clips], frontend)
    cmds = [A.config(HParams())] + [A.train(a, int(c.label)) for a, c in zip(audio, clips, strict=True)]
    cmds.append(A.save())
    m4 = A.run_firmware(model, "qemu-m4", cmds, count_instructions=True)
    host = A.run_firmware(model, "host", cmds)
    region = m4.instructions.regions["head_update"] if m4.instructions else None
    assert region is not None and m4.size is not None
    from tinyaudio.ondevice.record import read_store

    rec_m4, rec_host = read_store(m4.storage), read_store(host.storage)
    assert rec_m4 is not None and rec_host is not None
    return {
        "target": "qemu-m4",
        "updates": region.calls,
        "instructions_per_update": region.per_call,
        "instructions_per_update_min_max": [region.min, region.max],
        "instructions_per_inference": m4.instructions.regions["model"].per_call if m4.instructions else None,
        "head_ram_bytes": m4.console_int("ram_bytes"),
        "head_record_bytes": m4.console_int("record_bytes"),
        "slot_bytes": m4.console_int("slot_bytes"),
        "max_classes": m4.console_int("max_classes"),
        "flash_bytes": m4.size.flash_bytes,
        "ram_bytes": m4.size.ram_bytes,
        "stack_high_water_bytes": m4.size.stack_high_water_bytes,
        "head_bit_identical_host_vs_qemu": rec_m4.pack() == rec_host.pack(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=REPO / "runs" / "bench_adapt")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--filters", type=int, default=32)
    ap.add_argument("--speakers", nargs="*", default=None)
    ap.add_argument("--new-word", default="9")
    ap.add_argument("--no-qemu", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from tinyaudio.data import extract_features, open_dataset
    from tinyaudio.frontend import preset

    t0 = time.time()
    ds = open_dataset(datasets_root() / "fsdd")
    features = extract_features(ds, preset("logmel", **FRONTEND), progress=False)
    y = ds.label_ids()
    groups = np.array(ds.groups())
    takes = np.array([c.take for c in ds.clips])
    speakers = args.speakers or sorted(set(groups))
    models = {}
    for s in speakers:
        t = time.time()
        models[s] = train_model(
            features,
            y,
            list(ds.labels),
            np.flatnonzero(groups != s),
            args.work / f"loso_{s}",
            epochs=args.epochs,
            filters=args.filters,
        )
        print(f"model without speaker {s}: {time.time() - t:.0f} s", flush=True)
    new_index = list(ds.labels).index(args.new_word)
    kept = [lab for lab in ds.labels if lab != args.new_word]
    remap = np.array([kept.index(lab) if lab in kept else -1 for lab in ds.labels])
    no_word = np.flatnonzero((takes >= 5) & (y != new_index))
    t = time.time()
    word_model = train_model(
        features,
        remap[y],
        kept,
        no_word,
        args.work / f"without_{args.new_word}",
        epochs=args.epochs,
        filters=args.filters,
    )
    print(f"model without the word {args.new_word!r}: {time.time() - t:.0f} s", flush=True)
    t_train = time.time() - t0

    print(
        "\nspeaker adaptation through the firmware (host), leave one speaker out: learn from takes 25-49, "
        "test on takes 0-24"
    )
    rows = speaker_adaptation(ds, models, speakers)
    gains = [r["after"] - r["before"] for r in rows]
    noisy_ok = all(r["after_20pct_wrong"] >= r["before"] for r in rows)
    print("\nnew word from 5 examples through the firmware (host)")
    words = new_word(ds, word_model, args.new_word, [1.0, 1.5, 2.0])
    cost_row = None if args.no_qemu else cost(ds, models[speakers[0]], speakers[0])

    print("\n| speaker | before | after | gain | after, 20 % wrong labels | same, guard off |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['speaker']} | {100 * r['before']:.1f} % | {100 * r['after']:.1f} % | "
            f"{100 * (r['after'] - r['before']):+.1f} pp | {100 * r['after_20pct_wrong']:.1f} % "
            f"({r['rejected_20pct_wrong']} rejected) | {100 * r['after_20pct_wrong_no_guard']:.1f} % |"
        )
    mean = lambda key: 100 * float(np.mean([r[key] for r in rows]))  # noqa: E731
    print(
        f"| mean | {mean('before'):.1f} % | {mean('after'):.1f} % | {100 * float(np.mean(gains)):+.1f} pp | "
        f"{mean('after_20pct_wrong'):.1f} % | {mean('after_20pct_wrong_no_guard'):.1f} % |"
    )
    print(f"\n20 % wrong labels: final >= start for every speaker: {noisy_ok}")
    print("\n| new word | margin | recall of the new word | old words before | old words after |")
    print("|---|---|---|---|---|")
    for w in words:
        print(
            f"| '{w['new_label']}' from {w['examples']} examples | {w['margin']} | "
            f"{100 * w['recall_new']:.1f} % | {100 * w['old_accuracy_before']:.1f} % | "
            f"{100 * w['old_accuracy_after']:.1f} % |"
        )
    if cost_row:
        c = cost_row
        lo, hi = c["instructions_per_update_min_max"]
        print(f"\ncost on {c['target']} (QEMU, exact counts):")
        print(
            f"  {c['instructions_per_update']:,.0f} instructions per head update (min {lo:,}, max {hi:,}); "
            f"the model: {c['instructions_per_inference']:,.0f} per inference"
        )
        print(
            f"  head RAM {c['head_ram_bytes']:,} B (up to {c['max_classes']} classes); "
            f"record {c['head_record_bytes']:,} B in a {c['slot_bytes']:,} B slot"
        )
        print(
            f"  ta_adapt flash {c['flash_bytes']:,} B, RAM {c['ram_bytes']:,} B "
            f"(stack used {c['stack_high_water_bytes']} B)"
        )
        print(
            f"  head after {c['updates']} updates bit-identical to the host's: "
            f"{c['head_bit_identical_host_vs_qemu']}"
        )
    print(f"\ntotal {time.time() - t0:.0f} s (training {t_train:.0f} s)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "speakers": rows,
                    "new_word": words,
                    "cost": cost_row,
                    "epochs": args.epochs,
                    "filters": args.filters,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
