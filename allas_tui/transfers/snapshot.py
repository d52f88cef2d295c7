"""What the panel shows: the queue's jobs and totals sampled at one moment,
with rates and ETAs, including the jobs already retired from memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allas_tui.storage.control import InFlight
from allas_tui.transfers.batches import Batch
from allas_tui.transfers.jobs import JobState, TransferJob
from allas_tui.transfers.rates import RateWindow, eta_seconds


@dataclass(frozen=True, slots=True)
class JobView:
    """One job as the panel shows it at one moment."""

    job: TransferJob
    rate: float | None
    eta: float | None


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """Every job and the totals, sampled at one moment."""

    jobs: list[JobView]
    total_bytes: int
    done_bytes: int
    rate: float | None
    eta: float | None
    active: int
    """Jobs not yet ended."""
    failed: int
    counting: bool = False
    """True while a walk still finds jobs, so the totals will grow."""
    paused: bool = False
    finished_count: int = 0
    job_count: int = 0
    chunks_in_flight: int = 0
    waiting_for_answer: int = 0
    """Jobs whose target exists, waiting for the batch's policy."""


class Sampler:
    """Turns the queue's counters into snapshots, and keeps the totals of
    finished jobs dropped from memory."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._rates: dict[int, RateWindow] = {}
        self._total_rate = RateWindow()
        self._retired_jobs = 0
        self._retired_bytes = 0
        self._finished_kept = 0

    def retire(self, jobs: list[TransferJob], keep: int) -> list[TransferJob]:
        """`jobs` without the oldest finished ones beyond `keep` (failed ones stay)."""
        self._finished_kept += 1
        if self._finished_kept <= 2 * keep:
            return jobs
        finished = [j for j in jobs if j.state.finished and j.state is not JobState.FAILED]
        drop = {id(j) for j in finished[: len(finished) - keep]}
        for job in finished[: len(finished) - keep]:
            self._retired_jobs += 1
            self._retired_bytes += 0 if job.state is JobState.SKIPPED else job.size
        self._finished_kept = keep
        return [j for j in jobs if id(j) not in drop]

    def forget_retired(self) -> None:
        """The user cleared the finished jobs: their totals go too."""
        self._retired_jobs = self._retired_bytes = self._finished_kept = 0

    def sample(
        self, jobs: list[TransferJob], batches: list[Batch], paused: bool, in_flight: InFlight
    ) -> QueueSnapshot:
        """The snapshot as of now."""
        now = self.clock()
        views = []
        total = done = active = failed = finished = 0
        for job in jobs:
            rate = eta = None
            if job.state is JobState.RUNNING:
                window = self._rates.setdefault(job.job_id, RateWindow())
                rate = window.sample(now, job.done_bytes)
                eta = eta_seconds(job.size - job.done_bytes, rate)
            else:
                self._rates.pop(job.job_id, None)
            if job.state is not JobState.SKIPPED:  # nothing moves, so it adds no bytes
                total += job.size
                done += min(job.done_bytes, job.size)
            active += not job.state.finished
            finished += job.state.finished
            failed += job.state is JobState.FAILED
            views.append(JobView(job, rate, eta))
        total += self._retired_bytes
        done += self._retired_bytes
        counting = any(b.counting for b in batches)
        busy = active or counting
        total_rate = self._total_rate.sample(now, done) if busy and not paused else None
        total_eta = eta_seconds(total - done, total_rate) if busy and not counting else None
        return QueueSnapshot(
            views,
            total,
            done,
            total_rate,
            total_eta,
            active,
            failed,
            counting=counting,
            paused=paused,
            finished_count=finished + self._retired_jobs,
            job_count=len(jobs) + self._retired_jobs,
            chunks_in_flight=in_flight.now,
            waiting_for_answer=sum(len(b.parked) for b in batches),
        )
