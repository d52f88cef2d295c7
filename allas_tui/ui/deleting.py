"""Deleting objects, folders and buckets: count exactly what would go, say so,
and only then delete, with progress, a way to stop, and a report that says
exactly what went and what stayed."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.filesize import decimal

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import StorageError
from allas_tui.ui.delete_plan import WITH_SEGMENTS, Doomed, confirmation, count_doomed
from allas_tui.ui.delete_report import leftovers, write_report
from allas_tui.ui.location import Location
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.delete_progress import DeleteProgressScreen
from allas_tui.ui.selection import Selection
from allas_tui.wording import count

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

BATCH = 1000
"""Keys per delete request (the S3 maximum); progress moves, and a stop takes
effect, a batch at a time."""


@dataclass
class DeleteProgress:
    """Counters the delete worker adds to and the progress screen reads."""

    total: int = 0
    total_bytes: int = 0
    done: int = 0
    done_bytes: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    """`bucket/key` → why, for objects the server would not delete."""
    stop: threading.Event = field(default_factory=threading.Event)
    stopped_by: StorageError | None = None
    """The fault that ended the delete early, if one did."""
    buckets_deleted: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.done:,} of {self.total:,} objects "
            f"({decimal(self.done_bytes)} of {decimal(self.total_bytes)})"
        )

    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return not (self.failed or self.stopped_by or self.stop.is_set())


class DeleteFlow:
    """The `x` key: count, confirm, delete, report."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app
        self.progress = DeleteProgress()

    async def run(self, selection: Selection) -> None:
        """Delete the selection after the user confirms exactly what goes."""
        app = self.app
        backend = app.backend
        if backend is None or not selection.rows:
            app.notify("Nothing to delete here.", severity="warning")
            return
        app.set_status("Counting what would be deleted...")
        known = [b.name for b in app.buckets]
        plan = await app.in_thread(lambda: count_doomed(backend, selection, known), "count")
        body, choices = confirmation(plan)
        app.set_status("Waiting for your answer: nothing is deleted yet.")
        title = "Delete buckets?" if plan.doomed[0].whole_bucket else "Delete objects?"
        answer = await app.push_screen_wait(ConfirmScreen(title, body, choices))
        if answer == "cancel":
            app.set_status("Nothing was deleted.")
            return
        doomed = plan.chosen(with_companions=answer == WITH_SEGMENTS.value)
        await self._delete_with_progress(backend, doomed)
        keep = app.location
        if keep.bucket in self.progress.buckets_deleted:
            keep = Location()
        app.open_location(keep)

    async def _delete_with_progress(self, backend: StorageBackend, doomed: list[Doomed]) -> None:
        app = self.app
        p = self.progress = DeleteProgress(
            total=sum(len(d.keys) for d in doomed), total_bytes=sum(d.bytes for d in doomed)
        )
        screen = DeleteProgressScreen("Deleting", p.describe, p.fraction, p.stop.set)
        await app.push_screen(screen)
        try:
            await app.in_thread(lambda: delete_all(backend, doomed, p), "delete", group="delete")
            if p.complete:
                self._report_done()
                return
            app.set_status("Checking what is left...")
            left = await app.in_thread(lambda: leftovers(backend, doomed), "check what is left")
            path = await app.in_thread(lambda: write_report(doomed, left, p), "write report")
            self._report_partial(doomed, left, path)
        finally:
            screen.dismiss()

    def _report_done(self) -> None:
        p = self.progress
        gone = f"Deleted {count(p.done, 'object')}, {decimal(p.done_bytes)}"
        if p.buckets_deleted:
            gone += "; and " + ", ".join(f"bucket {visible(b)}" for b in p.buckets_deleted)
        self.app.set_status(gone)
        self.app.notify(gone, markup=False)

    def _report_partial(self, doomed: list[Doomed], left: dict[str, set[str]], path: str) -> None:
        p = self.progress
        stayed = sum(len(keys) for keys in left.values())
        stayed_bytes = sum(
            size
            for d in doomed
            for k, size in zip(d.keys, d.sizes, strict=True)
            if k in left[d.bucket]
        )
        gone = p.total - stayed
        why = _why_it_ended(p)
        kept = [d.bucket for d in doomed if d.whole_bucket and d.bucket not in p.buckets_deleted]
        message = (
            f"The delete ended early because {why}.\n"
            f"Deleted {count(gone, 'object')} ({decimal(p.total_bytes - stayed_bytes)}); "
            f"not deleted: {count(stayed, 'object')} ({decimal(stayed_bytes)})."
        )
        if kept:
            message += " Kept: " + ", ".join(f"bucket {visible(b)}" for b in kept) + "."
        message += f"\nEvery name, deleted or not, is listed in {path}"
        self.app.set_status(message.splitlines()[0])
        self.app.notify(message, title="Delete", severity="warning", timeout=30, markup=False)


def _why_it_ended(p: DeleteProgress) -> str:
    if p.stop.is_set():
        return "you stopped it"
    if p.stopped_by is not None:
        return f"of an error: {p.stopped_by}"
    first_key, first_why = next(iter(p.failed.items()))
    return (
        f"{count(len(p.failed), 'object')} could not be deleted "
        f"(first: {visible(first_key)}: {first_why})"
    )


def delete_all(backend: StorageBackend, doomed: list[Doomed], progress: DeleteProgress) -> None:
    """Delete every doomed object a batch at a time, then the whole buckets
    that are empty; stop between batches when asked, or at the first fault."""
    for item in doomed:
        for start in range(0, len(item.keys), BATCH):
            if progress.stop.is_set():
                return
            keys = item.keys[start : start + BATCH]
            try:
                report = backend.delete_objects(item.bucket, keys)
            except StorageError as exc:
                progress.stopped_by = exc
                return
            failed = {f"{item.bucket}/{key}": why for key, why in report.failed.items()}
            progress.failed.update(failed)
            sizes = item.sizes[start : start + BATCH]
            progress.done += len(keys)
            progress.done_bytes += sum(
                s for k, s in zip(keys, sizes, strict=True) if k not in report.failed
            )
        if item.whole_bucket and not progress.failed:
            try:
                backend.delete_bucket(item.bucket)
            except StorageError as exc:
                progress.stopped_by = exc
                return
            progress.buckets_deleted.append(item.bucket)
