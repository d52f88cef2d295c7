"""The requests that chunked transfers are made of, one implementation per
protocol. The upload and download drivers speak only to this."""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from allas_tui.storage.chunk_models import CopyPiece, DownloadLayout, UploadedPart
from allas_tui.storage.models import ObjectHead
from allas_tui.storage.progress import FileRangeReader
from allas_tui.storage.settings import TransferSettings


class ChunkPrimitives(abc.ABC):
    """Single PUTs, multipart uploads and range reads for one protocol. These
    requests are not retried by the HTTP client: the drivers retry, visibly."""

    settings: TransferSettings
    max_parts: int
    """Most parts (S3) or segments (Swift) one object may have."""
    multipart_check_name: str
    """How a chunked upload is verified, for messages: md5-of-parts or SLO segment ETags."""

    @abc.abstractmethod
    def put_whole(
        self,
        bucket: str,
        key: str,
        body: FileRangeReader,
        size: int,
        md5_hex: str,
        content_type: str | None,
    ) -> str:
        """One PUT carrying the MD5, which Allas checks; the stored ETag."""

    @abc.abstractmethod
    def start_multipart(self, bucket: str, key: str, path: Path, size: int, part_size: int) -> str:
        """Begin a chunked upload of `path`; an id that names it for the calls below."""

    @abc.abstractmethod
    def list_parts(self, bucket: str, key: str, upload_id: str) -> dict[int, UploadedPart]:
        """Parts already stored for the upload, by number; NotFound if it is gone."""

    @abc.abstractmethod
    def put_part(
        self, bucket: str, key: str, upload_id: str, number: int, body: FileRangeReader, size: int
    ) -> str:
        """Store part `number` (1-based); its ETag."""

    @abc.abstractmethod
    def complete_multipart(
        self,
        bucket: str,
        key: str,
        upload_id: str,
        parts: list[UploadedPart],
        content_type: str | None,
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        """Join the parts into the object; the object's ETag as Allas reports it.
        `metadata` is user metadata to give the object where the protocol sets
        it here (Swift's manifest); S3 takes it when the upload starts."""

    @abc.abstractmethod
    def expected_multipart_etag(self, parts: list[UploadedPart]) -> str:
        """The ETag the object must have if every part arrived intact."""

    @abc.abstractmethod
    def abort_multipart(self, bucket: str, key: str, upload_id: str) -> None:
        """Delete every part stored for the upload; best effort, never raises."""

    # -- server-side copies -------------------------------------------------
    @abc.abstractmethod
    def copy_whole(self, source_bucket: str, source: ObjectHead, bucket: str, key: str) -> str:
        """Copy one object server-side in one request, with its content type and
        metadata; the new object's ETag."""

    @abc.abstractmethod
    def copy_pieces(self, bucket: str, head: ObjectHead) -> list[CopyPiece] | None:
        """The pieces a copy of `head` goes in, or None when one request copies it."""

    @abc.abstractmethod
    def start_copy(self, source: ObjectHead, bucket: str, key: str, part_size: int) -> str:
        """Begin a copy in parts of `source` to `key`; an id for `copy_part`,
        `complete_multipart` and `abort_multipart`."""

    @abc.abstractmethod
    def copy_part(
        self, piece: CopyPiece, bucket: str, key: str, upload_id: str, number: int
    ) -> str:
        """Copy one piece server-side as part `number` (1-based); its ETag."""

    # -- downloads ------------------------------------------------------------
    def etag_to_match(self, head: ObjectHead) -> str | None:
        """The ETag range reads of this object send with If-Match, or None
        where the server cannot match it."""
        return head.etag

    @abc.abstractmethod
    def download_layout(self, bucket: str, key: str, head: ObjectHead) -> DownloadLayout:
        """The ranges to fetch `key` in, and how to check them."""

    @abc.abstractmethod
    def read_object(
        self,
        bucket: str,
        key: str,
        on_head: Callable[[ObjectHead], None],
        sink: Callable[[bytes], None],
        stop: threading.Event,
    ) -> None:
        """GET the whole object with no HEAD first (one request for a small
        file, not two): `on_head` hears its head from the response headers
        before any byte reaches `sink`; the caller checks how many came."""

    @abc.abstractmethod
    def read_range(
        self,
        bucket: str,
        key: str,
        offset: int,
        length: int,
        etag: str | None,
        sink: Callable[[bytes], None],
        stop: threading.Event,
    ) -> None:
        """GET up to `length` bytes from `offset`, handing them to `sink` as they
        arrive, until done or `stop` is set; the caller checks how many came.
        With `etag`, a changed object fails instead of mixing versions."""


def stream_into(blocks: object, sink: Callable[[bytes], None], stop: threading.Event) -> int:
    """Hand each block of a response body to `sink` until it ends or `stop` is
    set; the bytes handed over."""
    received = 0
    for block in blocks:  # type: ignore[attr-defined]
        if stop.is_set():
            break
        sink(block)
        received += len(block)
    return received
