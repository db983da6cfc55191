"""Recipes are validated strictly: every mistake is a RecipeError naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tinyaudio.errors import RecipeError
from tinyaudio.train.recipe import load_recipe, recipe_from_dict

REPO = Path(__file__).resolve().parents[3]
SHIPPED = sorted((REPO / "models").glob("*.yaml"))


def _write(tmp_path: Path, data: object) -> Path:
    p = tmp_path / "r.yaml"
    p.write_text(yaml.safe_dump(data))
    return p


@pytest.mark.parametrize(
    "data,key",
    [
        ({"modle": {"name": "dscnn"}}, "modle"),
        ({"training": {"epochs": 3, "lr": 0.1}}, "training.lr"),
        ({"teacher": {"model": {"name": "cnn_teacher", "parms": {}}}}, "teacher.model.parms"),
        ({"augment": {"specaugment": True}}, "augment.specaugment"),
    ],
)
def test_unknown_keys_are_named(tmp_path: Path, data: dict, key: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(RecipeError) as err:
        load_recipe(path)
    assert str(path) in str(err.value) and f"unknown key {key}" in str(err.value)


@pytest.mark.parametrize(
    "data,fragment",
    [
        ({"training": {"epochs": "ten"}}, "training.epochs: expected an integer"),
        ({"training": {"epochs": 0}}, "training.epochs: must be >= 1"),
        ({"training": {"learning_rate": True}}, "training.learning_rate: expected a number"),
        ({"dataset": {"split": "random"}}, "dataset.split"),
        ({"distillation": {"alpha": 1.5}}, "distillation.alpha"),
        ({"augment": {"noise_snr_db": [20, 5]}}, "augment.noise_snr_db"),
        ({"model": {"name": "resnet"}}, "model.name"),
        ({"teacher": {"keras_file": "a.keras", "logits_file": "b.npz"}}, "exactly one"),
        ({"model": "dscnn"}, "model: expected a mapping"),
        (["not", "a", "mapping"], "must be a YAML mapping"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, data: object, fragment: str) -> None:
    with pytest.raises(RecipeError, match=fragment.replace("(", r"\(")):
        load_recipe(_write(tmp_path, data))


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="recipe file not found"):
        load_recipe(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("training: {epochs: [1,\n")
    with pytest.raises(RecipeError, match="not valid YAML"):
        load_recipe(bad)


def test_overrides_apply_before_validation() -> None:
    r = recipe_from_dict(
        {"training": {"epochs": 50}},
        overrides=["training.epochs=3", "augment.mixup_alpha=0.2", "teacher=null"],
    )
    assert r.training.epochs == 3 and r.augment.mixup_alpha == 0.2 and r.teacher is None
    with pytest.raises(RecipeError, match="unknown key training.epoch"):
        recipe_from_dict({}, overrides=["training.epoch=3"])
    with pytest.raises(RecipeError, match="expected KEY=VALUE"):
        recipe_from_dict({}, overrides=["training.epochs"])


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_recipes_are_valid(path: Path) -> None:
    """Every recipe in models/ parses, has a valid frontend config and builds its models (no training)."""
    from tinyaudio.models import build_model
    from tinyaudio.train.data_prep import frontend_config

    r = load_recipe(path)
    config = frontend_config(r.frontend)
    shape = (config.num_frames, config.num_features, 1)
    student = build_model(r.model.name, shape, 10, **r.model.params)
    assert student.count_params() > 0
    if r.teacher is not None and r.teacher.model is not None:
        build_model(r.teacher.model.name, shape, 10, **r.teacher.model.params)


def test_shipped_recipes_exist() -> None:
    names = {p.name for p in SHIPPED}
    assert "fsdd_dscnn.yaml" in names
    assert any(n.startswith("esc10_") for n in names) and any(n.startswith("speech_commands_") for n in names)


def test_bad_model_params_are_named(tf_ready: None) -> None:
    from tinyaudio.models import build_model

    with pytest.raises(RecipeError, match="unknown parameter.*widht"):
        build_model("dscnn", (49, 10, 1), 4, widht=3)
    with pytest.raises(RecipeError, match="blocks \\+ 1"):
        build_model("dscnn", (49, 10, 1), 4, filters=[8, 8], blocks=3)


def test_cli_reports_bad_recipe_and_missing_data(tmp_path: Path) -> None:
    from tinyaudio.cli import main

    path = _write(tmp_path, {"trainig": {}})
    assert main(["train", str(path), "-o", str(tmp_path / "run")]) == 2
    good = _write(tmp_path, {"dataset": {"path": str(tmp_path / "no_such_data")}})
    runner = CliRunner()
    from tinyaudio.cli._app import app

    result = runner.invoke(app, ["train", str(good), "-o", str(tmp_path / "run")])
    assert result.exception is not None and "does not exist" in str(result.exception)
    assert main(["train", str(good), "-o", str(tmp_path / "run"), "--data", str(tmp_path / "nothing")]) == 2


def test_the_training_section_drives_the_loop_through_one_schedule() -> None:
    """The recipe's `training:` keys that the loop uses are the loop's FitConfig fields, declared once."""
    import dataclasses

    from tinyaudio.train.loop import FitConfig
    from tinyaudio.train.recipe import TrainingSchedule

    recipe = recipe_from_dict({"training": {"epochs": 7, "batch_size": 5, "patience": 0, "seed": 9}})
    cfg = FitConfig.from_schedule(recipe.training, mixup_alpha=0.2, epochs=3)
    shared = [f.name for f in dataclasses.fields(TrainingSchedule)]
    assert {"epochs", "batch_size", "learning_rate", "patience", "seed", "label_smoothing"} <= set(shared)
    for name in shared:
        expected = 3 if name == "epochs" else getattr(recipe.training, name)
        assert getattr(cfg, name) == expected, name
    assert cfg.mixup_alpha == 0.2 and cfg.batch_size == 5 and cfg.seed == 9
    # The YAML keys of `training:` are the schedule's plus the recipe-only ones, in this order.
    keys = list(recipe.to_dict()["training"])
    assert keys == [*shared, "threads", "input_norm"]
