"""Every operation of CSC's Swift and S3 Python guides, on both servers and protocols."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import remove_bucket, unique_name

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import BucketNotEmpty, NotFound


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def keys(backend: StorageBackend, bucket: str, prefix: str = "") -> list[str]:
    return [o.key for page in backend.iter_pages(bucket, prefix) for o in page.objects]


def test_the_guides_story(backend: StorageBackend, tmp_path: Path, random_file) -> None:
    """Create a bucket, upload, list, download, delete objects, delete all, delete the bucket."""
    name = unique_name("guide")
    backend.create_bucket(name)
    try:
        assert name in [b.name for b in backend.list_buckets()]

        source = random_file(300_000, "results.csv")
        started = datetime.now(UTC) - timedelta(minutes=5)
        backend.upload_file(source, name, "run1/results.csv")
        backend.upload_file(source, name, "run1/copy.csv")
        backend.upload_file(source, name, "notes.txt")

        listed = {o.key: o for page in backend.iter_pages(name) for o in page.objects}
        assert sorted(listed) == ["notes.txt", "run1/copy.csv", "run1/results.csv"]
        entry = listed["run1/results.csv"]
        assert entry.size == 300_000
        assert entry.last_modified is not None
        assert started < entry.last_modified < datetime.now(UTC) + timedelta(minutes=5)
        assert entry.etag == md5(source)

        page = backend.list_page(name, delimiter="/")
        assert page.folders == ["run1/"]
        assert [o.key for o in page.objects] == ["notes.txt"]

        target = tmp_path / "downloaded.csv"
        backend.download_file(name, "run1/results.csv", target)
        assert md5(target) == md5(source)

        backend.delete_object(name, "notes.txt")
        assert keys(backend, name) == ["run1/copy.csv", "run1/results.csv"]
        with pytest.raises(NotFound):
            backend.head_object(name, "notes.txt")

        with pytest.raises(BucketNotEmpty, match="not empty"):
            backend.delete_bucket(name)

        report = backend.delete_all_objects(name)
        assert report.deleted == 2
        assert report.failed == {}
        assert keys(backend, name) == []

        backend.delete_bucket(name)
        assert name not in [b.name for b in backend.list_buckets()]
    finally:
        remove_bucket(backend, name)


def test_delete_objects_in_bulk(backend: StorageBackend, bucket: str, random_file) -> None:
    source = random_file(10)
    names = [f"bulk/{i:03d}" for i in range(25)] + ["odd name\nwith newline", "ä/ö/ü.txt"]
    for key in names:
        backend.upload_file(source, bucket, key)
    report = backend.delete_objects(bucket, names[:20] + names[25:])
    assert report.failed == {}
    assert report.deleted == 22
    assert keys(backend, bucket) == names[20:25]


def test_download_never_replaces_an_existing_file(
    backend: StorageBackend, bucket: str, tmp_path: Path, random_file
) -> None:
    from allas_tui.storage.errors import LocalFileError

    source = random_file(1000)
    backend.upload_file(source, bucket, "a.bin")
    existing = tmp_path / "mine.bin"
    existing.write_bytes(b"precious")
    with pytest.raises(LocalFileError, match="already exists"):
        backend.download_file(bucket, "a.bin", existing)
    assert existing.read_bytes() == b"precious"
    backend.download_file(bucket, "a.bin", existing, overwrite=True)
    assert existing.read_bytes() == source.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if ".allas-part" in p.name] == []


def test_account_usage(backend: StorageBackend, bucket: str) -> None:
    usage = backend.account_usage()
    assert usage.bucket_count is not None and usage.bucket_count >= 1
    if backend.protocol == "swift":
        assert usage.bytes_used is not None and usage.object_count is not None
    else:
        assert usage.bytes_used is None  # S3 cannot tell without listing everything
