"""Server-side copies on both servers and protocols: the bytes, content type
and metadata arrive; an S3 copy above the threshold goes in parts; a Swift
large object gets segments of its own, so deleting the original leaves the
copy whole; over S3 a Swift large object is refused, with why."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name

from allas_tui.storage.errors import NotSupported
from allas_tui.storage.models import ObjectKind
from allas_tui.storage.settings import MiB
from allas_tui.storage.swift import SwiftBackend
from allas_tui.storage.swift_segments import segment_container

pytestmark = pytest.mark.stack

SETTINGS = dataclasses.replace(
    SMALL_CHUNKS, chunk_threshold=5 * MiB, chunk_size=5 * MiB, copy_threshold=6 * MiB
)
"""A 13 MiB object goes up in 3 parts, and over S3 is copied in 3 parts too."""
COMBINATIONS = ["rgw-swift", "rgw-s3", "swift-swift", "swift-s3"]


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def _segment_names(swift: SwiftBackend, bucket: str) -> list[str]:
    listing = swift.connections.get().get_container(segment_container(bucket), full_listing=True)
    return [entry["name"] for entry in listing[1]]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_copies_arrive_whole_and_share_nothing(
    stack: Stack, combination: str, tmp_path: Path
) -> None:
    server, protocol = combination.split("-")
    backend = stack.backend(combination, SETTINGS)
    swift = stack.backend(f"{server}-swift", SETTINGS)
    assert isinstance(swift, SwiftBackend)
    source, target = unique_name("cpsrc"), unique_name("cpdst")
    backend.create_bucket(source)
    backend.create_bucket(target)
    try:
        big = tmp_path / "big.bin"
        big.write_bytes(os.urandom(13 * MiB))
        backend.upload_file(big, source, "big.bin")
        backend.update_metadata(source, "big.bin", {"project": "era5"}, "application/x-netcdf")
        small = tmp_path / "small.txt"
        small.write_bytes(b"hello, copy\n")
        backend.upload_file(small, source, "small.txt")

        small_copy = backend.copy_object(source, "small.txt", target, "dir/small.txt")
        assert small_copy.pieces == 1
        assert small_copy.check == "same ETag as the source"
        copied = backend.copy_object(source, "big.bin", target, "dir/big.bin")
        head = backend.head_object(target, "dir/big.bin")
        assert head.size == 13 * MiB
        assert head.metadata.get("project") == "era5", head.metadata
        assert (head.content_type or "").startswith("application/x-netcdf")
        if protocol == "s3":
            # above copy_threshold: UploadPartCopy, checked as md5-of-parts
            assert copied.pieces == 3 and head.kind is ObjectKind.MULTIPART
            assert copied.check == "md5-of-parts, 3 parts"
        else:
            # an SLO: copied segment by segment into the target's own segment bucket
            assert copied.pieces == 3 and head.kind is ObjectKind.SLO
            names = _segment_names(swift, target)
            assert len(names) == 3 and all(n.startswith("dir/big.bin/slo/") for n in names)

        # the original goes, with its segments; the copy stays whole
        backend.delete_object(source, "big.bin")
        out = tmp_path / "back.bin"
        backend.download_file(target, "dir/big.bin", out)
        assert _md5(out) == _md5(big)
        # read over the other protocol too: one store
        other = stack.backend(f"{server}-{'s3' if protocol == 'swift' else 'swift'}", SETTINGS)
        out2 = tmp_path / "back2.txt"
        other.download_file(target, "dir/small.txt", out2)
        assert out2.read_bytes() == small.read_bytes()
    finally:
        for bucket in (source, target):
            remove_bucket(swift, bucket)
            remove_bucket(swift, segment_container(bucket))


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_swift_large_objects_copied_over_swift_refused_over_s3(
    stack: Stack, server: str, tmp_path: Path
) -> None:
    """A DLO (X-Object-Manifest) and an SLO: over Swift each copy is an SLO over
    new segments, byte-exact after the original is deleted; over S3 each is
    refused before any request writes, saying why and what to do."""
    swift = stack.backend(f"{server}-swift", SETTINGS)
    s3 = stack.backend(f"{server}-s3", SETTINGS)
    assert isinstance(swift, SwiftBackend)
    bucket = unique_name("lo")
    swift.create_bucket(bucket)
    raw = swift.connections.get()
    try:
        big = tmp_path / "big.bin"
        big.write_bytes(os.urandom(11 * MiB))
        swift.upload_file(big, bucket, "slo.bin")
        parts = [os.urandom(3 * MiB), os.urandom(2 * MiB)]
        raw.put_container(segment_container(bucket))
        for index, part in enumerate(parts):
            raw.put_object(segment_container(bucket), f"dlo-parts/{index:08d}", part)
        manifest = f"{segment_container(bucket)}/dlo-parts/"
        raw.put_object(bucket, "dlo.bin", b"", headers={"X-Object-Manifest": manifest})

        listed = {o.key: o.size for page in s3.iter_pages(bucket) for o in page.objects}
        for key in ("slo.bin", "dlo.bin"):
            with pytest.raises(NotSupported) as refused:
                s3.copy_object(bucket, key, bucket, f"s3-{key}", listed_size=listed[key])
            assert "S3 cannot copy its segments" in str(refused.value)
            assert "Swift login" in (refused.value.hint or "")
            assert not swift.object_exists(bucket, f"s3-{key}")

        slo_copy = swift.copy_object(bucket, "slo.bin", bucket, "copies/slo.bin")
        dlo_copy = swift.copy_object(bucket, "dlo.bin", bucket, "copies/dlo.bin")
        assert (slo_copy.pieces, dlo_copy.pieces) == (3, 2)
        for key in ("copies/slo.bin", "copies/dlo.bin"):
            assert swift.head_object(bucket, key).kind is ObjectKind.SLO
        swift.delete_object(bucket, "slo.bin")
        swift.delete_object(bucket, "dlo.bin")
        left = _segment_names(swift, bucket)
        assert not [n for n in left if n.startswith(("slo.bin/", "dlo-parts/"))], left
        out = tmp_path / "out"
        swift.download_file(bucket, "copies/slo.bin", out)
        assert _md5(out) == _md5(big)
        swift.download_file(bucket, "copies/dlo.bin", out, overwrite=True)
        assert out.read_bytes() == b"".join(parts)
    finally:
        remove_bucket(swift, bucket)
        remove_bucket(swift, segment_container(bucket))
