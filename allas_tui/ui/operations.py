"""What the operation keys do: each is a flow of dialogs and thread workers.

Flows run as async workers on the app, never on a modal screen, so closing a
dialog cannot cancel work in progress. Blocking calls go through
`AllasApp.in_thread`, whose failures reach the one error handler.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from rich.filesize import decimal
from rich.text import Text
from textual.worker import Worker

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.bucket_names import check_bucket_name
from allas_tui.storage.errors import InvalidBucketName, NotSupported
from allas_tui.storage.limits import AllasLimits
from allas_tui.storage.mixing import (
    DOWNLOAD_ADVICE,
    IN_PLACE_ADVICE,
    download_caveat,
    in_place_caveat,
)
from allas_tui.storage.object_heads import refine_by_listing
from allas_tui.ui.copy_move import CopyMoveFlow
from allas_tui.ui.copying import copy_flow
from allas_tui.ui.deleting import DeleteFlow
from allas_tui.ui.location import Location
from allas_tui.ui.previewing import PREVIEW_BYTES, Preview, as_text
from allas_tui.ui.project_info import ProjectInfo
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.screens.details import DetailsScreen
from allas_tui.ui.screens.metadata import MetadataScreen
from allas_tui.ui.screens.preview import PreviewScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.selection import Selection, current_selection
from allas_tui.ui.sharing import SharingFlow
from allas_tui.ui.transfer_flows import TransferFlows
from allas_tui.ui.widgets.object_rows import Row, RowKind
from allas_tui.ui.widgets.object_table import ObjectTable
from allas_tui.wording import count

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp


def bucket_name_problem(name: str) -> str | None:
    """Why `name` cannot be a bucket name, or None."""
    try:
        check_bucket_name(name)
    except InvalidBucketName as exc:
        return str(exc)
    return None


class Operations:
    """The flows behind n, o, u, d, x, i and q."""

    def __init__(self, app: AllasApp, limits: AllasLimits) -> None:
        self.app = app
        self.project = ProjectInfo(app, limits)
        self.deleting = DeleteFlow(app)
        self.transfers = TransferFlows(app)
        self.sharing = SharingFlow(app)
        self.copying = CopyMoveFlow(app)

    def start(self, name: str, flow: Callable[[], Awaitable[None]]) -> Worker[None]:
        """Run `flow` as a named async worker; a stopped flow ends quietly."""
        from allas_tui.ui.app import FlowStopped

        async def run() -> None:
            with contextlib.suppress(FlowStopped):
                await flow()

        # the function, not a coroutine: a flow started as the app closes never runs,
        # and an unawaited coroutine would be left behind
        return self.app.run_worker(run, name=name, group="flows", exit_on_error=False)

    def _selection(self) -> Selection:
        return current_selection(self.app)

    # -- buckets ---------------------------------------------------------------
    async def new_bucket(self) -> None:
        """Ask for a name, checked as typed, and create the bucket."""
        app = self.app
        if app.backend is None:
            return
        existing = {b.name for b in app.buckets}

        def problem(name: str) -> str | None:
            if name in existing:
                return f"{name!r} already exists in this project."
            return bucket_name_problem(name)

        explanation = (
            "Bucket names are public and shared by every Allas project: 3-63 letters,\n"
            "digits, '.', '-' or '_'. A project number prefix keeps them unique,\n"
            "for example 2001234-results."
        )
        name = await app.push_screen_wait(PromptScreen("New bucket", explanation, check=problem))
        if not name:
            return
        backend = app.backend
        await app.in_thread(lambda: backend.create_bucket(name), f"create bucket {name}")
        app.notify(f"Created bucket {visible(name)}", markup=False)
        app.open_location(Location(), return_to=name)

    async def open_by_name(self) -> None:
        """Open a bucket the listing does not show, such as one shared with us."""
        name = await self.app.push_screen_wait(
            PromptScreen(
                "Open a bucket by name",
                "Buckets shared by other projects are not listed; type the name to open one.",
                check=bucket_name_problem,
            )
        )
        if name:
            self.app.open_location(Location(name))

    async def find(self) -> None:
        """Ask for a pattern, then list what matches anywhere under the folder."""
        app = self.app
        here = app.location
        row = self._selection().cursor
        if here.bucket is None:
            if row is None or row.kind is not RowKind.BUCKET:
                app.notify("Open a bucket, or put the cursor on one, to search it.")
                return
            here = Location(row.key)
        pattern = await app.push_screen_wait(
            PromptScreen(
                f"Find in {visible(here.bucket or '')}/{visible(here.prefix)}",
                "Names anywhere under this folder: a pattern such as *.fastq.gz or\n"
                "run0?/*.bam, or any part of a name. Case is ignored.",
                value=here.pattern,
                check=lambda text: None if text.strip() else "Type a pattern.",
            )
        )
        if pattern:
            app.open_location(Location(here.bucket, here.prefix, pattern.strip()))

    def _cursor_object(self, to_do: str) -> tuple[StorageBackend, str, Row] | None:
        """The backend, bucket and row of the cursor object; None, having said
        so, when the cursor is on no object."""
        app, selection = self.app, self._selection()
        row, bucket = selection.cursor, selection.location.bucket
        if app.backend is None or row is None or bucket is None or row.kind is not RowKind.OBJECT:
            app.notify(f"Put the cursor on an object to {to_do}.", severity="warning")
            return None
        return app.backend, bucket, row

    async def preview(self) -> None:
        """The first bytes of the cursor object, as text or hex."""
        app, found = self.app, self._cursor_object("preview it")
        if found is None:
            return
        backend, bucket, row = found
        key = row.key
        head, data = await app.in_thread(
            lambda: backend.read_start(bucket, key, PREVIEW_BYTES), f"preview {visible(key)}"
        )
        text = as_text(data, cut=len(data) < head.size)
        await app.push_screen_wait(PreviewScreen(key, Preview(data, head.size, text)))

    async def edit_metadata(self) -> None:
        """Edit the cursor object's content type and user metadata."""
        app, found = self.app, self._cursor_object("edit its metadata")
        if found is None:
            return
        backend, bucket, row = found
        key = row.key
        head = await app.in_thread(lambda: backend.head_object(bucket, key), "head")
        head = refine_by_listing(head, -1 if row.size is None else row.size)
        caveat = in_place_caveat(backend.protocol, head.kind)
        if caveat:
            app.report_error(NotSupported(f"{visible(key)}: {caveat}.", hint=IN_PLACE_ADVICE))
            return
        screen = MetadataScreen(key, head.content_type or "", dict(head.metadata))
        edit = await app.push_screen_wait(screen)
        if edit is None:
            return
        await app.in_thread(
            lambda: backend.update_metadata(bucket, key, edit.metadata, edit.content_type),
            f"update metadata of {visible(key)}",
        )
        app.notify(f"Saved the metadata of {visible(key)}", markup=False)

    async def share(self) -> None:
        """Who may read the bucket at hand, and what to share."""
        await self.sharing.run(self._selection())

    async def copy(self) -> None:
        """Copy the cursor row's key, path or URL to the clipboard."""
        await copy_flow(self.app, self._selection())

    async def copy_objects(self) -> None:
        """Copy the marked rows, or the cursor row, server-side."""
        await self.copying.run(self._selection(), move=False)

    async def move_objects(self) -> None:
        """Move or rename the marked rows, or the cursor row, server-side."""
        await self.copying.run(self._selection(), move=True)

    # -- transfers -----------------------------------------------------------------
    async def upload(self) -> None:
        """Pick local files or directories and queue them into the current folder."""
        await self.transfers.upload()

    async def download(self) -> None:
        """Ask where to, then queue the marked rows (or the cursor row)."""
        await self.transfers.download(self._selection())

    def poll_transfers(self) -> None:
        """Report ended transfers, ask pending questions; on the app's timer."""
        self.transfers.poll()

    # -- delete, details, quit ----------------------------------------------------
    async def delete(self) -> None:
        """Confirm exactly what goes, then delete it."""
        await self.deleting.run(self._selection())

    def details(self) -> None:
        """Every header and metadata item of the cursor row."""
        self.start("details", self._details)

    async def _details(self) -> None:
        app = self.app
        selection = self._selection()
        row = selection.cursor
        if row is None or app.backend is None:
            return
        bucket = selection.location.bucket
        if row.kind is RowKind.OBJECT and bucket is not None:
            backend = app.backend
            head = await app.in_thread(lambda: backend.head_object(bucket, row.key), "head")
            head = refine_by_listing(head, -1 if row.size is None else row.size)
            summary = {
                "Bucket": bucket,
                "Key": head.key,
                "Size": f"{decimal(head.size)} ({head.size:,} bytes)",
                "Kind": head.kind.value,
                "Last modified": str(head.last_modified or "-"),
                "ETag": head.etag or "-",
                "Content type": head.content_type or "-",
            }
            if head.manifest:
                summary["Segments under"] = head.manifest
            caveat = download_caveat(backend.protocol, head.kind)
            if caveat:
                summary["Downloads"] = f"{caveat}. {DOWNLOAD_ADVICE}"
            sections = {"Object": summary, "Metadata": dict(head.metadata)}
            sections["Headers"] = dict(head.headers)
            await app.push_screen_wait(DetailsScreen(f"{bucket}/{head.key}", sections))
            return
        if row.kind is RowKind.FOLDER:
            folder = {"Bucket": bucket or "", "Prefix": row.key}
            note = {"": "A pseudo-folder is a shared prefix of keys; it has no headers."}
            await app.push_screen_wait(DetailsScreen(row.key, {"Folder": folder, "Note": note}))
            return
        backend = app.backend
        headers = await app.in_thread(lambda: backend.bucket_headers(row.key), "head bucket")
        info = next((b for b in app.buckets if b.name == row.key), None)
        items = {"Name": row.key}
        if info is not None:
            items["Objects"] = "-" if info.object_count is None else f"{info.object_count:,}"
            items["Size"] = "-" if info.bytes_used is None else decimal(info.bytes_used)
            items["Created"] = str(info.created or "-")
        sections = {"Bucket": items, "Headers": headers}
        await app.push_screen_wait(DetailsScreen(row.key, sections))

    async def quit(self) -> None:
        """Quit; if transfers run, say what quitting does to them first."""
        app = self.app
        active = app.queue.active_count if app.queue else 0
        if active:
            body = Text(
                f"{count(active, 'transfer')} still running or queued. Quitting stops them where\n"
                "they are; the next start offers to resume them (or run allas-tui resume --no-ui)."
            )
            copies = app.queue.server_side_count if app.queue else 0
            if copies:
                body.append(
                    f"\n{count(copies, 'server-side copy or move', 'server-side copies or moves')}"
                    " of them will not be resumed: what they copied\nis cleaned up, "
                    "their sources stay, and they can simply be run again."
                )
            quit_choice = Choice(("y", "enter"), "y / Enter: quit now, resume later", "quit")
            answer = await app.push_screen_wait(
                ConfirmScreen("Quit allas-tui?", body, [quit_choice])
            )
            if answer != "quit":
                return
        app.exit(0)


def cursor_key(app: AllasApp) -> str | None:
    """The key of the object table's cursor row, to return to after a refresh."""
    row = app.query_one(ObjectTable).current_row
    return row.key if row else None
