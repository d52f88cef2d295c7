"""Swift large objects: SLO uploads into `<bucket>_segments`, and finding the
segments of an existing manifest so they can be deleted with it."""

from __future__ import annotations

import json
import math
import re
import threading
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from swiftclient.exceptions import ClientException

from allas_tui.storage.errors import TransferCancelled
from allas_tui.storage.models import ObjectHead, ObjectKind
from allas_tui.storage.progress import FileRangeReader, ProgressMeter
from allas_tui.storage.settings import SWIFT_MAX_SEGMENTS
from allas_tui.storage.swift_login import SwiftConnections


def segment_container(bucket: str) -> str:
    """Where Allas tools (a-put, rclone, the swift CLI) keep a bucket's segments."""
    return f"{bucket}_segments"


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment object: its container and name."""

    container: str
    name: str

    @property
    def path(self) -> str:
        """`/container/name`, as SLO manifests and bulk deletes write it."""
        return f"/{self.container}/{self.name}"


_CLI_SEGMENT_TAIL = re.compile(r"[0-9.]+/[0-9]+/[0-9]+/[0-9]{8}")
"""What follows `<key>/slo/` in a swift-CLI style segment name."""


def slo_segments(connections: SwiftConnections, bucket: str, key: str) -> list[Segment]:
    """The segments an SLO manifest lists.

    Swift returns the manifest itself for `multipart-manifest=get`; radosgw
    returns an empty body. There, the segments are found by the swift CLI's
    naming convention, which this project's uploads also follow.
    """
    conn = connections.get()
    _, body = conn.get_object(bucket, key, query_string="multipart-manifest=get")
    try:
        entries: list[dict[str, Any]] = json.loads(body)
    except ValueError:
        return _segments_by_convention(connections, bucket, key)
    segments = []
    for entry in entries:
        # "name" in Swift's stored manifest, "path" in what was uploaded
        path = unquote(str(entry.get("name") or entry.get("path"))).lstrip("/")
        container, _, name = path.partition("/")
        segments.append(Segment(container, name))
    return segments


def _segments_by_convention(connections: SwiftConnections, bucket: str, key: str) -> list[Segment]:
    container = segment_container(bucket)
    prefix = f"{key}/slo/"
    try:
        listing = connections.get().get_container(container, prefix=prefix, full_listing=True)[1]
    except ClientException as exc:
        if exc.http_status == 404:
            return []
        raise
    return [
        Segment(container, entry["name"])
        for entry in listing
        if _CLI_SEGMENT_TAIL.fullmatch(entry["name"][len(prefix) :])
    ]


def dlo_segments(connections: SwiftConnections, manifest: str) -> list[Segment]:
    """The segments under a DLO's `container/prefix`."""
    container, _, prefix = unquote(manifest).partition("/")
    listing = connections.get().get_container(container, prefix=prefix, full_listing=True)[1]
    return [Segment(container, entry["name"]) for entry in listing]


def segments_of(connections: SwiftConnections, head: ObjectHead, bucket: str) -> list[Segment]:
    """The segments of a large object, or [] for a plain one."""
    if head.kind is ObjectKind.SLO:
        return slo_segments(connections, bucket, head.key)
    if head.kind is ObjectKind.DLO and head.manifest:
        return dlo_segments(connections, head.manifest)
    return []


class SloUpload:
    """Uploads one file as a static large object.

    Segments go to `<bucket>_segments` under the swift CLI's naming,
    `<key>/slo/<mtime>/<size>/<segment size>/<index>`, so other Allas tools
    recognise them. They are sent in parallel, one connection a thread; then
    the manifest is written. If anything fails, or the caller cancels, the
    segments already sent are deleted again.
    """

    def __init__(
        self,
        connections: SwiftConnections,
        path: Path,
        bucket: str,
        key: str,
        size: int,
        meter: ProgressMeter,
        cancel: threading.Event | None,
    ) -> None:
        self.connections = connections
        self.path = path
        self.bucket = bucket
        self.key = key
        self.size = size
        self.meter = meter
        self.user_cancel = cancel
        self.stop = threading.Event()
        """Set on the user's cancel or the first failure, to stop every segment."""
        settings = connections.settings
        self.segment_size = settings.chunk_size_for(size, SWIFT_MAX_SEGMENTS)
        self.count = max(1, math.ceil(size / self.segment_size))
        mtime = f"{path.stat().st_mtime:.6f}"
        self.mtime = mtime
        self.prefix = f"{key}/slo/{mtime}/{size}/{self.segment_size}/"
        self.sent: list[Segment] = []
        self._sent_lock = threading.Lock()

    def run(self) -> list[Segment]:
        """Upload segments and manifest; return the segments written."""
        container = segment_container(self.bucket)
        self.connections.get().put_container(container)
        manifest: list[dict[str, Any] | None] = [None] * self.count
        workers = self.connections.settings.chunk_concurrency
        try:
            with (
                self.path.open("rb") as file,
                ThreadPoolExecutor(max_workers=workers, thread_name_prefix="allas-segment") as pool,
            ):
                futures = [
                    pool.submit(self._put_segment, file, container, index, manifest)
                    for index in range(self.count)
                ]
                self._wait(futures)
            self.connections.get().put_object(
                self.bucket,
                self.key,
                json.dumps(manifest),
                headers={"X-Object-Meta-Mtime": self.mtime},
                query_string="multipart-manifest=put",
            )
        except BaseException:
            self.stop.set()
            self._delete_sent()
            raise
        return self.sent

    def _wait(self, futures: list[Future[None]]) -> None:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()  # re-raises a segment's failure here
            if self.user_cancel is not None and self.user_cancel.is_set():
                self.stop.set()
                raise TransferCancelled("The transfer was cancelled.")

    def _put_segment(
        self, file: Any, container: str, index: int, manifest: list[dict[str, Any] | None]
    ) -> None:
        if self.stop.is_set():
            raise TransferCancelled("The transfer was cancelled.")
        offset = index * self.segment_size
        length = min(self.segment_size, self.size - offset)
        name = f"{self.prefix}{index:08d}"
        reader = FileRangeReader(file, offset, length, self.meter, self.stop)
        conn = self.connections.get()
        try:
            etag = conn.put_object(container, name, reader, content_length=length)
        except BaseException:
            self.connections.discard()  # the request may have been cut off midway
            raise
        with self._sent_lock:
            self.sent.append(Segment(container, name))
        manifest[index] = {"path": f"/{container}/{name}", "etag": etag, "size_bytes": length}

    def _delete_sent(self) -> None:
        conn = self.connections.get()
        for segment in self.sent:
            try:
                conn.delete_object(segment.container, segment.name)
            except Exception:  # noqa: S112 - best effort; the original error matters more
                continue
