"""Model level: Keras 3 tiny transformers converted to full int8 with TensorFlow, compiled with
`tinyaudio compile` (the CLI), built for the host with ASan/UBSan; on 200+ inputs the host output must
equal tflite-micro's exactly.

Variants: the project's `tiny_transformer` (the ~6k-parameter setting: patch embedding, learned
positions, 2 pre-norm blocks, mean pooling, sigmoid-GELU MLP) in its one-head and two-head forms, and a
model built from Keras' own LayerNormalization / MultiHeadAttention with a class token (so the
DEQUANTIZE -> NEG -> QUANTIZE island, CONCATENATION and STRIDED_SLICE are covered too). Weights are
randomized (no training needed for bit-exactness) so that no layer is an identity.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tests.support.oracle import run_tflm
from tests.support.runner import run_compiled_dir

pytestmark = pytest.mark.slow

INPUT_SHAPE = (32, 32, 1)  # frames x mel bins
N_RANDOM = 150
N_FEATURE_LIKE = 60
VARIANTS = ["tiny_transformer_1head", "tiny_transformer_2head_relu", "keras_layers_class_token"]
# Ops each variant must contain, so that the test keeps covering what it claims to.
EXPECTED_OPS = {
    "tiny_transformer_1head": {
        "CONV_2D",
        "MEAN",
        "SQUARED_DIFFERENCE",
        "RSQRT",
        "SUB",
        "MUL",
        "ADD",
        "FULLY_CONNECTED",
        "BATCH_MATMUL",
        "SOFTMAX",
        "LOGISTIC",
    },
    "tiny_transformer_2head_relu": {"TRANSPOSE", "BATCH_MATMUL", "RESHAPE", "MEAN", "RSQRT"},
    "keras_layers_class_token": {
        "DEQUANTIZE",
        "NEG",
        "QUANTIZE",
        "CONCATENATION",
        "STRIDED_SLICE",
        "TRANSPOSE",
        "BATCH_MATMUL",
    },
}


def _randomize(model, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    for w in model.weights:
        v = w.numpy()
        name = w.path if hasattr(w, "path") else w.name
        if "gamma" in name:
            v = 1.0 + 0.2 * rng.standard_normal(v.shape)
        elif v.ndim <= 1:
            v = 0.1 * rng.standard_normal(v.shape)
        else:
            fan_in = int(np.prod(v.shape[:-1]))
            v = rng.standard_normal(v.shape) / np.sqrt(fan_in)
        w.assign(v.astype(np.float32))


def _keras_layers_model(num_classes: int):  # type: ignore[no-untyped-def]
    """Class token + Keras LayerNormalization + MultiHeadAttention, batch fixed at 1."""
    import keras
    from keras import layers

    dim = 16

    class ClassToken(layers.Layer):
        def build(self, input_shape):  # type: ignore[no-untyped-def]
            self.token = self.add_weight(shape=(1, 1, dim), initializer="random_normal", name="token")

        def call(self, x):  # type: ignore[no-untyped-def]
            return keras.ops.concatenate([keras.ops.broadcast_to(self.token, (1, 1, dim)), x], axis=1)

    class Positions(layers.Layer):
        def build(self, input_shape):  # type: ignore[no-untyped-def]
            self.table = self.add_weight(
                shape=(1, input_shape[1], dim), initializer="random_normal", name="pos"
            )

        def call(self, x):  # type: ignore[no-untyped-def]
            return x + self.table

    inp = keras.Input(INPUT_SHAPE, batch_size=1)
    x = layers.Conv2D(dim, (8, 8), strides=(8, 8))(inp)
    x = layers.Reshape((16, dim))(x)
    x = ClassToken()(x)
    x = Positions()(x)
    h = layers.LayerNormalization(epsilon=1e-5)(x)
    h = layers.MultiHeadAttention(2, dim // 2)(h, h)
    x = x + h
    h = layers.LayerNormalization(epsilon=1e-5)(x)
    h = layers.Dense(2 * dim, activation="relu")(h)
    x = x + layers.Dense(dim)(h)
    x = layers.LayerNormalization(epsilon=1e-5)(x)
    out = layers.Dense(num_classes)(x[:, 0])
    return keras.Model(inp, out)


def _build(variant: str):  # type: ignore[no-untyped-def]
    from tinyaudio.models.tiny_transformer import tiny_transformer

    if variant == "tiny_transformer_1head":
        return tiny_transformer(
            INPUT_SHAPE,
            10,
            patch=(4, 8),
            dim=16,
            depth=2,
            heads=1,
            mlp_dim=32,
            dropout=0.0,
            mlp_activation="gelu_sigmoid",
        )
    if variant == "tiny_transformer_2head_relu":
        return tiny_transformer(
            INPUT_SHAPE,
            10,
            patch=(8, 4),
            dim=16,
            depth=1,
            heads=2,
            mlp_dim=32,
            dropout=0.0,
            mlp_activation="relu",
        )
    return _keras_layers_model(10)


_CONVERTED: dict[str, bytes] = {}


def _converted(variant: str) -> bytes:
    """The variant's full-int8 flatbuffer, converted once per session."""
    if variant not in _CONVERTED:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        from tinyaudio.quantize.export import convert_int8, tflite_ops

        model = _build(variant)
        _randomize(model, seed=7)
        representative = np.random.default_rng(3).standard_normal((64, *INPUT_SHAPE)).astype(np.float32)
        tflite = convert_int8(model, representative)
        missing = EXPECTED_OPS[variant] - set(tflite_ops(tflite))
        assert not missing, f"{variant} no longer converts to {sorted(missing)}"
        _CONVERTED[variant] = tflite
    return _CONVERTED[variant]


