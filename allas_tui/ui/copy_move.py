"""The copy (c) and move (m) keys: server-side copies, moves and renames of
objects and whole folders, within a bucket or between buckets, run by the
transfer queue with progress in the transfer panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from allas_tui.storage.bucket_names import check_bucket_name
from allas_tui.storage.errors import InvalidBucketName, NotFound
from allas_tui.transfers.copy_targets import (
    Destination,
    Picked,
    parse_destination,
    plan_picks,
    plan_problem,
)
from allas_tui.transfers.walking import CopyPick
from allas_tui.ui.mixing_guard import copy_leaves_out
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.selection import Selection
from allas_tui.ui.widgets.object_rows import RowKind

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

MOVE = Choice(("m", "enter"), "m / Enter: move", "move")
RENAME = Choice(MOVE.keys, "m / Enter: rename", MOVE.value)
CREATE = Choice(("c",), "c: create it", "create")


class CopyMoveFlow:
    """Ask where to, check it, guard what the protocol cannot copy, confirm a
    move, and queue the batch."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app

    async def run(self, selection: Selection, *, move: bool) -> None:
        """Copy (or move) the marked rows, or the cursor row."""
        app = self.app
        verb = "move" if move else "copy"
        source = _source(selection)
        if app.queue is None or app.backend is None or source is None:
            app.notify(f"Nothing to {verb} here: mark objects or folders.", severity="warning")
            return
        source_bucket, base_prefix, picked = source
        leave_out = await copy_leaves_out(app, selection, verb)
        if leave_out is None:
            return
        picked = [p for p in picked if p.key not in leave_out]
        if not picked:
            app.notify(f"Nothing left to {verb}.", severity="warning")
            return
        what = selection.describe()
        destination = await self._ask_destination(verb, what, source_bucket, base_prefix, picked)
        if destination is None:
            return
        picks = plan_picks(picked, base_prefix, destination)
        if not await self._bucket_ready(destination.bucket):
            return
        if move and not await self._confirm_move(what, source_bucket, destination, picks):
            return
        app.queue.copy(source_bucket, picks, destination.bucket, move=move)
        label = visible(destination.label)
        app.operations.transfers.started(
            f"{'Moving' if move else 'Copying'} into {label}", "objects"
        )

    async def _ask_destination(
        self, verb: str, what: str, source_bucket: str, base_prefix: str, picked: list[Picked]
    ) -> Destination | None:
        # one thing: its own path, to edit into the new name or folder
        single = picked[0].key.rstrip("/") if len(picked) == 1 else base_prefix
        initial = f"{source_bucket}/{single}"

        def problem(text: str) -> str | None:
            destination = parse_destination(text)
            try:
                check_bucket_name(destination.bucket)
            except InvalidBucketName as exc:
                return str(exc)
            picks = plan_picks(picked, base_prefix, destination)
            return plan_problem(source_bucket, picks, destination)

        explanation = Text(
            f"{what}\nto (bucket/folder/ keeps the names; for one object or folder, a name\n"
            "without a trailing / is its new name). Existing objects are not replaced\n"
            "unless you choose to when asked. The bytes are copied inside Allas."
        )
        text = await self.app.push_screen_wait(
            PromptScreen(f"{verb.capitalize()} to", explanation, value=initial, check=problem)
        )
        return parse_destination(text) if text else None

    async def _bucket_ready(self, bucket: str) -> bool:
        """True when `bucket` exists, or was created now that the user agreed."""
        app, backend = self.app, self.app.backend
        if backend is None:
            return False

        def exists() -> bool:
            try:
                backend.bucket_headers(bucket)
            except NotFound:
                return False
            return True

        if await app.in_thread(exists, f"look for bucket {visible(bucket)}"):
            return True
        body = Text(f"There is no bucket {visible(bucket)} in this project. Create it?")
        answer = await app.push_screen_wait(
            ConfirmScreen("No such bucket", body, [CREATE], danger=False)
        )
        if answer != CREATE.value:
            return False
        await app.in_thread(lambda: backend.create_bucket(bucket), f"create bucket {bucket}")
        app.notify(f"Created bucket {visible(bucket)}", markup=False)
        return True

    async def _confirm_move(
        self, what: str, source_bucket: str, destination: Destination, picks: list[CopyPick]
    ) -> bool:
        renaming = len(picks) == 1 and destination.bucket == source_bucket
        choice = MOVE
        if renaming and picks[0].source:
            title, choice = "Rename?", RENAME
            old, new = visible(picks[0].source), visible(picks[0].target)
            every = " (every object in it)" if picks[0].is_folder else ""
            line = f"Rename {old}{every}\nto {new} in bucket {visible(source_bucket)}."
        else:
            title = "Move?"
            line = f"Move {what}\nto {visible(destination.label)}."
            if not picks[0].source:  # a whole bucket: its name cannot change
                line += " The bucket itself stays, empty."
        body = Text(
            f"{line}\n\nEach object is copied inside Allas and checked against its source;\n"
            f"only then is the source deleted from {visible(source_bucket)}. Objects already\n"
            "at the target are not replaced unless you choose to when asked."
        )
        return await self.app.push_screen_wait(ConfirmScreen(title, body, [choice])) == MOVE.value


def _source(selection: Selection) -> tuple[str, str, list[Picked]] | None:
    """The source bucket, the prefix the rows are listed under, and the rows;
    a bucket row of the bucket list stands for all its objects."""
    rows = selection.rows
    bucket = selection.location.bucket
    if bucket is None:
        buckets = [r for r in rows if r.kind is RowKind.BUCKET]
        if len(buckets) != 1:
            return None
        return buckets[0].key, "", [Picked("")]
    picked = [
        # the listed size, not a HEAD's: a DLO's listed 0 is what tells it over S3
        Picked(r.key, -1 if r.size is None else r.size)
        for r in rows
        if r.kind in (RowKind.OBJECT, RowKind.FOLDER)
    ]
    return (bucket, selection.location.prefix, picked) if picked else None
