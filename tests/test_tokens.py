"""Tokens that expire while the user works, against a Keystone whose tokens
live 5 seconds: with a password the app logs in again by itself; with only
allas-conf's token, transfers wait for the password and lose nothing."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from test_errors_and_logins import token_for
from transfer_helpers import md5_file, wait_done
from ui_driver import toasts, type_text, wait_for, wait_idle

from allas_tui.storage.discovery import choose_profile, discover
from allas_tui.storage.errors import WrongCredentials
from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.storage.swift import SwiftBackend
from allas_tui.storage.swift_login import SwiftLogin
from allas_tui.transfers.jobs import Direction, JobState, TransferJob
from allas_tui.transfers.queue import TransferQueue
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.widgets.status_header import StatusHeader

pytestmark = pytest.mark.stack

SHORT_LIFE = 5
"""Seconds the short Keystone's tokens live (KS_SHORT_EXPIRATION in start.sh)."""
SETTINGS = TransferSettings(chunk_threshold=8 * MiB, chunk_size=8 * MiB, chunks_at_once=2)


def _outlive_the_token() -> None:
    time.sleep(SHORT_LIFE + 1.5)


def _paused_after_first_bytes(queue: TransferQueue, job: TransferJob) -> None:
    """Pause the queue once `job` has moved some bytes, and wait out the
    token: the rest of the transfer goes with an expired token."""
    deadline = time.monotonic() + 60
    while job.done_bytes == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    queue.pause()
    assert 0 < job.done_bytes < job.size, (job.done_bytes, job.state, job.error)
    _outlive_the_token()
    queue.resume()


def _upload(queue: TransferQueue, bucket: str, source: Path) -> TransferJob:
    job = TransferJob(Direction.UPLOAD, bucket, source.name, source, source.stat().st_size)
    queue.add([job])
    return job


def _download(queue: TransferQueue, bucket: str, key: str, size: int, dest: Path) -> TransferJob:
    queue.download(bucket, "", [(key, size)], [], dest)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [j for j in queue.jobs if j.direction is Direction.DOWNLOAD]
        if found:
            return found[0]
        time.sleep(0.01)
    raise AssertionError("the download was never queued")


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_with_a_password_expiry_is_invisible(
    stack: Stack, server: str, random_file, tmp_path: Path
) -> None:
    """Browsing after the token expired, and a chunked upload and download
    that outlive it mid-way, all go on with a new login, and no job fails."""
    login = stack.swift_login(server, auth_url=stack.info["short_auth_url"])
    backend = SwiftBackend(login, SETTINGS)
    bucket = unique_name("expiry")
    backend.create_bucket(bucket)
    queue = TransferQueue(backend)
    try:
        tokens = {backend.connections.current_token}
        _outlive_the_token()
        assert bucket in [b.name for b in backend.list_buckets()]  # browsing, expired
        tokens.add(backend.connections.current_token)
        expires = backend.token_expires
        assert expires is not None and 0 < (expires - datetime.now(UTC)).total_seconds() <= 5

        source = random_file(40 * MiB, "long.bin")
        up = _upload(queue, bucket, source)
        _paused_after_first_bytes(queue, up)
        wait_done(queue)
        assert up.state is JobState.DONE and up.note.startswith("verified"), (up.note, up.error)
        tokens.add(backend.connections.current_token)

        dest = tmp_path / "dest"
        dest.mkdir()
        down = _download(queue, bucket, source.name, source.stat().st_size, dest)
        _paused_after_first_bytes(queue, down)
        wait_done(queue)
        assert down.state is JobState.DONE, (down.note, down.error)
        assert md5_file(dest / source.name) == md5_file(source)
        tokens.add(backend.connections.current_token)
        assert len(tokens - {None}) >= 4  # a new login each time the token ran out
        assert up.retries == 0 and down.retries == 0  # nothing the user saw as a fault
    finally:
        queue.shutdown()
        remove_bucket(backend, bucket)


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_with_only_a_token_transfers_wait_for_the_password(
    stack: Stack, server: str, random_file, tmp_path: Path
) -> None:
    """allas-conf's token and no password: the header can count down (the
    expiry comes from Keystone), and when the token runs out mid-upload the
    job waits, keeps its sent parts, and goes on once a password is given. A
    wrong password changes nothing."""
    token, url = token_for(stack, server, stack.info["short_auth_url"])
    project, _ = stack.project()
    user = stack.user()
    login = SwiftLogin(
        auth_url=stack.info["short_auth_url"],
        username=user["username"],
        project_name=project,
        token=token,
        storage_url=url,
        cacert=stack.ca_bundle,
    )
    backend = SwiftBackend(login, SETTINGS)
    assert backend.can_take_password and backend.token_expires is None
    backend.learn_token_expiry()
    expires = backend.token_expires
    assert expires is not None and 0 < (expires - datetime.now(UTC)).total_seconds() <= 5
    bucket = unique_name("tokenonly")
    backend.create_bucket(bucket)
    queue = TransferQueue(backend)
    gate = queue.login_gate
    assert gate is not None
    try:
        source = random_file(40 * MiB, "long.bin")
        up = _upload(queue, bucket, source)
        _paused_after_first_bytes(queue, up)
        sent_before = up.done_bytes
        deadline = time.monotonic() + 30
        while gate.waiting == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gate.waiting > 0 and "waiting for a new login" in up.note, up.note
        time.sleep(1)
        assert up.state is JobState.RUNNING and up.error is None  # waiting, not failed
        with pytest.raises(WrongCredentials):
            backend.log_in_with("not-the-password")
        assert gate.waiting > 0 and not backend.login.can_relogin
        backend.log_in_with(user["password"])
        gate.reopen()
        wait_done(queue)
        assert up.state is JobState.DONE and up.note.startswith("verified"), (up.note, up.error)
        assert up.done_bytes == source.stat().st_size and sent_before > 0
        back = tmp_path / "back.bin"
        backend.download_file(bucket, source.name, back)
        assert md5_file(back) == md5_file(source)
    finally:
        queue.shutdown()
        remove_bucket(backend, bucket)


