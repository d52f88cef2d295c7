"""The local Allas the benchmark runs against (radosgw over TLS, with Keystone):
started if it is not running, and the buckets each case needs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from measure import CommandFailed, Summary, run_measured
from peers import Login
from report import Row
from swiftclient.client import Connection

from allas_tui.storage.errors import StorageError
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.s3_login import S3Login
from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift import SwiftBackend
from allas_tui.storage.swift_login import SwiftLogin

STACK_DIR = Path(os.environ.get("ALLAS_STACK_DIR", "/tmp/allas-tui-stack"))


@dataclass
class LocalAllas:
    """The running stand-in, with an S3 backend for housekeeping."""

    root: Path
    info: dict[str, object]
    started: bool

    @classmethod
    def start(cls, root: Path) -> LocalAllas:
        """Reuse the running stand-in, or start one (stopped again at the end)."""
        stack = root / "tests" / "allas_stack"
        running = subprocess.run([stack / "status.sh"], capture_output=True, check=False)
        started = running.returncode != 0
        if started:
            subprocess.run([stack / "install.sh"], check=True)
            subprocess.run([stack / "start.sh"], check=True)
        return cls(root, json.loads((STACK_DIR / "stack.json").read_text()), started)

    def stop_if_started(self) -> None:
        if self.started:
            subprocess.run([self.root / "tests/allas_stack/stop.sh", "--wipe"], check=False)

    @property
    def _rgw(self) -> dict[str, str]:
        return dict(self.info["backends"]["rgw"])  # type: ignore[index]

    def _project(self) -> tuple[str, dict[str, str]]:
        user = self.info["users"]["allasuser"]  # type: ignore[index]
        name, keys = next(iter(user["projects"].items()))
        return name, keys

    @cached_property
    def s3(self) -> S3Backend:
        """One S3 backend for every bucket made and removed (a client costs ~50 ms)."""
        _, keys = self._project()
        login = S3Login(
            access_key=keys["access"],
            secret_key=keys["secret"],
            endpoint_url=self._rgw["object_url"],
            ca_bundle=str(self.info["ca_bundle"]),
        )
        return S3Backend(login, TransferSettings(files_at_once=16))

    def login(self, home: Path) -> Login:
        """Credentials for every client: S3 keys, and a Keystone token with its
        storage URL, as allas-conf exports them."""
        project, keys = self._project()
        user = self.info["users"]["allasuser"]  # type: ignore[index]
        swift = SwiftBackend(
            SwiftLogin(
                auth_url=str(self.info["auth_url"]),
                username=user["username"],
                password=user["password"],
                project_name=project,
                region=self._rgw["region"],
                cacert=str(self.info["ca_bundle"]),
            ),
            TransferSettings(),
        )
        swift.list_buckets()
        conn = swift.connections.get()
        return Login(
            s3_endpoint=self._rgw["object_url"],
            access_key=keys["access"],
            secret_key=keys["secret"],
            token=conn.token,
            storage_url=conn.url,
            ca_bundle=str(self.info["ca_bundle"]),
            home=home,
        )

    def fresh_bucket(self) -> str:
        name = f"bench-{uuid.uuid4().hex[:10]}"
        self.s3.create_bucket(name)
        return name

    def remove_bucket(self, name: str) -> None:
        backend = self.s3
        for bucket in (name, f"{name}_segments"):
            try:
                backend.delete_all_objects(bucket)
                backend.delete_bucket(bucket)
            except StorageError:
                pass

    def _object_count(self, name: str) -> int:
        """Objects in bucket `name`, which is made if it does not exist."""
        try:
            return sum(len(p.objects) for p in self.s3.iter_pages(name))
        except StorageError:
            self.s3.create_bucket(name)
            return 0

    def filled_bucket(self, objects: int) -> str:
        """A bucket of `objects` empty objects in 100 folders. It is kept for the
        next run (filling it takes a minute or two), and reused when whole."""
        name = f"bench-listing-{objects}"
        if self._object_count(name) != objects:
            client = self.s3.client

            def put(index: int) -> None:
                client.put_object(Bucket=name, Key=f"d{index % 100:02d}/o{index:07d}", Body=b"")

            with ThreadPoolExecutor(16) as pool:
                list(pool.map(put, range(objects)))
        return name

    def flat_bucket(self, objects: int) -> str:
        """A bucket of `objects` empty objects and no folders, for the in-app
        workloads. Filled by Swift bulk uploads (tar archives radosgw unpacks:
        ~550 objects/s here, against ~390/s for 16 PUTs at once); kept for the
        next run, reused when whole."""
        name = f"bench-flat-{objects}"
        if self._object_count(name) == objects:
            return name
        login = self.login(Path(tempfile.gettempdir()))
        per_archive = 10_000

        def send(first: int) -> None:
            archive = io.BytesIO()
            with tarfile.open(fileobj=archive, mode="w") as tar:
                for index in range(first, min(first + per_archive, objects)):
                    tar.addfile(tarfile.TarInfo(f"run-{index:07d}.dat"), io.BytesIO(b""))
            conn = Connection(
                preauthurl=login.storage_url,
                preauthtoken=login.token,
                cacert=login.ca_bundle,
                retries=5,
                timeout=600,
            )
            conn.put_object(name, "", archive.getvalue(), query_string="extract-archive=tar")

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(send, range(0, objects, per_archive)))
        return name

    def download_set(self, count: int, mib: int) -> str:
        """A bucket of `count` objects of `mib` MiB each, for transfers to run
        while the app is timed; kept for the next run."""
        name = f"bench-files-{count}x{mib}"
        backend = self.s3
        try:
            have = [o for p in backend.iter_pages(name) for o in p.objects]
        except StorageError:
            backend.create_bucket(name)
            have = []
        if len(have) == count and all(o.size == mib << 20 for o in have):
            return name
        with tempfile.NamedTemporaryFile() as data:
            for _ in range(mib):
                data.write(os.urandom(1 << 20))
            data.flush()
            for index in range(count):
                backend.upload_file(Path(data.name), name, f"file-{index}.bin")
        return name

    def curl_ceiling(self, login: Login, big: Path, amount: float, repeat: int) -> list[Row]:
        """curl's single-stream PUT and GET of the big file over Swift: what one
        connection to this server can do, as a reference for everyone."""
        bucket = self.fresh_bucket()
        url = f"{login.storage_url}/{bucket}/{big.name}"
        base = ["curl", "-sSf", "--cacert", login.ca_bundle, "-H", f"X-Auth-Token: {login.token}"]
        env = {"PATH": os.environ["PATH"]}
        ups, downs = [], []
        try:
            for attempt in range(repeat + 1):
                up = run_measured([*base, "-T", str(big), url], env)
                down = run_measured([*base, "-o", "/dev/null", url], env)
                if attempt:
                    ups.append(up)
                    downs.append(down)
        except CommandFailed as exc:
            return [Row("W1", "swift", "curl (1 stream)", error=str(exc))]
        finally:
            self.remove_bucket(bucket)
        return [
            Row(
                "W1", "swift", "curl (1 stream)", Summary.of(ups), Summary.of(downs), amount, "MB/s"
            )
        ]
