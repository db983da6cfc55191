"""A BERT-style tiny encoder over mel-spectrogram patches (after "Tiny Transformers for Environmental Sound
Classification at the Edge"): patch embedding, learned positions, pre-norm encoder blocks, mean pooling.

Every piece is written with static shapes and plain ops so that full-int8 conversion yields only ops a
microcontroller runtime has: CONV_2D (patch embedding), RESHAPE, ADD/SUB/MUL, MEAN, SQUARED_DIFFERENCE, RSQRT
(layer norm), FULLY_CONNECTED, BATCH_MATMUL, TRANSPOSE (multi-head only), SOFTMAX, LOGISTIC (GELU
approximation). Keras' own
LayerNormalization and MultiHeadAttention are avoided: they convert with dynamic-shape ops (SHAPE, GATHER,
PACK).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
from keras import layers, ops


@keras.saving.register_keras_serializable(package="tinyaudio")
class PositionEmbedding(layers.Layer):
    """Adds a learned (tokens, dim) table to its input."""

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        self.table = self.add_weight(
            name="table",
            shape=(1, int(input_shape[1] or 0), int(input_shape[2] or 0)),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
        )

    def call(self, x: Any) -> Any:
        return x + self.table


@keras.saving.register_keras_serializable(package="tinyaudio")
class SimpleLayerNorm(layers.Layer):
    """Layer norm over the last axis from MEAN, SUB, SQUARED_DIFFERENCE, ADD, RSQRT, MUL only."""

    def __init__(self, epsilon: float = 1e-5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        dim = int(input_shape[-1] or 0)
        self.gamma = self.add_weight(name="gamma", shape=(dim,), initializer="ones")
        self.beta = self.add_weight(name="beta", shape=(dim,), initializer="zeros")

    def call(self, x: Any) -> Any:
        mean = ops.mean(x, axis=-1, keepdims=True)
        var = ops.mean(ops.square(x - mean), axis=-1, keepdims=True)
        return (x - mean) * ops.rsqrt(var + self.epsilon) * self.gamma + self.beta

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="tinyaudio")
class StaticSelfAttention(layers.Layer):
    """Multi-head self-attention with static shapes: Dense q/k/v, BATCH_MATMUL per head, softmax."""

    def __init__(self, heads: int, dim: int, dropout: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if dim % heads:
            raise ValueError(f"dim {dim} is not divisible by heads {heads}")
        self.heads, self.dim, self.dropout_rate = heads, dim, dropout
        self.q = layers.Dense(dim, name="q")
        self.k = layers.Dense(dim, name="k")
        self.v = layers.Dense(dim, name="v")
        self.out = layers.Dense(dim, name="out")
        self.drop = layers.Dropout(dropout)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        for dense in (self.q, self.k, self.v):
            dense.build(input_shape)
        self.out.build((*input_shape[:-1], self.dim))

    def _split(self, x: Any, tokens: int) -> Any:
        # (B, N, D) -> (B, H, N, D/H)
        x = ops.reshape(x, (-1, tokens, self.heads, self.dim // self.heads))
        return ops.transpose(x, (0, 2, 1, 3))

    def call(self, x: Any, training: bool | None = None) -> Any:
        tokens = int(x.shape[1])
        scale = 1.0 / float(self.dim // self.heads) ** 0.5
        q, k, v = self.q(x) * scale, self.k(x), self.v(x)
        if self.heads == 1:
            att = ops.softmax(ops.matmul(q, ops.transpose(k, (0, 2, 1))), axis=-1)
            att = self.drop(att, training=training)
            return self.out(ops.matmul(att, v))
        q, k, v = self._split(q, tokens), self._split(k, tokens), self._split(v, tokens)
        att = ops.softmax(ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))), axis=-1)
        att = self.drop(att, training=training)
        y = ops.transpose(ops.matmul(att, v), (0, 2, 1, 3))
        return self.out(ops.reshape(y, (-1, tokens, self.dim)))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "heads": self.heads, "dim": self.dim, "dropout": self.dropout_rate}


@keras.saving.register_keras_serializable(package="tinyaudio")
class SigmoidGelu(layers.Layer):
    """GELU as x * sigmoid(1.702 x): LOGISTIC and MUL, which TFLM runs (it has no GELU kernel)."""

    def call(self, x: Any) -> Any:
        return x * ops.sigmoid(1.702 * x)


MLP_ACTIVATIONS = ("gelu_sigmoid", "relu", "gelu")


def _mlp_activation(name: str, label: str) -> layers.Layer:
    if name == "gelu_sigmoid":
        return SigmoidGelu(name=label)
    if name in ("relu", "gelu"):
        return layers.Activation(name, name=label)
    raise ValueError(f"mlp_activation {name!r} is not one of {', '.join(MLP_ACTIVATIONS)}")


def tiny_transformer(
    input_shape: tuple[int, ...],
    num_classes: int,
    patch: Sequence[int] = (4, 8),
    dim: int = 16,
    depth: int = 2,
    heads: int = 1,
    mlp_dim: int = 32,
    dropout: float = 0.1,
    mlp_activation: str = "gelu_sigmoid",
) -> keras.Model:
    """Patches of `patch` (frames, features) become `dim`-wide tokens; `depth` pre-norm blocks; mean pooling.

    `mlp_activation` "gelu" converts to the GELU op, which TFLM lacks; the default sigmoid approximation and
    "relu" avoid it. The smallest useful setting (dim 16, depth 2, one head, mlp 32) has ~6,000 parameters
    for a 32-bin
    spectrogram of ~80 frames.
    """
    frames, feats = int(input_shape[0]), int(input_shape[1])
    pt, pf = int(patch[0]), int(patch[1])
    if pt > frames or pf > feats:
        raise ValueError(f"patch {tuple(patch)} is larger than the input {frames}x{feats}")
    inputs = keras.Input(shape=input_shape, name="features")
    # A strided convolution is the patch embedding (CONV_2D); leftover frames/bins at the edge are dropped.
    x = layers.Conv2D(dim, (pt, pf), strides=(pt, pf), padding="valid", name="patch_embed")(inputs)
    tokens = int(x.shape[1]) * int(x.shape[2])
    x = layers.Reshape((tokens, dim), name="tokens")(x)
    x = PositionEmbedding(name="positions")(x)
    for b in range(depth):
        h = SimpleLayerNorm(name=f"b{b}_ln1")(x)
        h = StaticSelfAttention(heads, dim, dropout=dropout, name=f"b{b}_attn")(h)
        x = layers.Add(name=f"b{b}_res1")([x, h])
        h = SimpleLayerNorm(name=f"b{b}_ln2")(x)
        h = layers.Dense(mlp_dim, name=f"b{b}_mlp1")(h)
        h = _mlp_activation(mlp_activation, f"b{b}_act")(h)
        h = layers.Dense(dim, name=f"b{b}_mlp2")(h)
        if dropout > 0:
            h = layers.Dropout(dropout, name=f"b{b}_drop")(h)
        x = layers.Add(name=f"b{b}_res2")([x, h])
    x = SimpleLayerNorm(name="final_ln")(x)
    # Mean pooling over tokens (MEAN) instead of a class token: no CONCATENATION/slicing in the graph.
    x = layers.GlobalAveragePooling1D(name="pool")(x)
    logits = layers.Dense(num_classes, name="logits")(x)
    return keras.Model(inputs, logits, name="tiny_transformer")
