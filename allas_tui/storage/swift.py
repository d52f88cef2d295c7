"""The Swift backend (python-swiftclient over a keystoneauth1 session)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from swiftclient.exceptions import ClientException

from allas_tui.storage import errors
from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.bucket_names import check_bucket_name
from allas_tui.storage.chunk_models import UploadedPart
from allas_tui.storage.keystone_projects import KeystoneProject, list_projects, login_for_project
from allas_tui.storage.models import (
    AccountUsage,
    BucketInfo,
    DeleteReport,
    ListPage,
    ObjectHead,
    ObjectInfo,
    ObjectKind,
    Protocol,
    listed_as_manifest,
)
from allas_tui.storage.object_heads import MULTIPART_ETAG, swift_head
from allas_tui.storage.progress import FileRangeReader
from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift_chunks import SwiftChunks
from allas_tui.storage.swift_connections import SwiftConnections, read_token_expiry
from allas_tui.storage.swift_deletes import PlainDeleter, map_parallel
from allas_tui.storage.swift_errors import swift_errors
from allas_tui.storage.swift_login import SwiftLogin
from allas_tui.storage.swift_segments import Segment, segment_container, segments_of
from allas_tui.storage.swift_sharing import SwiftSharing
from allas_tui.storage.tls import refuse_cut_answers

LIST_PAGE_SIZE = 10_000
"""Swift's largest page."""
_MANIFEST_KINDS = (ObjectKind.SLO, ObjectKind.DLO)
"""Objects whose delete must take segments with it."""
_LARGE_OBJECT_METADATA = frozenset({"static-large-object"})
"""Metadata radosgw keeps on a Swift SLO; a POST must send it back."""
_AFTER_EVERYTHING = "\U0010ffff"
"""Sorts after any character, so `folder/` + this as a marker skips the folder."""


def _listed_kind(entry: dict[str, Any]) -> ObjectKind:
    """SLO manifests list with `slo_etag` (Swift) or a `swift_bytes` content
    type; a DLO looks plain until a HEAD shows its manifest header."""
    if "slo_etag" in entry or "swift_bytes=" in str(entry.get("content_type", "")):
        return ObjectKind.SLO
    etag = entry.get("hash")
    if listed_as_manifest(etag, int(entry.get("bytes", 0))):
        return ObjectKind.SLO
    if etag and "-" in etag and MULTIPART_ETAG.search(etag):
        return ObjectKind.MULTIPART  # radosgw lists what S3 tools wrote so
    return ObjectKind.PLAIN


