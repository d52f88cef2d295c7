"""An unexpected error anywhere in the UI: a report file without secrets, a
screen (or, when the app itself failed, a few lines) naming it, never a
traceback over the TUI, and the transfer journal kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from ui_driver import wait_for, wait_idle

from allas_tui.storage.settings import MiB
from allas_tui.transfers.journal import Journal, account_key
from allas_tui.ui import crash
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.crash import CrashScreen
from allas_tui.ui.widgets.object_table import ObjectTable

pytestmark = pytest.mark.stack


@pytest.fixture
def reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where crash reports go in these tests."""
    folder = tmp_path / "crashes"
    monkeypatch.setattr(crash, "crash_folder", lambda: folder)
    return folder


def _report_of(folder: Path, password: str) -> tuple[Path, str]:
    [report] = list(folder.iterdir())
    text = report.read_text(encoding="utf-8")
    assert report.stat().st_mode & 0o777 == 0o600
    assert "RuntimeError: boom, holding [secret]" in text
    assert "Traceback (most recent call last)" in text
    assert password not in text
    return report, text


async def test_a_widget_error_shows_the_report_and_keeps_the_journal(
    stack: Stack,
    reports: Path,
    tmp_path: Path,
    random_file,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = profile_for(stack, "rgw-swift")
    assert profile.swift is not None and profile.swift.password
    password = profile.swift.password
    backend = stack.backend("rgw-swift")
    bucket = unique_name("crash")
    backend.create_bucket(bucket)
    backend.upload_file(random_file(20 * MiB, "big.bin"), bucket, "big.bin")
    journal = Journal(tmp_path / "queue.sqlite3")

    def boom(table: ObjectTable) -> None:
        raise RuntimeError(f"boom, holding {password}")

    monkeypatch.setattr(ObjectTable, "action_mark", boom)
    app = AllasApp(profile, settings=SMALL_CHUNKS, journal=journal)
    try:
        async with app.run_test(size=(110, 32)) as pilot:
            await wait_idle(pilot, app)
            queue = app.queue
            assert queue is not None and app.backend is not None
            account = account_key(app.backend)
            queue.pause()  # so the download is still to do when the app stops
            queue.download(bucket, "", [("big.bin", -1)], [], tmp_path / "down")
            await wait_for(pilot, lambda: len(queue.jobs) == 1, "the download to be queued")
            await pilot.press("space")
            await wait_for(pilot, lambda: isinstance(app.screen, CrashScreen), "the crash screen")
            report, _ = _report_of(reports, password)
            screen = app.screen
            assert isinstance(screen, CrashScreen) and str(report) in screen.notice
            shown = app.export_screenshot().replace("&#160;", " ")
            assert "Unexpected error" in shown and "A short report is in" in shown
            assert "Traceback" not in shown and password not in shown
            await pilot.press("x")  # any key quits
        assert app.return_code == 1
        # the download is journalled for the next start
        again = Journal(tmp_path / "queue.sqlite3")
        assert [(j.bucket, j.key) for j in again.unfinished(account)] == [(bucket, "big.bin")]
        again.close()
        with sqlite3.connect(tmp_path / "queue.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        journal.close()
        remove_bucket(backend, bucket)
        backend.close()


async def test_an_error_in_the_apps_own_handler_quits_with_a_few_lines(
    stack: Stack,
    reports: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = profile_for(stack, "rgw-s3")
    assert profile.s3 is not None
    secret = profile.s3.secret_key

    def boom(app: AllasApp, message: object) -> None:
        raise RuntimeError(f"boom, holding {secret}")

    # the app's own message loop stops with it: no screen can show any more
    monkeypatch.setattr(AllasApp, "on_allas_app_page_listed", boom)
    app = AllasApp(profile)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None, "the app to stop")
    assert app.return_code == 1
    report, _ = _report_of(reports, secret)
    # printed once the terminal is back, instead of Textual's traceback
    printed = "".join(capsys.readouterr().err.split())  # wrapped at the terminal's width
    assert f"Ashortreportisin{report}." in printed
    assert "Traceback" not in printed and secret not in printed


def test_secrets_are_blanked_longest_first() -> None:
    text = crash.blank_secrets("token=abcd1234 and abcd and ab", ["abcd", "abcd1234", "ab", None])
    assert text == "token=[secret] and [secret] and ab"
