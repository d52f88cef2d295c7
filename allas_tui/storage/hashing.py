"""Checksums for verifying transfers: plain MD5, S3's md5-of-parts and Swift's
SLO ETag, and hashing a file in order while its ranges arrive out of order."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from typing import Any

from allas_tui.storage.errors import TransferCancelled

HASH_BLOCK = 1024 * 1024
"""Bytes read per step when hashing a file; hashlib releases the GIL on blocks this big."""


def md5_of_range(fd: int, offset: int, length: int, cancel: threading.Event | None = None) -> bytes:
    """The MD5 digest of `length` bytes of an open file from `offset`."""
    digest = hashlib.md5(usedforsecurity=False)
    _hash_range(digest, fd, offset, length, cancel)
    return digest.digest()


def _hash_range(
    digest: Any, fd: int, offset: int, length: int, cancel: threading.Event | None = None
) -> None:
    end = offset + length
    while offset < end:
        if cancel is not None and cancel.is_set():
            raise TransferCancelled("The transfer was cancelled.")
        block = os.pread(fd, min(HASH_BLOCK, end - offset), offset)
        if not block:
            raise OSError(f"the file ended {end - offset} bytes early")
        digest.update(block)
        offset += len(block)


def multipart_etag(part_digests: Iterable[bytes]) -> str:
    """The ETag S3 gives a multipart object: MD5 of the parts' MD5s, then `-N`."""
    digests = list(part_digests)
    joined = hashlib.md5(b"".join(digests), usedforsecurity=False).hexdigest()
    return f"{joined}-{len(digests)}"


def slo_etag(segment_etags: Iterable[str]) -> str:
    """The ETag Swift gives an SLO: MD5 of its segments' hex ETags, joined."""
    joined = "".join(segment_etags).encode()
    return hashlib.md5(joined, usedforsecurity=False).hexdigest()


def is_plain_md5(etag: str | None) -> bool:
    """True when an ETag is the MD5 of the object's bytes."""
    return etag is not None and len(etag) == 32 and all(c in "0123456789abcdef" for c in etag)


class InOrderHasher:
    """MD5 of a file whose ranges are written in any order by many threads.

    When a range completes, every range now contiguous from the start is read
    back (from the page cache, usually) and hashed, so the hash keeps pace with
    the download instead of needing a second pass at the end.
    """

    def __init__(self, fd: int, ranges: list[tuple[int, int]]) -> None:
        self._fd = fd
        self._ranges = ranges
        self._done = [False] * len(ranges)
        self._next = 0
        self._digest = hashlib.md5(usedforsecurity=False)
        self._lock = threading.Lock()

    def range_done(self, index: int) -> None:
        """Range `index` is written in full."""
        with self._lock:
            self._done[index] = True
            while self._next < len(self._ranges) and self._done[self._next]:
                offset, length = self._ranges[self._next]
                _hash_range(self._digest, self._fd, offset, length)
                self._next += 1

    def hexdigest(self) -> str:
        """The whole file's MD5; call when every range is done."""
        with self._lock:
            if self._next != len(self._ranges):
                raise RuntimeError("not every range is hashed yet")
            return self._digest.hexdigest()
