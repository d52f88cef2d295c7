"""The one interface the UI and the transfer layer use to speak to Allas."""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from allas_tui.storage.chunk_primitives import ChunkPrimitives
from allas_tui.storage.control import TransferControl
from allas_tui.storage.copying import CopyResult, ObjectCopy
from allas_tui.storage.downloading import DownloadResult, ObjectDownload
from allas_tui.storage.errors import NotFound, StorageError
from allas_tui.storage.keystone_projects import KeystoneProject
from allas_tui.storage.models import (
    AccountUsage,
    BucketInfo,
    DeleteReport,
    ListPage,
    ObjectHead,
    Protocol,
)
from allas_tui.storage.parallel_listing import list_in_ranges
from allas_tui.storage.progress import ProgressCallback
from allas_tui.storage.retrying import RetryPolicy
from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.sharing import Sharing
from allas_tui.storage.swift_login import SwiftLogin
from allas_tui.storage.uploading import FileUpload, UploadResult

HEADS_AT_ONCE = 4
"""HEAD requests `head_many` keeps in flight."""


class StorageBackend(abc.ABC):
    """Buckets and objects over one protocol. Every method blocks: call them
    from worker threads. Failures raise `allas_tui.storage.errors.StorageError`.
    """

    protocol: Protocol
    """Which protocol this backend speaks."""
    settings: TransferSettings
    """Chunking and timeout settings."""
    chunks: ChunkPrimitives
    """The requests chunked uploads and downloads are made of."""
    sharing: Sharing
    """Public access, grants to other projects, and time-limited links."""

    @property
    @abc.abstractmethod
    def endpoint(self) -> str:
        """The URL requests go to (S3 endpoint, or Swift storage URL)."""

    @property
    @abc.abstractmethod
    def project(self) -> str | None:
        """The project's name or id, where known."""

    @property
    def token_expires(self) -> datetime | None:
        """When the login token runs out, where known (Keystone logins)."""
        return None

    def learn_token_expiry(self) -> None:
        """Ask the identity service when a given token runs out, so that
        `token_expires` knows it before any new login. Blocking; does
        nothing where there is no such token."""
        return

    @property
    def can_take_password(self) -> bool:
        """True when this login's token can expire with no password at hand,
        and a password the user types would let it log in again."""
        return False

    def log_in_with(self, password: str) -> None:
        """Log in again with `password` and use the new token from now on.
        Blocking; raises WrongCredentials if the password is refused."""
        raise NotImplementedError("this login cannot take a password")

    def keystone_projects(self) -> list[KeystoneProject]:
        """The projects this login's user may switch to, where Keystone tells
        (Swift logins); blocking."""
        return []

    def login_scoped_to(self, project: KeystoneProject) -> SwiftLogin:
        """This login, for another of the user's projects; blocking."""
        raise NotImplementedError("only Keystone logins have other projects")

    def secrets(self) -> list[str]:
        """Every secret this login holds now (passwords, keys, tokens), so
        that what the app writes can be kept free of them."""
        return []

    # -- buckets ----------------------------------------------------------
    @abc.abstractmethod
    def list_buckets(self) -> list[BucketInfo]:
        """All buckets of the project, sorted by name."""

    @abc.abstractmethod
    def create_bucket(self, name: str) -> None:
        """Create a bucket; the name is checked before any request."""

    @abc.abstractmethod
    def delete_bucket(self, name: str) -> None:
        """Delete an empty bucket; BucketNotEmpty if it holds objects."""

    @abc.abstractmethod
    def bucket_headers(self, name: str) -> dict[str, str]:
        """Every header a HEAD of the bucket returns (counts, ACLs, metadata), names lower-case."""

    @abc.abstractmethod
    def account_usage(self) -> AccountUsage:
        """Bytes, objects and buckets of the project, where the protocol tells."""

    # -- listing ----------------------------------------------------------
    @abc.abstractmethod
    def list_page(
        self,
        bucket: str,
        prefix: str = "",
        delimiter: str | None = None,
        token: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> ListPage:
        """One page of a bucket's objects and, with a delimiter, pseudo-folders:
        the page `token` continues to, or else the first names after `after`.
        `limit` asks for fewer names than the protocol's page size."""

    def iter_pages(
        self,
        bucket: str,
        prefix: str = "",
        delimiter: str | None = None,
        first_page_size: int | None = None,
    ) -> Iterator[ListPage]:
        """Every page of a listing in key order, each yielded as soon as it may
        be. A long listing runs over `settings.listing_streams` connections at
        once; a small `first_page_size` gets the first names on screen sooner."""

        def fetch(after: str | None, token: str | None, limit: int | None) -> ListPage:
            return self.list_page(bucket, prefix, delimiter, token, limit, after=after)

        return list_in_ranges(fetch, prefix, self.settings.listing_streams, first_page_size)

    # -- objects ----------------------------------------------------------
    @abc.abstractmethod
    def head_object(self, bucket: str, key: str) -> ObjectHead:
        """All metadata of one object, including its large-object kind."""

    @abc.abstractmethod
    def update_metadata(
        self, bucket: str, key: str, metadata: dict[str, str], content_type: str
    ) -> None:
        """Replace the object's user metadata (names lower-case, without the
        protocol's prefix) and set its content type; its bytes stay as they are."""

    def head_many(self, bucket: str, keys: list[str]) -> Iterator[tuple[str, ObjectHead | None]]:
        """HEADs of `keys`, a few at once, each with its key as it comes; None
        for an object that is gone or cannot be read (it just stays unknown)."""

        def head(key: str) -> tuple[str, ObjectHead | None]:
            try:
                return key, self.head_object(bucket, key)
            except StorageError:
                return key, None

        with ThreadPoolExecutor(HEADS_AT_ONCE, thread_name_prefix="allas-head") as pool:
            yield from pool.map(head, keys)

    def read_start(self, bucket: str, key: str, limit: int) -> tuple[ObjectHead, bytes]:
        """The object's head and its first `limit` bytes (or all, if fewer), in
        one ranged GET: a preview of a 100 GB object costs what one of 64 kB does."""
        head = self.head_object(bucket, key)
        received = bytearray()
        length = min(limit, head.size)
        if length:
            self.chunks.read_range(bucket, key, 0, length, None, received.extend, threading.Event())
        return head, bytes(received)

    def object_exists(self, bucket: str, key: str) -> bool:
        """Whether `key` is in `bucket` (one HEAD)."""
        try:
            self.head_object(bucket, key)
        except NotFound:
            return False
        return True

    @abc.abstractmethod
    def delete_object(self, bucket: str, key: str) -> None:
        """Delete one object; a large object's segments go with it."""

    @abc.abstractmethod
    def delete_objects(self, bucket: str, keys: Iterable[str]) -> DeleteReport:
        """Delete many objects with as few requests as the protocol allows."""

    def delete_all_objects(self, bucket: str) -> DeleteReport:
        """Delete every object in a bucket, page by page."""
        deleted = 0
        failed: dict[str, str] = {}
        for page in self.iter_pages(bucket):
            report = self.delete_objects(bucket, [o.key for o in page.objects])
            deleted += report.deleted
            failed.update(report.failed)
        return DeleteReport(deleted, failed)

    # -- whole transfers ----------------------------------------------------
    def upload_file(
        self,
        path: Path,
        bucket: str,
        key: str,
        *,
        progress: ProgressCallback | None = None,
        control: TransferControl | None = None,
    ) -> UploadResult:
        """Upload a local file, in parallel parts above the threshold, and
        verify it. Nothing is left behind on the server if it fails or is cancelled."""
        with _StandaloneRun(self, control) as run:
            upload = FileUpload(
                self,
                path,
                bucket,
                key,
                control=run.control,
                chunks=run.pool,
                progress=progress,
            )
            return upload.run()

    def download_file(
        self,
        bucket: str,
        key: str,
        dest: Path,
        *,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
        control: TransferControl | None = None,
        listed_size: int = -1,
    ) -> DownloadResult:
        """Download an object into a temporary file next to `dest`, renamed to
        `dest` only when complete and verified. An existing `dest` is kept unless
        `overwrite`. `listed_size`, the size a listing gave, spares a small
        object's HEAD and tells a DLO manifest from a plain object over S3."""
        with _StandaloneRun(self, control) as run:
            download = ObjectDownload(
                self,
                bucket,
                key,
                dest,
                control=run.control,
                chunks=run.pool,
                overwrite=overwrite,
                progress=progress,
                size_hint=listed_size,
            )
            return download.run()

    def copy_object(
        self,
        source_bucket: str,
        source_key: str,
        bucket: str,
        key: str,
        *,
        progress: ProgressCallback | None = None,
        control: TransferControl | None = None,
        listed_size: int = -1,
    ) -> CopyResult:
        """Copy an object server-side, checked against its source; a Swift
        large object gets segments of its own. An object at `key` is replaced.
        `listed_size`, the size a listing gave, tells a DLO over S3."""
        with _StandaloneRun(self, control) as run:
            copy = ObjectCopy(
                self,
                source_bucket,
                source_key,
                bucket,
                key,
                control=run.control,
                chunks=run.pool,
                progress=progress,
                listed_size=listed_size,
            )
            return copy.run()

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release connections."""


class _StandaloneRun:
    """A chunk pool, and a control unless the caller brings one, for one
    transfer outside a queue."""

    def __init__(self, backend: StorageBackend, control: TransferControl | None) -> None:
        self.pool = ThreadPoolExecutor(
            backend.settings.chunks_at_once, thread_name_prefix="allas-chunk"
        )
        self.control = control or TransferControl(retry=RetryPolicy(backend.settings.retries))

    def __enter__(self) -> _StandaloneRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True)
