"""Running one job on a worker thread: its conflict policy, then the storage
layer's chunked upload or download, or a server-side copy or move, with the
journal kept up to date."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Executor

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.copying import ObjectCopy
from allas_tui.storage.downloading import ObjectDownload, PartialDownload
from allas_tui.storage.errors import NotFound
from allas_tui.storage.local_files import local_errors
from allas_tui.storage.uploading import FileUpload
from allas_tui.transfers.conflicts import Outcome, decide
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.journal import Journal


class JobRunner:
    """Does the work of one job; the queue decides when and on which thread."""

    def __init__(
        self,
        backend: StorageBackend,
        chunks: Executor,
        journal: Journal | None,
        park: Callable[[TransferJob], None],
        resized: Callable[[TransferJob, int], None],
    ) -> None:
        self.backend = backend
        self.chunks = chunks
        self.journal = journal
        self.park = park
        """Called with a job whose target exists while its batch's policy is to ask."""
        self.resized = resized
        """Called when a download turns out bigger or smaller than listed."""

    def _journal(self, job: TransferJob) -> None:
        if self.journal is not None:
            self.journal.update(job)

    def run(self, job: TransferJob) -> JobState | None:
        """Run `job`; its end state, or None if it was parked to wait for an answer.
        Raises TransferCancelled, TransferSuspended or the StorageError it failed with."""
        control = job.control
        control.check()
        if not job.started:
            outcome, why = control.retrying(lambda: decide(self.backend, job))
            job.note = why
            if outcome is Outcome.SKIP:
                return JobState.SKIPPED
            if outcome is Outcome.ASK:
                self.park(job)
                return None
            job.started = True
            self._journal(job)
        job.state = JobState.RUNNING
        if job.direction is Direction.UPLOAD:
            self._upload(job)
        elif job.direction is Direction.DOWNLOAD:
            self._download(job)
        else:
            self._copy(job)
        return JobState.DONE

    def _upload(self, job: TransferJob) -> None:
        def started(upload_id: str) -> None:
            job.resume_id = upload_id
            self._journal(job)

        result = FileUpload(
            self.backend,
            job.local_path,
            job.bucket,
            job.key,
            control=job.control,
            chunks=self.chunks,
            progress=job.report_progress,
            resume_id=job.resume_id,
            on_started=started,
        ).run()
        job.reused_bytes = result.reused_bytes
        job.note = f"verified ({result.check})"

    def _download(self, job: TransferJob) -> None:
        with local_errors(job.local_path.parent):
            job.local_path.parent.mkdir(parents=True, exist_ok=True)
        resume = None
        if job.part_path is not None:
            resume = PartialDownload(job.part_path, job.part_etag, set(job.done_ranges))

        def started(partial: PartialDownload) -> None:
            job.part_path, job.part_etag = partial.part_path, partial.etag
            job.done_ranges = partial.done  # one set: the download adds, the journal reads
            self._journal(job)

        result = ObjectDownload(
            self.backend,
            job.bucket,
            job.key,
            job.local_path,
            control=job.control,
            chunks=self.chunks,
            overwrite=job.overwrite,
            progress=job.report_progress,
            resume=resume,
            on_started=started,
            on_range_done=lambda index: self._journal(job),
            size_hint=job.size,
            on_size=lambda size: self.resized(job, size),
        ).run()
        job.reused_bytes = result.reused_bytes
        if result.check.startswith("not checked"):
            job.note = result.check
        else:
            job.note = f"verified ({result.check})"

    def _copy(self, job: TransferJob) -> None:
        result = ObjectCopy(
            self.backend,
            job.source_bucket,
            job.source_key,
            job.bucket,
            job.key,
            control=job.control,
            chunks=self.chunks,
            progress=job.report_progress,
            on_size=lambda size: self.resized(job, size),
            listed_size=job.size,
        ).run()
        if job.direction is Direction.MOVE:
            # only once the copy stands and matched its source
            job.control.retrying(lambda: self._delete_source(job))
            job.note = f"moved: {result.check}, then the source deleted"
        else:
            job.note = f"copied: {result.check}"

    def _delete_source(self, job: TransferJob) -> None:
        """Delete a moved object's source; one already gone (a retry after an
        answer that was cut off) is what a move wants."""
        with contextlib.suppress(NotFound):
            self.backend.delete_object(job.source_bucket, job.source_key)

    def clean_up(self, job: TransferJob) -> None:
        """Remove what a job that will never resume left behind."""
        if job.resume_id is not None and job.direction is Direction.UPLOAD:
            self.backend.chunks.abort_multipart(job.bucket, job.key, job.resume_id)
        if job.part_path is not None:
            job.part_path.unlink(missing_ok=True)
