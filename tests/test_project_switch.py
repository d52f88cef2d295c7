"""p switches project at run time: to another Keystone project of the same
user (a fresh login with the password, or allas-conf's token re-scoped), or
to another login discovery found. A transfer queued before the switch still
lands in the project it was meant for; one queued after goes to the new one.
The local stack's allasuser belongs to two projects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from textual.pilot import Pilot
from ui_driver import listing_done, shown_keys, toasts, wait_for, wait_idle

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.storage.swift import SwiftBackend
from allas_tui.storage.swift_login import SwiftLogin
from allas_tui.transfers.jobs import JobState
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.choose import ChooseScreen

pytestmark = pytest.mark.stack


class Projects:
    """A bucket in each of allasuser's two projects, and a Swift backend for each."""

    def __init__(self, stack: Stack) -> None:
        self.first_name, _ = stack.project(index=0)
        self.second_name, second = stack.project(index=1)
        self.first = SwiftBackend(stack.swift_login("rgw"))
        self.second = SwiftBackend(stack.swift_login("rgw", project_name=self.second_name))
        self.second_s3 = ConnectionProfile(
            "second-s3",
            "tests",
            s3=stack.s3_login("rgw", access_key=second["access"], secret_key=second["secret"]),
        )
        self.bucket_one = unique_name("first")
        self.bucket_two = unique_name("second")


@pytest.fixture
def projects(stack: Stack) -> Iterator[Projects]:
    p = Projects(stack)
    p.first.create_bucket(p.bucket_one)
    p.second.create_bucket(p.bucket_two)
    try:
        yield p
    finally:
        remove_bucket(p.first, p.bucket_one)
        remove_bucket(p.second, p.bucket_two)


def _keys(backend: StorageBackend, bucket: str) -> list[str]:
    return [o.key for page in backend.iter_pages(bucket) for o in page.objects]


async def _choose(pilot: Pilot[int], app: AllasApp, wanted: str) -> None:
    """Press p, pick the entry that starts with `wanted`, and wait for its buckets."""
    await pilot.press("p")
    await wait_for(
        pilot, lambda: isinstance(app.screen, ChooseScreen), f"the project list; {toasts(app)}"
    )
    screen = app.screen
    assert isinstance(screen, ChooseScreen)
    index = next(i for i, e in enumerate(screen.entries) if e.startswith(wanted))
    await pilot.press("home", *(["down"] * index), "enter")
    await wait_for(
        pilot,
        lambda: app.profile is not None and app.profile.name.startswith(wanted.split()[0]),
        "the switch",
    )
    await wait_for(pilot, lambda: app.backend is not None, "the new login")
    # not wait_idle: a paused queue is never idle
    await wait_for(pilot, lambda: listing_done(app) and app.location.bucket is None, "buckets")
    await pilot.pause(0.3)


async def test_switch_keeps_the_queue_and_each_transfer_its_project(
    stack: Stack, projects: Projects, tmp_path: Path
) -> None:
    early, late = tmp_path / "early.txt", tmp_path / "late.txt"
    early.write_bytes(b"queued in the first project")
    late.write_bytes(b"queued after the switch")
    app = AllasApp(profile_for(stack, "rgw-swift"), profiles=[projects.second_s3])
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, app)
        assert projects.bucket_one in shown_keys(app)
        assert projects.bucket_two not in shown_keys(app)
        queue = app.queue
        assert queue is not None
        queue.pause()  # so the upload is still waiting when the project changes
        queue.upload([early], projects.bucket_one, "")
        await wait_for(pilot, lambda: len(queue.jobs) == 1, "the job to be queued")

        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen), "the list")
        entries = app.screen.entries  # type: ignore[attr-defined]
        assert any(e.startswith(f"{projects.second_name}   (Keystone") for e in entries)
        assert any(e.startswith("second-s3   (s3, tests)") for e in entries)
        assert not any(e.startswith(projects.first_name) for e in entries), entries
        await pilot.press("escape")
        await _choose(pilot, app, f"{projects.second_name}   (Keystone")
        assert app.queue is queue, "the switch lost the queue"
        assert projects.bucket_two in shown_keys(app)
        assert projects.bucket_one not in shown_keys(app)

        queue.upload([late], projects.bucket_two, "")
        queue.resume()
        await wait_for(
            pilot, lambda: all(j.state is JobState.DONE for j in queue.jobs), "both uploads"
        )
        assert len(queue.jobs) == 2

        # and on to the second project's S3 keys, a login discovery found
        await _choose(pilot, app, "second-s3")
        assert app.backend is not None and app.backend.protocol.value == "s3"
        assert projects.bucket_two in shown_keys(app)
    assert _keys(projects.first, projects.bucket_one) == ["early.txt"]
    assert _keys(projects.second, projects.bucket_two) == ["late.txt"]


async def test_an_allas_conf_token_is_rescoped(stack: Stack, projects: Projects) -> None:
    """With only a token (no password), the switch re-scopes the token."""
    projects.first.list_buckets()  # logs in
    token = projects.first.connections.current_token
    assert token
    login = SwiftLogin(
        auth_url=stack.info["auth_url"],
        username="allasuser",
        token=token,
        storage_url=projects.first.endpoint,
        cacert=stack.ca_bundle,
        region="RegionOne",
    )
    app = AllasApp(ConnectionProfile("allas-conf", "OS_AUTH_TOKEN", swift=login))
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, app)
        assert projects.bucket_one in shown_keys(app)
        await _choose(pilot, app, f"{projects.second_name}   (Keystone")
        assert projects.bucket_two in shown_keys(app)
        assert app.profile is not None and app.profile.swift is not None
        new_token = app.profile.swift.token
        assert new_token and new_token != token, "no new token for the other project"
