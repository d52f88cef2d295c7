"""Transfer settings the backends use: when to chunk, and how big the chunks are."""

from __future__ import annotations

import math
from dataclasses import dataclass

MiB = 1024 * 1024
GiB = 1024 * MiB

MAX_SINGLE_OBJECT = 5 * GiB
"""Swift and S3 refuse a single PUT above this; larger files must be chunked."""
S3_MAX_PARTS = 10_000
"""S3 allows at most this many parts in one multipart upload."""
SWIFT_MAX_SEGMENTS = 1_000
"""Swift's and radosgw's default cap on segments in one SLO manifest."""


@dataclass(frozen=True, slots=True)
class TransferSettings:
    """How large files are split. Both sizes are in bytes."""

    chunk_threshold: int = 64 * MiB
    """Files larger than this are uploaded as S3 multipart or Swift SLO. Above
    64 MiB, parallel chunks beat one stream on a login node's link, and below it
    the extra requests cost more than they give."""
    chunk_size: int = 64 * MiB
    """Part or segment size. Memory use is this times `chunk_concurrency` at
    most for S3 (Swift streams segments from disk), which keeps four parallel
    chunks at 256 MiB, inside the 1 GiB a login node allows."""
    chunk_concurrency: int = 4
    """Chunks of one file in flight at once."""
    timeout: float = 60.0
    """Seconds to wait on a silent connection before it counts as broken."""
    retries: int = 5
    """Attempts after the first for transient faults (resets, 5xx, slow-downs)."""

    def must_chunk(self, size: int) -> bool:
        """True when a file of `size` bytes goes up in parts or segments."""
        return size > min(self.chunk_threshold, MAX_SINGLE_OBJECT)

    def chunk_size_for(self, size: int, max_chunks: int) -> int:
        """The chunk size for a file of `size` bytes: the setting, raised so that
        the file fits in `max_chunks` chunks, and never above the single-object cap."""
        needed = math.ceil(size / max_chunks) if size else 0
        return min(max(self.chunk_size, needed, 1), MAX_SINGLE_OBJECT)
