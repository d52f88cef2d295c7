"""Where a key lands on disk, without a server: inside the folder, under a
name safe to show in a terminal, or refused with why."""

from __future__ import annotations

from pathlib import Path

import pytest

from allas_tui.transfers.planning import local_path_for

DEST = Path("/data/dest")


@pytest.mark.parametrize(
    ("key", "lands_at", "changed"),
    [
        ("plain/file.txt", "plain/file.txt", None),
        ("caf\u00e9.txt", "caf\u00e9.txt", None),
        ("[bold]x", "[bold]x", None),
        ("/etc/passwd", "etc/passwd", "the leading '/' dropped"),
        ("a//b", "a/b", "'//' made '/'"),
        ("esc-\x1b[31mRED", "esc-\u241b[31mRED", "control characters"),
        ("nl-\nx\ty\rz", "nl-\u240ax\u2409y\u240dz", "control characters"),
        ("del-\x7f", "del-\u2421", "control characters"),
        ("rlo-\u202etxt.exe", "rlo-_txt.exe", "control characters"),
        ("c1-\x9b31m", "c1-_31m", "control characters"),
    ],
)
def test_names_land_inside_and_changes_are_said(
    key: str, lands_at: str, changed: str | None
) -> None:
    target = local_path_for(DEST, key)
    assert target.path == DEST / lands_at
    assert target.path.is_relative_to(DEST)
    if changed is None:
        assert target.changed is None
    else:
        assert target.changed is not None and changed in target.changed


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("../../escape.txt", "'..'"),
        ("a/../../b", "'..'"),
        ("./a", "'.'"),
        ("..", "'..'"),
        ("nul-\x00x", "NUL"),
        ("/", "empty"),
        ("L" * 256, "255"),
        ("ok/" + "\u00e9" * 128, "255"),  # 256 bytes in UTF-8
    ],
)
def test_names_that_would_escape_or_cannot_exist_are_refused(key: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        local_path_for(DEST, key)


def test_a_name_of_255_bytes_is_taken() -> None:
    assert local_path_for(DEST, "L" * 255).path == DEST / ("L" * 255)
