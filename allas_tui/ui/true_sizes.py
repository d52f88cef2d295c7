"""The true size and kind of rows on screen, learned by HEAD in a thread
worker, where a listing leaves them in doubt (see `learned_heads.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allas_tui.storage.models import ObjectHead
from allas_tui.ui.widgets.object_rows import Row
from allas_tui.ui.widgets.object_table import ObjectTable

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp


class TrueSizes:
    """Runs the HEADs the object table asks for, and shows what they tell."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app

    def fetch(self, rows: list[Row]) -> None:
        """HEAD `rows` of the current location off the UI thread; the table
        repaints once with every answer."""
        app = self.app
        backend, location = app.backend, app.location
        if backend is None or location.bucket is None or not rows:
            return
        bucket = location.bucket
        table = app.query_one(ObjectTable)
        listing = table.heads.listing

        def run() -> None:
            by_key = {row.key: row for row in rows}
            answers = list(backend.head_many(bucket, list(by_key)))
            found = [(by_key[key], head) for key, head in answers if head is not None]
            app.call_from_thread(show, found)

        def show(found: list[tuple[Row, ObjectHead]]) -> None:
            if table.heads.listing != listing:
                return  # the table moved on to another listing
            for row, head in found:
                table.heads.learn(row, head)
            table.refresh()

        app.run_worker(
            run, name=f"HEAD {len(rows)} objects", group="heads", thread=True, exit_on_error=False
        )
