"""One transfer: what moves where, and counters its worker thread updates."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.control import TransferControl


class Direction(enum.StrEnum):
    """Which way the bytes go."""

    UPLOAD = "upload"
    DOWNLOAD = "download"
    COPY = "copy"
    """Server-side, from `source_bucket/source_key`: the bytes never leave Allas."""
    MOVE = "move"
    """A server-side copy, then the source is deleted (a rename, within a bucket)."""

    @property
    def server_side(self) -> bool:
        """True for copies and moves, which go from object to object."""
        return self in (Direction.COPY, Direction.MOVE)

    @property
    def to_object(self) -> bool:
        """True when the target is an object (`bucket/key`), not a local file."""
        return self is not Direction.DOWNLOAD

    @property
    def arrow(self) -> str:
        """The panel's sign for it: up, down, copy or move."""
        return _ARROWS[self]


_ARROWS = {Direction.UPLOAD: "↑", Direction.DOWNLOAD: "↓", Direction.COPY: "⇉", Direction.MOVE: "→"}


@dataclass(frozen=True, eq=False)
class Login:
    """A backend, and the account the journal files its jobs under."""

    backend: StorageBackend
    account: str


class JobState(enum.StrEnum):
    """Where a transfer is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"

    @property
    def finished(self) -> bool:
        """True once the job will do nothing more."""
        return self in _FINISHED


_FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED, JobState.SKIPPED})


@dataclass(eq=False)
class TransferJob:
    """A file going up or an object coming down.

    Worker threads write `state`, `done_bytes` and `note`; the UI only reads
    them on its timer, so no lock is needed for these plain fields.
    """

    direction: Direction
    bucket: str
    key: str
    local_path: Path
    size: int
    policy: str = "ask"
    """What to do if the target exists; see storage.settings.CONFLICT_POLICIES."""
    overwrite: bool = False
    """Set once the policy decided that an existing target is replaced."""
    state: JobState = JobState.QUEUED
    done_bytes: int = 0
    """Bytes moved so far, as the storage layer's progress meter reports them."""
    error: BaseException | None = None
    """Why the job failed, for the UI's error handler."""
    note: str = ""
    """What the job is doing besides moving bytes: a retry, a wait, how it was checked."""
    control: TransferControl = field(default_factory=TransferControl)
    """How the queue stops, pauses and counts this job's requests."""
    job_id: int = 0
    """Queue-wide number, in the order jobs were added."""
    batch_id: int = 0
    """The batch (one upload or download command) this job came from."""
    started: bool = False
    """True once bytes began to move, so a resumed queue knows it was running."""
    resume_id: str | None = None
    """An unfinished multipart upload (S3 UploadId, Swift segment prefix)."""
    part_path: Path | None = None
    """A download's partial file."""
    part_etag: str | None = None
    done_ranges: set[int] = field(default_factory=set)
    """Ranges of the partial file already written."""
    journal_id: int | None = None
    retries: int = 0
    """Requests of this job retried after a transient fault."""
    reused_bytes: int = 0
    """Bytes an earlier run had moved, which this run did not move again."""
    login: Login | None = field(default=None, repr=False)
    """Which login runs it; set as it is queued (its batch's)."""
    source_bucket: str = ""
    """For a copy or move: where the object comes from (`bucket/key` is where it goes)."""
    source_key: str = ""

    @property
    def fraction(self) -> float:
        """Share done, 0.0 to 1.0; an empty file is done when the job is."""
        if self.size <= 0:
            return 1.0 if self.state is JobState.DONE else 0.0
        return min(1.0, self.done_bytes / self.size)

    @property
    def target(self) -> str:
        """Where the bytes go, for messages."""
        if self.direction.to_object:
            return f"{self.bucket}/{self.key}"
        return str(self.local_path)

    def report_progress(self, done: int) -> None:
        """The storage layer's progress callback: cumulative bytes."""
        self.done_bytes = done
