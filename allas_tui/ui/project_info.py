"""The P key: the login (project, endpoint or storage URL, the token's
expiry) and the project's usage against Allas's limits; and the warning,
once connected, when a limit is near."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from allas_tui.storage.limits import AllasLimits, crowded_buckets, measures, usage_warnings
from allas_tui.storage.models import AccountUsage, Protocol
from allas_tui.ui.screens.details import DetailsScreen
from allas_tui.ui.widgets.status_header import time_left

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

FULLEST_SHOWN = 5
"""Buckets the screen lists by object count."""


class ProjectInfo:
    """Builds the project screen, and warns near a limit."""

    def __init__(self, app: AllasApp, limits: AllasLimits) -> None:
        self.app = app
        self.limits = limits

    def login_items(self) -> dict[str, str]:
        """Who is logged in where, and until when."""
        backend, profile = self.app.backend, self.app.profile
        if backend is None or profile is None:
            return {}
        url_name = "Storage URL" if backend.protocol is Protocol.SWIFT else "Endpoint"
        items = {
            "Profile": f"{profile.name} ({profile.source})",
            "Protocol": backend.protocol.value,
            "Project": backend.project or "-",
            url_name: backend.endpoint,
        }
        expires = backend.token_expires
        if expires is None:
            items["Token"] = "none (keys do not expire)" if backend.protocol is Protocol.S3 else "-"
        else:
            local = expires.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
            left = time_left(expires, datetime.now(UTC)) or ""
            items["Token expires"] = f"{local} ({left})"
            items["Log in again"] = (
                "L, with the password, once it expires"
                if backend.can_take_password
                else "by itself, with the password it has"
            )
        return items

    def usage_items(self, usage: AccountUsage) -> dict[str, str]:
        """Usage against the limits, and what the protocol cannot tell."""
        items = {}
        for measure in measures(usage, self.limits):
            share = measure.share
            items[measure.what.capitalize()] = measure.shown + (
                "" if share is None else f" ({share:.0%})"
            )
        objects = usage.object_count
        items["Objects"] = "unknown" if objects is None else f"{objects:,}"
        items["Objects per bucket"] = f"at most {self.limits.objects_per_bucket:,}"
        if usage.bytes_used is None:
            items["Note"] = "S3 does not report a project's totals; a Swift login does."
        return items

    async def show(self) -> None:
        """Open the project screen."""
        app, backend = self.app, self.app.backend
        if backend is None:
            return
        usage = await app.in_thread(backend.account_usage, "read the project's usage")
        sections = {"Login": self.login_items(), "Usage": self.usage_items(usage)}
        fullest = sorted(
            (b for b in app.buckets if b.object_count is not None),
            key=lambda b: -(b.object_count or 0),
        )[:FULLEST_SHOWN]
        if fullest:
            sections["Fullest buckets"] = {
                b.name: f"{b.object_count or 0:,} objects" for b in fullest
            }
        warnings = usage_warnings(usage, app.buckets, self.limits)
        if warnings:
            sections["Near a limit"] = {str(i): line for i, line in enumerate(warnings, 1)}
        await app.push_screen_wait(DetailsScreen("Project", sections))

    async def warn_if_near(self) -> None:
        """Once connected: a warning for each limit the project is near."""
        app, backend = self.app, self.app.backend
        if backend is None:
            return
        usage = await app.in_thread(backend.account_usage, "read the project's usage")
        lines = usage_warnings(usage, app.buckets, self.limits)
        if crowded_buckets(app.buckets, self.limits):
            lines.append(f"A bucket holds at most {self.limits.objects_per_bucket:,} objects.")
        if lines:
            app.notify(
                "\n".join(lines),
                title="Near an Allas limit",
                severity="warning",
                timeout=30,
                markup=False,
            )
