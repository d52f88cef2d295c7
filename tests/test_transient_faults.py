"""Transient faults between the app and Allas: connection resets, and the
server answering `503 SlowDown` or `500 InternalError`. Each job retries with
backoff, says so in its note, and still ends verified."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from counting_proxy import CountingProxy
from fault_proxy import INTERNAL_ERROR, SLOW_DOWN, FaultProxy
from relay_backends import backend_via, object_port, relay_tls
from transfer_helpers import md5_file

from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.queue import TransferQueue

pytestmark = pytest.mark.stack

SETTINGS = TransferSettings(chunk_threshold=8 * MiB, chunk_size=8 * MiB, chunks_at_once=2)


def _run_watching_notes(queue: TransferQueue, job: TransferJob) -> list[str]:
    """Wait for `job` to finish; every distinct note it showed on the way."""
    notes: list[str] = []
    deadline = time.monotonic() + 120
    while not job.state.finished and time.monotonic() < deadline:
        if job.note and (not notes or notes[-1] != job.note):
            notes.append(job.note)
        time.sleep(0.005)
    assert job.state is JobState.DONE, (job.state, job.error, notes)
    return notes


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
def test_connection_resets_are_retried_and_shown(
    stack: Stack, combination: str, random_file, tmp_path: Path
) -> None:
    """A relay resets new connections, as a flaky network would."""
    proxy = CountingProxy("127.0.0.1", object_port(stack, combination))
    backend = backend_via(stack, combination, proxy.port, SETTINGS)
    bucket = unique_name("flaky")
    backend.create_bucket(bucket)
    source = random_file(20 * MiB, "flaky.bin")
    try:
        queue = TransferQueue(backend)
        job = TransferJob(Direction.UPLOAD, bucket, "flaky.bin", source, source.stat().st_size)
        job.policy = "overwrite"  # no HEAD first: browsing requests retry inside the clients
        proxy.refuse_next = 3
        queue.add([job])
        notes = _run_watching_notes(queue, job)
        assert proxy.refused == 3 and job.retries >= 1
        assert any(n.startswith("retry 1/5") for n in notes), notes
        assert "verified" in job.note
        back = tmp_path / "back.bin"
        backend.download_file(bucket, "flaky.bin", back)
        assert md5_file(back) == md5_file(source)
        queue.shutdown()
    finally:
        remove_bucket(backend, bucket)
        proxy.close()


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift", "swift-s3"], indirect=True)
def test_server_errors_are_retried_and_shown(
    stack: Stack, combination: str, random_file, tmp_path: Path
) -> None:
    """A relay answers some requests itself with 503 SlowDown or 500
    InternalError, the way a busy server does, on the way up and down."""
    proxy = FaultProxy("127.0.0.1", object_port(stack, combination), *relay_tls(stack, combination))
    backend = backend_via(stack, combination, proxy.port, SETTINGS)
    bucket = unique_name("busy")
    backend.create_bucket(bucket)
    source = random_file(20 * MiB, "busy.bin")
    size = source.stat().st_size
    try:
        queue = TransferQueue(backend)
        up = TransferJob(Direction.UPLOAD, bucket, "busy.bin", source, size)
        up.policy = "overwrite"  # no HEAD first: browsing requests retry inside the clients
        proxy.faults = [SLOW_DOWN, SLOW_DOWN, INTERNAL_ERROR]
        queue.add([up])
        notes = _run_watching_notes(queue, up)
        assert [fault for fault, _ in proxy.answered] == [SLOW_DOWN, SLOW_DOWN, INTERNAL_ERROR]
        # one retry of ours per fault: none absorbed unseen inside boto3 or swiftclient
        assert up.retries == 3 and "verified" in up.note
        assert any(n.startswith("retry 1/5") and "now" in n for n in notes), notes

        dest = tmp_path / "back"
        dest.mkdir()
        proxy.answered.clear()
        proxy.methods = {"GET"}
        proxy.faults = [SLOW_DOWN, INTERNAL_ERROR]
        queue.download(bucket, "", [("busy.bin", size)], [], dest)
        [down] = [job for job in queue.jobs if job.direction is Direction.DOWNLOAD]
        notes = _run_watching_notes(queue, down)
        assert len(proxy.answered) == 2 and down.retries == 2, proxy.answered
        assert any(n.startswith("retry") for n in notes), notes
        assert "not checked" not in down.note
        assert md5_file(dest / "busy.bin") == md5_file(source)

        # a small object comes in one GET with no HEAD; a fault there is retried too
        small = random_file(300_000, "small.bin")
        backend.upload_file(small, bucket, "small.bin")
        proxy.answered.clear()
        proxy.faults = [SLOW_DOWN]
        queue.download(bucket, "", [("small.bin", small.stat().st_size)], [], dest)
        [little] = [job for job in queue.jobs if job.key == "small.bin"]
        notes = _run_watching_notes(queue, little)
        assert len(proxy.answered) == 1 and little.retries == 1, proxy.answered
        assert little.note == "verified (MD5)"
        assert md5_file(dest / "small.bin") == md5_file(small)
        queue.shutdown()
    finally:
        proxy.faults = []
        remove_bucket(backend, bucket)
        proxy.close()
