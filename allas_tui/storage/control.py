"""Signals between the one who runs a transfer and the threads that do it:
stop (cancel, or suspend to resume later), pause, retries and chunks in flight."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Executor, Future, wait
from dataclasses import dataclass, field
from typing import TypeVar

from allas_tui.storage.errors import StorageError, TransferCancelled, TransferSuspended
from allas_tui.storage.retrying import RetryCallback, RetryPolicy, with_retries

T = TypeVar("T")


@dataclass
class InFlight:
    """How many chunk requests run right now, and the most there ever were."""

    now: int = 0
    peak: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __enter__(self) -> InFlight:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.now -= 1


class LoginGate:
    """Where requests wait when the token has expired and no password is at
    hand: they keep what they have sent or written, and go on once the user
    has logged in again (`reopen`)."""

    def __init__(self) -> None:
        self.generation = 0
        """Raised by every new login."""
        self._waiting = 0
        self._changed = threading.Condition()

    @property
    def waiting(self) -> int:
        """Requests waiting for a login now."""
        return self._waiting

    def wait(self, stop: threading.Event, tried_with: int) -> bool:
        """Wait for a login newer than `tried_with` (at once if there is one);
        True to try again, False if `stop` was set first."""
        with self._changed:
            self._waiting += 1
            try:
                while self.generation == tried_with and not stop.is_set():
                    self._changed.wait(0.2)
            finally:
                self._waiting -= 1
        return not stop.is_set()

    def reopen(self) -> None:
        """A new login is in use: every waiting request tries again."""
        with self._changed:
            self.generation += 1
            self._changed.notify_all()


class TransferControl:
    """What one transfer's threads check between requests.

    `stop` is set to end the transfer: on cancel, it cleans up after itself
    (aborts the multipart upload, deletes the segments or the partial file);
    on suspend, it leaves everything for a later resume.
    """

    def __init__(
        self,
        *,
        paused: threading.Event | None = None,
        retry: RetryPolicy | None = None,
        on_retry: RetryCallback | None = None,
        in_flight: InFlight | None = None,
        login_gate: LoginGate | None = None,
        on_login_wait: Callable[[], None] | None = None,
    ) -> None:
        self.stop = threading.Event()
        self.login_gate = login_gate
        """Where requests wait for a new login when the token expired, if anywhere."""
        self.on_login_wait = on_login_wait
        """Called before a request starts to wait at the gate."""
        self.paused = paused or threading.Event()
        """Shared by every job of a queue; set while the queue is paused."""
        self.retry = retry or RetryPolicy()
        self.on_retry = on_retry
        self.in_flight = in_flight or InFlight()
        self._reason: str | None = None

    def cancel(self) -> None:
        """Stop and clean up."""
        self._reason = self._reason or "cancel"
        self.stop.set()

    def suspend(self) -> None:
        """Stop and keep what was sent or written, for a resume."""
        self._reason = self._reason or "suspend"
        self.stop.set()

    @property
    def suspended(self) -> bool:
        """True when the stop was a suspend, so nothing should be cleaned up."""
        return self._reason == "suspend"

    def retrying(self, call: Callable[[], T]) -> T:
        """Run one request with this transfer's retries. A failure that a stop
        caused (a body read cut off, say) raises the stop's error instead."""
        gate = self.login_gate
        if gate is None:
            attempt = call
            on_expired = None
        else:
            tried_with = [gate.generation]  # the login this call last went out with

            def attempt() -> T:
                tried_with[0] = gate.generation
                return call()

            def on_expired() -> bool:
                if self.on_login_wait is not None and gate.generation == tried_with[0]:
                    self.on_login_wait()
                return gate.wait(self.stop, tried_with[0])

        try:
            return with_retries(
                attempt, self.retry, stop=self.stop, on_retry=self.on_retry, on_expired=on_expired
            )
        except StorageError:
            if self.stop.is_set():
                self.check()
            raise

    def check(self) -> None:
        """Raise if the transfer should stop; wait here while the queue is paused."""
        while self.paused.is_set() and not self.stop.is_set():
            self.stop.wait(0.2)
        if self.stop.is_set():
            if self.suspended:
                raise TransferSuspended("The transfer was paused until the next start.")
            raise TransferCancelled("The transfer was cancelled.")


def run_each_part(chunks: Executor, work: Callable[[int], None], indexes: Iterable[int]) -> None:
    """Run `work(index)` for every index on `chunks`. Once one fails, parts
    not yet begun are skipped (a failed transfer sends nothing more); the
    first failure is raised when every part has ended."""
    failed = threading.Event()

    def part(index: int) -> None:
        if failed.is_set():
            return
        try:
            work(index)
        except BaseException:
            failed.set()
            raise

    wait_all([chunks.submit(part, index) for index in indexes])


def wait_all(futures: list[Future[None]]) -> None:
    """Wait for every future, then raise the first failure, if any. Waiting
    for all first means no chunk is still in flight when cleanup starts."""
    _, pending = wait(futures, return_when=FIRST_EXCEPTION)
    if pending:
        wait(pending)
    for future in futures:
        future.result()
