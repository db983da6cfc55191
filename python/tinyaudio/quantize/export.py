"""Full-integer int8 post-training quantization: int8 input and output, per-channel weights.

The Keras model outputs logits; the exported model ends in SOFTMAX so that the device reports probabilities
(int8 softmax output has scale 1/256, zero point -128). The graph is traced with a fixed batch of 1, which
keeps
dynamic-shape ops (SHAPE, GATHER, PACK) out of the converted model.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinyaudio.errors import TinyaudioError

if TYPE_CHECKING:
    import keras

# Ops our C runtime (bit-exact with TFLM) implements or is implementing; see CONTRACTS.md / issue 4.
SUPPORTED_OPS = frozenset(
    {
        "CONV_2D",
        "DEPTHWISE_CONV_2D",
        "FULLY_CONNECTED",
        "AVERAGE_POOL_2D",
        "MAX_POOL_2D",
        "RESHAPE",
        "SOFTMAX",
        "QUANTIZE",
        "DEQUANTIZE",
        "MEAN",
        "ADD",
        "SUB",
        "MUL",
        "SQUARED_DIFFERENCE",
        "RSQRT",
        "LOGISTIC",
        "TANH",
        "CONCATENATION",
        "TRANSPOSE",
        "BATCH_MATMUL",
        "GELU",
    }
)


class QuantizationError(TinyaudioError):
    """Int8 conversion failed or produced a model the microcontroller runtime cannot run."""


def with_softmax(model: keras.Model) -> keras.Model:
    """The deployable model: the logits model followed by a softmax layer."""
    import keras

    probs = keras.layers.Softmax(name="probabilities")(model.output)
    return keras.Model(model.input, probs, name=f"{model.name}_probs")


def representative_subset(features: np.ndarray, n: int = 300, seed: int = 0) -> np.ndarray:
    """A random, fixed-seed subset of training features (N, ...) for calibration."""
    rng = np.random.default_rng(seed)
    if len(features) == 0:
        raise QuantizationError("representative data is empty: no training features to calibrate int8 ranges")
    idx = rng.choice(len(features), size=min(n, len(features)), replace=False)
    return np.asarray(features[np.sort(idx)], dtype=np.float32)


def convert_int8(model: keras.Model, representative: np.ndarray, add_softmax: bool = True) -> bytes:
    """Convert a Keras model (logits out) to full-int8 TFLite: int8 in/out, per-channel weights."""
    import tensorflow as tf

    deploy = with_softmax(model) if add_softmax else model
    input_shape = (1, *(int(d) for d in deploy.input_shape[1:]))

    def rep_data() -> Iterator[list[np.ndarray]]:
        for row in representative:
            yield [np.asarray(row, dtype=np.float32).reshape(input_shape)]

    with tempfile.TemporaryDirectory(prefix="tinyaudio_export_") as tmp:
        # Keras' exporter freezes variables (tf.saved_model.save on a tf.Module leaves READ_VARIABLE ops).
        deploy.export(
            tmp,
            format="tf_saved_model",
            verbose=False,
            input_signature=[tf.TensorSpec(input_shape, tf.float32, name="features")],
        )
        converter = tf.lite.TFLiteConverter.from_saved_model(tmp)
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = rep_data
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
        try:
            flatbuffer = converter.convert()
        except Exception as err:  # the converter raises many types; name the model and keep the reason
            raise QuantizationError(f"int8 conversion of model {model.name!r} failed: {err}") from err
    return bytes(flatbuffer)


def tflite_ops(flatbuffer: bytes) -> dict[str, int]:
    """Op name -> count in a .tflite flatbuffer (as the interpreter resolves them)."""
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=flatbuffer)
    counts: dict[str, int] = {}
    for op in interp._get_ops_details():
        counts[op["op_name"]] = counts.get(op["op_name"], 0) + 1
    return counts


def io_details(flatbuffer: bytes) -> dict[str, dict[str, Any]]:
    """Input and output shape, dtype, scale and zero point of a single-input, single-output model."""
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=flatbuffer)
    out: dict[str, dict[str, Any]] = {}
    for key, details in (("input", interp.get_input_details()), ("output", interp.get_output_details())):
        if len(details) != 1:
            raise QuantizationError(f"model has {len(details)} {key}s; tinyaudio models have exactly one")
        d = details[0]
        scale, zero_point = d["quantization"]
        out[key] = {
            "shape": [int(s) for s in d["shape"]],
            "dtype": np.dtype(d["dtype"]).name,
            "scale": float(scale),
            "zero_point": int(zero_point),
        }
    return out


def check_int8_model(flatbuffer: bytes, supported: frozenset[str] = SUPPORTED_OPS) -> None:
    """Raise QuantizationError if the model has float/int16 I/O, float compute ops, or unsupported ops."""
    from ai_edge_litert.interpreter import Interpreter

    io = io_details(flatbuffer)
    for key in ("input", "output"):
        if io[key]["dtype"] != "int8":
            raise QuantizationError(f"model {key} is {io[key]['dtype']}, not int8")
    interp = Interpreter(model_content=flatbuffer)
    tensors = {t["index"]: t for t in interp.get_tensor_details()}
    for op in interp._get_ops_details():
        name = op["op_name"]
        if name not in supported:
            raise QuantizationError(
                f"op #{op['index']} {name} is not supported by the tinyaudio runtime "
                f"(supported: {', '.join(sorted(supported))})"
            )
        if name in ("QUANTIZE", "DEQUANTIZE"):
            continue
        for idx in list(op["inputs"]) + list(op["outputs"]):
            if idx < 0:
                continue
            dtype = np.dtype(tensors[idx]["dtype"])
            if dtype == np.float32:
                raise QuantizationError(
                    f"op #{op['index']} {name} has float32 tensor {tensors[idx]['name']!r}: float fallback"
                )


def save_tflite(flatbuffer: bytes, path: Path) -> None:
    path.write_bytes(flatbuffer)
