"""Files above the chunk threshold: S3 multipart, Swift SLO in <bucket>_segments."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.control import TransferControl
from allas_tui.storage.errors import TransferCancelled
from allas_tui.storage.models import ObjectKind
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.settings import MiB
from allas_tui.storage.swift import SwiftBackend

SIZE = 40 * 1000 * 1000  # 40 MB, as the story goes: five 8 MiB chunks


def test_upload_40mb_in_8mb_chunks(
    backend: StorageBackend, bucket: str, tmp_path: Path, random_file
) -> None:
    source = random_file(SIZE)
    seen: list[int] = []
    backend.upload_file(source, bucket, "big/file.bin", progress=seen.append)

    assert seen[-1] == SIZE, "upload progress ends exactly at the size"
    assert seen == sorted(seen), "upload progress never goes backwards"
    assert max(seen) == SIZE

    head = backend.head_object(bucket, "big/file.bin")
    assert head.size == SIZE
    if isinstance(backend, S3Backend):
        assert head.kind is ObjectKind.MULTIPART
        assert head.etag is not None and head.etag.endswith("-5")
    else:
        assert head.kind is ObjectKind.SLO
        segments = [o for p in backend.iter_pages(f"{bucket}_segments") for o in p.objects]
        assert len(segments) == 5
        assert all(s.key.startswith("big/file.bin/slo/") for s in segments)
        assert sum(s.size for s in segments) == SIZE

    down: list[int] = []
    target = tmp_path / "back.bin"
    backend.download_file(bucket, "big/file.bin", target, progress=down.append)
    assert (
        hashlib.md5(target.read_bytes()).hexdigest() == hashlib.md5(source.read_bytes()).hexdigest()
    )
    assert down[-1] == SIZE
    assert down == sorted(down)

    # deleting the large object takes its segments with it
    backend.delete_object(bucket, "big/file.bin")
    if isinstance(backend, SwiftBackend):
        assert list(backend.iter_pages(f"{bucket}_segments")) == []


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_overwriting_a_large_object_removes_its_old_segments(
    stack: Stack, server: str, random_file
) -> None:
    """(S3 multipart parts are not objects of their own, so this is Swift's story.)"""
    backend = stack.backend(f"{server}-swift")
    bucket = unique_name("over")
    backend.create_bucket(bucket)
    try:
        _overwrite_twice(backend, bucket, random_file)
    finally:
        remove_bucket(backend, bucket)


def _overwrite_twice(backend: StorageBackend, bucket: str, random_file) -> None:
    first = random_file(20 * MiB, "first.bin")
    backend.upload_file(first, bucket, "f")
    second = random_file(17 * MiB, "second.bin")
    backend.upload_file(second, bucket, "f")
    segments = [o for p in backend.iter_pages(f"{bucket}_segments") for o in p.objects]
    assert sum(s.size for s in segments) == 17 * MiB
    assert backend.head_object(bucket, "f").size == 17 * MiB


def test_cancelled_upload_leaves_nothing_behind(
    backend: StorageBackend, bucket: str, random_file
) -> None:
    source = random_file(SIZE)
    control = TransferControl()

    def cancel_midway(done: int) -> None:
        if done > 12 * MiB:
            control.cancel()

    with pytest.raises(TransferCancelled):
        backend.upload_file(
            source, bucket, "cancelled.bin", progress=cancel_midway, control=control
        )
    assert list(backend.iter_pages(bucket)) == []
    if isinstance(backend, S3Backend):
        uploads = backend.client.list_multipart_uploads(Bucket=bucket)
        assert uploads.get("Uploads", []) == []
    else:
        assert list(backend.iter_pages(f"{bucket}_segments")) == []
