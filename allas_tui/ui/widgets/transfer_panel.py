"""The transfer panel: every upload and download with its progress, and a total line."""

from __future__ import annotations

from typing import ClassVar

from rich.filesize import decimal
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from allas_tui import wording
from allas_tui.transfers.jobs import JobState, TransferJob
from allas_tui.transfers.queue import TransferQueue
from allas_tui.transfers.snapshot import JobView, QueueSnapshot
from allas_tui.ui.safe_text import safe_text

REFRESH_HZ = 8
"""How often the panel reads the queue's counters (the house range is 5-10 Hz)."""
BAR_WIDTH = 12
VISIBLE_JOBS = 6
"""Jobs drawn at once: the panel's max-height (10) less borders, heading and total."""
WIDE = 100
"""Panel width from which progress bars are drawn; narrower, names get the room."""

_STATE_STYLES = {
    JobState.QUEUED: "dim",
    JobState.RUNNING: "bold",
    JobState.DONE: "green",
    JobState.FAILED: "bold red",
    JobState.CANCELLED: "yellow",
    JobState.PAUSED: "cyan",
    JobState.SKIPPED: "dim green",
}


def duration(seconds: float | None) -> str:
    """`1h02m`, `3m05s`, `42s`, or `-` when unknown."""
    if seconds is None:
        return "-"
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def rate_text(rate: float | None) -> str:
    """`12.3 MB/s`, or `-` when unknown."""
    return "-" if rate is None else f"{decimal(int(rate))}/s"


def bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    """A text progress bar that renders the same in any terminal."""
    filled = int(fraction * width + 1e-9)
    return Text.assemble(("━" * filled, "green"), ("━" * (width - filled), "dim"))


