"""Fixtures of the on-device learning suite: one small FSDD model trained without speaker george (so that
george's takes are new to it), compiled with its frontend and its trainable head (--embedding auto)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from adapt_fixtures import FRONTEND, NEW_SPEAKER, AdaptModel, link_clips  # noqa: I001


@pytest.fixture(scope="session")
def adapt_model(datasets_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> AdaptModel:
    import keras
    import tensorflow as tf

    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.data import extract_features, open_dataset
    from tinyaudio.frontend import preset
    from tinyaudio.manifest import write_manifest
    from tinyaudio.models import build_model
    from tinyaudio.quantize.export import convert_int8, representative_subset

    fsdd = datasets_dir / "fsdd"
    ds = open_dataset(fsdd)
    cfg = preset("logmel", **FRONTEND)
    features = extract_features(ds, cfg, progress=False)
    y = ds.label_ids()
    x = features[..., None].astype(np.float32)
    idx = np.array([i for i, c in enumerate(ds.clips) if c.group != NEW_SPEAKER and (c.take or 0) % 2 == 0])
    keras.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    model = build_model(
        "dscnn",
        x.shape[1:],
        len(ds.labels),
        (float(x[idx].mean()), float(x[idx].std())),
        filters=16,
        blocks=2,
        first_kernel=(10, 4),
        first_stride=(2, 2),
        first_padding="valid",
        dropout=0.0,
    )
    model.compile(
        optimizer=keras.optimizers.Adam(4e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(x[idx], y[idx], epochs=8, batch_size=64, verbose=0)
    out = tmp_path_factory.mktemp("adapt_model")
    (out / "model_int8.tflite").write_bytes(convert_int8(model, representative_subset(x[idx], 200)))
    compile_model(
        out / "model_int8.tflite", out / "c", labels=list(ds.labels), frontend=cfg, embedding="auto"
    )
    # beside the .tflite, what `tinyaudio train` writes: MODEL may also be this run directory
    write_manifest(out, {"labels": list(ds.labels), "frontend": cfg.to_dict(), "metrics": {}}, "training-run")
    return AdaptModel(out / "c", fsdd, list(ds.labels))


@pytest.fixture(scope="session")
def george_sets(adapt_model: AdaptModel, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(train, eval) folders of the new speaker: takes 25-49 and takes 0-24."""
    from tinyaudio.data import open_dataset

    ds = open_dataset(adapt_model.fsdd)
    mine = [c for c in ds.clips if c.group == NEW_SPEAKER]
    root = tmp_path_factory.mktemp("george")
    train = link_clips([c for c in mine if (c.take or 0) >= 25], root / "train")
    evaluation = link_clips([c for c in mine if (c.take or 0) < 25], root / "eval")
    return train, evaluation
