"""Deleting many plain Swift objects: with the bulk-delete middleware where the
server offers it (one request per 10,000 names on Swift, 1,000 on radosgw),
otherwise one DELETE per object, several at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from allas_tui.storage import errors
from allas_tui.storage.models import DeleteReport
from allas_tui.storage.swift_connections import SwiftConnections

T = TypeVar("T")
ErrorScope = Callable[..., AbstractContextManager[None]]
"""The backend's `_errors(action, bucket, key)`: turns failures into StorageErrors."""
DEFAULT_BULK_LIMIT = 1000
"""Names per bulk request when /info does not say (radosgw's advertises no limit)."""


def map_parallel(fn: Callable[..., T], args: list[tuple[Any, ...]], workers: int) -> list[T]:
    """`fn(*a)` for every `a` in `args`, `workers` at a time, results in order."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="allas-swift") as pool:
        return list(pool.map(lambda a: fn(*a), args))


class PlainDeleter:
    """Deletes objects that are not large-object manifests."""

    def __init__(self, connections: SwiftConnections, error_scope: ErrorScope) -> None:
        self.connections = connections
        self.error_scope = error_scope
        self._bulk_limit: int | None = None

    def delete(self, container: str, names: list[str]) -> DeleteReport:
        """Delete `names` from `container`; an already missing name counts as deleted."""
        limit = self.bulk_limit()
        if limit == 0:
            return self._one_by_one(container, names)
        deleted = 0
        failed: dict[str, str] = {}
        for start in range(0, len(names), limit):
            batch = names[start : start + limit]
            # one URL-quoted path a line, so names with newlines are safe too
            body = "\n".join(quote(f"/{container}/{name}") for name in batch)
            with self.error_scope("delete objects in", container):
                _, raw = self.connections.get().post_account(
                    headers={"Accept": "application/json", "Content-Type": "text/plain"},
                    query_string="bulk-delete",
                    data=body.encode(),
                )
            result = json.loads(raw)
            errs = {
                unquote(path).lstrip("/").removeprefix(f"{container}/"): status
                for path, status in result.get("Errors", [])
            }
            failed.update(errs)
            deleted += len(batch) - len(errs)
        return DeleteReport(deleted, failed)

    def _one_by_one(self, container: str, names: list[str]) -> DeleteReport:
        def delete(name: str) -> str | None:
            try:
                with self.error_scope("delete", container, name):
                    self.connections.get().delete_object(container, name)
            except errors.NotFound:
                return None  # already gone is as good as deleted
            except errors.StorageError as exc:
                return str(exc)
            return None

        workers = self.connections.settings.chunks_at_once
        outcomes = map_parallel(delete, [(n,) for n in names], workers)
        failed = {n: why for n, why in zip(names, outcomes, strict=True) if why}
        return DeleteReport(len(names) - len(failed), failed)

    def bulk_limit(self) -> int:
        """Deletes per bulk request the server takes; 0 when it has no bulk delete."""
        if self._bulk_limit is None:
            try:
                bulk = self.connections.get().get_capabilities().get("bulk_delete")
            except Exception:  # /info is optional in Swift; without it, delete one by one
                bulk = None
            self._bulk_limit = (
                0 if bulk is None else int(bulk.get("max_deletes_per_request", DEFAULT_BULK_LIMIT))
            )
        return self._bulk_limit
