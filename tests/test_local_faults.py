"""Local faults on both protocols: a file written to while it is uploaded is
never stored half old, half new, and a download into a full or read-only
folder fails clearly, leaves nothing under its final name, and lets the
other jobs go on."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from transfer_helpers import leftovers, md5_file, wait_done

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import LocalFileChanged, LocalFileError
from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.transfers.jobs import JobState
from allas_tui.transfers.queue import TransferQueue

pytestmark = pytest.mark.stack

IN_PARTS = TransferSettings(chunk_threshold=8 * MiB, chunk_size=8 * MiB, chunks_at_once=2)
"""A 40 MiB file goes up in 5 parts, two at a time."""


def _write_tail_once(path: Path) -> Callable[[int], None]:
    """A progress callback that, at the first bytes sent, overwrites the last
    4 MiB of `path` in place (same size), as a program still writing would."""
    written: list[bool] = []

    def on_progress(done: int) -> None:
        if done and not written:
            written.append(True)
            with path.open("r+b") as f:
                f.seek(-4 * MiB, os.SEEK_END)
                f.write(os.urandom(4 * MiB))

    return on_progress


@pytest.mark.parametrize("size_mib", [40, 6], ids=["in parts", "one request"])
def test_a_file_written_to_while_it_is_uploaded_is_not_stored(
    stack: Stack, combination: str, random_file, size_mib: int
) -> None:
    backend = stack.backend(combination, IN_PARTS)
    bucket = unique_name("changing")
    backend.create_bucket(bucket)
    source = random_file(size_mib * MiB, "growing.bin")
    try:
        with pytest.raises(LocalFileChanged) as raised:
            backend.upload_file(source, bucket, "growing.bin", progress=_write_tail_once(source))
        assert "changed while it was being uploaded" in str(raised.value)
        assert "nothing was stored" in str(raised.value)
        assert leftovers(backend, bucket) == []
        # once nothing writes to it, it goes up whole and checked
        backend.upload_file(source, bucket, "growing.bin")
        assert [o.key for page in backend.iter_pages(bucket) for o in page.objects] == [
            "growing.bin"
        ]
    finally:
        remove_bucket(backend, bucket)
        backend.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB file system (tmpfs; mounting needs root, which the CI has)."""
    yield from _mounted(tmp_path / "tiny-disk", "size=1m")


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system: root ignores a folder's mode bits, not this."""
    yield from _mounted(tmp_path / "read-only", "size=1m,ro")


def _mounted(mount: Path, options: str) -> Iterator[Path]:
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.fail("mounting a tmpfs needs root")
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
@pytest.mark.parametrize("where", ["tiny_disk", "read_only_folder"])
def test_a_download_that_cannot_be_written_fails_clearly_and_others_go_on(
    request: pytest.FixtureRequest,
    backend: StorageBackend,
    bucket: str,
    random_file,
    tmp_path: Path,
    where: str,
) -> None:
    target: Path = request.getfixturevalue(where)
    source = random_file(4 * MiB, "big.bin")
    backend.upload_file(source, bucket, "big.bin")
    queue = TransferQueue(backend)
    queue.download(bucket, "", [("big.bin", -1)], [], target)
    queue.download(bucket, "", [("big.bin", -1)], [], tmp_path / "roomy")
    wait_done(queue)
    [failed] = [job for job in queue.jobs if job.local_path.parent == target]
    [other] = [job for job in queue.jobs if job is not failed]
    assert failed.state is JobState.FAILED
    reason = "the disk is full" if where == "tiny_disk" else "the file system is read-only"
    assert isinstance(failed.error, LocalFileError) and reason in str(failed.error)
    assert str(target) in str(failed.error)
    assert list(target.iterdir()) == []  # no partial file, nothing under the final name
    assert other.state is JobState.DONE, other.error
    assert md5_file(tmp_path / "roomy" / "big.bin") == md5_file(source)
    queue.shutdown()
