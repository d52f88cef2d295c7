"""Swift large objects: where segments live, and finding the segments of an
existing manifest so they can be checked, or deleted with it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from swiftclient.exceptions import ClientException

from allas_tui.storage.models import ObjectHead, ObjectKind
from allas_tui.storage.swift_connections import SwiftConnections


def segment_container(bucket: str) -> str:
    """Where Allas tools (a-put, rclone, the swift CLI) keep a bucket's segments."""
    return f"{bucket}_segments"


SEGMENT_BUCKET_SUFFIXES = ("_segments", "+segments")
"""Buckets that only hold segments: `<bucket>_segments` (a-put, rclone, the
swift CLI) and `<bucket>+segments` (S3 multipart parts, on OpenStack Swift's s3api)."""
SEGMENT_FOLDER = ".file-segments/"
"""Where Cyberduck keeps segments, inside the object's own bucket."""


def is_segment_bucket(name: str) -> bool:
    """True for a bucket whose objects are other objects' segments."""
    return name.endswith(SEGMENT_BUCKET_SUFFIXES)


def is_segment_folder(prefix: str) -> bool:
    """True for a pseudo-folder (a prefix ending in "/") of Cyberduck's segments."""
    return prefix == SEGMENT_FOLDER or prefix.endswith("/" + SEGMENT_FOLDER)


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


def segment_entries(
    connections: SwiftConnections, bucket: str, head: ObjectHead, *, newest_only: bool = True
) -> list[dict[str, Any]]:
    """The segments of a large object, in order, as listing entries with
    `name` (`container/name`), `bytes` and `hash`; [] for a plain object.

    Swift returns an SLO's manifest for `multipart-manifest=get`; radosgw
    returns an empty body. There, the segments are found by the swift CLI's
    naming convention, which this project's uploads also follow; with
    `newest_only`, only the newest upload's segments, which make the object.
    """
    if head.kind is ObjectKind.SLO:
        conn = connections.get()
        _, body = conn.get_object(bucket, head.key, query_string="multipart-manifest=get")
        try:
            entries: list[dict[str, Any]] = json.loads(body)
        except ValueError:
            return _segments_by_convention(connections, bucket, head.key, newest_only)
        return [
            # "name" in Swift's stored manifest, "path" in what was uploaded
            {**e, "name": unquote(str(e.get("name") or e.get("path"))).lstrip("/")}
            for e in entries
        ]
    if head.kind is ObjectKind.DLO and head.manifest:
        container, _, prefix = unquote(head.manifest).partition("/")
        listing = connections.get().get_container(container, prefix=prefix, full_listing=True)[1]
        return [{**e, "name": f"{container}/{e['name']}"} for e in listing]
    return []


def _segments_by_convention(
    connections: SwiftConnections, bucket: str, key: str, newest_only: bool
) -> list[dict[str, Any]]:
    container = segment_container(bucket)
    prefix = f"{key}/slo/"
    try:
        listing = connections.get().get_container(container, prefix=prefix, full_listing=True)[1]
    except ClientException as exc:
        if exc.http_status == 404:
            return []
        raise
    found = [e for e in listing if _CLI_SEGMENT_TAIL.fullmatch(e["name"][len(prefix) :])]
    if newest_only:  # older uploads' segments may linger beside the newest
        newest = max((e["name"].rsplit("/", 1)[0] for e in found), default="")
        found = [e for e in found if e["name"].rsplit("/", 1)[0] == newest]
    return [{**e, "name": f"{container}/{e['name']}"} for e in found]


def segments_of(connections: SwiftConnections, head: ObjectHead, bucket: str) -> list[Segment]:
    """The segments of a large object, or [] for a plain one."""
    segments = []
    for entry in segment_entries(connections, bucket, head, newest_only=False):
        container, _, name = entry["name"].partition("/")
        segments.append(Segment(container, name))
    return segments
