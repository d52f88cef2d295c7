"""The transfer panel's keys, driven through the pilot on the demo store:
pause and resume, cancel one job, retry the failed, the batch's question, and
the offer to resume what an earlier session left."""

from __future__ import annotations

from pathlib import Path

from ui_driver import wait_for, wait_idle

from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.journal import Journal, account_key
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.widgets.transfer_panel import TransferPanel


def _job(tmp_path: Path, name: str, bucket: str = "empty-bucket") -> TransferJob:
    source = tmp_path / name
    source.write_bytes(name.encode() * 100)
    return TransferJob(Direction.UPLOAD, bucket, name, source, source.stat().st_size)


async def test_pause_cancel_and_resume_from_the_panel(tmp_path: Path) -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_idle(pilot, app)
        queue = app.queue
        assert queue is not None
        panel = app.query_one(TransferPanel)
        panel.focus()
        await pilot.press("p")
        assert queue.paused.is_set()
        first, second = _job(tmp_path, "a.txt"), _job(tmp_path, "b.txt")
        queue.add([first, second])
        await wait_for(pilot, lambda: len(panel._jobs) == 2, "both jobs listed")
        await pilot.press("x")  # the cursor is on the first job
        await wait_for(pilot, lambda: first.state is JobState.CANCELLED, "the cancel")
        assert second.state in (JobState.QUEUED, JobState.PAUSED)
        assert "paused" in str(panel.border_subtitle)
        await pilot.press("p")
        await wait_for(pilot, lambda: second.state is JobState.DONE, "the resumed upload")
        assert not queue.paused.is_set()
        assert app.backend is not None
        assert app.backend.head_object("empty-bucket", "b.txt").size == second.size
        assert [o.key for o in app.backend.list_page("empty-bucket").objects] == ["b.txt"]


async def test_retry_failed_runs_the_failed_job_again(tmp_path: Path) -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_idle(pilot, app)
        queue = app.queue
        assert queue is not None
        job = _job(tmp_path, "c.txt", bucket="no-such-bucket-here")
        queue.add([job])
        await wait_for(pilot, lambda: job.state is JobState.FAILED, "the failure")
        assert "no-such-bucket-here" in str(job.error)
        assert app.backend is not None
        app.backend.create_bucket("no-such-bucket-here")
        app.query_one(TransferPanel).focus()
        await pilot.press("R")
        await wait_for(pilot, lambda: job.state is JobState.DONE, "the retried upload")
        assert app.backend.head_object("no-such-bucket-here", "c.txt").size == job.size


async def test_existing_objects_are_asked_about_once_per_batch(tmp_path: Path) -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_idle(pilot, app)
        queue, backend = app.queue, app.backend
        assert queue is not None and backend is not None
        folder = tmp_path / "notes"
        folder.mkdir()
        for name in ("one.txt", "two.txt", "three.txt"):
            (folder / name).write_text(f"new {name}")
        backend.upload_file(folder / "one.txt", "empty-bucket", "notes/one.txt")
        backend.upload_file(folder / "two.txt", "empty-bucket", "notes/two.txt")
        (folder / "one.txt").write_text("changed one")
        (folder / "two.txt").write_text("changed two")
        queue.upload([folder], "empty-bucket", "", policy="ask")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await wait_for(pilot, lambda: queue.snapshot().waiting_for_answer == 2, "both parked")
        await pilot.press("k")  # keep both
        await wait_for(pilot, lambda: not queue.snapshot().active, "the batch")
        keys = sorted(o.key for o in backend.list_page("empty-bucket", "notes/").objects)
        assert keys == [
            "notes/one (1).txt",
            "notes/one.txt",
            "notes/three.txt",
            "notes/two (1).txt",
            "notes/two.txt",
        ]
        assert not isinstance(app.screen, ConfirmScreen)  # asked once, not per file


async def test_the_next_start_offers_unfinished_transfers(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "queue.sqlite3")
    first = AllasApp(profile=None, journal=journal)
    async with first.run_test(size=(110, 32)) as pilot:
        await wait_idle(pilot, first)
        assert first.backend is not None
        account = account_key(first.backend)
    # what a killed session leaves: a job in the journal that never ended
    journal.add(account, [_job(tmp_path, "left.txt")])

    app = AllasApp(profile=None, journal=journal)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the offer")
        body = str(app.screen.query_one("#dialog-body").render())
        assert "1 transfer (" in body and "empty-bucket/left.txt" in body
        await pilot.press("r")
        queue = app.queue
        assert queue is not None
        await wait_for(pilot, lambda: bool(queue.jobs) and not queue.active_count, "the resume")
        assert [j.state for j in queue.jobs] == [JobState.DONE]
        assert app.backend is not None
        assert app.backend.head_object("empty-bucket", "left.txt").size == 800
    assert journal.unfinished(account) == []
    journal.close()
