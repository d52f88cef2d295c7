"""The transfer queue against the local Allas, on both protocols: directory
round trips, large chunked files, cancel, policies and progress."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from transfer_helpers import leftovers, make_tree, md5_file, tree_digests, wait_done

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import LocalFileError
from allas_tui.storage.models import ObjectKind
from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.storage.swift import SwiftBackend
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.journal import Journal, account_key
from allas_tui.transfers.queue import TransferQueue

pytestmark = pytest.mark.stack

CHUNKED = TransferSettings(chunk_threshold=16 * MiB, chunk_size=16 * MiB, chunks_at_once=6)


def test_directory_round_trip(backend: StorageBackend, bucket: str, tmp_path: Path) -> None:
    source = tmp_path / "project"
    total = make_tree(source)
    queue = TransferQueue(backend)
    batch = queue.upload([source], bucket, "runs/")
    wait_done(queue)
    snap = queue.snapshot()
    assert batch.found == 300 and batch.error is None and not batch.skipped
    assert snap.failed == 0 and snap.finished_count == 300
    assert snap.total_bytes == snap.done_bytes == total

    dest = tmp_path / "back"
    queue.download(bucket, "runs/", [], ["runs/project/"], dest)
    wait_done(queue)
    assert queue.snapshot().failed == 0
    assert tree_digests(dest / "project") == tree_digests(source)
    assert not list(dest.rglob("*.allas-part"))
    queue.shutdown()


def _large_backend(stack: Stack, combination: str) -> StorageBackend:
    return stack.backend(combination, CHUNKED)


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift", "swift-swift"], indirect=True)
def test_large_file_goes_up_and_down_in_parallel_chunks(
    stack: Stack, combination: str, random_file, tmp_path: Path
) -> None:
    backend = _large_backend(stack, combination)
    bucket = unique_name("big")
    backend.create_bucket(bucket)
    size = 200 * 1000 * 1000
    source = random_file(size, "big.bin")
    try:
        for direction in (Direction.UPLOAD, Direction.DOWNLOAD):
            queue = TransferQueue(backend)
            target = tmp_path / "big-back.bin"
            job = TransferJob(
                direction,
                bucket,
                "big.bin",
                source if direction is Direction.UPLOAD else target,
                size,
            )
            seen: list[int] = []
            lock = threading.Lock()

            def record(
                done: int,
                job: TransferJob = job,
                seen: list[int] = seen,
                lock: threading.Lock = lock,
            ) -> None:
                with lock:
                    seen.append(done)
                job.done_bytes = done

            job.report_progress = record  # type: ignore[method-assign]
            queue.add([job])
            wait_done(queue)
            assert job.state is JobState.DONE, job.error
            assert seen == sorted(seen) and seen[-1] == size and max(seen) == size
            assert queue.in_flight.peak > 1, "chunks did not overlap"
            assert "verified" in job.note
            queue.shutdown()
        assert md5_file(tmp_path / "big-back.bin") == md5_file(source)
    finally:
        remove_bucket(backend, bucket)


@pytest.mark.parametrize("combination", ["rgw-swift", "swift-swift"], indirect=True)
def test_dlo_downloads_in_parallel_ranges_checked_per_segment(
    backend: StorageBackend, bucket: str, random_file, tmp_path: Path
) -> None:
    """A DLO (segments under a prefix, joined by an X-Object-Manifest header,
    as older swift CLIs wrote them) comes down one range per segment, in
    parallel, each range checked against its segment's MD5."""
    assert isinstance(backend, SwiftBackend)
    source = random_file(5 * 8 * MiB + 123, "dlo.bin")
    data = source.read_bytes()
    conn = backend.connections.get()
    conn.put_container(f"{bucket}_segments")
    for index, offset in enumerate(range(0, len(data), 8 * MiB)):
        conn.put_object(
            f"{bucket}_segments", f"dlo.bin/{index:08d}", data[offset : offset + 8 * MiB]
        )
    conn.put_object(
        bucket, "dlo.bin", b"", headers={"X-Object-Manifest": f"{bucket}_segments/dlo.bin/"}
    )
    assert backend.head_object(bucket, "dlo.bin").kind is ObjectKind.DLO
    # named, its size comes from a HEAD; listed, it seems 0 bytes (the manifest's own)
    for how, keys, folders in (("named", [("dlo.bin", -1)], []), ("listed", [], [""])):
        queue = TransferQueue(backend)
        queue.download(bucket, "", keys, folders, tmp_path / how)
        wait_done(queue)
        [job] = queue.jobs
        assert job.state is JobState.DONE, job.error
        assert job.note == "verified (segment MD5s)", how
        assert queue.in_flight.peak > 1, f"ranges did not overlap ({how})"
        assert md5_file(tmp_path / how / "dlo.bin") == md5_file(source)
        queue.shutdown()


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift", "swift-swift"], indirect=True)
def test_a_small_chunked_object_comes_in_one_get_and_is_still_checked(
    stack: Stack,
    combination: str,
    backend: StorageBackend,
    bucket: str,
    random_file,
    tmp_path: Path,
) -> None:
    """Sent in 8 MiB parts or segments, fetched by a queue whose threshold is
    the default 64 MiB: one GET with no HEAD, then checked part by part from
    the file on disk, as the ETag asks."""
    source = random_file(20 * MiB, "parts.bin")
    backend.upload_file(source, bucket, "parts.bin")  # SMALL_CHUNKS: 3 parts
    reader = stack.backend(combination, TransferSettings())
    heads: list[str] = []
    head_object = reader.head_object
    reader.head_object = lambda b, key: heads.append(key) or head_object(b, key)  # type: ignore[method-assign]
    queue = TransferQueue(reader)
    queue.download(bucket, "", [("parts.bin", 20 * MiB)], [], tmp_path / "back")
    wait_done(queue)
    [job] = queue.jobs
    assert job.state is JobState.DONE, job.error
    assert job.note in ("verified (md5-of-parts)", "verified (segment MD5s)")
    assert md5_file(tmp_path / "back" / "parts.bin") == md5_file(source)
    assert heads == []  # no HEAD: the GET's headers told the size and the ETag
    queue.shutdown()


