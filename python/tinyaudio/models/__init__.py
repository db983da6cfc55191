"""Model builders: small functions of hyperparameters returning Keras 3 models that output logits.

Importing this package does not import Keras; `build_model` does, on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tinyaudio.errors import RecipeError

if TYPE_CHECKING:
    import keras

MODEL_NAMES = ("dscnn", "tiny_transformer", "cnn_teacher")


def build_model(
    name: str,
    input_shape: tuple[int, ...],
    num_classes: int,
    input_norm: tuple[float, float] | None = None,
    **params: Any,
) -> keras.Model:
    """Build model `name` for `input_shape` (frames, features, 1); unknown names/parameters raise RecipeError.

    `input_norm` = (mean, std) of the training features puts a fixed (x - mean) / std in front: training sees
    unit-scale inputs while the model still takes raw frontend features. The int8 converter folds it into a
    following VALID-padded convolution (with SAME padding one SUB op remains).
    """
    import inspect

    from tinyaudio.models.dscnn import dscnn
    from tinyaudio.models.teacher import cnn_teacher
    from tinyaudio.models.tiny_transformer import tiny_transformer

    builders: dict[str, Callable[..., keras.Model]] = {
        "dscnn": dscnn,
        "tiny_transformer": tiny_transformer,
        "cnn_teacher": cnn_teacher,
    }
    if name not in builders:
        raise RecipeError(f"model.name: unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    builder = builders[name]
    accepted = set(inspect.signature(builder).parameters) - {"input_shape", "num_classes"}
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise RecipeError(
            f"model.params: unknown parameter(s) {', '.join(unknown)} for {name}; "
            f"accepted: {', '.join(sorted(accepted))}"
        )
    try:
        model = builder(tuple(input_shape), int(num_classes), **params)
    except (TypeError, ValueError) as err:
        raise RecipeError(f"model.params for {name}: {err}") from err
    if input_norm is None:
        return model
    import keras

    mean, std = float(input_norm[0]), max(float(input_norm[1]), 1e-6)
    inputs = keras.Input(shape=tuple(input_shape), name="features")
    x = keras.layers.Normalization(mean=mean, variance=std * std, axis=None, name="input_norm")(inputs)
    return keras.Model(inputs, model(x), name=model.name)
