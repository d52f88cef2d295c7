"""The S key: who may read a bucket, and what to share. Public or private
again, grants to other projects (Swift), a time-limited link to an object,
and an object's public URL, each copied to the clipboard with OSC 52."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.sharing import BucketAccess, parse_lifetime
from allas_tui.storage.swift_segments import segment_container
from allas_tui.ui.safe_text import visible
from allas_tui.ui.screens.confirm import Choice, ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen
from allas_tui.ui.selection import Selection
from allas_tui.ui.widgets.object_rows import RowKind
from allas_tui.wording import count

if TYPE_CHECKING:
    from allas_tui.ui.app import AllasApp

MAKE_PUBLIC = Choice(("m",), "m: make public", "public")
MAKE_PRIVATE = Choice(("m",), "m: make private", "private")
PRIVATE_EITHER_WAY = Choice(("p",), "p: make private", "private")
GRANT = Choice(("g",), "g: grant a project", "grant")
REVOKE = Choice(("r",), "r: revoke a project", "revoke")
LINK = Choice(("l",), "l: time-limited link", "link")
PUBLIC_URL = Choice(("u",), "u: copy the public URL", "url")
READ_ONLY = Choice(("r",), "r: read", "read")
READ_WRITE = Choice(("w",), "w: read and write", "write")
YES = Choice(("y",), "y: yes", "yes")


def _projects(ids: tuple[str, ...]) -> str:
    return ", ".join(ids) if ids else "none"


def describe_access(bucket: str, access: BucketAccess, can_grant: bool) -> str:
    """What the sharing screen says of `bucket`."""
    public = {True: "yes: anyone may read and list it", False: "no", None: "cannot tell"}
    lines = [f"Bucket {visible(bucket)}", f"  public:  {public[access.public]}"]
    if can_grant:
        lines.append(f"  read:    {_projects(access.readers)}")
        lines.append(f"  write:   {_projects(access.writers)}")
    if access.note:
        lines.append(f"  ({access.note})")
    return "\n".join(lines)


class SharingFlow:
    """The dialogs behind S, run as a flow on the app."""

    def __init__(self, app: AllasApp) -> None:
        self.app = app

    async def run(self, selection: Selection) -> None:
        """Show who may read the bucket at hand, and do what the user picks."""
        app, backend = self.app, self.app.backend
        row = selection.cursor
        if backend is None or row is None:
            app.notify("Open or pick a bucket first.", severity="warning")
            return
        bucket = selection.location.bucket or row.key
        key = row.key if selection.location.bucket and row.kind is RowKind.OBJECT else None
        access = await app.in_thread(lambda: backend.sharing.access(bucket), "read access")
        can_grant = backend.sharing.can_grant
        body = describe_access(bucket, access, can_grant)
        if key is not None:
            body += f"\nObject {visible(key)}"
        if access.public is None:  # cannot tell: offer both
            choices = [MAKE_PUBLIC, PRIVATE_EITHER_WAY]
        else:
            choices = [MAKE_PRIVATE if access.public else MAKE_PUBLIC]
        choices += [GRANT, REVOKE] if can_grant else []
        choices += [LINK] + ([PUBLIC_URL] if access.public is not False else []) if key else []
        if not can_grant:
            body += "\n\nGrants to other projects are Swift container ACLs: log in over Swift."
        answer = await app.push_screen_wait(
            ConfirmScreen("Sharing", Text(body), choices, danger=False)
        )
        if answer in ("public", "private"):
            await self._set_public(backend, bucket, answer == "public")
        elif answer == "grant":
            await self._grant(backend, bucket)
        elif answer == "revoke":
            await self._revoke(backend, bucket, access)
        elif answer == "link" and key is not None:
            await self._link(backend, bucket, key)
        elif answer == "url" and key is not None:
            await self._public_url(backend, bucket, key)

    async def _set_public(self, backend: StorageBackend, bucket: str, public: bool) -> None:
        app = self.app
        also = segment_container(bucket)
        if public:
            body = (
                f"Anyone on the internet will be able to read every object in {visible(bucket)}\n"
                f"and list its names, without a login; {visible(also)}, if it exists,\n"
                "too (large objects read from it). Allas bucket names are public."
            )
        else:
            body = (
                f"Only your project (and projects granted access) will read {visible(bucket)}\n"
                f"and {visible(also)} again; public links to them stop working."
            )
        caveat = None
        if public:
            caveat = await app.in_thread(
                lambda: backend.sharing.public_caveat(bucket), "check large objects"
            )
        if caveat:
            body += f"\n\n{caveat}"
        title = "Make public?" if public else "Make private?"
        if await app.push_screen_wait(ConfirmScreen(title, Text(body), [YES])) != "yes":
            return
        changed = await app.in_thread(
            lambda: backend.sharing.set_public(bucket, public), "change access"
        )
        state = "public" if public else "private"
        app.notify(f"Made {state}: {', '.join(visible(n) for n in changed)}", markup=False)

    async def _grant(self, backend: StorageBackend, bucket: str) -> None:
        app = self.app
        project = await app.push_screen_wait(
            PromptScreen(
                "Grant a project",
                "The other project's ID (32 hex digits, from `openstack project show`,\n"
                "or from its members' allas-conf): its members may then open this bucket\n"
                "by name (o).",
                check=lambda text: None if _looks_like_project(text) else "Not a project ID.",
            )
        )
        if not project:
            return
        project = project.strip()
        what = await app.push_screen_wait(
            ConfirmScreen(
                f"Grant project {project}",
                Text(f"What may project {project} do in {visible(bucket)}?"),
                [READ_ONLY, READ_WRITE],
                danger=False,
            )
        )
        if what not in ("read", "write"):
            return
        write = what == "write"
        changed = await app.in_thread(
            lambda: backend.sharing.grant(bucket, project, write), "grant access"
        )
        verb = "read and write" if write else "read"
        names = ", ".join(visible(n) for n in changed)
        app.notify(f"Project {project} may now {verb} {names}", markup=False)

    async def _revoke(self, backend: StorageBackend, bucket: str, access: BucketAccess) -> None:
        app = self.app
        granted = sorted({*access.readers, *access.writers})
        if not granted:
            app.notify(f"No project has been granted {visible(bucket)}.", markup=False)
            return
        choices = [Choice((str(i),), f"{i}: {p}", p) for i, p in enumerate(granted[:9], 1)]
        project = await app.push_screen_wait(
            ConfirmScreen(
                "Revoke a project",
                Text(f"Which project loses every access to {visible(bucket)}?"),
                choices,
            )
        )
        if project not in granted:
            return
        await app.in_thread(lambda: backend.sharing.revoke(bucket, project), "revoke access")
        app.notify(f"Project {project} no longer has access to {visible(bucket)}", markup=False)

    async def _link(self, backend: StorageBackend, bucket: str, key: str) -> None:
        app = self.app
        lifetime = await app.push_screen_wait(
            PromptScreen(
                "Time-limited link",
                f"Anyone with the link may read {visible(key)} until it expires.\n"
                "How long should it work? (30m, 12h, 7d; at most 7d)",
                value="1d",
                check=_lifetime_problem,
            )
        )
        if not lifetime:
            return
        seconds = parse_lifetime(lifetime)
        sharing = backend.sharing
        if await app.in_thread(sharing.link_needs_key, "read the temp-URL key"):
            body = Text(
                "Swift signs links with a secret key kept on the project (the temp-URL key).\n"
                "The project has none yet. Set a random one now? Anyone who can read the\n"
                "project's metadata can then sign links to any of its objects."
            )
            title = "Set a temp-URL key?"
            if await app.push_screen_wait(ConfirmScreen(title, body, [YES])) != "yes":
                return
            await app.in_thread(sharing.make_link_key, "set the temp-URL key")
        url = await app.in_thread(lambda: sharing.link(bucket, key, seconds), "sign a link")
        app.copy_to_clipboard(url)
        app.notify(f"Copied a link valid for {lifetime.strip()}:\n{url}", markup=False, timeout=20)

    async def _public_url(self, backend: StorageBackend, bucket: str, key: str) -> None:
        app = self.app
        url = await app.in_thread(lambda: backend.sharing.public_url(bucket, key), "try the URL")
        if url is None:
            tried = backend.sharing.public_url_candidates(bucket, key)
            app.notify(
                f"{visible(key)} does not read without a login at "
                f"{count(len(tried), 'URL')} tried: is the bucket public?",
                severity="warning",
                markup=False,
            )
            return
        app.copy_to_clipboard(url)
        app.notify(f"Copied the public URL (read without a login just now):\n{url}", markup=False)


def _looks_like_project(text: str) -> bool:
    value = text.strip()
    return len(value) >= 8 and all(c.isalnum() or c in "-_" for c in value)


def _lifetime_problem(text: str) -> str | None:
    try:
        parse_lifetime(text)
    except ValueError as exc:
        return str(exc)
    return None
