"""Sharing over Swift: container ACLs, as a-publish and a-access set them,
mirrored on `<bucket>_segments`, and temp URLs signed with the project's key."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from swiftclient.utils import generate_temp_url

from allas_tui.storage import errors
from allas_tui.storage.sharing import BucketAccess, Sharing, object_path, site_root
from allas_tui.storage.swift_segments import segment_container

if TYPE_CHECKING:
    from allas_tui.storage.swift_connections import SwiftConnections

PUBLIC_ENTRIES = (".r:*", ".rlistings")
"""Read by anyone, and listed by anyone."""
TEMP_URL_KEY = "x-account-meta-temp-url-key"
LINK_DIGESTS = ("sha256", "sha1")
"""Tried in turn: OpenStack Swift takes SHA-256; radosgw only SHA-1."""

ErrorScope = Callable[..., AbstractContextManager[None]]


def acl_entries(value: str | None) -> list[str]:
    """A container ACL header as its entries."""
    return [e.strip() for e in (value or "").split(",") if e.strip()]


def _project_of(entry: str) -> str | None:
    """The project of a `project:user` entry; None for referrer entries."""
    if entry.startswith(".") or ":" not in entry:
        return None
    return entry.split(":", 1)[0]


class SwiftSharing(Sharing):
    """Container ACLs and temp URLs through one Swift login."""

    can_grant = True

    def __init__(
        self,
        connections: SwiftConnections,
        storage_url: Callable[[], str],
        errors_for: ErrorScope,
        verify: str | bool | None,
    ) -> None:
        super().__init__(verify)
        self._connections = connections
        self._storage_url = storage_url
        self._errors = errors_for

    def _acls(self, bucket: str) -> tuple[list[str], list[str]]:
        with self._errors("read the access rules of", bucket):
            headers = self._connections.get().head_container(bucket)
        return (
            acl_entries(headers.get("x-container-read")),
            acl_entries(headers.get("x-container-write")),
        )

    def access(self, bucket: str) -> BucketAccess:
        read, write = self._acls(bucket)
        return BucketAccess(
            public=".r:*" in read,
            readers=tuple(p for e in read if (p := _project_of(e))),
            writers=tuple(p for e in write if (p := _project_of(e))),
        )

    def _change(
        self, bucket: str, change: Callable[[list[str], list[str]], tuple[list[str], list[str]]]
    ) -> list[str]:
        """Apply `change` to the ACLs of `bucket` and of its segment bucket, if any."""
        changed = []
        for name in (bucket, segment_container(bucket)):
            try:
                read, write = self._acls(name)
            except errors.NotFound:
                if name == bucket:
                    raise
                continue
            new_read, new_write = change(read, write)
            headers = {
                "X-Container-Read": ",".join(new_read),
                "X-Container-Write": ",".join(new_write),
            }
            with self._errors("change the access rules of", name):
                self._connections.get().post_container(name, headers)
            changed.append(name)
        return changed

    def set_public(self, bucket: str, public: bool) -> list[str]:
        def change(read: list[str], write: list[str]) -> tuple[list[str], list[str]]:
            kept = [e for e in read if e not in PUBLIC_ENTRIES]
            return ([*kept, *PUBLIC_ENTRIES] if public else kept), write

        return self._change(bucket, change)

    def grant(self, bucket: str, project: str, write: bool) -> list[str]:
        entry = f"{project}:*"

        def change(read: list[str], writers: list[str]) -> tuple[list[str], list[str]]:
            read = read if entry in read else [*read, entry]
            if write and entry not in writers:
                writers = [*writers, entry]
            return read, writers

        return self._change(bucket, change)

    def revoke(self, bucket: str, project: str) -> list[str]:
        def change(read: list[str], write: list[str]) -> tuple[list[str], list[str]]:
            return (
                [e for e in read if _project_of(e) != project],
                [e for e in write if _project_of(e) != project],
            )

        return self._change(bucket, change)

    def object_url(self, bucket: str, key: str) -> str:
        return self._storage_url().rstrip("/") + object_path(bucket, key)

    def public_url_candidates(self, bucket: str, key: str) -> list[str]:
        # Allas (radosgw) serves public objects at https://a3s.fi/<bucket>/<key>
        return [
            site_root(self._storage_url()) + object_path(bucket, key),
            self.object_url(bucket, key),
        ]

    def _link_key(self) -> str | None:
        with self._errors("read the temp-URL key of"):
            headers = self._connections.get().head_account()
        return headers.get(TEMP_URL_KEY) or None

    def link_needs_key(self) -> bool:
        return self._link_key() is None

    def make_link_key(self) -> None:
        with self._errors("set the temp-URL key of"):
            self._connections.get().post_account({TEMP_URL_KEY: secrets.token_hex(32)})

    def link(self, bucket: str, key: str, seconds: int) -> str:
        secret = self._link_key()
        if secret is None:
            raise errors.StorageError(
                "The project has no temp-URL key, so no link can be signed.",
                hint="Let allas-tui set one when it asks.",
            )
        url = self.object_url(bucket, key)
        root, path = site_root(url), url[len(site_root(url)) :]
        for digest in LINK_DIGESTS:
            signed = root + str(generate_temp_url(path, seconds, secret, "GET", digest=digest))
            if self.readable_without_login(signed):
                return signed
        raise errors.StorageError(
            f"The server refused every temp URL signed for {key!r}.",
            hint="Its tempurl middleware may be off, or take other digests.",
        )
