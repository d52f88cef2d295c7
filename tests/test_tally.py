"""The queue's running totals, kept as jobs come and go."""

from __future__ import annotations

from pathlib import Path

from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.tally import Tally


def _job(size: int) -> TransferJob:
    return TransferJob(Direction.UPLOAD, "b", f"k{size}", Path("x"), size)


def test_totals_follow_jobs_through_their_states() -> None:
    tally = Tally()
    done, failed, skipped, running = _job(100), _job(200), _job(300), _job(400)
    tally.added([done, failed, skipped, running])
    assert (tally.totals().total_bytes, tally.totals().jobs) == (1000, 4)
    for job in (done, failed, skipped, running):
        tally.started(job)
    running.done_bytes, failed.done_bytes = 150, 50
    assert tally.totals().done_bytes == 200
    done.state, done.done_bytes = JobState.DONE, 100
    tally.finished(done)
    failed.state = JobState.FAILED
    tally.finished(failed)
    skipped.state = JobState.SKIPPED
    tally.finished(skipped)  # a skip moves nothing, so it adds no bytes
    totals = tally.totals()
    assert (totals.total_bytes, totals.done_bytes) == (700, 300)
    assert (totals.finished, totals.failed, totals.running) == (3, 1, [running])

    tally.reopened(failed)  # retry: it counts as unfinished again
    failed.state, failed.done_bytes = JobState.QUEUED, 0
    totals = tally.totals()
    assert (totals.total_bytes, totals.done_bytes, totals.finished, totals.failed) == (
        700,
        250,
        2,
        0,
    )

    tally.forget_finished()  # "clear done": the finished jobs and their bytes go
    totals = tally.totals()
    assert (totals.jobs, totals.total_bytes, totals.done_bytes) == (2, 600, 150)


def test_a_job_that_leaves_its_worker_unfinished_stops_counting_as_running() -> None:
    tally = Tally()
    job = _job(10)
    tally.added([job])
    tally.started(job)
    tally.stopped(job)
    assert tally.totals().running == [] and tally.totals().finished == 0
