"""What the operation keys do: each is a flow of dialogs and thread workers.

Flows run as async workers on the app, never on a modal screen, so closing a
dialog cannot cancel work in progress. Blocking calls go through
`AllasApp.in_thread`, whose failures reach the one error handler.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.filesize import decimal
from rich.text import Text

from allas_tui.storage.bucket_names import check_bucket_name
from allas_tui.storage.errors import InvalidBucketName
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.planning import (
    TransferPlan,
    existing_local,
    existing_remote,
    plan_downloads,
    plan_uploads,
)
from allas_tui.ui.deleting import DeleteFlow
from allas_tui.ui.location import Location
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.screens.details import DetailsScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.screens.upload_dialog import PathSuggester, UploadDialog
from allas_tui.ui.selection import Selection, current_selection, name_list
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.ui.widgets.object_table import ObjectTable
from allas_tui.ui.widgets.transfer_panel import TransferPanel

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

OVERWRITE = Choice(("o",), "o: overwrite them", "overwrite")
SKIP = Choice(("s",), "s: skip them", "skip")


def bucket_name_problem(name: str) -> str | None:
    """Why `name` cannot be a bucket name, or None."""
    try:
        check_bucket_name(name)
    except InvalidBucketName as exc:
        return str(exc)
    return None


class Operations:
    """The flows behind n, o, u, d, x, i and q."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app
        self.deleting = DeleteFlow(app)
        self._reported_all_done = True

    def start(self, name: str, flow: Callable[[], Awaitable[None]]) -> None:
        """Run `flow` as a named async worker; a stopped flow ends quietly."""
        from allas_tui.ui.app import FlowStopped

        async def run() -> None:
            with contextlib.suppress(FlowStopped):
                await flow()

        self.app.run_worker(run(), name=name, group="flows", exit_on_error=False)

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

    # -- transfers -----------------------------------------------------------------
    async def upload(self) -> None:
        """Pick local files or directories and queue them into the current folder."""
        app = self.app
        location = app.location
        if app.backend is None or app.queue is None:
            return
        if location.bucket is None:
            app.notify("Open a bucket first (or press n to create one).", severity="warning")
            return
        bucket, prefix = location.bucket, location.prefix
        paths = await app.push_screen_wait(UploadDialog(location.label, Path.cwd()))
        if not paths:
            return
        backend = app.backend

        def plan() -> tuple[TransferPlan, list[TransferJob]]:
            planned = plan_uploads(paths, bucket, prefix)
            return planned, existing_remote(backend, planned.jobs)

        planned, present = await app.in_thread(plan, "plan upload")
        what = f"objects already exist in {visible(location.label)}"
        jobs = await self._resolve_conflicts(
            "Replace objects?", what, planned.jobs, present, [j.key for j in present]
        )
        if jobs is not None:
            self._queue(jobs, planned.skipped, "upload")

    async def download(self) -> None:
        """Ask where to, then queue the marked rows (or the cursor row)."""
        app = self.app
        selection = self._selection()
        if app.backend is None or not selection.rows:
            app.notify("Nothing to download here.", severity="warning")
            return
        if selection.location.bucket is None and any(
            r.kind is not RowKind.BUCKET for r in selection.rows
        ):
            return
        dest_text = await app.push_screen_wait(
            PromptScreen(
                "Download",
                Text(f"{selection.describe()}\ninto this local directory (created if missing):"),
                value=f"{Path.cwd()}/",
                check=_directory_problem,
                suggester=PathSuggester(),
            )
        )
        if not dest_text:
            return
        dest = Path(dest_text).expanduser()
        backend = app.backend
        sources = selection.download_sources(dest)

        def plan() -> tuple[list[TransferPlan], list[TransferJob]]:
            plans = [plan_downloads(backend, *source) for source in sources]
            return plans, existing_local(j for p in plans for j in p.jobs)

        plans, present = await app.in_thread(plan, "plan download")
        skipped = {k: v for p in plans for k, v in p.skipped.items()}
        names = [str(j.local_path) for j in present]
        all_jobs = [j for p in plans for j in p.jobs]
        jobs = await self._resolve_conflicts(
            "Replace local files?", "files already exist", all_jobs, present, names
        )
        if jobs is not None:
            self._queue(jobs, skipped, "download")

    async def _resolve_conflicts(
        self,
        title: str,
        what: str,
        jobs: list[TransferJob],
        present: list[TransferJob],
        names: list[str],
    ) -> list[TransferJob] | None:
        """Ask whether to replace what exists: the jobs to run (those in
        `present` marked to overwrite, or left out), or None when cancelled."""
        if not present:
            return jobs
        body = Text(
            f"{len(present)} of {len(jobs)} {what} and would be replaced:\n{name_list(names)}"
        )
        answer = await self.app.push_screen_wait(ConfirmScreen(title, body, [OVERWRITE, SKIP]))
        if answer == "cancel":
            return None
        if answer == "skip":
            skip = {id(j) for j in present}
            return [j for j in jobs if id(j) not in skip]
        for job in present:
            job.overwrite = True
        return jobs

    def _queue(self, jobs: list[TransferJob], skipped: dict[str, str], verb: str) -> None:
        app = self.app
        if skipped:
            lines = "\n".join(f"{visible(k)}: {v}" for k, v in list(skipped.items())[:5])
            app.notify(f"{len(skipped)} skipped:\n{lines}", severity="warning", markup=False)
        if not jobs or app.queue is None:
            app.notify(f"Nothing to {verb}.", severity="warning")
            return
        app.queue.add(jobs)
        self._reported_all_done = False
        app.query_one(TransferPanel).display = True
        size = decimal(sum(j.size for j in jobs))
        app.set_status(f"Queued {len(jobs)} {verb}s ({size})")

    def poll_transfers(self) -> None:
        """Report finished transfers; refresh the listing when uploads land here."""
        app = self.app
        if app.queue is None:
            return
        finished = app.queue.take_finished()
        for job in finished:
            if job.state is JobState.FAILED:
                app.report_error(job.error, "transfers")
        if any(
            j.direction is Direction.UPLOAD
            and j.state is JobState.DONE
            and j.bucket == app.location.bucket
            for j in finished
        ) and not any(
            j.direction is Direction.UPLOAD and not j.state.finished for j in app.queue.jobs
        ):
            app.open_location(app.location, return_to=_cursor_key(app))
        if not self._reported_all_done and app.queue.active_count == 0:
            self._reported_all_done = True
            jobs = app.queue.jobs
            failed = sum(j.state is JobState.FAILED for j in jobs)
            done = sum(j.state is JobState.DONE for j in jobs)
            app.set_status(f"Transfers finished: {done} done, {failed} failed")

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
                f"{active} transfers are still running or queued. Quitting cancels them:\n"
                "partial downloads are removed and unfinished uploads are cleaned up."
            )
            quit_choice = Choice(("y", "enter"), "y / Enter: quit and cancel", "quit")
            answer = await app.push_screen_wait(
                ConfirmScreen("Quit allas-tui?", body, [quit_choice])
            )
            if answer != "quit":
                return
        app.exit(0)


def _directory_problem(value: str) -> str | None:
    path = Path(value.strip()).expanduser()
    if path.exists() and not path.is_dir():
        return f"{visible(str(path))} is a file, not a directory."
    return None


def _cursor_key(app: AllasApp) -> str | None:
    row = app.query_one(ObjectTable).current_row
    return row.key if row else None
