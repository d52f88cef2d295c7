"""P shows the login (storage URL or endpoint, the token's expiry) and the
project's usage against Allas's limits; once connected, a bucket near its
object limit is warned about. The limits are lowered here (as a config
file's [limits] can set them) so that 48 objects are near the limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from transfer_helpers import bulk_fill
from ui_driver import toasts, wait_for, wait_idle

from allas_tui.storage.limits import AllasLimits
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.details import DetailsScreen

pytestmark = pytest.mark.stack

LIMITS = AllasLimits(objects_per_bucket=50)


@pytest.fixture
def crowded(stack: Stack) -> Iterator[str]:
    swift = stack.backend("rgw-swift")
    bucket = unique_name("crowded")
    swift.create_bucket(bucket)
    bulk_fill(swift, bucket, [f"obj-{n:03d}" for n in range(48)])
    try:
        yield bucket
    finally:
        remove_bucket(swift, bucket)


async def test_swift_login_shows_usage_and_warns_near_a_limit(stack: Stack, crowded: str) -> None:
    app = AllasApp(profile_for(stack, "rgw-swift"), limits=LIMITS)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await wait_for(pilot, lambda: "Near an Allas limit" in _titles(app), "the warning")
        assert f"bucket {crowded}: 48 of 50 objects (96%)" in toasts(app)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen), "the screen")
        screen = app.screen
        assert isinstance(screen, DetailsScreen)
        login, usage = screen.sections["Login"], screen.sections["Usage"]
        assert app.backend is not None
        assert login["Storage URL"] == app.backend.endpoint
        assert "/AUTH_" in login["Storage URL"]
        assert "(token " in login["Token expires"], login
        assert usage["Storage"].endswith("of 10.0 TiB (0%)"), usage
        assert usage["Objects per bucket"] == "at most 50"
        assert int(usage["Objects"].replace(",", "")) >= 48
        assert screen.sections["Fullest buckets"][crowded] == "48 objects"
        assert any(crowded in line for line in screen.sections["Near a limit"].values())


async def test_s3_login_says_what_it_cannot_tell(stack: Stack) -> None:
    app = AllasApp(profile_for(stack, "rgw-s3"))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailsScreen), "the screen")
        screen = app.screen
        assert isinstance(screen, DetailsScreen)
        login, usage = screen.sections["Login"], screen.sections["Usage"]
        assert login["Endpoint"] == stack.backend_info("rgw")["object_url"]
        assert login["Token"] == "none (keys do not expire)"
        assert usage["Storage"] == "unknown of 10.0 TiB"
        assert usage["Note"] == "S3 does not report a project's totals; a Swift login does."
        assert "Near an Allas limit" not in _titles(app)


def _titles(app: AllasApp) -> str:
    return "\n".join(str(n.title) for n in app._notifications)
