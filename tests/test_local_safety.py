"""Progress counting and safe local writes, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from allas_tui.storage.errors import LocalFileError
from allas_tui.storage.local_files import PART_SUFFIX, write_atomically
from allas_tui.storage.progress import ProgressMeter


def test_meter_never_goes_back_or_past_the_end() -> None:
    seen: list[int] = []
    meter = ProgressMeter(100, seen.append)
    meter.add(60)
    meter.add(-30)  # a retried part is rewound...
    meter.add(30)  # ...and sent again: not counted twice
    meter.add(50)
    meter.add(50)
    meter.finish()
    assert seen == [60, 100]
    assert meter.done == 100


def test_meter_reports_the_end_of_an_empty_file() -> None:
    seen: list[int] = []
    ProgressMeter(0, seen.append).finish()
    assert seen == [0]


def test_failed_write_leaves_no_file(tmp_path: Path) -> None:
    dest = tmp_path / "out.bin"

    def fail(file: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(LocalFileError, match="the disk is full"):
        write_atomically(dest, fail)
    assert list(tmp_path.iterdir()) == []


def test_write_appears_only_when_complete(tmp_path: Path) -> None:
    dest = tmp_path / "out.bin"

    def write(file) -> None:
        file.write(b"data")
        parts = [p for p in tmp_path.iterdir() if p.name.endswith(PART_SUFFIX)]
        assert len(parts) == 1 and not dest.exists()

    write_atomically(dest, write)
    assert dest.read_bytes() == b"data"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
