"""A larger CNN used as the distillation teacher (not meant for the device).

Teachers can also be any user Keras model file or precomputed teacher logits (see tinyaudio.train.teacher).
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import layers


def cnn_teacher(
    input_shape: tuple[int, ...],
    num_classes: int,
    filters: Sequence[int] = (32, 64, 128),
    convs_per_stage: int = 2,
    dropout: float = 0.3,
    weight_decay: float = 1e-4,
) -> keras.Model:
    """VGG-style stages of (conv-BN-ReLU) x convs_per_stage + 2x2 max-pool, global average pool, logits."""
    reg = keras.regularizers.L2(weight_decay) if weight_decay > 0 else None
    inputs = keras.Input(shape=input_shape, name="features")
    x = inputs
    for s, width in enumerate(filters):
        for c in range(convs_per_stage):
            x = layers.Conv2D(
                int(width), 3, padding="same", use_bias=False, kernel_regularizer=reg, name=f"s{s}c{c}"
            )(x)
            x = layers.BatchNormalization(momentum=0.9, name=f"s{s}c{c}_bn")(x)
            x = layers.ReLU(name=f"s{s}c{c}_relu")(x)
        if min(int(d) for d in x.shape[1:3]) >= 2:
            x = layers.MaxPooling2D(2, name=f"s{s}_pool")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    if dropout > 0:
        x = layers.Dropout(dropout, name="drop")(x)
    logits = layers.Dense(num_classes, kernel_regularizer=reg, name="logits")(x)
    return keras.Model(inputs, logits, name="cnn_teacher")
