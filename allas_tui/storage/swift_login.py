"""What a Swift login is: a Keystone v3 password, or a token from allas-conf.

Only plain data here, so that finding credentials at start does not import
keystoneauth1 and swiftclient (~0.15 s); connections are in swift_connections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keystoneauth1 import session as ksa_session


@dataclass(frozen=True, slots=True)
class SwiftLogin:
    """Everything needed to open Swift connections for one project.

    With a password, logins go through a keystoneauth1 session, which logs in
    again by itself when the token expires. With only a token (allas-conf's
    OS_AUTH_TOKEN and OS_STORAGE_URL), the token is used as it is.
    """

    auth_url: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    project_name: str | None = None
    project_id: str | None = None
    user_domain_name: str = "Default"
    project_domain_name: str = "Default"
    region: str | None = None
    interface: str = "public"
    token: str | None = field(default=None, repr=False)
    """A token to start with (allas-conf's OS_AUTH_TOKEN)."""
    storage_url: str | None = None
    """The storage URL to use with `token` (allas-conf's OS_STORAGE_URL)."""
    cacert: str | None = None
    """A CA file to trust for Keystone and Swift (OS_CACERT)."""

    def secrets(self) -> list[str]:
        """The password and the starting token, where given."""
        return [s for s in (self.password, self.token) if s]

    @property
    def can_relogin(self) -> bool:
        """True when a password is at hand to log in again."""
        return bool(self.auth_url and self.username and self.password)

    @property
    def project_label(self) -> str | None:
        """The project's name, or its id from the storage URL."""
        if self.project_name:
            return self.project_name
        if self.project_id:
            return self.project_id
        if self.storage_url and "AUTH_" in self.storage_url:
            return self.storage_url.rsplit("AUTH_", 1)[1].strip("/")
        return None

    def keystone_session(self) -> ksa_session.Session:
        """A keystoneauth1 session that logs in with the password."""
        from keystoneauth1.identity import v3

        from allas_tui.storage.swift_connections import ReloginSession

        if self.auth_url is None or self.password is None:
            raise ValueError("a password login needs auth_url and password")
        project: dict[str, Any] = (
            {"project_id": self.project_id}
            if self.project_id and not self.project_name
            else {
                "project_name": self.project_name,
                "project_domain_name": self.project_domain_name,
            }
        )
        auth = v3.Password(
            auth_url=self.auth_url,
            username=self.username,
            password=self.password,
            user_domain_name=self.user_domain_name,
            **project,
        )
        return ReloginSession(auth=auth, verify=self.cacert or True)
