"""A connection profile: one way to log in to one project, and where it came from."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.models import Protocol
from allas_tui.storage.s3_login import S3Login
from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift_login import SwiftLogin


@dataclass(frozen=True, slots=True)
class ConnectionProfile:
    """A ready-to-use login for one protocol, found by credential discovery."""

    name: str
    """What `--profile` selects it by."""
    source: str
    """Where it was found, for people: "OS_AUTH_TOKEN + OS_STORAGE_URL (allas-conf)"."""
    swift: SwiftLogin | None = None
    s3: S3Login | None = None

    @property
    def protocol(self) -> Protocol:
        """The protocol this profile speaks."""
        return Protocol.SWIFT if self.swift is not None else Protocol.S3

    @property
    def needs_password(self) -> bool:
        """True for a Swift login that has a user but neither password nor token."""
        s = self.swift
        return s is not None and not s.password and not s.token

    def with_password(self, password: str) -> ConnectionProfile:
        """This profile with the password the user typed."""
        assert self.swift is not None
        return dataclasses.replace(self, swift=dataclasses.replace(self.swift, password=password))

    def with_endpoint(self, endpoint: str) -> ConnectionProfile:
        """This profile pointed at another endpoint: the S3 URL, or the Swift storage URL."""
        if self.s3 is not None:
            return dataclasses.replace(self, s3=dataclasses.replace(self.s3, endpoint_url=endpoint))
        assert self.swift is not None
        return dataclasses.replace(
            self, swift=dataclasses.replace(self.swift, storage_url=endpoint)
        )


def open_backend(
    profile: ConnectionProfile, settings: TransferSettings | None = None
) -> StorageBackend:
    """The backend for a profile. Nothing is sent until the first call on it."""
    if profile.s3 is not None:
        from allas_tui.storage.s3 import S3Backend

        return S3Backend(profile.s3, settings)
    assert profile.swift is not None
    from allas_tui.storage.swift import SwiftBackend

    return SwiftBackend(profile.swift, settings)
