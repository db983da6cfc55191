"""Quantization-aware training (Keras 3 fake quantization): the simulated weights are the converter's int8
weights, QAT fine-tunes the plain student that gets exported, and the option off changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tones_recipe import TONES_FRONTEND

from tinyaudio.errors import RecipeError
from tinyaudio.train.recipe import recipe_from_dict


def test_qat_keys_are_validated() -> None:
    r = recipe_from_dict({"quantize": {"qat_epochs": 3, "qat_learning_rate": 1e-4}})
    assert r.quantize.qat_epochs == 3 and r.quantize.qat_learning_rate == 1e-4
    assert recipe_from_dict({}).quantize.qat_epochs == 0  # off by default
    with pytest.raises(RecipeError, match="quantize.qat_epochs: must be >= 0"):
        recipe_from_dict({}, overrides=["quantize.qat_epochs=-1"])
    with pytest.raises(RecipeError, match="quantize.qat_epochs: expected an integer"):
        recipe_from_dict({"quantize": {"qat_epochs": "five"}})
    with pytest.raises(RecipeError, match="quantize.qat_learning_rate: must be > 0"):
        recipe_from_dict({"quantize": {"qat_learning_rate": 0}})
    with pytest.raises(RecipeError, match="unknown key quantize.qat;"):
        recipe_from_dict({"quantize": {"qat": True}})


def _tflite_weight_codes(flatbuffer: bytes) -> list[np.ndarray]:
    """int8 weights of every CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED, output channel first."""
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=flatbuffer)
    tensors = {t["index"]: t for t in interp.get_tensor_details()}
    codes = []
    for op in interp._get_ops_details():
        if op["op_name"] not in ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"):
            continue
        w = interp.get_tensor(tensors[op["inputs"][1]]["index"]).astype(np.int32)
        if op["op_name"] == "DEPTHWISE_CONV_2D":  # (1, kh, kw, channels): channel axis last
            w = np.moveaxis(w[0], -1, 0)
        codes.append(w.reshape(len(w), -1))
    return codes


def _fake_quant_codes(kernel: Any) -> np.ndarray:
    """The QAT model's fake-quantized kernel / its per-channel scale, output channel first."""
    from tinyaudio.quantize.qat import WEIGHT_QMAX

    # The converter quantizes the kernel after folding a preceding layer norm's gamma into it.
    gamma = np.ones(1) if kernel.input_scale is None else kernel.input_scale.numpy()[:, None]
    w = kernel.variable.numpy() * gamma
    scale = np.maximum(np.abs(w).max(axis=kernel.reduce_axes, keepdims=True) / WEIGHT_QMAX, 1e-12)
    codes = np.asarray(kernel.fake_quant()) * gamma / scale
    np.testing.assert_allclose(codes, np.round(codes), atol=1e-3)  # on the int8 grid
    if len(kernel.reduce_axes) == 2:  # depthwise (kh, kw, in, mult) -> channels in * mult
        codes = codes.reshape(*codes.shape[:2], -1)
    codes = np.moveaxis(np.round(codes).astype(np.int32), -1, 0)
    return codes.reshape(len(codes), -1)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,params",
    [
        ("dscnn", {"filters": 8, "blocks": 1, "first_kernel": (3, 3), "dropout": 0.0}),
        ("tiny_transformer", {"patch": (4, 8), "dim": 8, "depth": 1, "mlp_dim": 16, "dropout": 0.0}),
    ],
)
def test_fake_quant_weights_are_the_converters_int8_weights(tf_ready: None, name: str, params: dict) -> None:
    """After a QAT step, each kernel's fake-quantized values are the exported int8 weights times their scales:
    integer codes within 1 LSB per output channel. Batch norm and the input normalization fold into the
    kernels as one factor per channel, which leaves symmetric per-channel codes unchanged up to sign; a layer
    norm's gamma folds into the next dense layer per input feature (the QAT model quantizes it so too)."""
    from tinyaudio.models import build_model
    from tinyaudio.quantize.export import check_int8_model, convert_int8
    from tinyaudio.quantize.qat import qat_model, quantized_kernels
    from tinyaudio.train.loop import FitConfig, fit
    from tinyaudio.train.tfsetup import seed_everything

    rng = np.random.default_rng(0)
    x = rng.normal(-30, 10, (48, 16, 16, 1)).astype(np.float32)
    y = (x[:, :8].mean(axis=(1, 2, 3)) > x[:, 8:].mean(axis=(1, 2, 3))).astype(np.int64)
    seed_everything(0)
    student = build_model(name, (16, 16, 1), 2, (-30.0, 10.0), **params)
    fit(student, x, y, x[:16], y[:16], 2, FitConfig(epochs=1, batch_size=16, warmup_epochs=0))
    before = [w.numpy().copy() for w in student.weights]
    fit(qat_model(student), x, y, x[:16], y[:16], 2, FitConfig(epochs=1, batch_size=16, warmup_epochs=0))
    # QAT trained the student's own weights (they are shared); batch-norm statistics moved too.
    assert any(not np.array_equal(b, w.numpy()) for b, w in zip(before, student.weights, strict=True))

    fb = convert_int8(student, x[:20])
    check_int8_model(fb)  # exported from the plain student: no fake-quant op reached the graph
    ours = [_fake_quant_codes(k) for k in quantized_kernels(student)]
    theirs = _tflite_weight_codes(fb)
    assert len(ours) == len(theirs) > 0
    unmatched = list(range(len(ours)))
    for t in theirs:
        # Match by shape and codes (the converter orders ops its own way; q/k/v have equal shapes).
        errors = {
            i: int(np.abs(np.abs(ours[i]) - np.abs(t)).max()) for i in unmatched if ours[i].shape == t.shape
        }
        assert errors, f"no kernel of shape {t.shape}"
        best = min(errors, key=lambda i: errors[i])
        assert errors[best] <= 1, f"int8 codes differ by {errors[best]} LSB"
        # Up to one sign per channel (a negative batch-norm gamma flips a channel).
        signs = np.sign(np.sum(ours[best] * t, axis=1, keepdims=True))
        assert np.abs(ours[best] * np.where(signs == 0, 1, signs) - t).max() <= 1
        unmatched.remove(best)


