"""Swift's chunk primitives: SLO segments in `<bucket>_segments` that a resume
finds again by name, the manifest that joins them, and ranged GETs."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from swiftclient.exceptions import ClientException

from allas_tui.storage import errors
from allas_tui.storage.chunk_models import (
    CheckKind,
    CopyPiece,
    DownloadLayout,
    UploadedPart,
    even_ranges,
    multipart_count,
    part_size_candidates,
)
from allas_tui.storage.chunk_primitives import ChunkPrimitives, stream_into
from allas_tui.storage.hashing import is_plain_md5, slo_etag
from allas_tui.storage.models import ObjectHead, ObjectKind
from allas_tui.storage.object_heads import swift_head
from allas_tui.storage.progress import READ_BLOCK, FileRangeReader
from allas_tui.storage.settings import SWIFT_MAX_SEGMENTS
from allas_tui.storage.swift_connections import SwiftConnections
from allas_tui.storage.swift_segments import segment_container, segment_entries

ErrorsFactory = Callable[[str, str | None, str | None], AbstractContextManager[None]]
_INDEX = re.compile(r"[0-9]{8}")


class SwiftChunks(ChunkPrimitives):
    """Swift's chunk primitives, on connections whose own retries are off.

    Segments are named as the swift CLI names them,
    `<key>/slo/<mtime>/<size>/<segment size>/<index>`, so other Allas tools
    recognise them, and the prefix up to the index is the upload's id: the
    same file uploaded again finds the segments a killed run left.
    """

    max_parts = SWIFT_MAX_SEGMENTS
    multipart_check_name = "SLO segment ETags"

    def __init__(self, connections: SwiftConnections, errors_for: ErrorsFactory) -> None:
        self.connections = connections
        self.settings = connections.settings
        self._errors = errors_for

    def put_whole(
        self,
        bucket: str,
        key: str,
        body: FileRangeReader,
        size: int,
        md5_hex: str,
        content_type: str | None,
    ) -> str:
        with self._errors("upload to", bucket, key):
            return self._put(
                bucket, key, body, content_length=size, etag=md5_hex, content_type=content_type
            )

    def _put(self, container: str, name: str, body: Any, **kwargs: Any) -> str:
        try:
            return str(self.connections.get().put_object(container, name, body, **kwargs))
        except BaseException:
            self.connections.discard()  # the request may have been cut off midway
            raise

    def start_multipart(self, bucket: str, key: str, path: Path, size: int, part_size: int) -> str:
        with self._errors("create the segment bucket of", bucket, None):
            self.connections.get().put_container(segment_container(bucket))
        mtime = f"{path.stat().st_mtime:.6f}"
        return f"{key}/slo/{mtime}/{size}/{part_size}/"

    def list_parts(self, bucket: str, key: str, upload_id: str) -> dict[int, UploadedPart]:
        container = segment_container(bucket)
        try:
            with self._errors("list the segments of", bucket, key):
                listing = self.connections.get().get_container(
                    container, prefix=upload_id, full_listing=True
                )[1]
        except errors.NotFound:
            return {}
        parts = {}
        for entry in listing:
            tail = entry["name"][len(upload_id) :]
            if _INDEX.fullmatch(tail):
                number = int(tail) + 1
                parts[number] = UploadedPart(number, int(entry["bytes"]), entry["hash"])
        return parts

    def put_part(
        self, bucket: str, key: str, upload_id: str, number: int, body: FileRangeReader, size: int
    ) -> str:
        container = segment_container(bucket)
        with self._errors(f"upload segment {number} of", bucket, key):
            return self._put(container, f"{upload_id}{number - 1:08d}", body, content_length=size)

    def complete_multipart(
        self,
        bucket: str,
        key: str,
        upload_id: str,
        parts: list[UploadedPart],
        content_type: str | None,
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        container = segment_container(bucket)
        manifest = [
            {
                "path": f"/{container}/{upload_id}{p.number - 1:08d}",
                "etag": p.etag,
                "size_bytes": p.size,
            }
            for p in parts
        ]
        items = {"mtime": upload_id.rstrip("/").split("/")[-3], **(metadata or {})}

        def put_manifest() -> str:
            return self._put(
                bucket,
                key,
                json.dumps(manifest),
                headers={f"X-Object-Meta-{name}": value for name, value in items.items()},
                content_type=content_type,
                query_string="multipart-manifest=put",
            )

        with self._errors("write the manifest of", bucket, key):
            try:
                etag = put_manifest()
            except ClientException as exc:
                if not _token_refused_for_segments(exc):
                    raise
                # Swift's SLO checks the segments before the PUT itself is
                # authorized, so an expired token comes back as a 400 that
                # lists a 401 per segment, and swiftclient never logs in again.
                if not self.connections.forget_token():
                    raise errors.TokenExpired(
                        "Allas refused the token: it has expired or is not valid."
                    ) from exc
                etag = put_manifest()
            if not etag:  # Swift and radosgw answer with the SLO's ETag; a HEAD if not
                etag = str(self.connections.get().head_object(bucket, key).get("etag", ""))
        return etag.strip('"')

    def expected_multipart_etag(self, parts: list[UploadedPart]) -> str:
        return slo_etag(p.etag for p in parts)

    def abort_multipart(self, bucket: str, key: str, upload_id: str) -> None:
        container = segment_container(bucket)
        try:
            for number in self.list_parts(bucket, key, upload_id):
                try:
                    self.connections.get().delete_object(container, f"{upload_id}{number - 1:08d}")
                except ClientException:
                    continue
        except errors.StorageError:
            return

    # -- server-side copies -----------------------------------------------------
    def copy_whole(self, source_bucket: str, source: ObjectHead, bucket: str, key: str) -> str:
        with self._errors("copy to", bucket, key):
            return self._copy(source_bucket, source.key, bucket, key)

    def _copy(self, source_container: str, source_name: str, container: str, name: str) -> str:
        """A PUT with X-Copy-From, which keeps the content type and metadata; the new ETag."""
        origin = quote(f"/{source_container}/{source_name}")
        return self._put(container, name, None, content_length=0, headers={"X-Copy-From": origin})

    def copy_pieces(self, bucket: str, head: ObjectHead) -> list[CopyPiece] | None:
        if not head.kind.is_manifest:
            return None
        # One request copies a manifest wrongly: radosgw makes a second manifest
        # over the same segments (deleting either would break the other), and
        # Swift joins the bytes into one plain object (refused above 5 GiB).
        # So the segments are copied one by one, and a new SLO joins them.
        with self._errors("read the segments of", bucket, head.key):
            entries = segment_entries(self.connections, bucket, head)
        pieces, offset = [], 0
        for entry in entries:
            container, _, name = str(entry["name"]).partition("/")
            length = int(entry["bytes"])
            pieces.append(CopyPiece(container, name, offset, length, str(entry["hash"])))
            offset += length
        if not pieces or offset != head.size:
            raise errors.StorageError(
                f"The segments of {head.key!r} in bucket {bucket!r} could not all be found "
                f"({offset:,} of {head.size:,} bytes), so it cannot be copied whole.",
                hint="Its segment bucket may have been changed by hand.",
            )
        return pieces

    def start_copy(self, source: ObjectHead, bucket: str, key: str, part_size: int) -> str:
        with self._errors("create the segment bucket of", bucket, None):
            self.connections.get().put_container(segment_container(bucket))
        # a time of its own in the name, so no older upload's segments are taken for these
        return f"{key}/slo/{time.time():.6f}/{source.size}/{part_size}/"

    def copy_part(
        self, piece: CopyPiece, bucket: str, key: str, upload_id: str, number: int
    ) -> str:
        name = f"{upload_id}{number - 1:08d}"
        with self._errors(f"copy segment {number} to", bucket, key):
            return self._copy(piece.bucket, piece.key, segment_container(bucket), name)

    # -- downloads ------------------------------------------------------------
    def download_layout(self, bucket: str, key: str, head: ObjectHead) -> DownloadLayout:
        size, etag = head.size, head.etag
        chunk_size = self.settings.chunk_size
        chunk = size if size <= self.settings.chunk_threshold else chunk_size
        if head.kind is ObjectKind.PLAIN and is_plain_md5(etag):
            return DownloadLayout(size, etag, even_ranges(size, chunk), CheckKind.WHOLE_MD5)
        if head.kind in (ObjectKind.SLO, ObjectKind.DLO):
            try:
                with self._errors("read the segments of", bucket, key):
                    entries = segment_entries(self.connections, bucket, head)
            except errors.StorageError as exc:
                if exc.transient:
                    raise  # retried by the caller; a lasting fault only loses the check
                entries = []
            sizes = [int(e["bytes"]) for e in entries]
            hashes = [str(e["hash"]) for e in entries]
            consistent = sum(sizes) == size and all(is_plain_md5(h) for h in hashes)
            if head.kind is ObjectKind.SLO:
                consistent = consistent and slo_etag(hashes) == etag
            if entries and consistent:
                ranges, offset = [], 0
                for length in sizes:
                    ranges.append((offset, length))
                    offset += length
                return DownloadLayout(size, etag, ranges, CheckKind.SEGMENT_MD5S, hashes)
            why = "its segments could not be listed to match its ETag"
        elif sizes := part_size_candidates(size, multipart_count(etag), [chunk_size]):
            return DownloadLayout(
                size,
                etag,
                even_ranges(size, sizes[0]),
                CheckKind.PARTS_MD5,
                other_part_sizes=sizes[1:],
            )
        else:
            why = "its ETag is neither an MD5 nor an md5-of-parts that fits its size"
        return DownloadLayout(
            size, etag, even_ranges(size, chunk), CheckKind.NONE, why_unchecked=why
        )

    def read_object(
        self,
        bucket: str,
        key: str,
        on_head: Callable[[ObjectHead], None],
        sink: Callable[[bytes], None],
        stop: threading.Event,
    ) -> None:
        self._stream_get(bucket, key, {}, sink, stop, lambda h: on_head(swift_head(key, h)))

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
        if length <= 0:
            return

        # radosgw refuses If-Match on an SLO, so the ETag each response carries is compared
        def same_object(headers: dict[str, str]) -> None:
            if etag and str(headers.get("etag", "")).strip('"') != etag:
                raise errors.StorageError(
                    f"The object {key!r} changed on the server during the transfer.",
                    hint="Transfer it again.",
                )

        window = {"Range": f"bytes={offset}-{offset + length - 1}"}
        self._stream_get(bucket, key, window, sink, stop, same_object)

    def _stream_get(
        self,
        bucket: str,
        key: str,
        headers: dict[str, str],
        sink: Callable[[bytes], None],
        stop: threading.Event,
        on_headers: Callable[[dict[str, str]], None],
    ) -> None:
        """GET `key`, hand the response headers to `on_headers` before any byte,
        then stream the body into `sink` until it ends or `stop` is set. A
        connection left with body still unread, or broken, is dropped."""
        with self._errors("download", bucket, key):
            try:
                answer, body = self.connections.get().get_object(
                    bucket, key, headers=headers, resp_chunk_size=READ_BLOCK
                )
                on_headers(answer)
                stream_into(body, sink, stop)
            except BaseException:
                self.connections.discard()
                raise
            if stop.is_set():
                self.connections.discard()  # the rest of the body is still on the wire


def _token_refused_for_segments(exc: ClientException) -> bool:
    """Whether a manifest PUT failed because each segment check was refused
    with 401: the token expired (Swift answers 400 for the manifest)."""
    body = exc.http_response_content or b""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    return exc.http_status == 400 and "401 Unauthorized" in text
