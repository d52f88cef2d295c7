"""Fixtures: the local Allas stand-in, and backends on every server and protocol."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fault_proxy
import pytest

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import StorageError
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.s3_login import S3Login
from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.storage.swift import SwiftBackend
from allas_tui.storage.swift_login import SwiftLogin

STACK = Path(__file__).parent / "allas_stack"
STACK_DIR = Path(os.environ.get("ALLAS_STACK_DIR", "/tmp/allas-tui-stack"))
SMALL_CHUNKS = TransferSettings(chunk_threshold=8 * MiB, chunk_size=8 * MiB)
"""So a 40 MB file goes up in 5 parts or segments."""
COMBINATIONS = ["rgw-swift", "rgw-s3", "swift-swift", "swift-s3"]
"""server-protocol: radosgw (what Allas runs) and OpenStack Swift, each over both protocols."""


@dataclass
class Stack:
    """The running stand-in, as stack.json describes it."""

    info: dict[str, Any]

    @property
    def ca_bundle(self) -> str:
        return str(self.info["ca_bundle"])

    def user(self, name: str = "allasuser") -> dict[str, Any]:
        return dict(self.info["users"][name])

    def project(self, user: str = "allasuser", index: int = 0) -> tuple[str, dict[str, str]]:
        name, project = list(self.info["users"][user]["projects"].items())[index]
        return name, project

    def backend_info(self, server: str) -> dict[str, str]:
        return dict(self.info["backends"][server])

    def swift_login(self, server: str, user: str = "allasuser", **changes: Any) -> SwiftLogin:
        u = self.user(user)
        project_name, _ = self.project(user)
        values: dict[str, Any] = {
            "auth_url": self.info["auth_url"],
            "username": u["username"],
            "password": u["password"],
            "project_name": project_name,
            "region": self.backend_info(server)["region"],
            "cacert": self.ca_bundle,
        }
        values.update(changes)
        return SwiftLogin(**values)

    def s3_login(self, server: str, user: str = "allasuser", **changes: Any) -> S3Login:
        _, project = self.project(user)
        values: dict[str, Any] = {
            "access_key": project["access"],
            "secret_key": project["secret"],
            "endpoint_url": self.backend_info(server)["object_url"],
            "ca_bundle": self.ca_bundle,
        }
        values.update(changes)
        return S3Login(**values)

    def backend(
        self, combination: str, settings: TransferSettings = SMALL_CHUNKS, user: str = "allasuser"
    ) -> StorageBackend:
        server, protocol = combination.split("-")
        if protocol == "swift":
            return SwiftBackend(self.swift_login(server, user), settings)
        return S3Backend(self.s3_login(server, user), settings)


def _stack_running() -> bool:
    return subprocess.run([STACK / "status.sh"], capture_output=True, check=False).returncode == 0


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The local Allas: reused if it already runs, else started and later stopped."""
    started = False
    if not _stack_running():
        subprocess.run([STACK / "start.sh"], check=True)
        started = True
    try:
        yield Stack(json.loads((STACK_DIR / "stack.json").read_text()))
    finally:
        if started:
            subprocess.run([STACK / "stop.sh", "--wipe"], check=False)


def unique_name(prefix: str) -> str:
    """A bucket name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def remove_bucket(backend: StorageBackend, bucket: str) -> None:
    """Delete a bucket and everything in it, including its segment container."""
    for name in (bucket, f"{bucket}_segments", f"{bucket}+segments"):
        try:
            backend.delete_all_objects(name)
            backend.delete_bucket(name)
        except StorageError:
            pass


@pytest.fixture(params=COMBINATIONS)
def combination(request: pytest.FixtureRequest) -> str:
    """One of server-protocol."""
    return str(request.param)


@pytest.fixture
def backend(stack: Stack, combination: str) -> Iterator[StorageBackend]:
    """A backend for allasuser's first project on one server and protocol."""
    b = stack.backend(combination)
    yield b
    b.close()


@pytest.fixture
def bucket(backend: StorageBackend) -> Iterator[str]:
    """A fresh, empty bucket, removed afterwards with whatever is left in it."""
    name = unique_name("t")
    backend.create_bucket(name)
    yield name
    remove_bucket(backend, name)


@pytest.fixture
def random_file(tmp_path: Path) -> Any:
    """Make a file of random bytes: random_file(size, name='data.bin') -> Path."""

    def make(size: int, name: str = "data.bin") -> Path:
        path = tmp_path / name
        with path.open("wb") as f:
            remaining = size
            while remaining:
                block = min(remaining, 4 * MiB)
                f.write(os.urandom(block))
                remaining -= block
        return path

    return make


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what the fault tests injected and what survived it."""
    if fault_proxy.REPORT:
        terminalreporter.section("faults injected")
        for line in fault_proxy.REPORT:
            terminalreporter.write_line(line)
