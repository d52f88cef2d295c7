"""The scenes the README's screenshots and the SVG snapshot tests both show.

Each scene drives the app on the demo store, from its first screen, with keys.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.storage.s3_login import S3Login
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.queue import TransferQueue
from allas_tui.ui.app import AllasApp
from allas_tui.ui.widgets.transfer_panel import TransferPanel

SIZE = (110, 32)
"""Terminal size of every scene."""
Scene = Callable[[Pilot[int]], Awaitable[None]]


class FixedClock:
    """A clock that moves only when told, so rates and ETAs come out the same."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def settle(pilot: Pilot[int]) -> None:
    """Wait until no worker runs (dialog flows wait for the user, so they do not
    count), then let the screen catch up."""
    app = pilot.app

    def busy() -> bool:
        return any(not w.is_finished and w.group != "flows" for w in app.workers)

    deadline = time.monotonic() + 60
    while busy() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.pause(0.2)


async def main_screen(pilot: Pilot[int]) -> None:
    """The genomics bucket's run01 folder, two objects marked."""
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("down", "space", "space")
    await settle(pilot)


async def help_screen(pilot: Pilot[int]) -> None:
    """The help screen over the bucket list."""
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def delete_confirmation(pilot: Pilot[int]) -> None:
    """x on two marked objects: the confirmation says what goes."""
    await main_screen(pilot)
    await pilot.press("x")
    await settle(pilot)


async def large_objects(pilot: Pilot[int]) -> None:
    """The genomics bucket's reference folder: kinds marked, and `d` on the
    Swift SLO over S3 brings up the mixing guard."""
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("home", "enter")
    await settle(pilot)
    await pilot.press("end", "d")
    await settle(pilot)


async def sharing(pilot: Pilot[int]) -> None:
    """S on an object of the climate bucket: who may read it, and what to share."""
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)


async def preview(pilot: Pilot[int]) -> None:
    """v on a Python script of the climate bucket: the start of it, highlighted."""
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)


async def find(pilot: Pilot[int]) -> None:
    """f in the genomics bucket: every sample_000?.fastq.gz of every run."""
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    await pilot.press(*"sample_000?.fastq.gz", "enter")
    await settle(pilot)


async def metadata(pilot: Pilot[int]) -> None:
    """e on the climate bucket's script: its content type and user metadata."""
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)


async def project_switch(pilot: Pilot[int]) -> None:
    """p: the other logins found (here, rclone remotes of two other projects)."""
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)


async def rename(pilot: Pilot[int]) -> None:
    """m on the genomics bucket's run01/ folder, typed a new name: the confirmation."""
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    await pilot.press("down", "m")
    await settle(pilot)
    names = {"/": "slash", "-": "minus"}
    typed = [names.get(c, c) for c in "genomics-runs/archive/2025-run01"]
    await pilot.press("end", "ctrl+u", *typed)
    await pilot.press("enter")
    await settle(pilot)


async def transfers_in_progress(pilot: Pilot[int]) -> None:
    """The transfer panel with uploads running, queued, done and failed, a
    download done, a server-side copy running and a move done."""
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, AllasApp) and app.queue is not None
    clock = app.clock
    assert isinstance(clock, FixedClock)
    gib = 1024**3
    up, down = Direction.UPLOAD, Direction.DOWNLOAD
    jobs = [
        TransferJob(up, "climate-era5", "era5/2025/t2m-hourly.nc", Path("a"), 3 * gib),
        TransferJob(down, "genomics-runs", "run01/aligned.bam", Path("b"), 12_582_912),
        TransferJob(up, "climate-era5", "era5/2025/u10-hourly.nc", Path("c"), 2 * gib),
        TransferJob(up, "climate-era5", "era5/readme.md", Path("d"), 4_096),
        TransferJob(Direction.COPY, "climate-era5", "archive/t2m-2024.nc", Path(), 8 * gib),
        TransferJob(Direction.MOVE, "genomics-runs", "old/run02.bam", Path(), 9_437_184),
    ]
    jobs[0].state, jobs[0].done_bytes = JobState.RUNNING, 1_000_000_000
    jobs[0].started = True
    jobs[1].state, jobs[1].done_bytes = JobState.DONE, 12_582_912
    jobs[1].note = "verified (md5-of-parts)"
    jobs[2].note = "retry 1/5 in 0.8s: Allas could not upload part 3 now (SlowDown)"
    jobs[2].state, jobs[2].started = JobState.RUNNING, True
    jobs[3].state = JobState.FAILED
    jobs[3].error = PermissionError("Permission denied: era5/readme.md")
    jobs[4].state, jobs[4].started, jobs[4].done_bytes = JobState.RUNNING, True, 3 * gib
    jobs[5].state, jobs[5].done_bytes = JobState.DONE, 9_437_184
    jobs[5].note = "moved: same ETag as the source, then the source deleted"
    assert app.backend is not None
    queue = ShowcaseQueue(app.backend, clock=clock)
    app.queue = queue
    queue.add(jobs)
    await pilot.pause(0.1)
    panel = app.query_one(TransferPanel)
    panel.queue = queue
    panel.refresh_from_queue()  # first sample, at the fixed time
    clock.now += 4.0
    jobs[0].done_bytes += 4 * 180_000_000  # 180 MB/s over four seconds
    jobs[4].done_bytes += 4 * 64 * 1024**2  # a 64 MiB part copied each second
    panel.refresh_from_queue()
    await pilot.pause(0.2)


class ShowcaseQueue(TransferQueue):
    """A queue whose jobs stay as the scene set them: nothing is transferred,
    and the tally counts each job in the state it was given."""

    def _run(self, job: TransferJob) -> None:
        if job.state.finished:
            self._tally.finished(job)
        elif job.state is JobState.RUNNING:
            self._tally.started(job)


SCENES: dict[str, Scene] = {
    "browser": main_screen,
    "help": help_screen,
    "delete-confirmation": delete_confirmation,
    "transfers": transfers_in_progress,
    "large-objects": large_objects,
    "sharing": sharing,
    "preview": preview,
    "find": find,
    "metadata": metadata,
    "project-switch": project_switch,
    "rename": rename,
}
"""Screenshot name → scene."""


OTHER_LOGINS = [
    ConnectionProfile(
        name=f"rclone:s3allas-{project}",
        source=f"rclone remote [s3allas-{project}] in ~/.config/rclone/rclone.conf",
        s3=S3Login(access_key="unused", secret_key="unused", project=project),
    )
    for project in ("project_2005678", "project_2009999")
]
"""What the project switch offers in the scenes: other projects' rclone remotes."""


def demo_app() -> AllasApp:
    """The app on the demo store, with the fixed clock."""
    return AllasApp(profile=None, clock=FixedClock(), profiles=OTHER_LOGINS)
