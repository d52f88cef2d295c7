"""The transfer queue: runs uploads and downloads on a small pool of threads.

Worker threads only update counters on their jobs. The UI calls `snapshot()`
on a timer and `take_finished()` to learn about results, so no thread ever
waits for the screen.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import TransferCancelled
from allas_tui.storage.local_files import local_errors
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.rates import RateWindow, eta_seconds

FILES_AT_ONCE = 3
"""Files moving at the same time. Each large file also sends its chunks in
parallel, and login nodes allow one core, so a few is enough."""


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
    """Jobs queued or running."""
    failed: int


class TransferQueue:
    """Runs transfer jobs against one backend, a few at a time."""

    def __init__(
        self,
        backend: StorageBackend,
        files_at_once: int = FILES_AT_ONCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        self.clock = clock
        """Where times come from; tests pass a fixed clock."""
        self._pool = ThreadPoolExecutor(files_at_once, thread_name_prefix="allas-transfer")
        self._jobs: list[TransferJob] = []
        self._ids = itertools.count(1)
        self._finished: deque[TransferJob] = deque()
        self._rates: dict[int, RateWindow] = {}
        self._total_rate = RateWindow()
        self._lock = threading.Lock()

    @property
    def jobs(self) -> list[TransferJob]:
        """Every job added, oldest first."""
        with self._lock:
            return list(self._jobs)

    def add(self, jobs: Iterable[TransferJob], start: bool = True) -> None:
        """Queue `jobs`; they start as soon as a thread is free (unless not `start`)."""
        for job in jobs:
            job.job_id = next(self._ids)
            with self._lock:
                self._jobs.append(job)
            if start:
                self._pool.submit(self._run, job)

    def cancel_all(self) -> None:
        """Ask every unfinished job to stop."""
        for job in self.jobs:
            if not job.state.finished:
                job.cancel_event.set()

    def clear_finished(self) -> int:
        """Forget jobs that are done, failed or cancelled; how many went."""
        with self._lock:
            before = len(self._jobs)
            self._jobs = [j for j in self._jobs if not j.state.finished]
            return before - len(self._jobs)

    def take_finished(self) -> list[TransferJob]:
        """Jobs that finished since the last call, for the UI to report."""
        taken = []
        while self._finished:
            taken.append(self._finished.popleft())
        return taken

    def snapshot(self) -> QueueSnapshot:
        """The jobs with their rates and ETAs, and the totals, as of now."""
        now = self.clock()
        views = []
        total = done = active = failed = 0
        for job in self.jobs:
            rate = eta = None
            if job.state is JobState.RUNNING:
                window = self._rates.setdefault(job.job_id, RateWindow())
                rate = window.sample(now, job.done_bytes)
                eta = eta_seconds(job.size - job.done_bytes, rate)
            else:
                self._rates.pop(job.job_id, None)
            total += job.size
            done += job.done_bytes
            active += not job.state.finished
            failed += job.state is JobState.FAILED
            views.append(JobView(job, rate, eta))
        total_rate = self._total_rate.sample(now, done) if active else None
        total_eta = eta_seconds(total - done, total_rate) if active else None
        return QueueSnapshot(views, total, done, total_rate, total_eta, active, failed)

    @property
    def active_count(self) -> int:
        """Jobs queued or running."""
        return sum(not j.state.finished for j in self.jobs)

    def shutdown(self) -> None:
        """Cancel what is left and wait for the threads to clean up."""
        self.cancel_all()
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- worker side -------------------------------------------------------
    def _run(self, job: TransferJob) -> None:
        if job.cancel_event.is_set():
            self._finish(job, JobState.CANCELLED)
            return
        job.state = JobState.RUNNING
        try:
            if job.direction is Direction.UPLOAD:
                self.backend.upload_file(
                    job.local_path,
                    job.bucket,
                    job.key,
                    progress=job.report_progress,
                    cancel=job.cancel_event,
                )
            else:
                with local_errors(job.local_path.parent):
                    job.local_path.parent.mkdir(parents=True, exist_ok=True)
                self.backend.download_file(
                    job.bucket,
                    job.key,
                    job.local_path,
                    overwrite=job.overwrite,
                    progress=job.report_progress,
                    cancel=job.cancel_event,
                )
        except TransferCancelled:
            self._finish(job, JobState.CANCELLED)
        except Exception as exc:
            job.error = exc
            self._finish(job, JobState.FAILED)
        else:
            job.done_bytes = job.size
            self._finish(job, JobState.DONE)

    def _finish(self, job: TransferJob, state: JobState) -> None:
        job.state = state
        self._finished.append(job)
