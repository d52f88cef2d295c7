"""The benchmark's tables: rates, allas-tui's ratio to each client, the
server's ceiling, CPU seconds and peak RSS, as Markdown."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from measure import Summary

OURS = "allas-tui"


@dataclass
class Row:
    """One client's result in one workload over one protocol."""

    workload: str
    protocol: str
    client: str
    up: Summary | None = None
    """For W3, W9 and W10 (measured one way), the measurement."""
    down: Summary | None = None
    amount: float = 0.0
    """MB, files or objects moved in one run."""
    unit: str = ""
    error: str | None = None

    def rate(self, direction: str) -> float | None:
        summary = self.up if direction == "up" else self.down
        return self.amount / summary.seconds if summary and summary.seconds else None


def _fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _ratio(mine: float | None, theirs: float | None) -> str:
    return "" if not mine or not theirs else f"{mine / theirs:.2f}"


ONE_WAY = {"W3": "listing", "W9": "copy", "W10": "copy"}
"""Workloads measured one way only (in `Row.up`), with what that way is called."""


def render(header: str, rows: list[Row]) -> str:
    """Markdown: the header, then one table per workload."""
    out = [header, ""]
    for workload in dict.fromkeys(r.workload for r in rows):
        group = [r for r in rows if r.workload == workload]
        listing = workload in ONE_WAY
        ceilings = {
            d: max((r.rate(d) or 0.0 for r in group if not r.error), default=0.0)
            for d in ("up", "down")
        }
        unit = next((r.unit for r in group if r.unit), "")
        out.append(f"### {workload} ({unit})")
        out.append("")
        if listing:
            out.append(
                f"| protocol | client | time s | {unit} | allas-tui ÷ client | CPU s | RSS MiB |"
            )
            out.append("|---|---|---|---|---|---|---|")
        else:
            out.append(
                "| protocol | client | up | down | ratio up | ratio down "
                "| CPU s up/down | RSS MiB |"
            )
            out.append("|---|---|---|---|---|---|---|---|")
        for r in group:
            if r.error:
                out.append(f"| {r.protocol} | {r.client} | failed: {r.error} |")
                continue
            mine = next(
                (m for m in group if m.client == OURS and m.protocol == r.protocol and not m.error),
                None,
            )
            rss = max(s.peak_rss_mib for s in (r.up, r.down) if s)
            if listing:
                assert r.up is not None
                out.append(
                    f"| {r.protocol} | {r.client} | {r.up.seconds:.2f} | {_fmt(r.rate('up'), 0)} "
                    f"| {_ratio(mine.rate('up') if mine else None, r.rate('up'))} "
                    f"| {r.up.cpu_seconds:.2f} | {rss:.0f} |"
                )
                continue
            cpu = "/".join(f"{s.cpu_seconds:.1f}" for s in (r.up, r.down) if s)
            out.append(
                f"| {r.protocol} | {r.client} | {_fmt(r.rate('up'))} | {_fmt(r.rate('down'))} "
                f"| {_ratio(mine.rate('up') if mine else None, r.rate('up'))} "
                f"| {_ratio(mine.rate('down') if mine else None, r.rate('down'))} "
                f"| {cpu} | {rss:.0f} |"
            )
        ours = [r for r in group if r.client == OURS and not r.error]
        for r in ours:
            shares = ", ".join(
                f"{ONE_WAY.get(workload, d)} {100 * (r.rate(d) or 0) / ceilings[d]:.0f} %"
                for d in (("up",) if listing else ("up", "down"))
                if ceilings[d]
            )
            out.append("")
            out.append(
                f"allas-tui over {r.protocol}: share of the best any client reached: {shares}."
            )
        out.append("")
        if workload == "W1":
            out += _cpu_per_gib(group)
    return "\n".join(out)


W8_GOAL = 1.2
"""CPU seconds per GiB moved that W8 allows."""


def _cpu_per_gib(group: list[Row]) -> list[str]:
    """W8: the CPU each client spent per GiB moved in W1, up and down."""
    out = [
        f"### W8 (CPU seconds per GiB moved in W1; goal for allas-tui ≤ {W8_GOAL})",
        "",
        "| protocol | client | up | down |",
        "|---|---|---|---|",
    ]
    for r in group:
        if r.error or not r.amount:
            continue
        gib = r.amount * 1e6 / 2**30
        cells = [f"{s.cpu_seconds / gib:.2f}" if s else "" for s in (r.up, r.down)]
        out.append(f"| {r.protocol} | {r.client} | {cells[0]} | {cells[1]} |")
    return [*out, ""]


def run_line(script: str) -> str:
    """When, on what, and the exact command: the first lines of every report."""
    machine = (
        f"{datetime.date.today()} · {platform.node()} · {os.cpu_count()} cores · "
        f"{platform.platform()} · Python {platform.python_version()}"
    )
    return f"{machine}\n\nCommand: `.venv/bin/python benchmarks/{script} {' '.join(sys.argv[1:])}`"


def publish(text: str, results: Path | None) -> None:
    """Print the tables, and write them to `results` when asked."""
    print(text)
    if results:
        results.write_text(text)
