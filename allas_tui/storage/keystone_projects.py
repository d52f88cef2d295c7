"""The projects a Keystone user belongs to, and a login scoped to another
one: with the password, a fresh login; with only a token (allas-conf), the
token re-scoped, as Keystone allows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import requests

from allas_tui.storage.errors import TokenExpired
from allas_tui.storage.swift_login import SwiftLogin


@dataclass(frozen=True, slots=True)
class KeystoneProject:
    """One project the user may log in to."""

    project_id: str
    name: str


def list_projects(login: SwiftLogin, token: str) -> list[KeystoneProject]:
    """The enabled projects of the token's user (`GET /v3/auth/projects`),
    by name. Raises requests' errors on a network fault."""
    url = f"{str(login.auth_url).rstrip('/')}/auth/projects"
    answer = requests.get(
        url, headers={"X-Auth-Token": token}, verify=login.cacert or True, timeout=20
    )
    if answer.status_code == 401:
        raise TokenExpired("Keystone does not accept the token: it has expired or is not valid.")
    answer.raise_for_status()
    projects = [
        KeystoneProject(str(p["id"]), str(p["name"]))
        for p in answer.json().get("projects", [])
        if p.get("enabled", True)
    ]
    return sorted(projects, key=lambda p: p.name)


def login_for_project(login: SwiftLogin, token: str, project: KeystoneProject) -> SwiftLogin:
    """`login` scoped to `project`. A password login simply names the new
    project; a token login gets a new token for it, and its storage URL,
    from Keystone (blocking). Raises keystoneauth's errors if refused."""
    token_for_it: str | None = None
    storage_url: str | None = None
    if not login.can_relogin:  # no password: only a re-scoped token reaches the project
        from keystoneauth1 import session
        from keystoneauth1.identity import v3

        auth = v3.Token(auth_url=str(login.auth_url), token=token, project_id=project.project_id)
        scoped = session.Session(auth=auth, verify=login.cacert or True)
        token_for_it = scoped.get_token()
        storage_url = scoped.get_endpoint(
            service_type="object-store", interface=login.interface, region_name=login.region
        )
    return dataclasses.replace(
        login,
        project_name=project.name,
        project_id=project.project_id,
        token=token_for_it,
        storage_url=storage_url,
    )
