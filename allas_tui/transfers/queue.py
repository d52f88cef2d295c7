"""The transfer queue: jobs run on one bounded set of threads, a few files at
a time, their chunks sharing a pool of chunk threads.

Worker threads only update counters on their jobs. The UI calls `snapshot()`
on a timer and `take_finished()` to learn about results, so no thread ever
waits for the screen. With a journal, unfinished jobs survive the process.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.control import InFlight, LoginGate, TransferControl
from allas_tui.storage.errors import TransferCancelled, TransferSuspended
from allas_tui.storage.retrying import RetryPolicy
from allas_tui.transfers.batches import Batch
from allas_tui.transfers.job_control import job_control
from allas_tui.transfers.jobs import Direction, JobState, Login, TransferJob
from allas_tui.transfers.journal import Journal
from allas_tui.transfers.runner import JobRunner
from allas_tui.transfers.snapshot import QueueSnapshot, Sampler
from allas_tui.transfers.tally import Tally
from allas_tui.transfers.walking import (
    CopyPick,
    Found,
    Renamed,
    Skipped,
    walk_copies,
    walk_downloads,
    walk_uploads,
)
from allas_tui.wording import count

MAX_UNSTARTED = 2_000
"""The walk pauses while this many jobs wait to start, so a tree of millions
of files never sits in memory at once."""
KEEP_FINISHED = 1_000
"""Finished jobs kept for the panel; older ones are only counted."""


class TransferQueue:
    """Runs transfer jobs. New batches use the current login (`use_login`
    changes it); each job keeps the login it was queued with, so a project
    switch leaves running transfers where they were going."""

    def __init__(
        self,
        backend: StorageBackend,
        *,
        journal: Journal | None = None,
        account: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        settings = backend.settings
        self.journal = journal
        self.account = account
        """Which login the journal files these jobs under."""
        self._files = ThreadPoolExecutor(
            settings.files_at_once, thread_name_prefix="allas-transfer"
        )
        self._copies = ThreadPoolExecutor(settings.copies_at_once, thread_name_prefix="allas-copy")
        """Server-side copies and moves: they wait on Allas, not on this link."""
        self._chunks = ThreadPoolExecutor(settings.chunks_at_once, thread_name_prefix="allas-chunk")
        self.paused = threading.Event()
        self.in_flight = InFlight()
        """Chunk requests in flight now, and the peak, across every job."""
        self._retry = RetryPolicy(settings.retries)
        self.login_gate = LoginGate() if backend.can_take_password else None
        """Where jobs wait for the user's password when the token expires."""
        self._login = Login(backend, account)
        self._runners: dict[Login, JobRunner] = {}
        """One per login (logins hash by identity)."""
        self._sampler = Sampler(clock)
        self._tally = Tally()
        self._jobs: list[TransferJob] = []
        self._batches: dict[int, Batch] = {}
        """Batch id → batch, oldest first; kept while any of its jobs can still run."""
        self._finished: deque[TransferJob] = deque()
        self._ids = itertools.count(1)
        self._batch_ids = itertools.count(1)
        self._unstarted = 0
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        self._closing = False

    def use_login(self, backend: StorageBackend, account: str) -> None:
        """Run batches from now on with `backend`, journalled under `account`;
        jobs already queued keep theirs."""
        self.backend, self.account = backend, account
        self._login = Login(backend, account)

    def _runner_for(self, job: TransferJob) -> JobRunner:
        login = job.login or self._login
        with self._lock:
            runner = self._runners.get(login)
            if runner is None:
                runner = JobRunner(
                    login.backend, self._chunks, self.journal, self._park, self._resized
                )
                self._runners[login] = runner
        return runner

    def _journal_add(self, jobs: list[TransferJob]) -> None:
        if self.journal is None:
            return
        # a server-side copy is not resumed: stopped, it cleans up, and its source stays
        jobs = [j for j in jobs if not j.direction.server_side]
        for login in {j.login for j in jobs if j.login is not None}:
            self.journal.add(login.account, [j for j in jobs if j.login is login])

    # -- adding work -----------------------------------------------------------
    def upload(
        self, paths: Iterable[Path], bucket: str, prefix: str, policy: str | None = None
    ) -> Batch:
        """Upload files and directories to `bucket` under `prefix`, walking as it goes."""
        paths = list(paths)
        names = ", ".join(p.name for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
        what = f"upload {names} to {bucket}/{prefix}"
        return self._batch(Direction.UPLOAD, what, policy, walk_uploads(paths, bucket, prefix))

    def download(
        self,
        bucket: str,
        base_prefix: str,
        keys: Iterable[tuple[str, int]],
        folders: Iterable[str],
        dest: Path,
        policy: str | None = None,
    ) -> Batch:
        """Download objects (key, size or -1) and folders of `bucket` below `dest`."""
        found = walk_downloads(self.backend, bucket, base_prefix, list(keys), list(folders), dest)
        what = f"download from {bucket}/{base_prefix} to {dest}"
        return self._batch(Direction.DOWNLOAD, what, policy, found)

    def copy(
        self,
        source_bucket: str,
        picks: Iterable[CopyPick],
        bucket: str,
        *,
        move: bool = False,
        policy: str | None = None,
    ) -> Batch:
        """Copy (or move) objects and folders of `source_bucket` server-side
        into `bucket`, each pick to its target."""
        direction = Direction.MOVE if move else Direction.COPY
        found = walk_copies(self.backend, direction, source_bucket, list(picks), bucket)
        what = f"{direction.value} from {source_bucket} to {bucket}"
        return self._batch(direction, what, policy, found)

    def add(self, jobs: Iterable[TransferJob], policy: str | None = None) -> Batch:
        """Queue ready-made jobs (from the journal, or a test) as one batch."""
        jobs = list(jobs)
        direction = jobs[0].direction if jobs else Direction.UPLOAD
        return self._batch(direction, count(len(jobs), "transfer"), policy, iter(jobs))

    def _batch(
        self, direction: Direction, what: str, policy: str | None, found: Iterator[Found]
    ) -> Batch:
        batch = Batch(
            next(self._batch_ids),
            direction,
            what,
            policy or self.backend.settings.on_conflict,
            login=self._login,
        )
        with self._lock:
            self._batches[batch.batch_id] = batch
        threading.Thread(
            target=self._walk, args=(batch, found), name=f"allas-walk-{batch.batch_id}", daemon=True
        ).start()
        return batch

    def _walk(self, batch: Batch, found: Iterator[Found]) -> None:
        group: list[TransferJob] = []
        flushed = time.monotonic()
        try:
            for item in found:
                if self._closing:
                    return
                if isinstance(item, Skipped):
                    batch.skipped[item.name] = item.reason
                    continue
                if isinstance(item, Renamed):
                    batch.renamed[item.name] = f"{item.saved_as.name} ({item.reason})"
                    continue
                group.append(item)
                # the first jobs go at once; later ones in groups, to spare the journal
                if len(group) >= 200 or time.monotonic() - flushed > 0.2 or batch.found == 0:
                    self._enqueue(batch, group)
                    group, flushed = [], time.monotonic()
            self._enqueue(batch, group)
        except Exception as exc:
            self._enqueue(batch, group)
            batch.error = exc
        finally:
            batch.counting = False

    def _enqueue(self, batch: Batch, jobs: list[TransferJob]) -> None:
        if not jobs:
            return
        with self._room:
            while self._unstarted > MAX_UNSTARTED and not self._closing:
                self._room.wait(0.5)
        for job in jobs:
            job.batch_id = batch.batch_id
            job.job_id = next(self._ids)
            job.control = self._control(job)
            job.login = job.login or batch.login
        self._journal_add([j for j in jobs if j.journal_id is None])
        with self._lock:
            self._jobs.extend(jobs)
            self._unstarted += len(jobs)
            batch.found += len(jobs)
        self._tally.added(jobs)
        for job in jobs:
            self._start(job)

    def _control(self, job: TransferJob) -> TransferControl:
        return job_control(
            job,
            paused=self.paused,
            retry=self._retry,
            in_flight=self.in_flight,
            login_gate=self.login_gate,
        )

    # -- the user's controls -----------------------------------------------------
    def pause(self) -> None:
        """Hold every job: running requests finish their chunk, then wait."""
        self.paused.set()
        for job in self.jobs:
            if job.state in (JobState.QUEUED, JobState.RUNNING):
                job.state = JobState.PAUSED

    def resume(self) -> None:
        """Let held jobs go on."""
        self.paused.clear()
        for job in self.jobs:
            if job.state is JobState.PAUSED:
                job.state = JobState.RUNNING if job.started else JobState.QUEUED

    def cancel(self, job: TransferJob) -> None:
        """Stop one job and clean up what it sent or wrote."""
        if job.state.finished:
            return
        job.control.cancel()
        with self._lock:
            parked = [b for b in self._batches.values() if job in b.parked]
            for batch in parked:
                batch.parked.remove(job)
        if parked:
            self._finish(job, JobState.CANCELLED)

    def cancel_all(self) -> None:
        """Stop every unfinished job."""
        for job in self.jobs:
            self.cancel(job)

    def retry_failed(self) -> int:
        """Queue the failed jobs again; how many."""
        again = [j for j in self.jobs if j.state is JobState.FAILED]
        for job in again:
            self._tally.reopened(job)
            job.state, job.error, job.note, job.done_bytes = JobState.QUEUED, None, "", 0
            job.control = self._control(job)
        self._journal_add(again)
        with self._lock:
            self._unstarted += len(again)
        for job in again:
            self._start(job)
        return len(again)

    def clear_finished(self) -> int:
        """Forget jobs that ended; how many went."""
        with self._lock:
            before = len(self._jobs)
            self._jobs = [j for j in self._jobs if not j.state.finished]
            self._sampler.forget_retired()
            self._tally.forget_finished()
            live = {j.batch_id for j in self._jobs}
            self._batches = {
                i: b for i, b in self._batches.items() if b.counting or b.parked or i in live
            }
            return before - len(self._jobs)

    def question(self) -> Batch | None:
        """A batch with jobs whose targets exist, waiting for the user's policy."""
        with self._lock:
            waiting = (b for b in self._batches.values() if b.parked and b.policy == "ask")
            return next(waiting, None)

    def answer(self, batch: Batch, policy: str) -> None:
        """Set `batch`'s policy and let its waiting jobs go on under it."""
        with self._lock:
            batch.policy = policy
            parked, batch.parked = batch.parked, []
            self._unstarted += len(parked)
        for job in parked:
            job.policy = policy
            job.note = ""
            self._start(job)

    def take_finished(self) -> list[TransferJob]:
        """Jobs that finished since the last call, for the UI to report."""
        taken = []
        while self._finished:
            taken.append(self._finished.popleft())
        return taken

    # -- reading -------------------------------------------------------------------
    @property
    def jobs(self) -> list[TransferJob]:
        """The jobs kept for the panel, oldest first."""
        with self._lock:
            return list(self._jobs)

    @property
    def batches(self) -> list[Batch]:
        """Batches still known to the queue."""
        with self._lock:
            return list(self._batches.values())

    @property
    def active_count(self) -> int:
        """Jobs not yet ended; a walk still looking for its first jobs counts as one."""
        totals = self._tally.totals()
        unfinished = totals.jobs - totals.finished
        return unfinished or int(any(b.counting for b in self.batches))

    @property
    def server_side_count(self) -> int:
        """Copies and moves not yet ended: a quit does not keep them for a resume."""
        return sum(1 for j in self.jobs if j.direction.server_side and not j.state.finished)

    def snapshot(self) -> QueueSnapshot:
        """The jobs with their rates and ETAs, and the totals, as of now."""
        totals = self._tally.totals()
        return self._sampler.sample(
            self.jobs, totals, self.batches, self.paused.is_set(), self.in_flight
        )

    def shutdown(self) -> None:
        """Stop for now: running jobs stop where they are and stay in the
        journal, so the next start can resume them."""
        self._closing = True
        for job in self.jobs:
            if not job.state.finished:
                job.control.suspend()
        with self._room:
            self._room.notify_all()
        self._files.shutdown(wait=True, cancel_futures=True)
        self._copies.shutdown(wait=True, cancel_futures=True)
        self._chunks.shutdown(wait=True, cancel_futures=True)

    def discard(self, jobs: Iterable[TransferJob]) -> None:
        """Drop journalled jobs the user does not want to resume, cleaning up
        their partial files and unfinished uploads. Blocks: call from a thread."""
        for job in jobs:
            self._runner_for(job).clean_up(job)
            if self.journal is not None:
                self.journal.remove(job)

    # -- worker side ------------------------------------------------------------------
    def _start(self, job: TransferJob) -> None:
        pool = self._copies if job.direction.server_side else self._files
        pool.submit(self._run, job)

    def _resized(self, job: TransferJob, size: int) -> None:
        self._tally.resized(job, size)

    def _park(self, job: TransferJob) -> None:
        with self._lock:
            batch = self._batches[job.batch_id]
            if batch.policy != "ask":  # answered while this job was checking
                job.policy = batch.policy
                self._unstarted += 1
                self._start(job)
                return
            job.note = "exists: waiting for your answer"
            batch.parked.append(job)

    def _run(self, job: TransferJob) -> None:
        with self._room:
            self._unstarted -= 1
            self._room.notify_all()
        batch = self._batches[job.batch_id]
        if job.policy == "ask":  # a job still to ask takes its batch's answer, once given
            job.policy = batch.policy
        self._tally.started(job)
        try:
            state = self._runner_for(job).run(job)
        except TransferSuspended:
            self._tally.stopped(job)
            return  # the journal keeps it for the next start
        except TransferCancelled:
            state = JobState.CANCELLED
        except Exception as exc:
            job.error = exc
            state = JobState.FAILED
        if state is not None:
            self._finish(job, state)
        else:
            self._tally.stopped(job)  # parked until the batch's answer

    def _finish(self, job: TransferJob, state: JobState) -> None:
        if state is JobState.DONE:
            job.done_bytes = job.size
        job.state = state
        self._tally.finished(job)
        if self.journal is not None:
            self.journal.remove(job)
        self._finished.append(job)
        with self._lock:
            self._jobs = self._sampler.retire(self._jobs, KEEP_FINISHED)
