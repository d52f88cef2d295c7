"""Plain data the storage backends return: buckets, objects, pages and heads."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"
"""The MD5 of no bytes."""


def listed_as_manifest(etag: str | None, size: int) -> bool:
    """True for how radosgw lists a Swift SLO manifest, over Swift and over S3:
    the MD5 of no bytes with the manifest's own, non-zero, size."""
    return etag is not None and etag.strip('"') == EMPTY_MD5 and size > 0


class Protocol(enum.StrEnum):
    """The two ways Allas is spoken to."""

    SWIFT = "swift"
    S3 = "s3"


class ObjectKind(enum.StrEnum):
    """How an object is stored: whole, or as a large object over segments or parts."""

    PLAIN = "plain"
    SLO = "slo"
    """Swift static large object: a manifest listing segments in another container."""
    DLO = "dlo"
    """Swift dynamic large object: a manifest naming a prefix of segments."""
    MULTIPART = "multipart"
    """S3 multipart upload: the ETag is md5-of-part-md5s followed by -N."""

    @property
    def is_manifest(self) -> bool:
        """True for Swift's large objects: a manifest whose bytes live in
        segments elsewhere. S3 knows nothing of them (see `mixing.py`)."""
        return self in (ObjectKind.SLO, ObjectKind.DLO)


@dataclass(frozen=True, slots=True)
class BucketInfo:
    """One bucket (a Swift container) of the current project."""

    name: str
    object_count: int | None = None
    """Objects in it, where the protocol says (Swift); None over S3."""
    bytes_used: int | None = None
    """Bytes in it, where the protocol says (Swift); None over S3."""
    created: datetime | None = None
    """Creation time, where the protocol says (S3)."""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """One object as a listing shows it (a HEAD may tell more)."""

    key: str
    size: int
    last_modified: datetime | None
    etag: str | None
    content_type: str | None = None
    kind: ObjectKind = ObjectKind.PLAIN
    """What the listing tells of how it is stored; a DLO shows only on a HEAD."""

    @property
    def size_known(self) -> bool:
        """False when the listed size is a manifest's own (radosgw lists SLOs so);
        a HEAD tells the real one."""
        return not listed_as_manifest(self.etag, self.size)


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a listing, returned as soon as it arrives."""

    objects: list[ObjectInfo]
    folders: list[str]
    """Pseudo-folders (Swift `subdir`, S3 CommonPrefixes), each ending in the delimiter."""
    next_token: str | None
    """Pass this back to get the next page; None when the listing is complete."""


@dataclass(frozen=True, slots=True)
class ObjectHead:
    """Everything a HEAD tells about one object."""

    key: str
    size: int
    last_modified: datetime | None
    etag: str | None
    content_type: str | None
    kind: ObjectKind
    metadata: Mapping[str, str] = field(default_factory=dict)
    """User metadata, keys lower-case without the protocol's prefix."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Every response header, names lower-case."""
    manifest: str | None = None
    """For a DLO, the `container/prefix` its segments live under."""


@dataclass(frozen=True, slots=True)
class AccountUsage:
    """What the project stores. A None field means the protocol cannot tell."""

    bytes_used: int | None
    object_count: int | None
    bucket_count: int | None
    quota_bytes: int | None = None
    """The project's own quota, where the server tells it."""


@dataclass(frozen=True, slots=True)
class DeleteReport:
    """What a bulk delete did: how many went, and each key that did not, with why."""

    deleted: int
    failed: dict[str, str]
