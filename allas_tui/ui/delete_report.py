"""After a delete that ended early: what is really left, read back from the
server, and a report file naming every object deleted and not deleted."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import platformdirs

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import NotFound
from allas_tui.ui.safe_text import visible

if TYPE_CHECKING:
    from allas_tui.ui.delete_plan import Doomed
    from allas_tui.ui.deleting import DeleteProgress


def leftovers(backend: StorageBackend, doomed: list[Doomed]) -> dict[str, set[str]]:
    """Bucket → the doomed keys still there, from a fresh listing: a batch
    that failed midway may have deleted some of its keys, so only the server
    can say exactly."""
    left: dict[str, set[str]] = {}
    for item in doomed:
        wanted = set(item.keys)
        pages = backend.iter_pages(item.bucket, item.common_prefix)
        try:
            left[item.bucket] = {o.key for page in pages for o in page.objects if o.key in wanted}
        except NotFound:
            left[item.bucket] = set()  # the bucket itself is gone
    return left


def write_report(doomed: list[Doomed], left: dict[str, set[str]], progress: DeleteProgress) -> str:
    """Write the report to the state folder; its path."""
    folder = platformdirs.user_state_path("allas-tui") / "delete-reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / time.strftime("delete-%Y%m%d-%H%M%S.txt")
    lines = [f"allas-tui: a delete that ended early, {time.strftime('%Y-%m-%d %H:%M:%S')}"]
    if progress.stopped_by is not None:
        lines.append(f"It stopped at an error: {progress.stopped_by}")
    if progress.stop.is_set():
        lines.append("It was stopped by the user.")
    for item in doomed:
        stayed = left[item.bucket]
        lines.append("")
        lines.append(f"Bucket {visible(item.bucket)}:")
        lines.append(f"  deleted ({len(item.keys) - len(stayed):,}):")
        lines.extend(f"    {visible(k)}" for k in item.keys if k not in stayed)
        lines.append(f"  not deleted ({len(stayed):,}):")
        for key in item.keys:
            if key in stayed:
                why = progress.failed.get(f"{item.bucket}/{key}")
                lines.append(f"    {visible(key)}" + (f"  ({why})" if why else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)
