"""`allas-tui resume --no-ui`: run the journalled queue without a screen, for
tmux, batch jobs, or after the SSH session that started the transfers dropped."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import TextIO

from allas_tui.storage.backend import StorageBackend
from allas_tui.transfers.jobs import JobState
from allas_tui.transfers.journal import Journal, account_key
from allas_tui.transfers.queue import TransferQueue
from allas_tui.transfers.snapshot import QueueSnapshot
from allas_tui.wording import count

REPORT_EVERY = 2.0
"""Seconds between progress lines."""


def _line(snap: QueueSnapshot) -> str:
    mib = 1024 * 1024
    rate = f"{snap.rate / mib:.1f} MiB/s" if snap.rate else "-"
    return (
        f"{snap.finished_count}/{snap.job_count} files, "
        f"{snap.done_bytes / mib:.1f}/{snap.total_bytes / mib:.1f} MiB, {rate}"
    )


def peak_memory_mib() -> float | None:
    """This process's peak resident memory (VmHWM, which starts afresh at exec,
    unlike ru_maxrss), or None where /proc does not tell."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def resume_without_ui(backend: StorageBackend, journal: Journal, out: TextIO = sys.stdout) -> int:
    """Run every unfinished journalled job of this login to its end; the exit
    status: 0 when all are done or skipped, 1 if any failed, 3 when stopped
    by a signal (the rest stays journalled)."""
    account = account_key(backend)
    jobs = journal.unfinished(account)
    if not jobs:
        print("Nothing to resume.", file=out)
        return 0
    print(f"Resuming {count(len(jobs), 'transfer')}.", file=out, flush=True)
    queue = TransferQueue(backend, journal=journal, account=account)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    queue.add(jobs)
    last = 0.0
    while not stop.wait(0.2):
        snap = queue.snapshot()
        if time.monotonic() - last > REPORT_EVERY:
            print(_line(snap), file=out, flush=True)
            last = time.monotonic()
        for job in queue.take_finished():
            if job.state is JobState.FAILED:
                print(f"failed: {job.target}: {job.error}", file=out, flush=True)
        if not snap.active and not snap.counting:
            break
    queue.shutdown()
    snap = queue.snapshot()
    print(_line(snap), file=out, flush=True)
    peak = peak_memory_mib()
    if peak is not None:
        print(f"Peak memory: {peak:.0f} MiB", file=out, flush=True)
    if stop.is_set():
        print("Stopped; the rest resumes with the next start.", file=out)
        return 3
    return 1 if snap.failed else 0