def _inputs(rng: np.random.Generator, scale: float, zero_point: int) -> np.ndarray:
    """Random int8 tensors and Gaussian "features" quantized with the model's input parameters."""
    xs_random = rng.integers(-128, 128, size=(N_RANDOM, 1, *INPUT_SHAPE)).astype(np.int8)
    gains = rng.uniform(0.3, 2.0, (N_FEATURE_LIKE, 1, 1, 1, 1))
    feats = rng.standard_normal((N_FEATURE_LIKE, 1, *INPUT_SHAPE)) * gains
    xs_feat = np.clip(np.round(feats / scale) + zero_point, -128, 127).astype(np.int8)
    return np.concatenate([xs_random, xs_feat])


def _compile_cli(tflite: bytes, tmp_path: Path) -> Path:
    model_path = tmp_path / "model_int8.tflite"
    model_path.write_bytes(tflite)
    out_dir = tmp_path / "compiled"
    proc = subprocess.run(
        [sys.executable, "-m", "tinyaudio", "compile", str(model_path), "-o", str(out_dir)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out_dir


def _tflm(tflite: bytes, xs: np.ndarray) -> np.ndarray:
    return run_tflm(tflite, xs).reshape(len(xs), -1)


@pytest.mark.parametrize("variant", VARIANTS)
def test_tiny_transformer_host_equals_tflm(variant: str, tmp_path: Path) -> None:
    tflite = _converted(variant)
    out_dir = _compile_cli(tflite, tmp_path)
    manifest = json.loads((out_dir / "manifest.json").read_text())
    in_q = manifest["input"]
    xs = _inputs(np.random.default_rng(3), in_q["scale"], in_q["zero_point"])
    got = run_compiled_dir(out_dir, xs).reshape(len(xs), -1)
    want = _tflm(tflite, xs)
    assert len(np.unique(want)) > 20, "degenerate model: outputs barely vary"
    mismatched = int((got != want).any(axis=1).sum())
    assert mismatched == 0, f"{variant}: {mismatched}/{len(xs)} inputs differ from tflite-micro"


@pytest.mark.qemu
@pytest.mark.parametrize(
    "variant,target", [("tiny_transformer_1head", "qemu-m4"), ("keras_layers_class_token", "qemu-m55")]
)
def test_tiny_transformer_on_qemu_equals_tflm(variant: str, target: str, tmp_path: Path) -> None:
    """The same kernels cross-compiled for Cortex-M (M55 with the float NEG island on its FPU)."""
    tflite = _converted(variant)
    out_dir = _compile_cli(tflite, tmp_path)
    in_q = json.loads((out_dir / "manifest.json").read_text())["input"]
    xs = _inputs(np.random.default_rng(4), in_q["scale"], in_q["zero_point"])[::10]  # 21 inputs
    np.save(tmp_path / "x.npy", xs.reshape(len(xs), *INPUT_SHAPE))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tinyaudio",
            "run",
            str(out_dir),
            "--target",
            target,
            "--input",
            str(tmp_path / "x.npy"),
            "--output",
            str(tmp_path / "y.npy"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = np.load(tmp_path / "y.npy").reshape(len(xs), -1)
    np.testing.assert_array_equal(got, _tflm(tflite, xs))
