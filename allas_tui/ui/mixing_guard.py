"""The protocol-mixing guard: before an operation that a large object made by
the other protocol will spoil, say what will happen and what to do instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from allas_tui.storage.mixing import COPY_ADVICE, DOWNLOAD_ADVICE
from allas_tui.storage.models import ObjectKind, Protocol
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.selection import Selection, name_list
from allas_tui.ui.widgets.learned_heads import needs_head
from allas_tui.ui.widgets.object_rows import Row, RowKind
from allas_tui.ui.widgets.object_table import ObjectTable
from allas_tui.wording import count

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

HEADS_BEFORE_ASKING = 200
"""Marked rows of unknown kind HEADed before the guard decides; beyond this,
their downloads still say on their own when they could not be checked."""
DOWNLOAD_ANYWAY = Choice(("c",), "c: download, checking sizes only", "download")
LEAVE_OUT = Choice(("l",), "l: leave them out, go on with the rest", "leave-out")


async def swift_large_objects(app: AllasApp, selection: Selection) -> list[tuple[Row, ObjectKind]]:
    """The selected objects that are Swift large objects, when the login is
    S3's: HEADs tell the kinds a listing left in doubt."""
    backend, bucket = app.backend, selection.location.bucket
    if backend is None or backend.protocol is not Protocol.S3 or bucket is None:
        return []
    heads = app.query_one(ObjectTable).heads
    objects = [r for r in selection.rows if r.kind is RowKind.OBJECT]
    unknown = [r for r in objects if needs_head(r) and r.key not in heads.learned]
    unknown = unknown[:HEADS_BEFORE_ASKING]
    if unknown:
        keys = [r.key for r in unknown]
        answers = await app.in_thread(
            lambda: list(backend.head_many(bucket, keys)), f"HEAD {len(keys)} objects", "heads"
        )
        for row, (_, head) in zip(unknown, answers, strict=True):
            if head is not None:
                heads.learn(row, head)
    return [(r, k) for r in objects if (k := heads.size_and_kind(r)[1]).is_manifest]


async def download_goes_ahead(app: AllasApp, selection: Selection) -> bool:
    """Before an S3 download of Swift large objects (SLO, DLO), say that only
    their sizes can be checked and how to have them checked; True to go on."""
    split = await swift_large_objects(app, selection)
    if not split:
        return True
    answer = await app.push_screen_wait(
        ConfirmScreen(
            "Large objects made by a Swift tool",
            _explanation(split),
            [DOWNLOAD_ANYWAY],
            danger=False,
        )
    )
    return answer == DOWNLOAD_ANYWAY.value


async def copy_leaves_out(app: AllasApp, selection: Selection, verb: str) -> set[str] | None:
    """Before an S3 copy or move of Swift large objects, say why they cannot
    go and what to do instead: the keys to leave out, or None to stop."""
    split = await swift_large_objects(app, selection)
    if not split:
        return set()
    names = [f"{kind.value.upper()}  {row.name}" for row, kind in split]
    was = "was" if len(split) == 1 else "were"
    body = Text(
        f"{count(len(split), 'object')} here {was} split into segments by a Swift tool:\n"
        f"{name_list(names)}\n\n"
        "S3 cannot copy a Swift manifest's segments: on radosgw the copy would be a\n"
        "second manifest over the same segments, and deleting either one would\n"
        f"break the other. They are not {verb}d over S3.\n{COPY_ADVICE}"
    )
    title = "Large objects made by a Swift tool"
    answer = await app.push_screen_wait(ConfirmScreen(title, body, [LEAVE_OUT], danger=False))
    return {row.key for row, _ in split} if answer == LEAVE_OUT.value else None


def _explanation(split: list[tuple[Row, ObjectKind]]) -> Text:
    names = [f"{kind.value.upper()}  {row.name}" for row, kind in split]
    was = "was" if len(split) == 1 else "were"
    return Text(
        f"{count(len(split), 'object')} here {was} split into segments by a Swift tool:\n"
        f"{name_list(names)}\n\n"
        "S3 reads a Swift manifest as one object but cannot see its segments'\n"
        "checksums: an MD5 check would fail, so over S3 only the size is checked.\n"
        f"{DOWNLOAD_ADVICE}"
    )
