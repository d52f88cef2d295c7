"""Backends whose object traffic goes through a test relay (a fault or
counting proxy) on 127.0.0.1, for the fault tests."""

from __future__ import annotations

import dataclasses

from conftest import STACK_DIR, Stack

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift import SwiftBackend


def object_port(stack: Stack, combination: str) -> int:
    """The port of the object service a `server-protocol` combination uses."""
    return int(stack.backend_info(combination.split("-")[0])["object_url"].rsplit(":", 1)[1])


def relay_tls(stack: Stack, combination: str) -> tuple[str, ...]:
    """The certificate and key a relay needs to stand in for the server over
    TLS, or nothing when the server speaks plain HTTP."""
    if not stack.backend_info(combination.split("-")[0])["object_url"].startswith("https"):
        return ()
    return (str(STACK_DIR / "tls" / "cert.pem"), str(STACK_DIR / "tls" / "key.pem"))


def backend_via(
    stack: Stack, combination: str, port: int, settings: TransferSettings
) -> StorageBackend:
    """A backend whose object traffic goes through a relay on `port`: S3 with
    that endpoint, or Swift with a token and a storage URL pointing there
    (Keystone is reached directly)."""
    server, protocol = combination.split("-")
    url = stack.backend_info(server)["object_url"]
    via = f"{url.split(':')[0]}://127.0.0.1:{port}"
    if protocol == "s3":
        return S3Backend(stack.s3_login(server, endpoint_url=via), settings)
    direct = stack.backend(combination)
    direct.list_buckets()
    conn = direct.connections.get()  # type: ignore[attr-defined]
    path = conn.url.split("/", 3)[3]
    login = stack.swift_login(server, token=conn.token, storage_url=f"{via}/{path}")
    login = dataclasses.replace(login, password=None, username=None, auth_url=None)
    return SwiftBackend(login, settings)
