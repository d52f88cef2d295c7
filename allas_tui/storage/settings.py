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


CONFLICT_POLICIES = ("ask", "overwrite", "skip", "skip-identical", "keep-both")
"""What to do when a transfer's target exists: ask once per batch, replace it,
leave it, leave it when size and checksum match, or keep both (the new one renamed)."""


@dataclass(frozen=True, slots=True)
class TransferSettings:
    """How files are split and how many requests run at once. Sizes are in bytes."""

    chunk_threshold: int = 64 * MiB
    """Files larger than this are uploaded as S3 multipart or Swift SLO. Above
    64 MiB, parallel chunks beat one stream on a login node's link, and below it
    the extra requests cost more than they give."""
    chunk_size: int = 64 * MiB
    """Part or segment size. 64 MiB keeps the per-request overhead under 1 % at
    Allas speeds, lets 10,000 S3 parts reach 625 GiB and 1,000 Swift segments
    62 GiB before the size grows, and bounds what a dropped connection costs
    a resume to one chunk. Chunks are streamed from disk, so memory does not
    grow with it."""
    files_at_once: int = 4
    """Files (jobs) in progress at once. Small files are latency-bound, so a
    few in parallel multiply their rate; the login nodes' single core caps it."""
    chunks_at_once: int = 4
    """Chunk requests in flight at once, across every file of the queue. Four,
    not more: a ranged GET arrives in 16 KiB TLS records, each a Python-level
    read that takes the GIL again, and eight at once thrash it. Measured on two
    cores (one 1 GiB object over S3), 8 downloaded at 204 MiB/s with 6.5
    CPU-s/GiB and 4 at 275 MiB/s with 4.2; uploads lost ~6 % (194 to 184 MiB/s)."""
    copies_at_once: int = 16
    """Server-side copies and moves in progress at once. Each is a few small
    requests that wait on Allas while its disks copy, not on this machine's
    link or CPU, so a folder of small objects goes faster with more at once."""
    listing_streams: int = 4
    """Connections one long listing runs over at once. A listing is a chain of
    requests, each waiting on the last; split into key ranges, four chains
    keep the server and the client's parsing busy together."""
    timeout: float = 60.0
    """Seconds to wait on a silent connection before it counts as broken."""
    retries: int = 5
    """Attempts after the first for transient faults (resets, 5xx, slow-downs)."""
    on_conflict: str = "ask"
    """One of CONFLICT_POLICIES."""
    copy_threshold: int = MAX_SINGLE_OBJECT
    """Objects larger than this are copied server-side in parts (S3
    UploadPartCopy); one S3 CopyObject request copies at most 5 GiB."""

    @property
    def connections(self) -> int:
        """Requests a backend may have open at once: every chunk, every file's
        own requests (HEADs, single PUTs, completes), every copy's, a listing's and a few more."""
        return (
            self.chunks_at_once
            + self.files_at_once
            + self.copies_at_once
            + self.listing_streams
            + 2
        )

    def must_chunk(self, size: int) -> bool:
        """True when a file of `size` bytes goes up in parts or segments."""
        return size > min(self.chunk_threshold, MAX_SINGLE_OBJECT)

    def must_copy_in_parts(self, size: int) -> bool:
        """True when a server-side copy of `size` bytes goes part by part."""
        return size > min(self.copy_threshold, MAX_SINGLE_OBJECT)

    def chunk_size_for(self, size: int, max_chunks: int) -> int:
        """The chunk size for a file of `size` bytes: the setting, raised so that
        the file fits in `max_chunks` chunks, and never above the single-object cap."""
        needed = math.ceil(size / max_chunks) if size else 0
        return min(max(self.chunk_size, needed, 1), MAX_SINGLE_OBJECT)