def test_cancel_mid_upload_leaves_nothing(stack: Stack, combination: str, random_file) -> None:
    backend = _large_backend(stack, combination)
    bucket = unique_name("cancel")
    backend.create_bucket(bucket)
    source = random_file(120 * MiB, "cancel.bin")
    try:
        queue = TransferQueue(backend)
        job = TransferJob(Direction.UPLOAD, bucket, "cancel.bin", source, source.stat().st_size)
        queue.add([job])
        deadline = time.monotonic() + 60
        while job.done_bytes < 40 * MiB and time.monotonic() < deadline:
            time.sleep(0.01)
        assert job.state is JobState.RUNNING and job.done_bytes < job.size
        queue.cancel(job)
        wait_done(queue)
        assert job.state is JobState.CANCELLED
        assert leftovers(backend, bucket) == []
        queue.shutdown()
    finally:
        remove_bucket(backend, bucket)


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
def test_existing_local_file_needs_the_policy(
    backend: StorageBackend, bucket: str, tmp_path: Path
) -> None:
    src = tmp_path / "report.txt"
    src.write_bytes(b"from allas\n")
    backend.upload_file(src, bucket, "report.txt")
    dest = tmp_path / "dest"
    dest.mkdir()
    mine = dest / "report.txt"
    mine.write_bytes(b"my local edits\n")
    queue = TransferQueue(backend)

    queue.download(bucket, "", [("report.txt", -1)], [], dest, policy="ask")
    deadline = time.monotonic() + 30
    while queue.question() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    question = queue.question()
    assert question is not None and len(question.parked) == 1
    assert mine.read_bytes() == b"my local edits\n"
    queue.answer(question, "skip")
    wait_done(queue)
    assert mine.read_bytes() == b"my local edits\n"

    queue.download(bucket, "", [("report.txt", -1)], [], dest, policy="keep-both")
    wait_done(queue)
    assert (dest / "report (1).txt").read_bytes() == b"from allas\n"
    assert mine.read_bytes() == b"my local edits\n"

    queue.download(bucket, "", [("report.txt", -1)], [], dest, policy="skip-identical")
    wait_done(queue)
    assert mine.read_bytes() == b"from allas\n"  # it differed, so it was replaced
    queue.download(bucket, "", [("report.txt", -1)], [], dest, policy="skip-identical")
    wait_done(queue)
    assert queue.jobs[-1].state is JobState.SKIPPED and "identical" in queue.jobs[-1].note
    assert sorted(p.name for p in dest.iterdir()) == ["report (1).txt", "report.txt"]
    queue.shutdown()


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
def test_stopped_download_resumes_from_its_partial_file(
    stack: Stack, combination: str, random_file, tmp_path: Path
) -> None:
    backend = stack.backend(
        combination, TransferSettings(chunk_threshold=8 * MiB, chunk_size=8 * MiB, chunks_at_once=2)
    )
    bucket = unique_name("partial")
    backend.create_bucket(bucket)
    source = random_file(64 * MiB, "data.bin")
    journal = Journal(tmp_path / "queue.sqlite3")
    account = account_key(backend)
    try:
        backend.upload_file(source, bucket, "data.bin")
        dest = tmp_path / "dest"
        queue = TransferQueue(backend, journal=journal, account=account)
        queue.download(bucket, "", [("data.bin", -1)], [], dest)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            jobs = journal.unfinished(account)
            if jobs and len(jobs[0].done_ranges) >= 3:
                break
            time.sleep(0.01)
        queue.shutdown()  # as on quit: stop where it is, keep the journal
        [job] = journal.unfinished(account)
        assert job.part_path is not None and job.part_path.exists()
        assert not (dest / "data.bin").exists()  # nothing under the final name

        again = TransferQueue(backend, journal=journal, account=account)
        again.add(journal.unfinished(account))
        wait_done(again)
        [resumed] = again.jobs
        assert resumed.state is JobState.DONE, resumed.error
        assert resumed.reused_bytes >= 3 * 8 * MiB
        assert md5_file(dest / "data.bin") == md5_file(source)
        assert not list(dest.glob("*.allas-part")) and journal.unfinished(account) == []
        again.shutdown()
    finally:
        journal.close()
        remove_bucket(backend, bucket)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB file system (tmpfs; mounting needs root, which the CI has)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.fail("mounting a small tmpfs to fill needs root")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
def test_a_full_disk_fails_the_download_clearly_and_leaves_nothing(
    backend: StorageBackend, bucket: str, random_file, small_disk: Path
) -> None:
    source = random_file(4 * MiB, "big.bin")
    backend.upload_file(source, bucket, "big.bin")
    queue = TransferQueue(backend)
    queue.download(bucket, "", [("big.bin", -1)], [], small_disk)
    wait_done(queue)
    [job] = queue.jobs
    assert job.state is JobState.FAILED
    assert isinstance(job.error, LocalFileError) and "the disk is full" in str(job.error)
    assert list(small_disk.iterdir()) == []  # no partial file, nothing under the final name
    queue.shutdown()
