"""The app, driven with Textual's pilot: logins, the demo store, and names that
try to be markup or terminal escapes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from ui_driver import cursor_to, open_row, shown_keys, table, type_text, wait_for, wait_idle

from allas_tui.storage.discovery import Discovery, discover
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.transfers.jobs import Direction, TransferJob
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.details import DetailsScreen
from allas_tui.ui.screens.help import HelpScreen
from allas_tui.ui.screens.login_failed import LoginFailedScreen
from allas_tui.ui.screens.no_credentials import NoCredentialsScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.screens.upload_dialog import UploadDialog
from allas_tui.ui.widgets.bucket_tree import BucketTree

DEMO_BUCKETS = ["2001234-puhti-SCRATCH", "climate-era5", "empty-bucket", "genomics-runs"]
HOSTILE_KEYS = {
    "[bold red]boom": "[bold red]boom",
    "\x1b[31mred\x1b[0m": "\\e[31mred\\e[0m",
    "line1\nline2": "line1\\nline2",
    "[link=https:example.org]click": "[link=https:example.org]click",
}
"""Stored key → what the table must show, literally. No '/' in them: a slash
would make a pseudo-folder of the part before it."""


async def test_the_demo_store_opens_the_full_app() -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_idle(pilot, app)
        assert shown_keys(app) == DEMO_BUCKETS
        tree = app.query_one(BucketTree)
        assert [str(node.label) for node in tree.root.children] == DEMO_BUCKETS
        header = str(app.query_one("#header").render())
        assert "demo  │  s3  │  built-in demo store" in header
        # the tree opens a bucket lazily into its folders
        await pilot.press("shift+tab")
        assert app.focused is tree
        await pilot.press("end", "enter")
        await wait_idle(pilot, app)
        genomics = tree.root.children[3]
        assert [str(n.label) for n in genomics.children] == ["reference", "run01", "run02", "run03"]
        assert shown_keys(app) == ["reference/", "run01/", "run02/", "run03/"]
        await pilot.press("tab")
        await open_row(pilot, app, "run01/")
        first = table(app).store.view[0]
        assert (first.key, first.object_kind.value) == ("run01/aligned.bam", "multipart")


async def test_a_filter_belongs_to_the_place_it_was_typed_in() -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_idle(pilot, app)
        await pilot.press("slash", *"genom", "enter")
        assert shown_keys(app) == ["genomics-runs"]
        await pilot.press("enter")  # open the one bucket the filter left
        await wait_idle(pilot, app)
        assert shown_keys(app) == ["reference/", "run01/", "run02/", "run03/"]
        assert table(app).store.filter == "" and not app.query_one("#filter").display
        # a filter that matches nothing says so, not that the folder is empty
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        line = table(app).render_line(1).text
        assert "No names contain 'zzz'. Esc clears the filter." in line
        await pilot.press("escape")
        assert len(shown_keys(app)) == 4


async def test_a_secret_file_others_can_read_is_shown_as_the_app_starts(tmp_path: Path) -> None:
    exposed = tmp_path / "rclone.conf"
    exposed.write_text("[s3allas-p]\nsecret_access_key = abc123\n")
    exposed.chmod(0o644)
    warnings = discover(env={}, home=tmp_path, config_path=exposed).warnings
    app = AllasApp(profile=None, warnings=warnings)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_idle(pilot, app)
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "A secret others can read" in shown
        assert "chmod go-rwx" in shown and "abc123" not in shown


async def test_no_credentials_screen_says_where_it_looked() -> None:
    discovery = Discovery()
    discovery.note("OS_AUTH_TOKEN + OS_STORAGE_URL (allas-conf)", [])
    app = AllasApp(profile=None, discovery=discovery)
    async with app.run_test(size=(110, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoCredentialsScreen)
        await pilot.press("enter")
        await wait_idle(pilot, app)
        assert not isinstance(app.screen, NoCredentialsScreen)
        assert shown_keys(app) == DEMO_BUCKETS


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_a_wrong_password_shows_its_error_screen(stack: Stack, combination: str) -> None:
    if combination.endswith("swift"):
        login = stack.swift_login("rgw", password="wrong")
        profile = ConnectionProfile(name="[b]mine[/b]", source="tests", swift=login)
        expected = "Keystone refused the user name, password or project."
    else:
        login = stack.s3_login("rgw", secret_key="wrong")
        profile = ConnectionProfile(name="[b]mine[/b]", source="tests", s3=login)
        expected = "refused"
    app = AllasApp(profile=profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, LoginFailedScreen) and bool(app.screen.query("Static")),
            "the error screen",
        )
        screen = app.screen
        title = str(screen.query_one("#dialog-title").render())
        assert title == "Could not log in with [b]mine[/b]"  # a name is text, not markup
        body = str(screen.query_one("#dialog-body").render())
        assert expected in body
        assert "wrong" not in body
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_hostile_keys_render_literally(stack: Stack, combination: str) -> None:
    backend = stack.backend(combination)
    bucket = unique_name("hostile")
    backend.create_bucket(bucket)
    data = stack.backend("rgw-swift")
    try:
        conn = data.connections.get()  # type: ignore[attr-defined]
        for key in HOSTILE_KEYS:
            conn.put_object(bucket, key, b"x")
        app = AllasApp(profile_for(stack, combination))
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_idle(pilot, app)
            await open_row(pilot, app, bucket)
            assert sorted(shown_keys(app)) == sorted(HOSTILE_KEYS)
            object_table = table(app)
            lines = [object_table.render_line(y).text for y in range(1, 1 + len(HOSTILE_KEYS))]
            screen_text = "\n".join(lines)
            for shown in HOSTILE_KEYS.values():
                assert shown in screen_text
            for line in lines:
                assert "\x1b" not in line and "\n" not in line
            for y in range(1, 1 + len(HOSTILE_KEYS)):  # every row exactly fills its line
                width = object_table.scrollable_content_region.width
                assert object_table.render_line(y).cell_length == width
            # the styles on screen are the table's own, never the key's markup
            for y in range(1, 1 + len(HOSTILE_KEYS)):
                for segment in object_table.render_line(y):
                    style = segment.style
                    assert style is None or style.link is None
    finally:
        remove_bucket(backend, bucket)


async def test_keys_remapped_in_the_config_work_and_show_in_help() -> None:
    app = AllasApp(profile=None, keymap={"upload": "ctrl+u", "help": "f1"})
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, "empty-bucket")
        await pilot.press("u")  # no longer bound
        assert not isinstance(app.screen, UploadDialog)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadDialog), "upload dialog")
        await pilot.press("escape", "f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help screen")
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "ctrl+u" in screen_text and "Upload files or directories here" in screen_text
        assert "F1" in screen_text or "f1" in screen_text


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_opening_another_projects_bucket_says_access_denied(
    stack: Stack, combination: str
) -> None:
    theirs = stack.backend(combination, user="otheruser")
    bucket = unique_name("not-shared")
    theirs.create_bucket(bucket)
    try:
        app = AllasApp(profile_for(stack, combination))
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_idle(pilot, app)
            await pilot.press("o")
            await type_text(pilot, bucket)
            await pilot.press("enter")
            await wait_for(pilot, lambda: "denied" in table(app).placeholder, "access denied")
            assert table(app).placeholder == f"Access denied to bucket '{bucket}'."
            status = str(app.query_one("#status").render())
            assert status == f"Access denied to bucket '{bucket}'."
    finally:
        remove_bucket(theirs, bucket)


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_details_show_every_header_of_an_object_and_a_bucket(
    stack: Stack, combination: str, tmp_path: Path
) -> None:
    backend = stack.backend(combination)
    bucket = unique_name("details")
    backend.create_bucket(bucket)
    source = tmp_path / "table.csv"
    source.write_bytes(b"a,b\n" * 100)
    backend.upload_file(source, bucket, "table.csv")
    try:
        app = AllasApp(profile_for(stack, combination))
        async with app.run_test(size=(110, 40)) as pilot:
            await wait_idle(pilot, app)
            await cursor_to(pilot, app, bucket)
            await pilot.press("i")
            await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen), "details")
            await pilot.pause(0.2)
            text = app.export_screenshot().replace("&#160;", " ")
            # the bucket's own HEAD: its object count, as each protocol names it
            count_header = (
                "x-container-object-count" if "swift" in combination else "x-rgw-object-count"
            )
            assert "Headers" in text and bucket in text
            assert count_header in text.split("Headers", 1)[1]
            await pilot.press("escape", "enter")
            await wait_idle(pilot, app)
            await cursor_to(pilot, app, "table.csv")
            await pilot.press("i")
            await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen), "details")
            await pilot.pause(0.2)
            text = app.export_screenshot().replace("&#160;", " ")
            assert "400 bytes" in text and "content-length" in text and "etag" in text
    finally:
        remove_bucket(backend, bucket)


async def test_quit_asks_first_while_transfers_are_queued(tmp_path: Path) -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_idle(pilot, app)
        assert app.queue is not None
        source = tmp_path / "waiting.bin"
        source.write_bytes(b"x" * 10)
        job = TransferJob(Direction.UPLOAD, "empty-bucket", "waiting.bin", source, 10)
        app.queue.pause()  # the job waits, so it stays active
        app.queue.add([job])
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        body = str(app.screen.query_one("#dialog-body").render())
        assert "1 transfer still running or queued. Quitting stops them" in body
        assert "resume" in body
        await pilot.press("n")
        await pilot.pause(0.2)
        assert app.is_running and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        await pilot.press("y")
        await pilot.pause(0.2)
    assert app.return_code == 0
    assert job.control.suspended  # stopped to resume later, not cancelled


async def test_the_command_palette_offers_actions_by_name() -> None:
    app = AllasApp(profile=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_idle(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "bucket: create" in titles and "object: download" in titles
        assert "object: upload" not in titles  # only offered inside a bucket
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"bucket", "space", *"create")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "new bucket dialog")
        title = str(app.screen.query_one("#dialog-title").render())
        assert title == "New bucket"
