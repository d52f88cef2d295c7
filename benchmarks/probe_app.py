"""allas-tui with a stopwatch, run in a real terminal (tmux) by benchmarks/in_app.py.

    python benchmarks/probe_app.py OUT --protocol s3 [--bucket B] [--rows N]
        [--download BUCKET] [--files-at-once 8]

It is the app itself, logged in from the environment as the app logs in; it
adds only measurements, written to OUT as JSON lines:

- `first_frame`: seconds from `ALLAS_BENCH_LAUNCHED` (the launcher's clock,
  just before it started this process) to the first screen written;
- `ready`: the bucket list is shown, with the cursor on `--bucket`;
- `key`: for each key, the milliseconds from the key event (stamped when the
  terminal's input was read) to the end of the next screen update after it,
  with how many transfers were running;
- `first_rows`: Enter on `--bucket` to the first screen showing its rows;
- `listed`: Enter to the screen showing all `--rows` rows, with the RSS;
- `filtered`: a key that starts a filter in steps to the screen showing every
  match (the `key` event is the first screenful).

With `--download BUCKET`, it downloads that bucket again and again into a
scratch folder, so transfers run while keys are timed.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual import events
from textual.screen import Screen

from allas_tui.config import load_config
from allas_tui.storage.discovery import choose_profile, discover
from allas_tui.storage.models import Protocol
from allas_tui.transfers.journal import Journal
from allas_tui.ui import app as app_module
from allas_tui.ui.app import AllasApp
from allas_tui.ui.widgets.object_table import ObjectTable


def rss_mib() -> float:
    """This process's resident memory, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ProbeApp(AllasApp):
    """The app, writing when keys come in and when the screen is written."""

    # Textual finds CSS_PATH next to the subclass's module; the app's is elsewhere
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, out: Path, args: argparse.Namespace, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._probe_out = out.open("a", encoding="utf-8")
        self._probe_args = args
        self._probe_framed = False
        self._probe_ready = False
        self._probe_keys: list[tuple[str, float]] = []
        self._probe_entered: float | None = None
        self._probe_last_key = 0.0
        self._probe_first_rows = False
        self._probe_filtering: float | None = None
        self._probe_scratch = Path(tempfile.mkdtemp(prefix="allas-probe-"))

    def _write(self, event: str, **fields: Any) -> None:
        self._probe_out.write(json.dumps({"event": event, **fields}) + "\n")
        self._probe_out.flush()

    async def on_event(self, event: events.Event) -> None:
        # a key event bubbles back up to the app: count it once
        if isinstance(event, events.Key) and event.time != self._probe_last_key:
            self._probe_last_key = event.time
            self._probe_keys.append((event.key, event.time))
            if event.key == "enter" and self.location.bucket is None:
                self._probe_entered = event.time
        await super().on_event(event)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if renderable is None or self._batch_count:
            return  # nothing was written
        now = time.monotonic()
        if not self._probe_framed:
            self._probe_framed = True
            launched = float(os.environ.get("ALLAS_BENCH_LAUNCHED", "nan"))
            self._write("first_frame", seconds=time.time() - launched)
        running = self._running_transfers()
        for key, stamp in self._probe_keys:
            self._write("key", key=key, ms=(now - stamp) * 1000, running=running)
        self._check_filter(now)
        self._probe_keys.clear()
        self._check_listing(now)

    def _check_filter(self, now: float) -> None:
        """Time a filter keystroke on to the screen showing every match."""
        filtering = self.query_one(ObjectTable).store.filtering
        if filtering and self._probe_keys and self._probe_filtering is None:
            self._probe_filtering = self._probe_keys[-1][1]
        elif not filtering and self._probe_filtering is not None:
            self._write("filtered", ms=(now - self._probe_filtering) * 1000)
            self._probe_filtering = None

    def _check_listing(self, now: float) -> None:
        table = self.query_one(ObjectTable)
        bucket = self._probe_args.bucket
        if not self._probe_ready and self.location.bucket is None and table.store.loaded:
            self._probe_ready = True
            table.move_to_key(bucket)
            launched = float(os.environ.get("ALLAS_BENCH_LAUNCHED", "nan"))
            self.call_after_refresh(self._write, "ready", seconds=time.time() - launched)
            if self._probe_args.download:
                self.set_interval(0.5, self._keep_downloading)
        if self._probe_entered is None or self.location.bucket != bucket:
            return
        loaded = table.store.loaded
        if loaded and not self._probe_first_rows:
            self._probe_first_rows = True
            self._write("first_rows", ms=(now - self._probe_entered) * 1000, rows=loaded)
        if loaded >= self._probe_args.rows:
            self._write("listed", ms=(now - self._probe_entered) * 1000, rows=loaded, rss=rss_mib())
            self._probe_entered = None

    def _running_transfers(self) -> int:
        return len(self.queue.snapshot().job_rates) if self.queue is not None else 0

    def _keep_downloading(self) -> None:
        if self.queue is not None and not self.queue.snapshot().active:
            self.queue.download(
                self._probe_args.download, "", [], [""], self._probe_scratch, policy="overwrite"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--protocol", choices=["s3", "swift"], default="s3")
    parser.add_argument("--bucket", default="")
    parser.add_argument("--rows", type=int, default=1)
    parser.add_argument("--download", default="")
    parser.add_argument("--files-at-once", type=int, default=0)
    args = parser.parse_args()
    settings = load_config().transfers
    if args.files_at_once:
        settings = replace(settings, files_at_once=args.files_at_once)
    profile = choose_profile(discover(), protocol=Protocol(args.protocol))
    # journalled, as the app is run, so the probe pays what a user pays
    ProbeApp(args.out, args, profile=profile, settings=settings, journal=Journal()).run()


if __name__ == "__main__":
    main()
