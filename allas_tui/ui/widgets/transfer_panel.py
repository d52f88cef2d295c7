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

from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.queue import JobView, QueueSnapshot, TransferQueue
from allas_tui.ui.safe_text import safe_text

REFRESH_HZ = 8
"""How often the panel reads the queue's counters (the house range is 5-10 Hz)."""
BAR_WIDTH = 12
WIDE = 100
"""Panel width from which progress bars are drawn; narrower, names get the room."""

_STATE_STYLES = {
    JobState.QUEUED: "dim",
    JobState.RUNNING: "bold",
    JobState.DONE: "green",
    JobState.FAILED: "bold red",
    JobState.CANCELLED: "yellow",
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
    """Reads the transfer queue on a timer and shows it; `t` hides it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "cancel_all", "Cancel all", id="cancel-transfers", tooltip="Cancel transfers"),
        Binding("C", "clear_finished", "Clear done", id="clear-transfers"),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.queue: TransferQueue | None = None
        """The queue shown; set once connected."""
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
        if snapshot.jobs:
            wide = self.size.width >= WIDE
            self._body.update(self.render_snapshot(snapshot, with_bars=wide))
        self.border_subtitle = self._subtitle(snapshot)

    @staticmethod
    def _subtitle(snapshot: QueueSnapshot) -> str:
        if not snapshot.jobs:
            return ""
        if snapshot.active:
            return f"{snapshot.active} active · {rate_text(snapshot.rate)}"
        return "all finished" if not snapshot.failed else f"{snapshot.failed} failed"

    @staticmethod
    def render_snapshot(snapshot: QueueSnapshot, with_bars: bool = True) -> Table:
        """The table of jobs with the total line; bars only where there is room."""
        table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
        table.add_column("", width=1, no_wrap=True)
        table.add_column("Name", ratio=3, min_width=16, no_wrap=True, overflow="ellipsis")
        table.add_column("State", ratio=1, min_width=8, no_wrap=True, overflow="ellipsis")
        if with_bars:
            table.add_column("Progress", no_wrap=True)
        table.add_column("Bytes", justify="right", no_wrap=True)
        table.add_column("%", justify="right", no_wrap=True)
        table.add_column("Rate", justify="right", no_wrap=True)
        table.add_column("ETA", justify="right", no_wrap=True)
        for view in snapshot.jobs:
            cells = _job_cells(view)
            table.add_row(*(cells if with_bars else cells[:3] + cells[4:]))
        fraction = snapshot.done_bytes / snapshot.total_bytes if snapshot.total_bytes else 1.0
        total: list[Text | str] = [
            "",
            Text(f"Total: {len(snapshot.jobs)} transfers", style="bold"),
            Text(f"{snapshot.active} active", style="bold"),
            bar(fraction),
            f"{decimal(snapshot.done_bytes)} / {decimal(snapshot.total_bytes)}",
            f"{fraction * 100:.0f}%",
            rate_text(snapshot.rate),
            duration(snapshot.eta) if snapshot.active else "",
        ]
        table.add_row(*(total if with_bars else total[:3] + total[4:]), style="bold")
        return table

    def action_cancel_all(self) -> None:
        """Cancel every unfinished transfer."""
        if self.queue is not None:
            self.queue.cancel_all()

    def action_clear_finished(self) -> None:
        """Remove finished transfers from the list."""
        if self.queue is not None:
            self.queue.clear_finished()
            if not self.queue.jobs:
                self._body.update(Text("No transfers.", style="dim"))


def _job_cells(view: JobView) -> tuple[Text | str, ...]:
    job: TransferJob = view.job
    arrow = "↑" if job.direction is Direction.UPLOAD else "↓"
    state = Text(job.state.value, style=_STATE_STYLES[job.state])
    if job.state is JobState.FAILED and job.error is not None:
        state = Text(f"failed: {str(job.error).splitlines()[0]}", style="bold red")
    return (
        arrow,
        safe_text(f"{job.bucket}/{job.key}"),
        state,
        bar(job.fraction),
        f"{decimal(job.done_bytes)} / {decimal(job.size)}",
        f"{job.fraction * 100:.0f}%",
        rate_text(view.rate),
        duration(view.eta) if job.state is JobState.RUNNING else "",
    )
