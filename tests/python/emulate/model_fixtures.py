"""Small int8 models trained on the spot for the firmware tests (a few epochs: agreement between the
firmware and the Python int8 pipeline is what is tested, not accuracy)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class FixtureModel:
    name: str
    model_dir: Path            # tinyaudio compile output (model.c, model.h, manifest.json)
    tflite: bytes
    labels: list[str]
    test_paths: list[Path]
    test_y: np.ndarray         # true label index per test clip
    test_features: np.ndarray  # Python frontend features of the test clips (N, frames, features)


def train_fixture_model(
    name: str, data_dir: Path, frontend_config: object, out_dir: Path, *, epochs: int = 4, filters: int = 16,
    max_test: int | None = None,
) -> FixtureModel:
    import keras
    import tensorflow as tf

    from tinyaudio.compile.compiler import compile_model
    from tinyaudio.data import extract_features, open_dataset, standard_split
    from tinyaudio.models.dscnn import dscnn
    from tinyaudio.quantize.export import convert_int8, representative_subset

    ds = open_dataset(data_dir)
    split = standard_split(ds, val_fraction=0.1, seed=0)
    features = extract_features(ds, frontend_config, progress=False)
    y = ds.label_ids()
    x = features[..., None].astype(np.float32)
    train_idx = np.concatenate([split.train, split.val])
    test_idx = np.asarray(split.test)
    if max_test is not None:
        test_idx = test_idx[:max_test]

    keras.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    model = dscnn(x.shape[1:], len(ds.labels), filters=filters, blocks=2, first_kernel=(5, 4),
                  first_stride=(2, 2), dropout=0.0)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(x[train_idx], y[train_idx], epochs=epochs, batch_size=64, verbose=0)
    flatbuffer = convert_int8(model, representative_subset(x[train_idx], 200))
    tflite_path = out_dir / f"{name}_int8.tflite"
    out_dir.mkdir(parents=True, exist_ok=True)
    tflite_path.write_bytes(flatbuffer)
    model_dir = out_dir / f"{name}_c"
    compile_model(tflite_path, model_dir, labels=list(ds.labels), frontend=frontend_config)
    return FixtureModel(
        name=name,
        model_dir=model_dir,
        tflite=flatbuffer,
        labels=list(ds.labels),
        test_paths=[ds.clips[i].path for i in test_idx],
        test_y=y[test_idx],
        test_features=features[test_idx],
    )
