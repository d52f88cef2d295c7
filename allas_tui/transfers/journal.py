"""The queue's journal: unfinished jobs in sqlite, so that after a kill, an
SSH drop or a quit the next start can offer to resume them.

Only unfinished jobs are kept; a job leaves the journal when it ends. Writes
are committed at once; sqlite's WAL keeps them through a SIGKILL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import platformdirs

from allas_tui.storage.backend import StorageBackend
from allas_tui.transfers.jobs import Direction, TransferJob

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    direction TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    local_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    policy TEXT NOT NULL,
    overwrite INTEGER NOT NULL DEFAULT 0,
    resume_id TEXT,
    part_path TEXT,
    part_etag TEXT,
    done_ranges TEXT NOT NULL DEFAULT ''
)
"""


def account_key(backend: StorageBackend) -> str:
    """Which login journalled jobs belong to: protocol and project. The
    endpoint is left out so a job survives a change of route to the same store."""
    return f"{backend.protocol.value}:{backend.project or ''}"


def default_journal_path() -> Path:
    """`queue.sqlite3` in the platform's state folder (~/.local/state/allas-tui)."""
    return platformdirs.user_state_path("allas-tui") / "queue.sqlite3"


class Journal:
    """Unfinished transfer jobs of every account, on disk."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_journal_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    def add(self, account: str, jobs: Iterable[TransferJob]) -> None:
        """Record new jobs; each gets its `journal_id`."""
        with self._lock:
            self._db.execute("BEGIN")
            for job in jobs:
                cursor = self._db.execute(
                    "INSERT INTO jobs (account, direction, bucket, key, local_path, size, policy,"
                    " overwrite) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        account,
                        job.direction.value,
                        job.bucket,
                        job.key,
                        str(job.local_path),
                        job.size,
                        job.policy,
                        int(job.overwrite),
                    ),
                )
                job.journal_id = cursor.lastrowid
            self._db.execute("COMMIT")

    def update(self, job: TransferJob) -> None:
        """Record what a resume needs to know of `job` now."""
        if job.journal_id is None:
            return
        ranges = ",".join(str(i) for i in sorted(job.done_ranges))
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET key=?, local_path=?, policy=?, overwrite=?, resume_id=?,"
                " part_path=?, part_etag=?, done_ranges=? WHERE id=?",
                (
                    job.key,
                    str(job.local_path),
                    job.policy,
                    int(job.overwrite),
                    job.resume_id,
                    str(job.part_path) if job.part_path else None,
                    job.part_etag,
                    ranges,
                    job.journal_id,
                ),
            )

    def remove(self, job: TransferJob) -> None:
        """Forget a job that ended."""
        if job.journal_id is None:
            return
        with self._lock:
            self._db.execute("DELETE FROM jobs WHERE id=?", (job.journal_id,))
        job.journal_id = None

    def unfinished(self, account: str) -> list[TransferJob]:
        """The account's jobs that did not end, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, direction, bucket, key, local_path, size, policy, overwrite,"
                " resume_id, part_path, part_etag, done_ranges FROM jobs WHERE account=?"
                " ORDER BY id",
                (account,),
            ).fetchall()
        jobs = []
        for row in rows:
            job = TransferJob(
                Direction(row[1]), row[2], row[3], Path(row[4]), row[5], policy=row[6]
            )
            job.overwrite = bool(row[7])
            job.resume_id = row[8]
            job.part_path = Path(row[9]) if row[9] else None
            job.part_etag = row[10]
            job.done_ranges = {int(i) for i in row[11].split(",") if i}
            job.journal_id = row[0]
            jobs.append(job)
        return jobs

    def count(self, account: str) -> int:
        """How many of the account's jobs did not end."""
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM jobs WHERE account=?", (account,))
            return int(row.fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
