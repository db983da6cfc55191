"""Model builders: small functions of hyperparameters returning Keras 3 models that output logits.

Importing this package does not import Keras; `build_model` does, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinyaudio.errors import RecipeError

if TYPE_CHECKING:
    import keras

MODEL_NAMES = ("dscnn", "tiny_transformer", "cnn_teacher")


def build_model(name: str, input_shape: tuple[int, ...], num_classes: int, **params: Any) -> keras.Model:
    """Build model `name` for `input_shape` (frames, features, 1). Unknown names or parameters raise RecipeError."""
    import inspect

    from tinyaudio.models.dscnn import dscnn
    from tinyaudio.models.teacher import cnn_teacher
    from tinyaudio.models.tiny_transformer import tiny_transformer

    builders = {"dscnn": dscnn, "tiny_transformer": tiny_transformer, "cnn_teacher": cnn_teacher}
    if name not in builders:
        raise RecipeError(f"model.name: unknown model {name!r}; choose one of {', '.join(MODEL_NAMES)}")
    builder = builders[name]
    accepted = set(inspect.signature(builder).parameters) - {"input_shape", "num_classes"}
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise RecipeError(
            f"model.params: unknown parameter(s) {', '.join(unknown)} for {name}; accepted: {', '.join(sorted(accepted))}"
        )
    try:
        return builder(tuple(input_shape), int(num_classes), **params)
    except (TypeError, ValueError) as err:
        raise RecipeError(f"model.params for {name}: {err}") from err
