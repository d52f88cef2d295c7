"""The p key: switch to another project or login at run time. The choices
are every login discovery found (config profiles, ~/.aws profiles, rclone's
s3allas remotes, clouds.yaml, --rc) and, for a Swift login, every project
Keystone says the user belongs to. Transfers keep going with the login they
were queued with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allas_tui.storage.keystone_projects import KeystoneProject
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.ui.location import Location
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.choose import ChooseScreen
from allas_tui.ui.screens.prompt import PromptScreen

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp


class ProjectSwitch:
    """Lists what the user may switch to, and switches."""

    def __init__(self, app: AllasApp, profiles: list[ConnectionProfile]) -> None:
        self.app = app
        self.profiles = profiles
        """Every login discovery found."""

    async def run(self) -> None:
        """Offer the other projects and logins; switch to the one chosen."""
        app, backend, current = self.app, self.app.backend, self.app.profile
        if backend is None or current is None:
            return
        projects = await app.in_thread(backend.keystone_projects, "list the projects")
        here = {backend.project, getattr(current.swift, "project_id", None)}
        projects = [p for p in projects if p.name not in here and p.project_id not in here]
        others = [p for p in self.profiles if p.name != current.name]
        entries = [f"{p.name}   (Keystone: a project of this user)" for p in projects]
        entries += [f"{p.name}   ({p.protocol.value}, {p.source})" for p in others]
        if not entries:
            app.notify("No other project or login was found.", markup=False)
            return
        chosen = await app.push_screen_wait(
            ChooseScreen(
                "Switch project",
                f"Now: project {visible(backend.project or '?')} ({visible(current.name)}, "
                f"{current.protocol.value}).\nTransfers under way go on with the login they "
                "started with.",
                entries,
            )
        )
        if chosen is None:
            return
        profile: ConnectionProfile | None
        if chosen < len(projects):
            profile = await self._keystone_profile(current, projects[chosen])
        else:
            profile = await self._with_password(others[chosen - len(projects)])
        if profile is not None:
            self.switch_to(profile)

    async def _keystone_profile(
        self, current: ConnectionProfile, project: KeystoneProject
    ) -> ConnectionProfile:
        backend = self.app.backend
        assert backend is not None
        login = await self.app.in_thread(
            lambda: backend.login_scoped_to(project), f"log in to {project.name}"
        )
        user = current.swift.username if current.swift else None
        return ConnectionProfile(
            name=project.name, source=f"Keystone, a project of {user or 'this user'}", swift=login
        )

    async def _with_password(self, profile: ConnectionProfile) -> ConnectionProfile | None:
        if not profile.needs_password:
            return profile
        password = await self.app.push_screen_wait(
            PromptScreen(f"Password for {profile.name}", "Keystone password:", secret=True)
        )
        return profile.with_password(password) if password else None

    def switch_to(self, profile: ConnectionProfile) -> None:
        """Log in with `profile` and show its buckets; the queue stays."""
        app = self.app
        app.profile = profile
        app.backend = None
        app.buckets = []
        app.location = Location()
        app.set_status(f"Connecting with {visible(profile.name)}...")
        app.connect()
