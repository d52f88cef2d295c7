"""Trying a request again after a transient fault, with exponential backoff.

Transfers retry here rather than inside boto3 or swiftclient so that every
retry is visible: the caller is told each time, and the panel says so.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from allas_tui.storage.errors import StorageError, TokenExpired, TransferCancelled

T = TypeVar("T")
RetryCallback = Callable[[int, int, StorageError, float], None]
"""Told (attempt number, attempts allowed, the fault, seconds until the next try)."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry transient faults."""

    retries: int = 5
    """Attempts after the first."""
    first_delay: float = 0.5
    """Seconds before the first retry; each later one waits twice as long."""
    max_delay: float = 20.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (1-based), with jitter
        so that many chunks failing together do not come back together."""
        base = min(self.max_delay, self.first_delay * 2.0 ** (attempt - 1))
        return base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not secrecy


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    stop: threading.Event | None = None,
    on_retry: RetryCallback | None = None,
    on_expired: Callable[[], bool] | None = None,
) -> T:
    """Run `call`; on a transient StorageError, wait and run it again, up to
    `policy.retries` times. Permanent errors, and the last transient one, are
    raised. Setting `stop` ends the wait early with TransferCancelled.

    When the token has expired, `on_expired` may wait for a new login; if it
    returns True, the call runs again (not counted as a retry)."""
    attempt = 0
    while True:
        try:
            return call()
        except StorageError as exc:
            if isinstance(exc, TokenExpired) and on_expired is not None and on_expired():
                continue
            if not exc.transient or attempt >= policy.retries:
                raise
            attempt += 1
            wait = policy.delay(attempt)
            if on_retry is not None:
                on_retry(attempt, policy.retries, exc, wait)
            if stop is None:
                time.sleep(wait)
            elif stop.wait(wait):
                raise TransferCancelled("The transfer was cancelled.") from exc
