"""The app, driven with Textual's pilot against real endpoints."""

from __future__ import annotations

from conftest import Stack, remove_bucket, unique_name

from allas_tui.storage.discovery import Discovery
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.no_credentials import NoCredentialsScreen
from allas_tui.ui.widgets.bucket_tree import BucketTree


async def test_demo_store_shows_its_buckets() -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.query_one(BucketTree)
        names = [str(node.label) for node in tree.root.children]
        assert names == ["2001234-puhti-SCRATCH", "climate-era5", "empty-bucket", "genomics-runs"]
        assert "demo · s3 · http://127.0.0.1:" in app.sub_title


async def test_no_credentials_screen_says_where_it_looked() -> None:
    discovery = Discovery()
    discovery.note("OS_AUTH_TOKEN + OS_STORAGE_URL (allas-conf)", [])
    app = AllasApp(profile=None, discovery=discovery)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoCredentialsScreen)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, NoCredentialsScreen)
        assert len(app.query_one(BucketTree).root.children) == 4


async def test_swift_on_radosgw_lists_a_new_bucket(stack: Stack) -> None:
    login = stack.swift_login("rgw")
    backend = stack.backend("rgw-swift")
    name = unique_name("app")
    backend.create_bucket(name)
    try:
        # names that look like markup are shown as they are
        profile = ConnectionProfile(name="rclone:[s3allas-x]", source="[b]tests[/b]", swift=login)
        app = AllasApp(profile=profile)
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            names = [str(node.label) for node in app.query_one(BucketTree).root.children]
            assert name in names
            status = str(app.query_one("#status").render())
            assert status == "Connected with rclone:[s3allas-x] ([b]tests[/b])"
            assert (
                "project_2001234 · swift · https://127.0.0.1:17443/swift/v1/AUTH_" in app.sub_title
            )
    finally:
        remove_bucket(backend, name)


async def test_a_login_failure_is_shown_not_raised(stack: Stack) -> None:
    login = stack.swift_login("rgw", password="wrong")
    app = AllasApp(profile=ConnectionProfile(name="test", source="tests", swift=login))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):  # wait_for_complete() would re-raise the failure we expect
            await pilot.pause(0.05)
            if all(w.is_finished for w in app.workers):
                break
        await pilot.pause()
        status = str(app.query_one("#status").render())
        assert "Keystone refused the user name, password or project." in status
        assert "wrong" not in status
