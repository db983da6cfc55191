"""Models and real inputs for the model-level compile/runtime tests and the runtime benchmark.

- `mlperf_dscnn_tflite()`: MLPerf Tiny's keyword-spotting DS-CNN (49x10x1 MFCC input, conv 10x4 stride 2
  with 64 filters, 4 x [depthwise 3x3 + pointwise 64], average pool, dense 12), built with Keras in the
  reference architecture (keras_model.py of mlcommons/tiny), trained for a few epochs on real clips so
  its activations look like a trained network's (bit-exactness, not accuracy, is under test), full-int8
  converted with the project's exporter calibrated on real MFCC features of Speech Commands clips.
- `project_dscnn_tflite()`: the project's own `tinyaudio.models.dscnn`, trained and converted the same way.
- `speech_features()`: mlperf-mfcc features of real clips (the project's frontend).
- `micro_speech_features()`: TFLM micro_speech's own features of real clips, computed by its
  audio_preprocessor_int8.tflite in the tflite-micro interpreter (30 ms windows, 20 ms step).

Converted models are cached in $TINYAUDIO_TEST_MODELS (default: under the session cache).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def datasets_root() -> Path:
    return Path(os.environ.get("TINYAUDIO_DATASETS", REPO.parent / "shared" / "datasets")).resolve()


def tflm_models_dir() -> Path:
    return datasets_root() / "tflm_micro_speech" / "models"


def _cache_dir() -> Path:
    env = os.environ.get("TINYAUDIO_TEST_MODELS")
    if env:
        root = Path(env)
    else:
        from tinyaudio.data.cache import default_cache_dir

        root = default_cache_dir() / "test_models"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _cached(name: str, build: object) -> bytes:
    """Build once per source version of this file; later calls read the .tflite back."""
    key = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    path = _cache_dir() / f"{name}-{key}.tflite"
    if not path.is_file():
        data = build()  # type: ignore[operator]
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path.read_bytes()


def speech_clip_paths(n: int, seed: int = 0) -> list[Path]:
    """n Speech Commands clips, a fixed-seed sample over all labels."""
    root = datasets_root() / "speech_commands_v2_dev"
    paths = sorted(root.rglob("*.wav"))
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(paths), size=min(n, len(paths)), replace=False)
    return [paths[i] for i in sorted(idx)]


def speech_features(n: int, seed: int = 0) -> np.ndarray:
    """(n, 49, 10) float32 mlperf-mfcc features of real clips (the project's C frontend)."""
    from tinyaudio.data import fit_length, load_wav
    from tinyaudio.frontend import compute_features_batch, preset

    config = preset("mlperf-mfcc")
    audio = np.stack(
        [fit_length(load_wav(p, config.sample_rate), config.clip_samples) for p in speech_clip_paths(n, seed)]
    )
    return compute_features_batch(audio, config).astype(np.float32)


def quantize_features(features: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    q = np.round(features / scale) + zero_point
    return np.clip(q, -128, 127).astype(np.int8)


def _mlperf_keras_model() -> object:
    """mlcommons/tiny keyword_spotting keras_model.py 'ds_cnn', 12 classes, logits out."""
    import keras
    from keras import layers

    filters = 64
    inputs = keras.Input(shape=(49, 10, 1))
    x = layers.Conv2D(filters, (10, 4), strides=(2, 2), padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Dropout(0.2)(x)
    for _ in range(4):
        x = layers.DepthwiseConv2D(depth_multiplier=1, kernel_size=(3, 3), padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.Conv2D(filters, (1, 1), padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
    x = layers.Dropout(0.4)(x)
    x = layers.AveragePooling2D(pool_size=(49 // 2, 10 // 2))(x)  # as in the reference: (24, 5)
    x = layers.Flatten()(x)
    logits = layers.Dense(12)(x)
    return keras.Model(inputs, logits, name="mlperf_ds_cnn")


def _labelled_speech(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and label ids (parent folder) of n real clips."""
    paths = speech_clip_paths(n, seed)
    names = sorted({p.parent.name for p in paths})
    return speech_features(n, seed)[..., None], np.array([names.index(p.parent.name) for p in paths])


def _train_and_convert(model: object, epochs: int = 4) -> bytes:
    """A few epochs on real clips so activations look like a trained network's, then int8."""
    import keras

    from tinyaudio.quantize.export import convert_int8

    x, y = _labelled_speech(600, seed=1)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3),  # type: ignore[attr-defined]
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)  # type: ignore[attr-defined]
    return convert_int8(model, x[:150], add_softmax=True)  # type: ignore[arg-type]


def mlperf_dscnn_tflite() -> bytes:
    def build() -> bytes:
        import keras

        keras.utils.set_random_seed(0)
        model = _mlperf_keras_model()
        return _train_and_convert(model)

    return _cached("mlperf_dscnn", build)


def project_dscnn_tflite() -> bytes:
    def build() -> bytes:
        import keras

        from tinyaudio.models.dscnn import dscnn

        keras.utils.set_random_seed(1)
        model = dscnn((49, 10, 1), 12, filters=32, blocks=3)
        return _train_and_convert(model)

    return _cached("project_dscnn", build)


def micro_speech_features(n_clips: int, seed: int = 0) -> np.ndarray:
    """(n, 1960) int8: micro_speech's own 49x40 features for real 1 s clips (its preprocessor model)."""
    from tflite_micro.python.tflite_micro import runtime

    from tinyaudio.data import fit_length, load_wav

    pre = runtime.Interpreter.from_bytes(
        (tflm_models_dir() / "audio_preprocessor_int8.tflite").read_bytes(), arena_size=64 * 1024
    )
    testdata = datasets_root() / "tflm_micro_speech" / "testdata"
    paths = sorted(testdata.glob("*_1000ms.wav")) + speech_clip_paths(max(n_clips - 4, 0), seed)
    out = []
    for path in paths[:n_clips]:
        audio = fit_length(load_wav(path, 16000), 16000)
        pcm = np.clip(np.round(audio * 32768.0), -32768, 32767).astype(np.int16)
        frames = []
        for start in range(0, 16000 - 480 + 1, 320):
            pre.set_input(pcm[start : start + 480].reshape(1, 480), 0)
            pre.invoke()
            frames.append(np.array(pre.get_output(0), copy=True).reshape(40))
        out.append(np.stack(frames[:49]).reshape(1960))
    return np.stack(out).astype(np.int8)
