"""Thread-safe byte counting for transfers.

Chunks report from many threads, and a chunk that is retried reads its bytes
again. The meter counts each byte position once, so the total never goes
backwards, never passes the size, and ends exactly at it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from typing import BinaryIO

from allas_tui.storage.errors import TransferCancelled
from allas_tui.storage.local_files import local_error
from allas_tui.storage.settings import MiB

ProgressCallback = Callable[[int], None]
"""Called with the bytes transferred so far (cumulative, never decreasing)."""

READ_BLOCK = 1 * MiB
"""Bytes handed to the HTTP client per read. The stdlib client asks for 8-16 KiB
at a time, and one send per 8 KiB costs about 3.5x the CPU of 1 MiB sends."""


class ProgressMeter:
    """Adds up bytes from many threads and reports the running total. The
    callback must be cheap (it runs under a lock): a counter, not a UI call.

    Amounts may be negative: s3transfer takes bytes back when it rewinds a
    part to retry it. The reported total is the high-water mark of the running
    sum, so re-sent bytes are not counted twice and the total never falls.
    """

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self._total = total
        self._callback = callback
        self._sum = 0
        self._done = 0
        self._lock = threading.Lock()

    @property
    def done(self) -> int:
        """Bytes counted so far."""
        return self._done

    def add(self, amount: int) -> None:
        """Add `amount` bytes (negative when a retry rewinds)."""
        # the callback runs under the lock: called after it, two threads could
        # report in the wrong order and the total would seem to fall (seen in CI)
        with self._lock:
            self._sum += amount
            done = min(self._total, max(self._done, self._sum))
            if done == self._done:
                return
            self._done = done
            if self._callback is not None:
                self._callback(done)

    def resize(self, total: int) -> None:
        """The transfer turned out to be `total` bytes (a DLO listed as 0)."""
        with self._lock:
            self._total = total

    def finish(self) -> None:
        """Mark the transfer complete: the total is exactly the size. A
        zero-byte transfer reports its end too."""
        with self._lock:
            self._sum = max(self._sum, self._total)
            moved = self._done != self._total
            self._done = self._total
            if self._callback is not None and (moved or self._total == 0):
                self._callback(self._total)


def check_cancel(cancel: threading.Event | None) -> None:
    """Raise TransferCancelled if `cancel` is set."""
    if cancel is not None and cancel.is_set():
        raise TransferCancelled("The transfer was cancelled.")


class FileRangeReader:
    """A read-only file view of `length` bytes from `offset`, for one PUT body.

    It counts progress, stops on the cancel signal, and supports seek/tell so
    the HTTP client can rewind and resend after a fault; rewound bytes are not
    counted twice. It also computes the MD5 of the range as it is first read,
    so a part's ETag can be checked without reading the file again.
    """

    def __init__(
        self,
        file: BinaryIO,
        offset: int,
        length: int,
        meter: ProgressMeter,
        cancel: threading.Event | None,
    ) -> None:
        self._file = file
        self._offset = offset
        self._length = length
        self._meter = meter
        self._cancel = cancel
        self._pos = 0
        self._high_water = 0
        self._md5 = hashlib.md5(usedforsecurity=False)

    @property
    def md5_hex(self) -> str:
        """MD5 of the bytes read so far; of the whole range once it was read to its end."""
        return self._md5.hexdigest()

    @property
    def complete(self) -> bool:
        """True once every byte of the range was read at least once."""
        return self._high_water >= self._length

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        """Read up to max(size, READ_BLOCK) bytes; see READ_BLOCK for why more."""
        check_cancel(self._cancel)
        remaining = self._length - self._pos
        if remaining <= 0:
            return b""
        want = remaining if size < 0 else min(max(size, READ_BLOCK), remaining)
        try:
            data = os.pread(self._file.fileno(), want, self._offset + self._pos)
        except OSError as exc:
            # raised inside the HTTP client, an OSError would pass for a network fault
            raise local_error(exc, self._file.name) from exc
        start = self._pos
        self._pos += len(data)
        if self._pos > self._high_water:
            self._md5.update(data[max(0, self._high_water - start) :])
            self._meter.add(self._pos - self._high_water)
            self._high_water = self._pos
        return data

    def tell(self) -> int:
        """Position within the range."""
        return self._pos

    def seek(self, pos: int, whence: int = 0) -> int:
        """Move within the range (whence 0, 1 or 2, as for files)."""
        base = {0: 0, 1: self._pos, 2: self._length}[whence]
        self._pos = max(0, min(self._length, base + pos))
        return self._pos
