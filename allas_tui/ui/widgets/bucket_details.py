"""The right pane: what is known about the bucket under the cursor."""

from __future__ import annotations

from rich.filesize import decimal
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from allas_tui.storage.models import AccountUsage, BucketInfo


def _count(value: int | None) -> str:
    return "unknown over S3" if value is None else f"{value:,}"


class BucketDetails(Static):
    """Shows one bucket's name, object count and size, and the project's usage."""

    def show(self, bucket: BucketInfo | None, usage: AccountUsage | None) -> None:
        """Render `bucket` (or a hint when there is none) and the usage line."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        if bucket is None:
            table.add_row("", "No bucket selected.")
        else:
            table.add_row("Bucket", Text(bucket.name))
            table.add_row("Objects", _count(bucket.object_count))
            size = None if bucket.bytes_used is None else decimal(bucket.bytes_used)
            table.add_row("Size", size or "unknown over S3")
            if bucket.created is not None:
                table.add_row("Created", bucket.created.strftime("%Y-%m-%d %H:%M"))
        if usage is not None:
            buckets = _count(usage.bucket_count)
            if usage.bytes_used is None:
                line = f"{buckets} buckets (S3 does not report the project's size)"
            else:
                line = f"{decimal(usage.bytes_used)} in {buckets} buckets"
            table.add_row("", "")
            table.add_row("Project", line)
        self.update(table)
