"""Keys holding control characters, markup or newlines are listed and deleted
like any other, in bulk, on every server and protocol."""

from __future__ import annotations

from pathlib import Path

from allas_tui.storage.backend import StorageBackend

KEYS = [
    "\x1b[31mred\x1b[0m",
    "line1\nline2",
    "cr\rkey",
    "[bold]x[/bold]",
    "plain",
    # what URL-encoded and XML-escaped listings must give back as it was
    "100% & <more>/a+b c%2F",
    "ääkkönen/lähtö.txt",
]


def test_control_character_keys_are_listed_and_bulk_deleted(
    backend: StorageBackend, bucket: str, tmp_path: Path
) -> None:
    source = tmp_path / "one.txt"
    source.write_bytes(b"x")
    for key in KEYS:
        backend.upload_file(source, bucket, key)
    listed = [o.key for page in backend.iter_pages(bucket) for o in page.objects]
    assert sorted(listed) == sorted(KEYS)
    report = backend.delete_objects(bucket, KEYS)
    assert (report.deleted, report.failed) == (len(KEYS), {})
    assert [o.key for page in backend.iter_pages(bucket) for o in page.objects] == []
