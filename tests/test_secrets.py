"""No secret leaks: after a session that lists, uploads, downloads, fails and
crashes, no file the app wrote, no screen it showed and nothing it printed
holds the password, the secret key or the token it used."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from transfer_helpers import wait_done
from ui_driver import wait_for, wait_idle

from allas_tui.storage.settings import MiB
from allas_tui.transfers.journal import Journal
from allas_tui.ui import crash
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.crash import CrashScreen
from allas_tui.ui.widgets.object_table import ObjectTable

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_no_secret_reaches_a_file_the_screen_or_the_output(
    stack: Stack,
    combination: str,
    tmp_path: Path,
    random_file,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    for name, sub in [("HOME", ""), ("XDG_STATE_HOME", ".local/state")]:
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setattr(crash, "crash_folder", lambda: home / ".local/state/allas-tui/crashes")
    profile = profile_for(stack, combination)
    swift_login = profile.swift is not None
    backend = stack.backend(combination)
    bucket = unique_name("secrets")
    backend.create_bucket(bucket)
    source = random_file(20 * MiB, "data.bin")  # in parts: journalled with its upload id
    screens: list[str] = []

    secrets: set[str] = set()

    def boom(table: ObjectTable) -> None:
        # a bug in a frame that holds a secret, whose message even quotes it,
        # as careless code might: the report must blank it
        password = min(secrets)
        raise RuntimeError(f"a bug near the secret {password}")

    monkeypatch.setattr(ObjectTable, "action_mark", boom)
    journal = Journal()  # in the state folder under `home`
    app = AllasApp(profile, settings=SMALL_CHUNKS, journal=journal)
    try:
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await wait_idle(pilot, app)
            queue = app.queue
            assert queue is not None and app.backend is not None
            queue.upload([source], bucket, "")
            wait_done(queue)
            queue.download(bucket, "", [("data.bin", -1)], [], home / "down")
            queue.download("no-such-bucket-" + bucket, "", [("x", -1)], [], home / "down")
            wait_done(queue)
            app.refresh_listing()
            await wait_idle(pilot, app)
            screens.append(app.export_screenshot())
            # the secrets, taken from the stand-in, not from the code under test:
            # the password or secret key, and the token Keystone gave the app
            _, project = stack.project()
            secrets.add(stack.user()["password"] if swift_login else project["secret"])
            token = getattr(getattr(app.backend, "connections", None), "current_token", None)
            if swift_login:
                assert token, "the app holds a Keystone token by now"
                secrets.add(token)
            await pilot.press("space")
            await wait_for(pilot, lambda: isinstance(app.screen, CrashScreen), "the crash screen")
            screens.append(app.export_screenshot())
            await pilot.press("q")
    finally:
        journal.close()
        remove_bucket(backend, bucket)
        backend.close()
    assert len(secrets) == (2 if swift_login else 1)
    written = [p for p in home.rglob("*") if p.is_file() and "down" not in p.parts]
    names = {p.name for p in written}
    assert {"queue.sqlite3"} <= names and any(n.startswith("crash-") for n in names)
    output = capsys.readouterr()
    places = {str(p): p.read_bytes() for p in written}
    places |= {f"screen {i}": s.encode() for i, s in enumerate(screens)}
    places |= {"stdout": output.out.encode(), "stderr": output.err.encode()}
    found = [(where, s) for where, data in places.items() for s in secrets if s.encode() in data]
    print(f"\n{combination}: {len(secrets)} secrets looked for in {len(places)} places: {found}")
    assert found == []