class TransferPanel(VerticalScroll, can_focus=True):
    """Reads the transfer queue on a timer and shows the jobs around its
    cursor, so thousands of jobs cost no more to draw than ten; `t` hides it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding(
            "x,delete", "cancel_job", "Cancel", id="cancel-transfer", tooltip="Cancel this transfer"
        ),
        Binding(
            "c", "cancel_all", "Cancel all", id="cancel-transfers", tooltip="Cancel every transfer"
        ),
        Binding(
            "p", "pause", "Pause/resume", id="pause-transfers", tooltip="Pause or resume the queue"
        ),
        Binding("R", "retry_failed", "Retry failed", id="retry-transfers"),
        Binding("C", "clear_finished", "Clear done", id="clear-transfers"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.queue: TransferQueue | None = None
        """The queue shown; set once connected."""
        self.cursor = 0
        """Index of the selected job in the last snapshot."""
        self._top = 0
        self._jobs: list[TransferJob] = []
        self._body = Static(Text("No transfers yet. u uploads, d downloads.", style="dim"))

    def compose(self) -> ComposeResult:
        yield self._body

    def on_mount(self) -> None:
        self.set_interval(1 / REFRESH_HZ, self.refresh_from_queue)

    def refresh_from_queue(self) -> None:
        """Sample the queue's counters and redraw."""
        if self.queue is None or not self.display:
            return
        snapshot = self.queue.snapshot()
        self._jobs = snapshot.jobs
        if snapshot.jobs:
            self.cursor = min(self.cursor, len(snapshot.jobs) - 1)
            rows = VISIBLE_JOBS
            if self.cursor < self._top:
                self._top = self.cursor
            elif self.cursor >= self._top + rows:
                self._top = self.cursor - rows + 1
            self._top = max(0, min(self._top, len(snapshot.jobs) - rows))
            wide = self.size.width >= WIDE
            focused = self.has_focus
            shown = [snapshot.view(j) for j in snapshot.jobs[self._top : self._top + rows]]
            cursor = self.cursor - self._top if focused else -1
            self._body.update(self.render_snapshot(snapshot, wide, shown, cursor))
        subtitle = self._subtitle(snapshot)
        if subtitle != self.border_subtitle:  # setting it repaints, even when equal
            self.border_subtitle = subtitle

    @staticmethod
    def _subtitle(snapshot: QueueSnapshot) -> str:
        if not snapshot.jobs and not snapshot.counting:
            return ""
        if snapshot.paused:
            return f"paused · {snapshot.active} waiting · p resumes"
        if snapshot.waiting_for_answer:
            return f"{snapshot.waiting_for_answer} wait for your answer"
        if snapshot.active or snapshot.counting:
            return f"{snapshot.active} active · {rate_text(snapshot.rate)}"
        return "all finished" if not snapshot.failed else f"{snapshot.failed} failed · R retries"

    @staticmethod
    def render_snapshot(
        snapshot: QueueSnapshot,
        with_bars: bool = True,
        shown: list[JobView] | None = None,
        cursor: int = -1,
    ) -> Table:
        """The table of `shown` jobs (default all) with the total line; bars
        only where there is room; the row at `cursor` highlighted."""
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Name", ratio=3, min_width=16, no_wrap=True, overflow="ellipsis")
        table.add_column("State", ratio=2, min_width=8, no_wrap=True, overflow="ellipsis")
        if with_bars:
            table.add_column("Progress", no_wrap=True)
        table.add_column("Bytes", justify="right", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
        table.add_column("Rate", justify="right", no_wrap=True)
        table.add_column("ETA", justify="right", no_wrap=True)
        views = [snapshot.view(j) for j in snapshot.jobs] if shown is None else shown
        for index, view in enumerate(views):
            cells = _job_cells(view)
            style = "reverse" if index == cursor else None
            table.add_row(*(cells if with_bars else cells[:3] + cells[4:]), style=style)
        fraction = snapshot.done_bytes / snapshot.total_bytes if snapshot.total_bytes else 1.0
        counting = " (counting...)" if snapshot.counting else ""
        files = f"{snapshot.finished_count}/{snapshot.job_count} files{counting}"
        more = "+" if snapshot.counting else ""
        total: list[Text | str] = [
            "",
            Text(f"Total: {files}", style="bold"),
            Text("paused" if snapshot.paused else f"{snapshot.active} active", style="bold"),
            bar(fraction),
            f"{decimal(snapshot.done_bytes)} / {decimal(snapshot.total_bytes)}{more}",
            f"{fraction * 100:.0f}%",
            rate_text(snapshot.rate),
            duration(snapshot.eta) if snapshot.active and not counting else "",
        ]
        table.add_row(*(total if with_bars else total[:3] + total[4:]), style="bold")
        return table

    def action_move(self, step: int) -> None:
        """Move the cursor through the jobs."""
        self.cursor = max(0, min(len(self._jobs) - 1, self.cursor + step))
        self.refresh_from_queue()

    def action_cancel_job(self) -> None:
        """Cancel the job under the cursor."""
        if self.queue is not None and 0 <= self.cursor < len(self._jobs):
            self.queue.cancel(self._jobs[self.cursor])

    def action_cancel_all(self) -> None:
        """Cancel every unfinished transfer."""
        if self.queue is not None:
            self.queue.cancel_all()

    def action_pause(self) -> None:
        """Pause the queue, or resume it."""
        if self.queue is None:
            return
        if self.queue.paused.is_set():
            self.queue.resume()
        else:
            self.queue.pause()
        self.refresh_from_queue()

    def action_retry_failed(self) -> None:
        """Queue the failed transfers again."""
        if self.queue is not None:
            failed = self.queue.retry_failed()
            what = wording.count(failed, "failed transfer")
            self.notify(f"Retrying {what}." if failed else "Nothing failed.")

    def action_clear_finished(self) -> None:
        """Remove finished transfers from the list."""
        if self.queue is not None:
            self.queue.clear_finished()
            if not self.queue.jobs:
                self._body.update(Text("No transfers.", style="dim"))


def _job_cells(view: JobView) -> tuple[Text | str, ...]:
    job: TransferJob = view.job
    arrow = job.direction.arrow
    state = Text(job.state.value, style=_STATE_STYLES[job.state])
    if job.state is JobState.FAILED and job.error is not None:
        state = Text(f"failed: {str(job.error).splitlines()[0]}", style="bold red")
    elif job.note:
        state.append(f": {job.note}", style="italic" if "retry" in job.note else "")
    return (
        arrow,
        safe_text(f"{job.bucket}/{job.key}" if job.direction.to_object else job.key),
        state,
        bar(job.fraction),
        f"{decimal(job.done_bytes)} / {decimal(job.size)}",
        f"{job.fraction * 100:.0f}%",
        rate_text(view.rate),
        duration(view.eta) if job.state is JobState.RUNNING else "",
    )
