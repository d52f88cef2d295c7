"""One transfer: what moves where, and counters its worker thread updates."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, field
from pathlib import Path


class Direction(enum.StrEnum):
    """Which way the bytes go."""

    UPLOAD = "upload"
    DOWNLOAD = "download"


class JobState(enum.StrEnum):
    """Where a transfer is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        """True once the job will do nothing more."""
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


@dataclass(eq=False)
class TransferJob:
    """A file going up or an object coming down.

    The worker thread writes `state` and `done_bytes`; the UI only
    reads them on its timer, so no lock is needed for these plain fields.
    """

    direction: Direction
    bucket: str
    key: str
    local_path: Path
    size: int
    overwrite: bool = False
    """Replace an existing local file (downloads); uploads always replace, after the
    UI asked the user."""
    state: JobState = JobState.QUEUED
    done_bytes: int = 0
    """Bytes moved so far, as the storage layer's progress meter reports them."""
    error: BaseException | None = None
    """Why the job failed, for the UI's error handler."""
    cancel_event: threading.Event = field(default_factory=threading.Event)
    """Set to ask the storage layer to stop and clean up."""
    job_id: int = 0
    """Queue-wide number, in the order jobs were added."""

    @property
    def fraction(self) -> float:
        """Share done, 0.0 to 1.0; an empty file is done when the job is."""
        if self.size <= 0:
            return 1.0 if self.state is JobState.DONE else 0.0
        return min(1.0, self.done_bytes / self.size)

    def report_progress(self, done: int) -> None:
        """The storage layer's progress callback: cumulative bytes."""
        self.done_bytes = done