async def test_the_app_asks_for_the_password_and_loses_nothing(
    stack: Stack, random_file, tmp_path: Path
) -> None:
    """allas-conf's exports and a token that runs out: the header counts
    down, browsing then opens a masked password dialog, an upload waits at
    the gate (its note says so) while the dialog is closed, L opens it again,
    a wrong password is refused and asked again, and the right one lets the
    upload finish. The password is never on screen."""
    token, url = token_for(stack, "rgw", stack.info["short_auth_url"])
    project, _ = stack.project()
    user = stack.user()
    env = {
        "OS_AUTH_TOKEN": token,
        "OS_STORAGE_URL": url,
        "OS_AUTH_URL": stack.info["short_auth_url"],
        "OS_USERNAME": user["username"],
        "OS_PROJECT_NAME": project,
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_CACERT": stack.ca_bundle,
    }
    profile = choose_profile(discover(env, home=tmp_path))
    assert profile.name == "allas-conf"
    direct = stack.backend("rgw-swift")
    bucket = unique_name("relogin")
    direct.create_bucket(bucket)
    source = random_file(24 * MiB, "big.bin")
    app = AllasApp(profile, settings=SETTINGS)
    screens: list[str] = []

    def asking() -> bool:
        return isinstance(app.screen, PromptScreen) and app.screen.secret

    try:
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await wait_idle(pilot, app)
            header = str(app.query_one(StatusHeader).render())
            assert re.search(r"token [1-5]s", header), header  # read from Keystone
            queue = app.queue
            assert queue is not None and queue.login_gate is not None
            job = _upload(queue, bucket, source)
            while job.done_bytes == 0:
                await pilot.pause(0.01)
            queue.pause()
            await pilot.pause(SHORT_LIFE + 1.5)
            assert "token expired" in str(app.query_one(StatusHeader).render())

            await pilot.press("r")  # browsing with the dead token
            await wait_for(pilot, asking, "the password dialog, after a refresh failed")
            await pilot.press("escape")
            assert "Press L to log in" in str(app.query_one("#status").render())
            queue.resume()
            await wait_for(pilot, lambda: queue.login_gate.waiting > 0, "the upload to wait")  # type: ignore[union-attr]
            await pilot.pause(1)
            assert not asking() and job.state is JobState.RUNNING and job.error is None
            assert "waiting for a new login" in job.note

            await pilot.press("L")
            await wait_for(pilot, asking, "the password dialog, after L")
            await type_text(pilot, "wrong-password")
            screens.append(app.export_screenshot())
            await pilot.press("enter")
            await wait_for(pilot, lambda: "refused" in toasts(app), "the refusal")
            refusal = toasts(app)
            assert "project.\nCheck the user name" in refusal and "\\n" not in refusal, refusal
            await wait_for(pilot, asking, "the dialog again, after a wrong password")
            await type_text(pilot, user["password"])
            screens.append(app.export_screenshot())
            await pilot.press("enter")
            await wait_for(pilot, lambda: job.state.finished, "the upload to end", timeout=120)
            assert job.state is JobState.DONE and job.note.startswith("verified"), job.note
            await wait_idle(pilot, app)
            screens.append(app.export_screenshot())
        back = tmp_path / "back.bin"
        direct.download_file(bucket, source.name, back)
        assert md5_file(back) == md5_file(source)
    finally:
        remove_bucket(direct, bucket)
    assert not any(user["password"] in s or "wrong-password" in s for s in screens)
    assert any("•" in s for s in screens)  # typed, shown masked