@pytest.mark.slow
def test_qat_option_in_the_pipeline(tf_ready: None, tone_dataset: Path, tmp_path: Path) -> None:
    """qat_epochs=0 runs exactly as before; with QAT the same float student is first quantized as before
    (byte-identical PTQ model), then fine-tuned and exported again, and metrics.json records both."""
    import json

    from tinyaudio.train.pipeline import run_recipe

    recipe = {
        "name": "tones",
        "dataset": {"split": "standard", "val_fraction": 0.2},
        "frontend": TONES_FRONTEND,
        "model": {"name": "dscnn", "params": {"filters": 8, "blocks": 1, "first_kernel": [3, 3]}},
        "augment": {"time_masks": 1, "time_mask_max": 2, "mixup_alpha": 0.2},
        "training": {"epochs": 2, "batch_size": 16, "learning_rate": 0.01, "patience": 0, "seed": 3},
        "quantize": {"representative_samples": 20},
    }

    def run(name: str, overrides: list[str]) -> dict[str, Any]:
        r = recipe_from_dict(recipe, overrides=overrides)
        return run_recipe(r, tmp_path / name, tone_dataset, log=lambda _m: None, progress=False).metrics

    off = run("off", [])
    on = run("on", ["quantize.qat_epochs=1"])
    assert off["qat"] is None and "qat" not in off["history"]
    assert (tmp_path / "on" / "model_int8_ptq.tflite").read_bytes() == (
        tmp_path / "off" / "model_int8.tflite"
    ).read_bytes()
    qat = on["qat"]
    assert qat["method"] == "keras3-fake-quant" and qat["epochs"] == 1
    assert qat["float_accuracy_before"] == off["float_accuracy"]
    assert qat["int8_accuracy_ptq_only"] == off["int8_accuracy"]
    assert qat["float_accuracy_after"] == on["float_accuracy"]
    assert qat["int8_accuracy_qat"] == on["int8_accuracy"]
    assert on["history"]["qat"]["epochs_run"] == 1
    saved = json.loads((tmp_path / "on" / "metrics.json").read_text())
    assert saved["qat"] == qat
    # The exported model is the fine-tuned student, not the PTQ one.
    assert (tmp_path / "on" / "model_int8.tflite").read_bytes() != (
        tmp_path / "on" / "model_int8_ptq.tflite"
    ).read_bytes()
