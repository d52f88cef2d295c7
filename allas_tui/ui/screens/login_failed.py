"""The screen shown when logging in fails: what went wrong and what to do next."""

from __future__ import annotations

from typing import ClassVar, Self

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from allas_tui.storage.errors import StorageError
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.ui.safe_text import visible


class LoginFailedScreen(ModalScreen[str]):
    """Shows the login error; r tries again, q quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('retry')", "Try again", id="login-retry"),
        Binding("q,escape", "choose('quit')", "Quit", id="login-quit"),
    ]

    def __init__(self, profile_name: str, message: str, hint: str | None) -> None:
        super().__init__(classes="danger")
        self.profile_name = profile_name
        self.message = message
        self.hint = hint

    @classmethod
    def about(cls, profile: ConnectionProfile | None, error: BaseException | None) -> Self:
        """The screen for `error`, met logging in with `profile` (None: the demo store)."""
        name = profile.name if profile else "the demo store"
        hint = error.hint if isinstance(error, StorageError) else None
        return cls(name, str(error), hint)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Text(f"Could not log in with {visible(self.profile_name)}", style="bold"),
                id="dialog-title",
            )
            yield Static(Text(visible(self.message)), id="dialog-body")
            if self.hint:
                yield Static(Text(visible(self.hint), style="italic"), id="login-hint")
            yield Static(Text("r: try again    q: quit", style="bold"), id="dialog-keys")

    def action_choose(self, choice: str) -> None:
        """Close with the user's choice."""
        self.dismiss(choice)
