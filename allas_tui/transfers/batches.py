"""A batch: the jobs one upload or download command expands into, found by a
walk that runs while the first jobs already transfer."""

from __future__ import annotations

from dataclasses import dataclass, field

from allas_tui.transfers.jobs import Direction, Login, TransferJob


@dataclass(eq=False)
class Batch:
    """One command's jobs, their shared conflict policy and the walk's state."""

    batch_id: int
    direction: Direction
    description: str
    """What the user asked for, e.g. "upload data/ to bucket/x/"."""
    policy: str
    """The conflict policy; "ask" until the user answers, once for the batch."""
    login: Login | None = None
    """The login (backend and journal account) its jobs run with: the queue's
    current one when the batch began, whatever project the app shows later."""
    counting: bool = True
    """True while the walk is still finding jobs, so the total is not final."""
    found: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    """Names the walk could not turn into jobs, with why."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Keys saved under another local name: key → "name (why)"."""
    parked: list[TransferJob] = field(default_factory=list)
    """Jobs whose target exists, waiting for the policy."""
    error: BaseException | None = None
    """Why the walk stopped early, if it did."""
    reported: bool = False
    """Set by the UI once it told the user how the walk ended."""
