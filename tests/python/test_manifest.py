"""tinyaudio.manifest: documents carry a kind, readers ask for one, old ones without a kind keep working."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinyaudio.manifest import ManifestError, manifest_beside, read_manifest, write_manifest

# manifest.json of a training run and of a compiled directory as written before kinds existed (trimmed).
OLD_TRAINING_RUN = {"format_version": 1, "labels": ["a", "b"], "frontend": {}, "recipe": {}, "metrics": {}}
OLD_COMPILED = {"format_version": 1, "labels": None, "input": {}, "output": {}, "arena_bytes": 64}


def test_written_with_kind_and_version_read_back(tmp_path: Path) -> None:
    path = write_manifest(tmp_path, {"labels": ["x"], "kind": "ignored"}, "training-run")
    assert path == tmp_path / "manifest.json"
    doc = json.loads(path.read_text())
    assert list(doc)[:2] == ["kind", "schema_version"] and doc["kind"] == "training-run"
    assert read_manifest(tmp_path, "training-run")["labels"] == ["x"]
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]  # no temporary file left behind


@pytest.mark.parametrize("doc,kind", [(OLD_TRAINING_RUN, "training-run"), (OLD_COMPILED, "compiled-model")])
def test_old_documents_are_told_by_their_keys(tmp_path: Path, doc: dict[str, object], kind: str) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(doc))
    assert read_manifest(tmp_path)["kind"] == kind
    assert read_manifest(tmp_path, kind)["kind"] == kind
    other = "compiled-model" if kind == "training-run" else "training-run"
    with pytest.raises(ManifestError, match=f"is a {kind} manifest, not a {other} manifest"):
        read_manifest(tmp_path, other)


def test_an_old_document_without_telling_keys_is_what_the_reader_asked_for(tmp_path: Path) -> None:
    model = tmp_path / "model_int8.tflite"
    (tmp_path / "manifest.json").write_text(json.dumps({"labels": ["yes", "no"], "frontend": {"a": 1}}))
    assert manifest_beside(model)["labels"] == ["yes", "no"]
    with pytest.raises(ManifestError, match="compiled-model manifest without input, output"):
        read_manifest(tmp_path, "compiled-model")


def test_missing_unreadable_and_newer(tmp_path: Path) -> None:
    assert manifest_beside(tmp_path / "model_int8.tflite") == {}
    with pytest.raises(ManifestError, match="not found"):
        read_manifest(tmp_path, "compiled-model")
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ManifestError, match="unreadable"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "run-result", "schema_version": 99}))
    with pytest.raises(ManifestError, match="newer than this tinyaudio reads"):
        read_manifest(tmp_path, "run-result")
