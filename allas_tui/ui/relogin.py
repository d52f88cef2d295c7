"""Logging in again with a typed password, when an allas-conf token (and no
password) has expired: transfers wait at the queue's login gate meanwhile,
and go on once the password is accepted."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text

from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

WAITING_HINT = "The token has expired; transfers wait. Press L to log in with the password."


class ReloginFlow:
    """Asks for the password once per expiry, and again when the user asks (L)."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app
        self._asking = False
        self._declined = False
        """The user closed the dialog: do not ask again until asked (L), or
        until browsing fails on the token."""

    def token_expired(self, *, by_user: bool = False) -> bool:
        """The token expired (a transfer waits, browsing failed, or the user
        pressed L): ask for the password if it can help and is not being asked.
        True when the dialog is, or is now, open."""
        backend = self.app.backend
        if backend is None or not backend.can_take_password:
            return False
        if self._asking:
            return True
        if self._declined and not by_user:
            return False
        self._asking, self._declined = True, False
        self.app.operations.start("log in again", self._ask)
        return True

    async def _ask(self) -> None:
        from allas_tui.ui.app import FlowStopped

        app = self.app
        backend = app.backend
        assert backend is not None
        user = getattr(getattr(backend, "login", None), "username", None) or "the user"
        explanation = Text.assemble(
            f"The token for project {visible(backend.project or '?')} has expired.\n",
            f"Type the password of {visible(user)} to log in again.\n",
            "Transfers wait where they are; nothing is lost.",
        )
        try:
            while True:
                password = await app.push_screen_wait(
                    PromptScreen("Log in again", explanation, secret=True)
                )
                if password is None:
                    self._declined = True
                    app.set_status(WAITING_HINT)
                    return
                try:
                    await app.in_thread(
                        partial(backend.log_in_with, password), "log in again", group="login"
                    )
                except FlowStopped:
                    continue  # the error handler said why (a wrong password, say); ask again
                break
        finally:
            self._asking = False
        gate = app.queue.login_gate if app.queue is not None else None
        if gate is not None:
            gate.reopen()
        app.query_one(StatusHeader).redraw()
        app.set_status("Logged in again; transfers go on.")
        app.refresh_listing()
