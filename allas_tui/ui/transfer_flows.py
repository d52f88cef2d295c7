"""The transfer keys' flows: what to upload or download and where, the
conflict policy asked once per batch, reports as jobs end, and the offer to
resume what an earlier session left unfinished."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.filesize import decimal
from rich.text import Text

from allas_tui.storage.backend import StorageBackend
from allas_tui.transfers.batches import Batch
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.journal import Journal, account_key
from allas_tui.transfers.queue import TransferQueue
from allas_tui.ui.mixing_guard import download_goes_ahead
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.screens.upload_dialog import PathSuggester, UploadDialog
from allas_tui.ui.selection import Selection, name_list
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.ui.widgets.transfer_panel import TransferPanel
from allas_tui.wording import count

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

POLICY_CHOICES = [
    Choice(("o",), "o: overwrite them", "overwrite"),
    Choice(("s",), "s: skip them", "skip"),
    Choice(
        ("i",),
        "i: skip identical ones (same size and checksum), replace the rest",
        "skip-identical",
    ),
    Choice(("k",), "k: keep both (the new one gets a name like 'file (1).txt')", "keep-both"),
]
RESUME = Choice(("r", "enter"), "r / Enter: resume them", "resume")
DISCARD = Choice(("d",), "d: discard them (and clean up what they left)", "discard")


class TransferFlows:
    """Upload, download, the batch's conflict question and the resume offer."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app
        self._asking = False
        self._reported_all_done = True

    async def upload(self) -> None:
        """Pick local files or directories and queue them into the current folder."""
        app = self.app
        location = app.location
        if app.queue is None:
            return
        if location.bucket is None:
            app.notify("Open a bucket first (or press n to create one).", severity="warning")
            return
        paths = await app.push_screen_wait(UploadDialog(location.label, Path.cwd()))
        if paths:
            app.queue.upload(paths, location.bucket, location.prefix)
            self.started(f"Uploading to {visible(location.label)}")

    async def download(self, selection: Selection) -> None:
        """Ask where to, then queue the marked rows (or the cursor row)."""
        app = self.app
        if app.queue is None or not selection.rows:
            app.notify("Nothing to download here.", severity="warning")
            return
        if selection.location.bucket is None and any(
            r.kind is not RowKind.BUCKET for r in selection.rows
        ):
            return
        if not await download_goes_ahead(app, selection):
            return
        dest_text = await app.push_screen_wait(
            PromptScreen(
                "Download",
                Text(f"{selection.describe()}\ninto this local directory (created if missing):"),
                value=f"{Path.cwd()}/",
                check=directory_problem,
                suggester=PathSuggester(),
            )
        )
        if not dest_text:
            return
        dest = Path(dest_text).expanduser()
        for source in selection.download_sources(dest):
            app.queue.download(*source)
        self.started(f"Downloading into {dest}")

    def started(self, status: str, things: str = "files") -> None:
        """Show the transfer panel and say in the status line what began."""
        self._reported_all_done = False
        self.app.query_one(TransferPanel).display = True
        self.app.set_status(f"{status}; {things} start as they are found")

    # -- on the app's timer -------------------------------------------------------
    def poll(self) -> None:
        """Report ended jobs and walks, ask a batch's question, refresh the listing."""
        app = self.app
        queue = app.queue
        if queue is None:
            return
        finished = queue.take_finished()
        for job in finished:
            if job.state is JobState.FAILED:
                app.report_error(job.error, "transfers")
        for batch in queue.batches:
            self._report_walk(batch)
        if queue.login_gate is not None and queue.login_gate.waiting:
            app.relogin.token_expired()
        question = queue.question()
        if question is not None and not self._asking:
            self._asking = True
            app.run_worker(self._ask(question), name="ask policy", group="dialogs")
        here = app.location.bucket
        if any(_changes(j, here) and j.state is JobState.DONE for j in finished) and not any(
            _changes(j, here) and not j.state.finished for j in queue.jobs
        ):
            app.refresh_listing()
        if not self._reported_all_done and queue.active_count == 0:
            self._reported_all_done = True
            snap = queue.snapshot()
            app.set_status(
                f"Transfers finished: {snap.finished_count - snap.failed} ended well, "
                f"{snap.failed} failed ({decimal(snap.done_bytes)})"
            )

    def _report_walk(self, batch: Batch) -> None:
        if batch.counting or batch.reported:
            return
        batch.reported = True
        if batch.error is not None:
            self.app.report_error(batch.error, "transfers")
        if batch.skipped:
            items = list(batch.skipped.items())[:5]
            lines = "\n".join(f"{visible(k)}: {v}" for k, v in items)
            self.app.notify(
                f"{len(batch.skipped)} left out:\n{lines}", severity="warning", markup=False
            )
        if batch.renamed:
            items = list(batch.renamed.items())[:5]
            lines = "\n".join(f"{visible(k)} → {visible(v)}" for k, v in items)
            self.app.notify(
                f"{count(len(batch.renamed), 'name')} changed to be safe on disk:\n{lines}",
                severity="warning",
                markup=False,
                timeout=20,
            )
        if batch.found == 0 and batch.error is None:
            self.app.notify(f"Nothing to {batch.direction.value}.", severity="warning")

    async def _ask(self, batch: Batch) -> None:
        app = self.app
        try:
            waiting = list(batch.parked)
            where = "objects" if batch.direction.to_object else "local files"
            names = [j.target for j in waiting]
            more = " (more may follow; the answer applies to them too)" if batch.counting else ""
            some = count(len(waiting), where[:-1], where)
            exist = "exists" if len(waiting) == 1 else "exist"
            body = Text(
                f"{some} already {exist}{more}:\n{name_list(names)}\n\n"
                "Nothing is replaced unless you choose to overwrite."
            )
            title = f"{batch.description}: what about existing {where}?"
            answer = await app.push_screen_wait(ConfirmScreen(title, body, POLICY_CHOICES))
            if app.queue is not None:  # Esc skips: nothing is replaced without a yes
                app.queue.answer(batch, answer if answer != "cancel" else "skip")
        finally:
            self._asking = False

    # -- after connecting ------------------------------------------------------------
    def attach(self, backend: StorageBackend) -> None:
        """Give the app its queue on the first connection, then offer to resume
        what an earlier session left unfinished."""
        app = self.app
        if app.queue is not None:  # a project switch: new batches use the new login
            app.queue.use_login(backend, account_key(backend))
            return
        account = account_key(backend)
        clock = app.clock or time.monotonic
        app.queue = TransferQueue(backend, journal=app.journal, account=account, clock=clock)
        if app.journal is not None:
            journal = app.journal
            app.operations.start("offer resume", lambda: self._offer_resume(journal, account))

    async def _offer_resume(self, journal: Journal, account: str) -> None:
        """Show what an earlier session left unfinished; resume or discard it."""
        app = self.app
        queue = app.queue
        jobs = await app.in_thread(lambda: journal.unfinished(account), "read the journal")
        if not jobs or queue is None:
            return
        size = decimal(sum(j.size for j in jobs))
        names = [f"{j.direction.arrow} {j.target}" for j in jobs]
        body = Text(
            f"{count(len(jobs), 'transfer')} ({size}) did not finish last time:\n"
            f"{name_list(names)}\n\n"
            "Resuming keeps what was already sent or written."
        )
        answer = await app.push_screen_wait(
            ConfirmScreen(
                "Resume unfinished transfers?", body, [RESUME, DISCARD], cancel_label="later"
            )
        )
        if answer == "resume":
            queue.add(jobs)
            self.started(f"Resuming {count(len(jobs), 'transfer')}")
        elif answer == "discard":
            await app.in_thread(lambda: queue.discard(jobs), "discard transfers")
            app.set_status(f"Discarded {count(len(jobs), 'unfinished transfer')}")


def _changes(job: TransferJob, bucket: str | None) -> bool:
    """Whether `job` adds or removes objects in `bucket` (the one on screen)."""
    if job.direction is Direction.DOWNLOAD:
        return False
    return bucket in (job.bucket, job.source_bucket if job.direction is Direction.MOVE else None)


def directory_problem(value: str) -> str | None:
    """Why `value` cannot be a download directory, or None."""
    path = Path(value.strip()).expanduser()
    if path.exists() and not path.is_dir():
        return f"{visible(str(path))} is a file, not a directory."
    return None
