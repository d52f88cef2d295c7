"""Progress counting, without a server."""

from __future__ import annotations

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
