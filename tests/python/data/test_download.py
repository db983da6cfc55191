"""Dataset download: extraction, digest check and cache, with the network replaced by a local archive."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tinyaudio.data import download, open_dataset
from tinyaudio.errors import DatasetError


def _archive_of(wavs: list[Path], prefix: str = "free-spoken-digit-dataset-26eb9aa") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for wav in wavs:  # by content: the datasets folder may be a tree of links
            data = wav.read_bytes()
            member = tarfile.TarInfo(f"{prefix}/recordings/{wav.name}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        readme = tarfile.TarInfo(f"{prefix}/README.md")
        readme.size = 5
        tar.addfile(readme, io.BytesIO(b"hello"))
    return buf.getvalue()


def _serve(monkeypatch: pytest.MonkeyPatch, payload: bytes) -> list[str]:
    requested: list[str] = []

    def fake_urlopen(url: str, timeout: float = 0) -> Any:
        requested.append(url)
        return io.BytesIO(payload)

    monkeypatch.setattr(download.urllib.request, "urlopen", fake_urlopen)
    return requested


@pytest.fixture(scope="module")
def fsdd_archive(datasets_dir: Path) -> bytes:
    return _archive_of(sorted((datasets_dir / "fsdd").glob("*/*.wav")))


def test_fetch_verifies_extracts_and_caches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fsdd_archive: bytes
) -> None:
    requested = _serve(monkeypatch, fsdd_archive)
    root = download.fetch("fsdd", tmp_path)
    assert requested == [download.FSDD.url]
    ds = open_dataset(root)
    assert ds.layout == "fsdd" and len(ds) == 3000
    assert download.fetch("fsdd", tmp_path) == root and len(requested) == 1  # second call: no download


def test_a_changed_recording_is_refused_and_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, datasets_dir: Path
) -> None:
    wavs = sorted((datasets_dir / "fsdd").glob("*/*.wav"))
    tampered = tmp_path / "src" / wavs[0].name
    tampered.parent.mkdir()
    tampered.write_bytes(wavs[0].read_bytes()[:-2] + b"\x00\x01")
    _serve(monkeypatch, _archive_of([tampered, *wavs[1:]]))
    with pytest.raises(DatasetError, match="do not match the pinned digest"):
        download.fetch("fsdd", tmp_path / "cache")
    assert not (tmp_path / "cache" / "datasets" / "fsdd" / ".verified").exists()
    assert not (tmp_path / "cache" / "datasets" / "fsdd" / "recordings").exists()


def test_network_failure_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def offline(url: str, timeout: float = 0) -> Any:
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr(download.urllib.request, "urlopen", offline)
    with pytest.raises(DatasetError, match="--data"):
        download.fetch("fsdd", tmp_path)
    with pytest.raises(DatasetError, match="unknown dataset"):
        download.fetch("imagenet", tmp_path)
