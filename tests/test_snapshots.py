"""SVG snapshots of the main screen, the help screen, the delete confirmation
and the transfer panel in progress. The scenes are the ones the README's
screenshots are made from (screenshots/scenes.py), on the demo store with its
fixed dates and a fixed clock.

After a deliberate change of look: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "screenshots"))
from scenes import SCENES, SIZE, demo_app


@pytest.mark.parametrize("name", list(SCENES))
def test_screen_looks_as_pinned(snap_compare: Any, name: str) -> None:
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=SCENES[name])
