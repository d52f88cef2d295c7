"""Deleting objects, folders and buckets: count exactly what would go, say so,
and only then delete, with progress in the status line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.filesize import decimal
from rich.text import Text

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import StorageError
from allas_tui.storage.models import DeleteReport
from allas_tui.ui.location import Location
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.selection import Selection, name_list
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.wording import count

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

BATCH = 1000
"""Keys per delete request (the S3 maximum); progress moves a batch at a time."""
CONFIRM = Choice(("y", "enter"), "y / Enter: delete", "delete")
DELETE_ALL = Choice(("a",), "a: delete all objects, then the bucket", "delete-all")


@dataclass
class Doomed:
    """Everything one bucket would lose: keys with sizes, and whether the bucket goes too."""

    bucket: str
    keys: list[str] = field(default_factory=list)
    bytes: int = 0
    whole_bucket: bool = False


@dataclass
class DeleteProgress:
    """Counters the delete worker adds to and the status timer reads."""

    total: int = 0
    done: int = 0
    failed: dict[str, str] = field(default_factory=dict)


class DeleteFlow:
    """The `x` key: count, confirm, delete."""

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
        doomed = await app.in_thread(lambda: count_doomed(backend, selection), "count")
        body, choices = confirmation(doomed)
        app.set_status("Waiting for your answer: nothing is deleted yet.")
        title = "Delete buckets?" if doomed[0].whole_bucket else "Delete objects?"
        answer = await app.push_screen_wait(ConfirmScreen(title, body, choices))
        if answer == "cancel":
            app.set_status("Nothing was deleted.")
            return
        self.progress = DeleteProgress(total=sum(len(d.keys) for d in doomed))
        timer = app.set_interval(0.2, self._show_progress)
        try:
            await app.in_thread(lambda: self._delete(backend, doomed), "delete", group="delete")
        finally:
            timer.stop()
        self._report(doomed)
        keep = app.location
        gone = {d.bucket for d in doomed if d.whole_bucket}
        if keep.bucket in gone:
            keep = Location()
        app.open_location(keep)

    def _show_progress(self) -> None:
        p = self.progress
        self.app.set_status(f"Deleting... {p.done:,} of {p.total:,} objects")

    def _delete(self, backend: StorageBackend, doomed: list[Doomed]) -> None:
        for item in doomed:
            for start in range(0, len(item.keys), BATCH):
                report: DeleteReport = backend.delete_objects(
                    item.bucket, item.keys[start : start + BATCH]
                )
                self.progress.done += report.deleted + len(report.failed)
                self.progress.failed.update(report.failed)
            if item.whole_bucket and not self.progress.failed:
                backend.delete_bucket(item.bucket)

    def _report(self, doomed: list[Doomed]) -> None:
        p = self.progress
        buckets = [d.bucket for d in doomed if d.whole_bucket]
        if p.failed:
            first = next(iter(p.failed.items()))
            self.app.report_error(
                StorageError(
                    f"{len(p.failed)} of {p.total} objects were not deleted; "
                    f"first: {visible(first[0])}: {first[1]}"
                )
            )
            return
        gone = f"Deleted {p.done:,} objects"
        if buckets:
            gone += " and bucket " + ", ".join(visible(b) for b in buckets)
        self.app.set_status(gone)
        self.app.notify(gone, markup=False)


def count_doomed(backend: StorageBackend, selection: Selection) -> list[Doomed]:
    """List everything the selection covers: objects, all under folders, or whole buckets."""
    bucket = selection.location.bucket
    if bucket is None:
        found = []
        for row in selection.rows:
            item = Doomed(row.key, whole_bucket=True)
            _add_everything_under(backend, item, "")
            found.append(item)
        return found
    item = Doomed(bucket)
    for row in selection.rows:
        if row.kind is RowKind.OBJECT:
            item.keys.append(row.key)
            size = row.size
            item.bytes += backend.head_object(bucket, row.key).size if size is None else size
        else:
            _add_everything_under(backend, item, row.key)
    return [item]


def _add_everything_under(backend: StorageBackend, item: Doomed, prefix: str) -> None:
    for page in backend.iter_pages(item.bucket, prefix):
        for obj in page.objects:
            item.keys.append(obj.key)
            # a radosgw SLO lists with its manifest's size; the HEAD tells the real one
            known = obj.size_known
            item.bytes += obj.size if known else backend.head_object(item.bucket, obj.key).size


def confirmation(doomed: list[Doomed]) -> tuple[Text, list[Choice]]:
    """The text that says exactly what goes, and the choices to offer."""
    if doomed[0].whole_bucket:
        lines = []
        for item in doomed:
            state = "empty"
            if item.keys:
                state = f"{count(len(item.keys), 'object')}, {decimal(item.bytes)}"
            lines.append(f"  bucket {visible(item.bucket)}: {state}")
        full = [d for d in doomed if d.keys]
        if not full:
            return Text("These buckets will be deleted:\n" + "\n".join(lines)), [CONFIRM]
        objects = sum(len(d.keys) for d in full)
        text = (
            "These buckets are not empty:\n"
            + "\n".join(lines)
            + f"\n\nPress a to delete all {objects:,} objects, then the buckets."
            "\nThis cannot be undone."
        )
        return Text(text), [DELETE_ALL]
    item = doomed[0]
    if not item.keys:
        return Text("There is nothing to delete: the folders are empty."), []
    text = (
        f"Delete {len(item.keys):,} objects ({decimal(item.bytes)}) "
        f"from bucket {visible(item.bucket)}:\n{name_list(item.keys)}\n\n"
        "Segments of large objects go with them. This cannot be undone."
    )
    return Text(text), [CONFIRM]
