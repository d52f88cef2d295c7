"""One store, two protocols: what one writes, the other lists and reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name


@pytest.mark.parametrize("server", ["rgw", "swift"])
@pytest.mark.parametrize("writer,reader", [("swift", "s3"), ("s3", "swift")])
def test_written_by_one_read_by_the_other(
    stack: Stack, server: str, writer: str, reader: str, tmp_path: Path, random_file
) -> None:
    write = stack.backend(f"{server}-{writer}")
    read = stack.backend(f"{server}-{reader}")
    name = unique_name("cross")
    write.create_bucket(name)
    try:
        source = random_file(123_456)
        write.upload_file(source, name, "data/sample.bin")
        assert name in [b.name for b in read.list_buckets()]
        listed = [o for page in read.iter_pages(name) for o in page.objects]
        assert [(o.key, o.size) for o in listed] == [("data/sample.bin", 123_456)]
        out = tmp_path / "out.bin"
        read.download_file(name, "data/sample.bin", out)
        assert out.read_bytes() == source.read_bytes()
        read.delete_all_objects(name)
        read.delete_bucket(name)
        assert name not in [b.name for b in write.list_buckets()]
    finally:
        remove_bucket(write, name)
