"""The header line: project, protocol, endpoint and the time left on the token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from rich.text import Text
from textual.widgets import Static

from allas_tui import __version__
from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.ui.safe_text import visible


def time_left(expires: datetime | None, now: datetime) -> str | None:
    """`token 7h59m`, `token 12m`, `token 45s`, `token expired`, or None when
    the expiry is unknown."""
    if expires is None:
        return None
    seconds = int((expires - now).total_seconds())
    if seconds <= 0:
        return "token expired"
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"token {hours}h{rest // 60:02d}m"
    return f"token {rest // 60}m" if rest >= 120 else f"token {rest}s"


class StatusHeader(Static):
    """One line across the top; names are shown as text, never as markup."""

    DEFAULT_CSS = """
    StatusHeader {
        height: 1; background: $primary; color: $text; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.parts: list[str] = ["connecting..."]
        self.expires: Callable[[], datetime | None] = lambda: None
        """Asked on every redraw: a session that logs in again gets a new token."""
        self._drawn = ""

    def on_mount(self) -> None:
        self.set_interval(1, self.redraw)
        self.redraw()

    def show_connection(self, profile: ConnectionProfile, backend: StorageBackend) -> None:
        """Project, protocol, token time and endpoint host of a connection."""
        from allas_tui.demo_store import DEMO_PROFILE_NAME

        endpoint = backend.endpoint
        if profile.name == DEMO_PROFILE_NAME:
            endpoint = "built-in demo store"
        elif "://" in endpoint:
            endpoint = endpoint.split("://", 1)[1].split("/", 1)[0]  # the host says enough
        parts = [backend.project or profile.name, profile.protocol.value, endpoint]
        self.show(parts, lambda: backend.token_expires)

    def show(self, parts: list[str], expires: Callable[[], datetime | None]) -> None:
        """Show `parts` (project, protocol, endpoint last) and count down to `expires`."""
        self.parts = parts
        self.expires = expires
        self.redraw()

    def redraw(self, now: datetime | None = None) -> None:
        """Draw the line, with the token's time left as of `now`."""
        line = Text.assemble((f"allas-tui {__version__}", "bold"))
        left = time_left(self.expires(), now or datetime.now(UTC))
        # the token time goes before the endpoint, the part most easily cut
        parts = [*self.parts[:-1], *([left] if left else []), *self.parts[-1:]]
        for part in parts:
            line.append("  │  ", style="dim")
            line.append(visible(part))
        line.no_wrap = True
        line.overflow = "ellipsis"
        if line.plain != self._drawn:  # most seconds change nothing shown
            self._drawn = line.plain
            self.update(line)
