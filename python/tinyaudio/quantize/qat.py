"""Quantization-aware fine-tuning with Keras 3 fake quantization (tfmot only works with tf_keras models).

`qat_model(student)` returns a model that shares every layer (and so every weight) with `student` and
simulates the int8 model the TFLite converter will produce:
- weights: conv / depthwise / dense kernels are fake-quantized per output channel, symmetric, narrow range
  [-127, 127], as the converter quantizes them. Batch norm folds into the kernel as one positive or negative
  factor per output channel, which per-channel symmetric quantization commutes with, so quantizing the
  unfolded kernel is exact. A layer norm's gamma in front of a dense layer is folded by the converter into
  the dense weights per input feature; its kernel is fake-quantized with that factor applied. Kernels
  inside custom layers (the transformer's attention) are included: the
  fake-quantized values are substituted for the variables while the model runs (keras.StatelessScope).
- activations: per-tensor asymmetric int8 (tf.quantization.fake_quant_with_min_max_vars) on the output of
  every layer of the functional graph whose output is a tensor of the int8 model; ranges follow the batch
  min/max with a moving average in training. Outputs the converter fuses away (a convolution feeding batch
  norm, batch norm feeding ReLU) and pure reshapes / dropout are left alone. Activations inside custom
  layers (attention scores, layer-norm pieces) are not fake-quantized.
Gradients pass straight through the rounding. Training the QAT model updates the student in place; the
student is then exported with the ordinary PTQ converter (no fake-quant ops reach the .tflite).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import keras

WEIGHT_QMAX = 127.0  # TFLite int8 weights use the narrow range [-127, 127]
RANGE_MOMENTUM = 0.99
# Layers whose output carries the same quantization as their input, or no tensor at inference.
_PASS_THROUGH = ("Dropout", "Reshape", "Flatten", "InputLayer", "Functional", "Model", "Sequential")


def _kernel_reduce_axes(layer: Any) -> tuple[int, ...] | None:
    """Axes of the kernel to reduce over for one scale per output channel (None: not quantized)."""
    from keras import layers

    if isinstance(layer, layers.DepthwiseConv2D):  # (kh, kw, in, mult): output channel = (in, mult)
        return (0, 1)
    if isinstance(layer, layers.Conv2D):  # (kh, kw, in, out)
        return (0, 1, 2)
    if isinstance(layer, layers.Dense):  # (in, out)
        return (0,)
    return None


def fake_quant_weights(w: Any, reduce_axes: tuple[int, ...]) -> Any:
    """Per-channel symmetric int8 fake quantization with a straight-through gradient."""
    import tensorflow as tf

    scale = tf.reduce_max(tf.abs(w), axis=reduce_axes, keepdims=True) / WEIGHT_QMAX
    scale = tf.maximum(scale, 1e-12)  # an all-zero channel stays zero
    q = tf.clip_by_value(tf.round(w / scale), -WEIGHT_QMAX, WEIGHT_QMAX) * scale
    return w + tf.stop_gradient(q - w)


@dataclass
class QuantizedKernel:
    """A kernel that the int8 model stores as per-channel int8.

    `input_scale` is the gamma of a layer norm right before a dense layer: the converter folds that
    per-input-feature multiply into the dense weights before quantizing them, so the int8 codes are those of
    gamma[:, None] * kernel, not of the kernel.
    """

    variable: Any
    reduce_axes: tuple[int, ...]
    input_scale: Any = None

    def fake_quant(self) -> Any:
        w = self.variable.value
        if self.input_scale is None:
            return fake_quant_weights(w, self.reduce_axes)
        import tensorflow as tf

        g = tf.convert_to_tensor(self.input_scale.value)[:, None]
        # A (near-)zero gamma row multiplies zero inputs after folding: any value for it is exact.
        safe = tf.where(tf.abs(g) < 1e-6, tf.ones_like(g), g)
        return fake_quant_weights(w * safe, self.reduce_axes) / safe


def _layer_norm_inputs(model: Any) -> dict[int, Any]:
    """id(dense layer) -> gamma of the layer norm feeding it (directly, or via self-attention's q/k/v)."""
    from keras import layers

    from tinyaudio.models.tiny_transformer import SimpleLayerNorm, StaticSelfAttention

    found: dict[int, Any] = {}
    models = [m for m in model._flatten_layers(include_self=True, recursive=True) if hasattr(m, "operations")]
    for m in models:
        for op in m.operations:
            for node in op._inbound_nodes:
                producers = [t._keras_history.operation for t in node.input_tensors]
                if len(producers) != 1 or not isinstance(producers[0], SimpleLayerNorm):
                    continue
                if isinstance(op, StaticSelfAttention):
                    for dense in (op.q, op.k, op.v):
                        found[id(dense)] = producers[0].gamma
                elif isinstance(op, layers.Dense):
                    found[id(op)] = producers[0].gamma
    return found


def quantized_kernels(model: keras.Model) -> list[QuantizedKernel]:
    """Every conv / depthwise / dense kernel of `model`, nested layers included."""
    folded = _layer_norm_inputs(model)
    found: list[QuantizedKernel] = []
    seen: set[int] = set()
    for layer in model._flatten_layers(include_self=False, recursive=True):
        axes = _kernel_reduce_axes(layer)
        if axes is not None and id(layer.kernel) not in seen:
            seen.add(id(layer.kernel))
            found.append(QuantizedKernel(layer.kernel, axes, folded.get(id(layer))))
    return found


def _activation_quantizer_class() -> Any:
    import keras
    import tensorflow as tf

    class FakeQuantActivation(keras.layers.Layer):
        """Per-tensor asymmetric int8 fake quantization; range = moving min/max of the training batches."""

        def build(self, input_shape: Any) -> None:
            self.range_min = self.add_weight(name="min", shape=(), initializer="zeros", trainable=False)
            self.range_max = self.add_weight(name="max", shape=(), initializer="zeros", trainable=False)
            self.seen = self.add_weight(name="seen", shape=(), initializer="zeros", trainable=False)

        def call(self, x: Any, training: bool | None = None) -> Any:
            lo, hi = self.range_min, self.range_max
            if training:
                b_lo, b_hi = tf.reduce_min(x), tf.reduce_max(x)
                first = tf.equal(self.seen, 0.0)
                m = RANGE_MOMENTUM
                lo = tf.where(first, b_lo, m * self.range_min + (1 - m) * b_lo)
                hi = tf.where(first, b_hi, m * self.range_max + (1 - m) * b_hi)
                self.range_min.assign(lo)
                self.range_max.assign(hi)
                self.seen.assign(1.0)
            # int8 ranges always hold zero (the converter nudges them the same way).
            lo = tf.minimum(tf.convert_to_tensor(lo), 0.0)
            hi = tf.maximum(tf.maximum(tf.convert_to_tensor(hi), 0.0), lo + 1e-6)
            return tf.quantization.fake_quant_with_min_max_vars(x, lo, hi, num_bits=8, narrow_range=False)

    return FakeQuantActivation


def _consumers(model: Any) -> dict[int, list[Any]]:
    """id(layer) -> layers that take its output, inside one functional model."""
    out: dict[int, list[Any]] = {}
    for op in model.operations:
        for node in op._inbound_nodes:
            for t in node.input_tensors:
                producer = t._keras_history.operation
                out.setdefault(id(producer), []).append(op)
    return out


def _quantize_output(layer: Any, consumers: list[Any]) -> bool:
    from keras import layers

    if type(layer).__name__ in _PASS_THROUGH or isinstance(layer, (layers.Dropout, layers.Reshape)):
        return False
    if consumers and all(isinstance(c, layers.BatchNormalization) for c in consumers):
        return False  # conv + batch norm fold into one op

    def is_relu(c: Any) -> bool:
        return isinstance(c, layers.ReLU) or (
            isinstance(c, layers.Activation) and c.get_config()["activation"] == "relu"
        )

    if consumers and all(is_relu(c) for c in consumers):
        return False  # ReLU fuses into the op before it
    return True


def with_activation_quantizers(model: keras.Model) -> keras.Model:
    """The functional `model` with fake quantization after each layer; layers (and weights) are shared."""
    import keras

    quantizer = _activation_quantizer_class()
    consumers: dict[int, list[Any]] = {}

    def collect(m: Any) -> None:
        consumers.update(_consumers(m))
        for op in m.operations:
            if isinstance(op, keras.Model):
                collect(op)

    collect(model)

    def call(layer: Any, *args: Any, **kwargs: Any) -> Any:
        out = layer(*args, **kwargs)
        if not _quantize_output(layer, consumers.get(id(layer), [])):
            return out
        return quantizer(name=f"{layer.name}_fq")(out)

    return keras.models.clone_model(
        model, clone_function=lambda layer: layer, call_function=call, recursive=True
    )


def qat_model(student: keras.Model) -> keras.Model:
    """A model that runs `student` as the int8 converter will (see the module docstring), sharing weights."""
    import keras

    inner = with_activation_quantizers(student)
    kernels = quantized_kernels(student)

    class QuantAwareModel(keras.Model):
        def __init__(self) -> None:
            super().__init__(name=f"{student.name}_qat")
            self.inner = inner

        def call(self, x: Any, training: bool | None = None) -> Any:
            mapping = [(k.variable, k.fake_quant()) for k in kernels]
            with keras.StatelessScope(state_mapping=mapping) as scope:
                y = self.inner(x, training=training)
            # Assignments inside the scope (batch-norm statistics, activation ranges, dropout seeds) were
            # recorded, not applied: apply them now.
            for v in self.inner.non_trainable_variables:
                value = scope.get_current_value(v)
                if value is not None:
                    v.assign(value)
            return y

    model = QuantAwareModel()
    model.build(student.input_shape)
    return model
