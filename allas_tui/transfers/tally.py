"""The queue's running totals, kept as jobs are added, start and finish, so
that a snapshot costs the running jobs only, not every job kept in memory
(thousands, read 5-10 times a second while the panel shows)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from allas_tui.transfers.jobs import JobState, TransferJob


@dataclass(frozen=True, slots=True)
class Totals:
    """The totals at one moment."""

    total_bytes: int
    done_bytes: int
    jobs: int
    finished: int
    failed: int
    running: list[TransferJob]


class Tally:
    """Totals over every job of the queue, those retired from memory included."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._jobs = 0
        self._running: set[TransferJob] = set()
        # what finished jobs add up to, so that clearing them can take it away
        self._finished_total = 0
        self._finished_done = 0
        self._finished = 0
        self._failed = 0

    def added(self, jobs: list[TransferJob]) -> None:
        with self._lock:
            self._jobs += len(jobs)
            self._total += sum(j.size for j in jobs)

    def resized(self, job: TransferJob, size: int) -> None:
        """`job`, still running, turned out to be `size` bytes."""
        with self._lock:
            self._total += size - job.size
            job.size = size

    def started(self, job: TransferJob) -> None:
        with self._lock:
            self._running.add(job)

    def stopped(self, job: TransferJob) -> None:
        """`job` left its worker without finishing (parked, or suspended)."""
        with self._lock:
            self._running.discard(job)

    def finished(self, job: TransferJob) -> None:
        """`job` reached its final state, which is already set."""
        with self._lock:
            self._running.discard(job)
            self._finished += 1
            self._failed += job.state is JobState.FAILED
            if job.state is JobState.SKIPPED:  # nothing moves, so it adds no bytes
                self._total -= job.size
                return
            self._finished_total += job.size
            self._finished_done += min(job.done_bytes, job.size)

    def reopened(self, job: TransferJob) -> None:
        """A failed `job` is queued again: it no longer counts as finished."""
        with self._lock:
            self._finished -= 1
            self._failed -= 1
            self._finished_total -= job.size
            self._finished_done -= min(job.done_bytes, job.size)

    def forget_finished(self) -> None:
        """Every finished job was cleared away: so are its totals."""
        with self._lock:
            self._jobs -= self._finished
            self._total -= self._finished_total
            self._finished_total = self._finished_done = self._finished = self._failed = 0

    def totals(self) -> Totals:
        with self._lock:
            running = list(self._running)
            done = self._finished_done + sum(min(j.done_bytes, j.size) for j in running)
            return Totals(self._total, done, self._jobs, self._finished, self._failed, running)
