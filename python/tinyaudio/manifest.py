"""Every JSON document tinyaudio writes for another stage to read: one reader, one writer, a `kind` each.

Kinds and what writes them:
- `training-run`     manifest.json of a training run (train/pipeline): labels, frontend, metrics, files
- `compiled-model`   manifest.json of a compiled directory (compile): model hash, tensors, memory plan
- `head`             the on-device learning head's description (ondevice)
- `detector`         detector.json in a compiled directory (streaming detection parameters)
- `run-result`       `tinyaudio run --json` / `adapt --json` results
- `board`            one board of the registry (boards)
- `firmware-project` tinyaudio.json of a PlatformIO project written by `tinyaudio firmware` (boards)

A document carries `kind` and `schema_version`. Documents written before kinds existed are recognised by
their keys (see `_guess_kind`), so old run directories keep working. Writes are atomic: a reader sees the
old document or the new one, never half of one. The fields of each kind: MANIFESTS.md beside this file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinyaudio.errors import TinyaudioError

KINDS: dict[str, int] = {
    "training-run": 1,
    "compiled-model": 1,
    "head": 1,
    "detector": 1,
    "run-result": 1,
    "board": 1,
    "firmware-project": 1,
}
FILENAME = "manifest.json"
# Keys a reader of each kind relies on; a document without them is refused with one line naming them.
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "compiled-model": ("input", "output"),
}


class ManifestError(TinyaudioError):
    """A manifest is missing, unreadable, of another kind, or from a newer tinyaudio."""


def _guess_kind(doc: dict[str, Any]) -> str | None:
    """Kind of a document written before `kind` existed."""
    if "plan" in doc or ("input" in doc and "output" in doc and "arena_bytes" in doc):
        return "compiled-model"
    if "recipe" in doc or "files" in doc or "metrics" in doc:
        return "training-run"
    return None


def write_json_atomic(path: Path, doc: Any) -> None:
    """Writes JSON to `path` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(doc, indent=2) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def stamp(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    """`doc` with `kind` and `schema_version` first."""
    if kind not in KINDS:
        raise ValueError(f"unknown manifest kind {kind!r}")
    rest = {k: v for k, v in doc.items() if k not in ("kind", "schema_version")}
    return {"kind": kind, "schema_version": KINDS[kind], **rest}


def write_manifest(path: str | Path, doc: dict[str, Any], kind: str) -> Path:
    """Writes `doc` stamped with `kind`; `path` may be a directory (then manifest.json inside it)."""
    p = Path(path)
    if p.is_dir():
        p = p / FILENAME
    write_json_atomic(p, stamp(doc, kind))
    return p


def read_manifest(path: str | Path, kind: str | None = None, *, missing_ok: bool = False) -> dict[str, Any]:
    """Reads a manifest (`path` may be a directory). With `kind`, a document of another kind is refused with
    one line naming the file and both kinds. With `missing_ok`, a missing file gives `{}`."""
    p = Path(path)
    if p.is_dir():
        p = p / FILENAME
    try:
        doc = json.loads(p.read_text())
    except FileNotFoundError:
        if missing_ok:
            return {}
        what = f"a {kind} manifest" if kind else "a manifest"
        raise ManifestError(f"{p}: not found (expected {what})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ManifestError(f"{p}: unreadable manifest ({err})") from None
    if not isinstance(doc, dict):
        raise ManifestError(f"{p}: not a tinyaudio manifest (a JSON object was expected)")
    found = doc.get("kind") or _guess_kind(doc)
    if kind is not None and found is None and "kind" not in doc:
        found = kind  # written before kinds, with none of the keys that tell: take it for what was asked
    if kind is not None and found != kind:
        raise ManifestError(f"{p}: is a {found or 'unknown'} manifest, not a {kind} manifest")
    missing = [key for key in REQUIRED_KEYS.get(found or "", ()) if key not in doc]
    if missing:
        raise ManifestError(f"{p}: {found} manifest without {', '.join(missing)}")
    if found in KINDS and int(doc.get("schema_version", 1)) > KINDS[found]:
        raise ManifestError(
            f"{p}: {found} schema version {doc['schema_version']} is newer than this tinyaudio reads "
            f"({KINDS[found]}); upgrade tinyaudio"
        )
    if found and "kind" not in doc:
        doc = stamp(doc, found)
    return doc


def manifest_beside(model_path: str | Path, kind: str = "training-run") -> dict[str, Any]:
    """The manifest.json in a model file's folder (a training run's, for a model_int8.tflite), or {} when
    there is none."""
    return read_manifest(Path(model_path).parent / FILENAME, kind, missing_ok=True)
