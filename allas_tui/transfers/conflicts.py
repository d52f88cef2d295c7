"""What to do when a transfer's target already exists: the batch's policy,
asked once, decides between overwrite, skip, skip if identical and keep both."""

from __future__ import annotations

import enum
import math
import os
from pathlib import Path

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import NotFound
from allas_tui.storage.hashing import is_plain_md5, md5_of_range, multipart_etag, slo_etag
from allas_tui.storage.local_files import local_errors
from allas_tui.storage.models import ObjectHead, ObjectKind, Protocol
from allas_tui.transfers.jobs import TransferJob


class Policy(enum.StrEnum):
    """The answers to "the target exists"; the values are the config file's words."""

    ASK = "ask"
    OVERWRITE = "overwrite"
    SKIP = "skip"
    SKIP_IDENTICAL = "skip-identical"
    KEEP_BOTH = "keep-both"


class Outcome(enum.Enum):
    """What the policy decided for one job."""

    GO = "go"
    SKIP = "skip"
    ASK = "ask"


def decide(backend: StorageBackend, job: TransferJob) -> tuple[Outcome, str]:
    """Apply the job's policy to its target: GO (maybe renamed, or with
    `overwrite` set), SKIP with why, or ASK when the policy is to ask."""
    policy = Policy(job.policy)
    if policy is Policy.OVERWRITE:
        job.overwrite = True
        return Outcome.GO, ""
    head = _existing(backend, job)
    if head is None:
        return Outcome.GO, ""
    if policy is Policy.ASK:
        return Outcome.ASK, "exists"
    if policy is Policy.SKIP:
        return Outcome.SKIP, "it exists"
    if policy is Policy.SKIP_IDENTICAL:
        if _identical(backend, job, head):
            return Outcome.SKIP, "identical"
        job.overwrite = True
        return Outcome.GO, "replaces a different version"
    _rename(backend, job)
    return Outcome.GO, f"kept both: new name {job.target}"


def _existing(backend: StorageBackend, job: TransferJob) -> ObjectHead | int | None:
    """The existing target: the object's HEAD, or a local file's size; None if free."""
    if job.direction.to_object:
        try:
            return backend.head_object(job.bucket, job.key)
        except NotFound:
            return None
    path = job.local_path
    if path.exists() or path.is_symlink():
        with local_errors(path):
            return path.stat().st_size
    return None


def _identical(backend: StorageBackend, job: TransferJob, found: ObjectHead | int) -> bool:
    """Same size and same checksum, computed locally the way the object's ETag is made."""
    if job.direction.server_side and isinstance(found, ObjectHead):
        source = backend.head_object(job.source_bucket, job.source_key)
        return found.size == source.size and found.etag == source.etag
    if isinstance(found, ObjectHead):
        head, path = found, job.local_path
    else:
        head, path = backend.head_object(job.bucket, job.key), job.local_path
    with local_errors(path):
        if path.stat().st_size != head.size:
            return False
        return local_etag(backend, path, head) == head.etag


def local_etag(backend: StorageBackend, path: Path, head: ObjectHead) -> str | None:
    """The ETag `path` would have if stored like `head`: plain MD5, S3's
    md5-of-parts or Swift's SLO ETag with this app's chunk size; None if unknown."""
    size = head.size
    fd = os.open(path, os.O_RDONLY)
    try:
        if is_plain_md5(head.etag):
            return md5_of_range(fd, 0, size).hex()
        part = backend.settings.chunk_size_for(size, backend.chunks.max_parts)
        count = max(1, math.ceil(size / part))
        digests = [md5_of_range(fd, i * part, min(part, size - i * part)) for i in range(count)]
    finally:
        os.close(fd)
    if head.kind is ObjectKind.SLO and backend.protocol is Protocol.SWIFT:
        return slo_etag(d.hex() for d in digests)
    return multipart_etag(digests)


def _rename(backend: StorageBackend, job: TransferJob) -> None:
    """Give the job the first free name of the form `name (N).ext`."""
    key, path = job.key, str(job.local_path)
    for number in range(1, 10_000):
        if job.direction.to_object:
            job.key = numbered(key, number)
        else:
            job.local_path = Path(numbered(path, number))
        if _existing(backend, job) is None:
            return
    raise FileExistsError(f"no free name for {job.target}")


def numbered(name: str, number: int) -> str:
    """`dir/file.tar.gz` → `dir/file (1).tar.gz`: the number goes before the suffixes."""
    parent, _, base = name.rpartition("/")
    stem, dot, suffixes = base.partition(".") if not base.startswith(".") else (base, "", "")
    new = f"{stem} ({number}){dot}{suffixes}"
    return f"{parent}/{new}" if parent else new