def _swift_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class SwiftBackend(StorageBackend):
    """Allas over OpenStack Swift."""

    protocol = Protocol.SWIFT
    page_size = LIST_PAGE_SIZE
    """Names asked for a page; the server may send fewer."""

    def __init__(self, login: SwiftLogin, settings: TransferSettings | None = None) -> None:
        refuse_cut_answers()
        self.login = login
        self.settings = settings or TransferSettings()
        self.connections = SwiftConnections(login, self.settings)
        self._chunk_connections = SwiftConnections(
            login, self.settings, retries=0, share_login_of=self.connections
        )
        self.chunks = _ReplacingChunks(self, self._chunk_connections)
        self._deleter = PlainDeleter(self.connections, self._errors)
        self.sharing = SwiftSharing(
            self.connections, lambda: self.endpoint, self._errors, login.cacert or True
        )

    @property
    def endpoint(self) -> str:
        return str(self.connections.storage_url or self.login.auth_url or "")

    @property
    def project(self) -> str | None:
        return self.login.project_label

    @property
    def token_expires(self) -> datetime | None:
        return self.connections.token_expires

    def learn_token_expiry(self) -> None:
        if self.login.token and self.login.auth_url and not self.connections.token_expires:
            with self._errors("read the token's expiry of"):
                self.connections.given_token_expires = read_token_expiry(self.login)

    @property
    def can_take_password(self) -> bool:
        return not self.login.can_relogin and bool(self.login.auth_url and self.login.username)

    def log_in_with(self, password: str) -> None:
        login = dataclasses.replace(self.login, password=password, token=None)
        with self._errors("log in to"):
            session = login.keystone_session()
            session.get_token()  # proves the password before anything is switched
        self.login = login
        self.connections.use_login(login, session)
        self._chunk_connections.use_login(login, session)

    def _token(self) -> str:
        """The token in use: the session's (a password login), else the one given."""
        if self.connections.current_token is None and self.login.can_relogin:
            self.connections.get().get_auth()  # logs in
        return self.connections.current_token or str(self.login.token)

    def keystone_projects(self) -> list[KeystoneProject]:
        if not self.login.auth_url:
            return []
        with self._errors("list the Keystone projects of"):
            return list_projects(self.login, self._token())

    def login_scoped_to(self, project: KeystoneProject) -> SwiftLogin:
        with self._errors(f"switch to {project.name!r} from"):
            return login_for_project(self.login, self._token(), project)

    def secrets(self) -> list[str]:
        token = self.connections.current_token
        return [*self.login.secrets(), *([token] if token else [])]

    def _errors(
        self,
        action: str,
        bucket: str | None = None,
        key: str | None = None,
        conflict: type[errors.StorageError] | None = None,
    ) -> AbstractContextManager[None]:
        return swift_errors(
            action,
            lambda: self.endpoint,
            bucket,
            key,
            token_only=not self.login.can_relogin,
            conflict=conflict,
        )

    # -- buckets ----------------------------------------------------------
    def list_buckets(self) -> list[BucketInfo]:
        with self._errors("list the buckets of"):
            # full_listing pages with marker until a page comes back empty
            _, containers = self.connections.get().get_account(full_listing=True)
        return [
            BucketInfo(c["name"], object_count=c.get("count"), bytes_used=c.get("bytes"))
            for c in containers
        ]

    def create_bucket(self, name: str) -> None:
        check_bucket_name(name)
        conn = self.connections.get()
        with self._errors("create", name, conflict=errors.BucketAlreadyExists):
            try:
                conn.head_container(name)
            except ClientException as exc:
                if exc.http_status != 404:
                    raise
            else:
                raise errors.BucketAlreadyExists(
                    f"You already have a bucket named {name!r}.", hint="Pick it in the bucket list."
                )
            conn.put_container(name)

    def delete_bucket(self, name: str) -> None:
        with self._errors("delete", name, conflict=errors.BucketNotEmpty):
            self.connections.get().delete_container(name)

    def bucket_headers(self, name: str) -> dict[str, str]:
        with self._errors("read", name):
            headers = self.connections.get().head_container(name)
        return {str(k).lower(): str(v) for k, v in headers.items()}

    def account_usage(self) -> AccountUsage:
        with self._errors("read the usage of"):
            headers = self.connections.get().head_account()

        def number(name: str) -> int | None:
            value = headers.get(name)
            return int(value) if value is not None else None

        return AccountUsage(
            number("x-account-bytes-used"),
            number("x-account-object-count"),
            number("x-account-container-count"),
            number("x-account-meta-quota-bytes"),
        )

    # -- listing ----------------------------------------------------------
    def list_page(
        self,
        bucket: str,
        prefix: str = "",
        delimiter: str | None = None,
        token: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> ListPage:
        with self._errors("list", bucket):
            _, entries = self.connections.get().get_container(
                bucket,
                marker=token or after or "",
                prefix=prefix or None,
                delimiter=delimiter,
                limit=min(limit or self.page_size, self.page_size),
            )
        if not entries:
            # Only an empty page ends a listing: radosgw sends short pages
            # while more remain, so a page shorter than the limit proves nothing.
            return ListPage([], [], None)
        objects: list[ObjectInfo] = []
        folders: list[str] = []
        for entry in entries:
            if "subdir" in entry:
                folders.append(entry["subdir"])
            else:
                objects.append(
                    ObjectInfo(
                        key=entry["name"],
                        size=int(entry.get("bytes", 0)),
                        last_modified=_swift_time(entry.get("last_modified")),
                        etag=entry.get("hash"),
                        content_type=entry.get("content_type"),
                        kind=_listed_kind(entry),
                    )
                )
        last = entries[-1]
        # After a folder, skip everything in it rather than be sent it again
        marker = last["name"] if "name" in last else last["subdir"] + _AFTER_EVERYTHING
        return ListPage(objects, folders, marker)

    # -- objects ----------------------------------------------------------
    def head_object(self, bucket: str, key: str) -> ObjectHead:
        with self._errors("read", bucket, key):
            headers = self.connections.get().head_object(bucket, key)
        return swift_head(key, headers)

    def update_metadata(
        self, bucket: str, key: str, metadata: dict[str, str], content_type: str
    ) -> None:
        head = self.head_object(bucket, key)
        # a POST replaces every metadata item: keep the ones that make a large object
        kept = {k: v for k, v in head.metadata.items() if k in _LARGE_OBJECT_METADATA}
        headers = {f"X-Object-Meta-{k}": v for k, v in {**metadata, **kept}.items()}
        headers["Content-Type"] = content_type
        if head.manifest:  # a DLO is its manifest header: without it, it empties
            headers["X-Object-Manifest"] = head.manifest
        with self._errors("change the metadata of", bucket, key):
            self.connections.get().post_object(bucket, key, headers)

    def delete_object(self, bucket: str, key: str) -> None:
        self._delete_with_segments(bucket, self.head_object(bucket, key))

    def _delete_with_segments(self, bucket: str, head: ObjectHead) -> None:
        key = head.key
        conn = self.connections.get()
        with self._errors("delete", bucket, key):
            if head.kind is ObjectKind.SLO:
                # Swift and radosgw both delete the segments with the manifest
                conn.delete_object(bucket, key, query_string="multipart-manifest=delete")
            else:
                segments = segments_of(self.connections, head, bucket)
                conn.delete_object(bucket, key)
                self._delete_segments(segments)

    def _delete_segments(self, segments: list[Segment]) -> None:
        by_container: dict[str, list[str]] = {}
        for segment in segments:
            by_container.setdefault(segment.container, []).append(segment.name)
        for container, names in by_container.items():
            report = self._deleter.delete(container, names)
            if report.failed:
                raise errors.StorageError(
                    f"{len(report.failed)} segments in {container!r} could not be deleted."
                )

    def delete_objects(self, bucket: str, keys: Iterable[str]) -> DeleteReport:
        keys = list(keys)
        if not keys:
            return DeleteReport(0, {})
        if not self._has_segment_container(bucket):
            return self._deleter.delete(bucket, keys)
        # Manifests must take their segments with them, and only a HEAD tells
        # which keys are manifests; run those HEADs in parallel.
        heads = map_parallel(
            self._head_or_none, [(bucket, k) for k in keys], self.settings.chunks_at_once
        )
        manifests = [h for h in heads if h is not None and h.kind in _MANIFEST_KINDS]
        plain = [
            k
            for k, h in zip(keys, heads, strict=True)
            if h is None or h.kind not in _MANIFEST_KINDS
        ]
        report = self._deleter.delete(bucket, plain) if plain else DeleteReport(0, {})
        deleted, failed = report.deleted, dict(report.failed)
        for head in manifests:
            try:
                self._delete_with_segments(bucket, head)
                deleted += 1
            except errors.StorageError as exc:
                failed[head.key] = str(exc)
        return DeleteReport(deleted, failed)

    def _head_or_none(self, bucket: str, key: str) -> ObjectHead | None:
        try:
            return self.head_object(bucket, key)
        except errors.NotFound:
            return None

    def _has_segment_container(self, bucket: str) -> bool:
        try:
            self.connections.get().head_container(segment_container(bucket))
        except ClientException:
            return False
        return True

    # -- replacing large objects ------------------------------------------
    def segments_to_replace(self, bucket: str, key: str) -> list[Segment]:
        """The segments of the large object at `key`, which a new upload will orphan."""
        old = self._head_or_none(bucket, key)
        with self._errors("read the segments of", bucket, key):
            return segments_of(self.connections, old, bucket) if old else []

    def drop_orphans(self, old_segments: list[Segment], keep: str = "") -> None:
        """Delete an overwritten large object's segments, except the new upload's."""
        self._delete_segments([s for s in old_segments if not (keep and s.name.startswith(keep))])

    def close(self) -> None:
        self.connections.discard()


class _ReplacingChunks(SwiftChunks):
    """Swift's chunk primitives, which also delete the segments of a large object
    that an upload replaces, once the new object stands."""

    def __init__(self, backend: SwiftBackend, connections: SwiftConnections) -> None:
        super().__init__(connections, backend._errors)
        self._backend = backend

    def put_whole(
        self,
        bucket: str,
        key: str,
        body: FileRangeReader,
        size: int,
        md5_hex: str,
        content_type: str | None,
    ) -> str:
        old = self._backend.segments_to_replace(bucket, key)
        etag = super().put_whole(bucket, key, body, size, md5_hex, content_type)
        self._backend.drop_orphans(old)
        return etag

    def complete_multipart(
        self,
        bucket: str,
        key: str,
        upload_id: str,
        parts: list[UploadedPart],
        content_type: str | None,
        metadata: Mapping[str, str] | None = None,
    ) -> str:
        old = self._backend.segments_to_replace(bucket, key)
        etag = super().complete_multipart(bucket, key, upload_id, parts, content_type, metadata)
        self._backend.drop_orphans(old, keep=upload_id)
        return etag

    def copy_whole(self, source_bucket: str, source: ObjectHead, bucket: str, key: str) -> str:
        old = self._backend.segments_to_replace(bucket, key)
        etag = super().copy_whole(source_bucket, source, bucket, key)
        self._backend.drop_orphans(old)
        return etag
