"""End to end on a tiny synthetic dataset: `tinyaudio train` writes RUN_DIR, `tinyaudio eval` reproduces its
int8 accuracy through LiteRT and the tflite-micro interpreter. A few epochs only: this checks plumbing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from tones_recipe import TONES_FRONTEND

RECIPE = {
    "name": "tones",
    "dataset": {"split": "standard", "val_fraction": 0.2},
    "frontend": TONES_FRONTEND,
    "model": {
        "name": "dscnn",
        "params": {
            "filters": 8,
            "blocks": 1,
            "first_kernel": [3, 3],
            "first_padding": "valid",
            "dropout": 0.0,
        },
    },
    "teacher": {
        "model": {"name": "cnn_teacher", "params": {"filters": [8], "convs_per_stage": 1}},
        "epochs": 2,
    },
    "distillation": {"alpha": 0.5, "temperature": 2.0},
    "augment": {"copies": 1, "time_shift": 0.1, "time_masks": 1, "time_mask_max": 2, "mixup_alpha": 0.2},
    "training": {"epochs": 3, "batch_size": 16, "learning_rate": 0.01, "patience": 0, "seed": 3},
    "quantize": {"representative_samples": 20},
}


@pytest.mark.slow
def test_train_then_eval(tf_ready: None, tone_dataset: Path, tmp_path: Path) -> None:
    from tinyaudio.cli import main
    from tinyaudio.evaluate import evaluate_model_on_data

    recipe = tmp_path / "tones.yaml"
    recipe.write_text(yaml.safe_dump(RECIPE))
    run = tmp_path / "run"
    assert main(["train", str(recipe), "--data", str(tone_dataset), "-o", str(run), "--quiet"]) == 0
    for name in (
        "model.keras",
        "model_int8.tflite",
        "manifest.json",
        "metrics.json",
        "curves.png",
        "confusion_int8.png",
        "teacher.keras",
    ):
        assert (run / name).is_file(), name
    metrics = json.loads((run / "metrics.json").read_text())
    manifest = json.loads((run / "manifest.json").read_text())
    for key in ("float_accuracy", "int8_accuracy", "teacher_accuracy", "n_test", "per_class", "split"):
        assert key in metrics
    assert metrics["distilled"] is True and metrics["n_test"] > 0
    assert set(metrics["per_class"]) == {"high", "low", "mid"}
    assert manifest["kind"] == "training-run" and manifest["labels"] == ["high", "low", "mid"]
    assert manifest["input"]["dtype"] == "int8" and manifest["input"]["shape"] == [1, 15, 16, 1]
    assert manifest["frontend"]["sample_rate"] == 8000
    assert manifest["tflite_bytes"] == (run / "model_int8.tflite").stat().st_size
    assert manifest["macs"] > 0 and set(manifest["ops"]) <= {
        "CONV_2D",
        "DEPTHWISE_CONV_2D",
        "AVERAGE_POOL_2D",
        "FULLY_CONNECTED",
        "SOFTMAX",
        "RESHAPE",
    }
    # eval re-derives the same test split from the manifest and gets the same int8 accuracy
    lite = evaluate_model_on_data(run / "model_int8.tflite", tone_dataset, engine="litert")
    assert lite.n == metrics["n_test"]
    assert lite.accuracy == pytest.approx(metrics["int8_accuracy"])
    micro = evaluate_model_on_data(run / "model_int8.tflite", tone_dataset, engine="tflm")
    np.testing.assert_array_equal(micro.predictions, lite.predictions)
    out = tmp_path / "eval.json"
    assert (
        main(
            [
                "eval",
                str(run / "model_int8.tflite"),
                "--data",
                str(tone_dataset),
                "--engine",
                "tflm",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text())["accuracy"] == pytest.approx(micro.accuracy)
    assert (
        main(["eval", str(run / "model_int8.tflite"), "--data", str(tone_dataset), "--engine", "nope"]) == 2
    )


@pytest.mark.slow
def test_distill_from_logits_file(tf_ready: None, tone_dataset: Path, tmp_path: Path) -> None:
    """Teacher logits computed elsewhere, given per clip path, drive the distillation."""
    from tinyaudio.data import open_dataset
    from tinyaudio.train.pipeline import run_recipe
    from tinyaudio.train.recipe import recipe_from_dict

    ds = open_dataset(tone_dataset)
    logits = 4.0 * np.eye(3, dtype=np.float32)[ds.label_ids()]
    paths = np.array([str(c.path.relative_to(tone_dataset)) for c in ds.clips])
    np.savez(tmp_path / "t.npz", paths=paths, logits=logits)
    data = {
        **RECIPE,
        "teacher": {"logits_file": str(tmp_path / "t.npz")},
        "training": {**RECIPE["training"], "epochs": 1},
    }
    result = run_recipe(
        recipe_from_dict(data), tmp_path / "run", tone_dataset, log=lambda _m: None, progress=False
    )
    assert result.metrics["teacher_accuracy"] == 1.0 and result.metrics["distilled"] is True
    np.savez(tmp_path / "short.npz", paths=paths[:5], logits=logits[:5])
    data["teacher"] = {"logits_file": str(tmp_path / "short.npz")}
    from tinyaudio.errors import RecipeError

    with pytest.raises(RecipeError, match="no logits for"):
        run_recipe(
            recipe_from_dict(data), tmp_path / "run2", tone_dataset, log=lambda _m: None, progress=False
        )
