"""What the chunked upload and download drivers exchange with a backend."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class UploadedPart:
    """One part (S3) or segment (Swift) already stored for an unfinished upload."""

    number: int
    """1-based position in the object."""
    size: int
    etag: str
    """The part's MD5, hex."""


@dataclass(frozen=True, slots=True)
class CopyPiece:
    """One request's share of a server-side copy in parts: a byte range of the
    source object (S3), or one whole segment of a Swift large object."""

    bucket: str
    key: str
    offset: int
    length: int
    etag: str | None
    """What the copied piece's ETag must be, where known (a segment's MD5)."""
    if_match: str | None = None
    """The source's ETag, sent with the request so that a source replaced
    during the copy fails it instead of mixing versions."""


class CheckKind(enum.StrEnum):
    """How a download can be verified."""

    WHOLE_MD5 = "MD5"
    """The ETag is the MD5 of the whole object."""
    PARTS_MD5 = "md5-of-parts"
    """S3 multipart: the ETag is the MD5 of the parts' MD5s; ranges follow the parts."""
    SEGMENT_MD5S = "segment MD5s"
    """Swift SLO: each range is one segment with its own MD5."""
    NONE = "none"


@dataclass(frozen=True, slots=True)
class DownloadLayout:
    """How to fetch one object in ranges, and how to check what arrived."""

    size: int
    etag: str | None
    """Sent back with If-Match on every range, so a changed object is noticed."""
    ranges: list[tuple[int, int]]
    """(offset, length) of each range, in order, covering the object."""
    check: CheckKind
    range_md5s: list[str] = field(default_factory=list)
    """For SEGMENT_MD5S, each range's expected MD5."""
    other_part_sizes: list[int] = field(default_factory=list)
    """For PARTS_MD5, part sizes to try too if the ranges' own size does not match."""
    why_unchecked: str = ""
    """For NONE, why no check is possible."""


def even_ranges(size: int, chunk: int) -> list[tuple[int, int]]:
    """`size` bytes split into ranges of `chunk` bytes (the last may be shorter)."""
    if size == 0:
        return [(0, 0)]
    return [(start, min(chunk, size - start)) for start in range(0, size, chunk)]


COMMON_PART_SIZES = [m * 1024 * 1024 for m in (5, 8, 10, 15, 16, 32, 50, 64, 100, 128, 256, 512)]
"""Part sizes S3 tools use (aws CLI 8 MiB, rclone 5 MiB, s3cmd 15 MiB, ...)."""


def part_size_candidates(size: int, count: int, preferred: list[int]) -> list[int]:
    """Part sizes that split `size` bytes into exactly `count` parts, the
    `preferred` first: an S3 multipart ETag tells the count, not the size."""
    fits = []
    for part in [*preferred, *COMMON_PART_SIZES]:
        if part > 0 and (count - 1) * part < size <= count * part and part not in fits:
            fits.append(part)
    return fits


def multipart_count(etag: str | None) -> int:
    """N of an ETag of the form `md5-N`; 0 for any other ETag."""
    if not etag or "-" not in etag:
        return 0
    tail = etag.rsplit("-", 1)[1]
    return int(tail) if tail.isdigit() else 0
