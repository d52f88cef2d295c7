"""What an unexpected error does: a short report on disk, with every secret
blanked out, and a screen that says where it is. Textual's own handling would
print a traceback with each frame's local variables (a password among them)
over the terminal."""

from __future__ import annotations

import os
import platform
import traceback
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from textual._context import active_message_pump
from textual.actions import ActionParseResult
from textual.app import App
from textual.dom import DOMNode

from allas_tui import __version__
from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.ui.screens.crash import CrashScreen

BLANKED = "[secret]"
_SHORTEST_SECRET = 4
"""Shorter strings are left alone: blanking every "ab" would garble the report."""


def crash_folder() -> Path:
    """Where reports go: `crashes/` in the state folder (~/.local/state/allas-tui)."""
    return platformdirs.user_state_path("allas-tui") / "crashes"


def secrets_of(profile: ConnectionProfile | None, backend: StorageBackend | None) -> list[str]:
    """The secrets a login holds: what it was given, and any token it got since."""
    logins = [profile.swift, profile.s3] if profile else []
    found = [secret for login in logins if login is not None for secret in login.secrets()]
    return found + (backend.secrets() if backend else [])


def blank_secrets(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every secret in `secrets` replaced by a marker."""
    found = {s for s in secrets if s and len(s) >= _SHORTEST_SECRET}
    for secret in sorted(found, key=len, reverse=True):  # a longer one may hold a shorter
        text = text.replace(secret, BLANKED)
    return text


def save_crash_report(
    error: BaseException, secrets: Iterable[str | None], folder: Path | None = None
) -> Path:
    """Write what happened (the traceback, no variables) to a new file only
    the user can read, and return its path."""
    folder = folder or crash_folder()
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    lines = [
        f"allas-tui {__version__} on Python {platform.python_version()} ({platform.platform()})",
        f"at {now.isoformat(timespec='seconds')}",
        "",
        *traceback.format_exception(error),
    ]
    text = blank_secrets("\n".join(line.rstrip("\n") for line in lines) + "\n", secrets)
    for attempt in range(100):
        path = folder / f"crash-{now:%Y%m%d-%H%M%S}{f'-{attempt}' if attempt else ''}.txt"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as report:
            report.write(text)
        return path
    raise FileExistsError(f"no free report name in {folder}")


def crash_notice(error: BaseException, report: Path | None) -> str:
    """What to tell the user, in a few lines."""
    where = f"A short report is in {report}." if report else "No report could be written."
    return (
        f"allas-tui hit an unexpected error ({type(error).__name__}) and has to stop.\n"
        f"{where}\n"
        "Unfinished transfers are kept, and are offered again at the next start."
    )


def stop_after_crash(
    app: App[Any], error: Exception, secrets: Iterable[str | None], *, loop_alive: bool = False
) -> None:
    """Save a report and say where it is, on a screen when the app can still
    show one, else in a few lines once the terminal is back; then quit.

    After an error in a message handler, Textual stops that widget's message
    loop; the app's own goes on unless the handler was the app's. An action
    (`loop_alive`) fails before any loop sees it."""
    try:
        report: Path | None = save_crash_report(error, secrets)
    except OSError:
        report = None
    notice = crash_notice(error, report)
    if not loop_alive:
        loop_alive = active_message_pump.get(None) is not app
    if loop_alive and app.is_running and not isinstance(app.screen, CrashScreen):
        app.push_screen(CrashScreen(notice))
    else:
        app.exit(return_code=1, message=notice)


class CrashGuardedApp(App[int]):
    """An app whose unexpected errors end in a report and a short notice.
    Textual's own handling prints a traceback with each frame's variables (a
    password may be one) over the terminal."""

    def crash_secrets(self) -> list[str]:
        """Strings a crash report must blank out."""
        return []

    def _handle_exception(self, error: Exception) -> None:
        stop_after_crash(self, error, self.crash_secrets())

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action; one that fails unexpectedly ends on the crash screen."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:  # any bug: report it, keep the journal
            stop_after_crash(self, error, self.crash_secrets(), loop_alive=True)
            return True
