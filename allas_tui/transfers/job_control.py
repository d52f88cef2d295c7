"""The control a queued job runs with: the queue's pause, retry policy,
request count and login gate, and the job's own notes of retries and waits."""

from __future__ import annotations

import threading

from allas_tui.storage.control import InFlight, LoginGate, TransferControl
from allas_tui.storage.errors import StorageError
from allas_tui.storage.retrying import RetryPolicy
from allas_tui.transfers.jobs import TransferJob


def job_control(
    job: TransferJob,
    *,
    paused: threading.Event,
    retry: RetryPolicy,
    in_flight: InFlight,
    login_gate: LoginGate | None,
) -> TransferControl:
    """A TransferControl whose retries and login waits are told on `job`
    (its count and note), for the panel to show."""

    def on_retry(attempt: int, allowed: int, exc: StorageError, wait: float) -> None:
        job.retries += 1
        job.note = f"retry {attempt}/{allowed} in {wait:.1f}s: {exc.message}"

    def on_login_wait() -> None:
        job.note = "waiting for a new login: the token has expired"

    return TransferControl(
        paused=paused,
        retry=retry,
        on_retry=on_retry,
        in_flight=in_flight,
        login_gate=login_gate,
        on_login_wait=on_login_wait,
    )
