"""A bucket shared by another project is not listed: open it by name (o),
bookmark it (B), and after a restart it is at the top of the tree, marked ★,
one Enter away. The bookmark lives in the config file, whose comments stay."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from ui_driver import shown_keys, toasts, type_text, wait_for, wait_idle

from allas_tui.bookmarks import Bookmarks
from allas_tui.config import load_config
from allas_tui.storage.swift import SwiftBackend
from allas_tui.ui.app import AllasApp
from allas_tui.ui.location import Location
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.widgets.bucket_tree import BucketTree

pytestmark = pytest.mark.stack

CONFIG = """# my allas-tui settings
[transfers]
chunk_size = "64MiB"  # bigger parts on a fast line
"""


@pytest.fixture
def shared_bucket(stack: Stack) -> Iterator[str]:
    """A bucket of otheruser's project that allasuser's project may read."""
    other = stack.backend("rgw-swift", user="otheruser")
    assert isinstance(other, SwiftBackend)
    bucket = unique_name("shared")
    other.create_bucket(bucket)
    _, ours = stack.project()
    raw = other.connections.get()
    raw.put_object(bucket, "results/summary.txt", b"shared results\n")
    raw.post_container(bucket, {"X-Container-Read": f"{ours['id']}:*,.rlistings"})
    try:
        yield bucket
    finally:
        remove_bucket(other, bucket)


def _tree_labels(app: AllasApp) -> list[str]:
    return [str(node.label) for node in app.query_one(BucketTree).root.children]


async def test_a_bookmark_survives_a_restart(
    stack: Stack, shared_bucket: str, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    profile = profile_for(stack, "rgw-swift")
    app = AllasApp(profile, config_path=config)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, app)
        assert shared_bucket not in shown_keys(app), "a shared bucket is listed after all"
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "open by name")
        await type_text(pilot, shared_bucket)
        await pilot.press("enter")
        await wait_idle(pilot, app)
        assert shown_keys(app) == ["results/"]
        await pilot.press("B")
        await wait_idle(pilot, app)
        assert f"Bookmarked {shared_bucket}/" in toasts(app)
        assert _tree_labels(app)[0] == f"★ {shared_bucket}/"

    text = config.read_text()
    assert "# my allas-tui settings" in text and "# bigger parts on a fast line" in text
    assert load_config(config).transfers.chunk_size == 64 * 1024 * 1024  # still read
    assert Bookmarks(config, profile.name).places == [f"{shared_bucket}/"]

    again = AllasApp(profile, config_path=config)
    async with again.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, again)
        assert _tree_labels(again)[0] == f"★ {shared_bucket}/"
        tree = again.query_one(BucketTree)
        tree.focus()
        await pilot.press("home", "enter")
        await wait_idle(pilot, again)
        assert again.location == Location(shared_bucket)
        assert shown_keys(again) == ["results/"]
        # the tree's node unfolds into the shared bucket's folders too
        node = tree.root.children[0]
        await wait_for(
            pilot, lambda: any("results" in str(c.label) for c in node.children), "folders"
        )

        # B again drops it
        await pilot.press("B")
        await wait_idle(pilot, again)
        assert f"Removed the bookmark of {shared_bucket}/" in toasts(again)
        assert not any(label.startswith("★") for label in _tree_labels(again))
    assert Bookmarks(config, profile.name).places == []
