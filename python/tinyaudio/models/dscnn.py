"""Depthwise-separable CNN (DS-CNN) for keyword spotting on MFCC / log-mel inputs.

The MLPerf Tiny KWS reference model is `dscnn(input_shape=(49, 10, 1), num_classes=12, filters=64, blocks=4,
first_kernel=(10, 4), first_stride=(2, 2))`. After int8 conversion (batch norm folded, ReLU fused) the graph
uses
only CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE and FULLY_CONNECTED.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers


def _widths(filters: int | Sequence[int], blocks: int) -> list[int]:
    if isinstance(filters, int):
        return [filters] * (blocks + 1)
    widths = [int(f) for f in filters]
    if len(widths) != blocks + 1:
        raise ValueError(f"filters lists {len(widths)} widths; need blocks + 1 = {blocks + 1}")
    return widths


def dscnn(
    input_shape: tuple[int, ...],
    num_classes: int,
    filters: int | Sequence[int] = 64,
    blocks: int = 4,
    first_kernel: Sequence[int] = (10, 4),
    first_stride: Sequence[int] = (2, 2),
    first_padding: str = "same",
    kernel: Sequence[int] = (3, 3),
    block_strides: Sequence[int] | None = None,
    dropout: float = 0.2,
    weight_decay: float = 0.0,
) -> keras.Model:
    """A first full convolution, `blocks` depthwise-separable blocks, average pooling, a dense layer (logits).

    `first_padding` "valid" lets the int8 converter fold an input normalization into the first convolution.
    `block_strides` (one per block) lets long inputs (5 s sound clips) shrink inside the network.
    `filters` is one width for all layers or a list of blocks + 1 widths (first conv, then each block).
    """
    if blocks < 0:
        raise ValueError("blocks must be >= 0")
    widths = _widths(filters, blocks)
    strides = [1] * blocks if block_strides is None else [int(s) for s in block_strides]
    if len(strides) != blocks:
        raise ValueError(f"block_strides lists {len(strides)} strides; need one per block ({blocks})")
    reg = keras.regularizers.L2(weight_decay) if weight_decay > 0 else None
    inputs = keras.Input(shape=input_shape, name="features")
    x = layers.Conv2D(
        widths[0],
        tuple(first_kernel),
        strides=tuple(first_stride),
        padding=first_padding,
        use_bias=False,
        kernel_regularizer=reg,
        name="conv0",
    )(inputs)
    x = layers.BatchNormalization(momentum=0.9, name="conv0_bn")(x)
    x = layers.ReLU(name="conv0_relu")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="conv0_drop")(x)
    for i, width in enumerate(widths[1:], start=1):
        x = layers.DepthwiseConv2D(
            tuple(kernel), strides=strides[i - 1], padding="same", use_bias=False, name=f"dw{i}"
        )(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"dw{i}_bn")(x)
        x = layers.ReLU(name=f"dw{i}_relu")(x)
        x = layers.Conv2D(width, (1, 1), use_bias=False, kernel_regularizer=reg, name=f"pw{i}")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"pw{i}_bn")(x)
        x = layers.ReLU(name=f"pw{i}_relu")(x)
    # Pool over the whole map with AVERAGE_POOL_2D (as MLPerf's model does) rather than MEAN.
    x = layers.AveragePooling2D(pool_size=tuple(int(d) for d in x.shape[1:3]), name="pool")(x)
    x = layers.Flatten(name="flatten")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="head_drop")(x)
    logits = layers.Dense(num_classes, kernel_regularizer=reg, name="logits")(x)
    return keras.Model(inputs, logits, name="dscnn")
