"""What the panel shows: the queue's totals sampled at one moment, with rates
and ETAs, and the jobs still kept in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from allas_tui.storage.control import InFlight
from allas_tui.transfers.batches import Batch
from allas_tui.transfers.jobs import JobState, TransferJob
from allas_tui.transfers.rates import RateWindow, eta_seconds
from allas_tui.transfers.tally import Totals


@dataclass(frozen=True, slots=True)
class JobView:
    """One job as the panel shows it at one moment."""

    job: TransferJob
    rate: float | None
    eta: float | None


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The totals, sampled at one moment, and the jobs kept for the panel."""

    jobs: list[TransferJob]
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
    job_rates: dict[int, tuple[float | None, float | None]] = field(default_factory=dict)
    """Rate and ETA of each running job, by job id."""

    def view(self, job: TransferJob) -> JobView:
        """`job` with its rate and ETA, as the panel shows it."""
        rate, eta = self.job_rates.get(job.job_id, (None, None))
        return JobView(job, rate, eta)


class Sampler:
    """Turns the queue's tally into snapshots, with rates and ETAs, and
    decides which finished jobs to drop from memory."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._rates: dict[int, RateWindow] = {}
        self._total_rate = RateWindow()
        self._finished_kept = 0

    def retire(self, jobs: list[TransferJob], keep: int) -> list[TransferJob]:
        """`jobs` without the oldest finished ones beyond `keep` (failed ones
        stay); the tally still counts them. Runs in full once per `keep` jobs."""
        self._finished_kept += 1
        if self._finished_kept <= 2 * keep:
            return jobs
        finished = [j for j in jobs if j.state.finished and j.state is not JobState.FAILED]
        drop = {id(j) for j in finished[: len(finished) - keep]}
        self._finished_kept = keep
        return [j for j in jobs if id(j) not in drop]

    def forget_retired(self) -> None:
        """The user cleared the finished jobs."""
        self._finished_kept = 0

    def sample(
        self,
        jobs: list[TransferJob],
        totals: Totals,
        batches: list[Batch],
        paused: bool,
        in_flight: InFlight,
    ) -> QueueSnapshot:
        """The snapshot as of now: its cost grows with the running jobs only."""
        now = self.clock()
        job_rates = {}
        for job in totals.running:
            window = self._rates.setdefault(job.job_id, RateWindow())
            rate = window.sample(now, job.done_bytes)
            job_rates[job.job_id] = (rate, eta_seconds(job.size - job.done_bytes, rate))
        for gone in self._rates.keys() - job_rates.keys():
            del self._rates[gone]
        total, done = totals.total_bytes, totals.done_bytes
        active = totals.jobs - totals.finished
        counting = any(b.counting for b in batches)
        busy = active or counting
        total_rate = self._total_rate.sample(now, done) if busy and not paused else None
        total_eta = eta_seconds(total - done, total_rate) if busy and not counting else None
        return QueueSnapshot(
            jobs,
            total,
            done,
            total_rate,
            total_eta,
            active,
            totals.failed,
            counting=counting,
            paused=paused,
            finished_count=totals.finished,
            job_count=totals.jobs,
            chunks_in_flight=in_flight.now,
            waiting_for_answer=sum(len(b.parked) for b in batches),
            job_rates=job_rates,
        )
