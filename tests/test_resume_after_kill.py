"""Killing the app mid-transfer (a real subprocess, SIGKILL) and resuming from
the journal: the result is whole, fewer bytes are sent again, and nothing
partial ever sits under a final name. Also the memory bound of the queue."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from counting_proxy import CountingProxy
from transfer_helpers import md5_file

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.discovery import choose_profile, discover
from allas_tui.storage.errors import NotFound
from allas_tui.storage.models import Protocol
from allas_tui.storage.profiles import open_backend
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.transfers.jobs import Direction, TransferJob
from allas_tui.transfers.journal import Journal, account_key

pytestmark = pytest.mark.stack

CHUNKS = TransferSettings(chunk_threshold=8 * MiB, chunk_size=8 * MiB, chunks_at_once=2)
"""Small chunks, few at a time, so the kill lands with some parts stored and
some not."""
CHUNKS_CONFIG = '[transfers]\nchunk_threshold = "8MiB"\nchunk_size = "8MiB"\nchunks_at_once = 2\n'
"""The same settings, in the config file the subprocess reads."""


@dataclass
class AppSetup:
    """A user's login pointed through a counting relay, a bucket, and a journal."""

    proxy: CountingProxy
    env: dict[str, str]
    backend: StorageBackend
    bucket: str
    journal_path: Path
    journal: Journal

    @property
    def account(self) -> str:
        return account_key(self.backend)


@contextlib.contextmanager
def _app_setup(
    stack: Stack, combination: str, tmp_path: Path, config_text: str = CHUNKS_CONFIG
) -> Iterator[AppSetup]:
    server, protocol = combination.split("-")
    target = stack.backend_info(server)["object_url"].rsplit(":", 1)[1]
    proxy = CountingProxy("127.0.0.1", int(target))
    env = _login_env(stack, combination, proxy, tmp_path / "home", config_text)
    backend = _backend_as_the_app_sees_it(env, Protocol(protocol))
    bucket = unique_name("resume")
    backend.create_bucket(bucket)
    journal_path = tmp_path / "queue.sqlite3"
    journal = Journal(journal_path)
    try:
        yield AppSetup(proxy, env, backend, bucket, journal_path, journal)
    finally:
        proxy.close()
        journal.close()
        remove_bucket(backend, bucket)


def _login_env(
    stack: Stack, combination: str, proxy: CountingProxy, home: Path, config_text: str
) -> dict[str, str]:
    """The environment a user would have, pointed through the counting proxy:
    S3 keys with an endpoint, or allas-conf's token and storage URL; and the
    user's config file."""
    server, protocol = combination.split("-")
    info = stack.backend_info(server)
    scheme = info["object_url"].split(":")[0]
    via_proxy = f"{scheme}://127.0.0.1:{proxy.port}"
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    if protocol == "s3":
        login = stack.s3_login(server)
        env |= {
            "AWS_ACCESS_KEY_ID": login.access_key,
            "AWS_SECRET_ACCESS_KEY": login.secret_key,
            "AWS_ENDPOINT_URL_S3": via_proxy,
            "AWS_CA_BUNDLE": stack.ca_bundle,
        }
    else:
        backend = stack.backend(combination)
        backend.list_buckets()  # log in, to learn the token and storage URL
        conn = backend.connections.get()  # type: ignore[attr-defined]
        path = conn.url.split("/", 3)[3]
        env |= {
            "OS_AUTH_TOKEN": conn.token,
            "OS_STORAGE_URL": f"{via_proxy}/{path}",
            "OS_CACERT": stack.ca_bundle,
        }
    config = home / ".config" / "allas-tui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text)
    return env


def _backend_as_the_app_sees_it(env: dict[str, str], protocol: Protocol) -> StorageBackend:
    """The login the subprocess will find, found the same way (boto3 reads os.environ)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("AWS_", "OS_")):
                patch.delenv(name)
        for name, value in env.items():
            patch.setenv(name, value)
        found = discover(env, home=Path(env["HOME"]))
        return open_backend(choose_profile(found, protocol=protocol), CHUNKS)


def _resume(env: dict[str, str], journal: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "allas_tui", "resume", "--no-ui", "--journal", str(journal)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _kill_when(run: subprocess.Popen[bytes], progress: Callable[[], int], at_least: int) -> int:
    """SIGKILL `run` once `progress()` reaches `at_least` bytes; what it had reached."""
    deadline = time.monotonic() + 120
    reached = 0
    while time.monotonic() < deadline and run.poll() is None:
        reached = progress()
        if reached >= at_least:
            break
        time.sleep(0.05)
    assert run.poll() is None, run.communicate()[0].decode()
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert reached >= at_least
    return reached


def _stored_bytes(backend: StorageBackend, job: TransferJob) -> int:
    if job.resume_id is None:
        return 0
    try:
        parts = backend.chunks.list_parts(job.bucket, job.key, job.resume_id)
    except NotFound:
        return 0
    return sum(p.size for p in parts.values())


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift", "swift-swift"])
def test_killed_upload_resumes_without_resending_everything(
    stack: Stack, combination: str, random_file, tmp_path: Path
) -> None:
    size = 96 * MiB
    source = random_file(size, "big.bin")
    with _app_setup(stack, combination, tmp_path) as app:
        backend, bucket, journal, proxy = app.backend, app.bucket, app.journal, app.proxy
        journal.add(app.account, [TransferJob(Direction.UPLOAD, bucket, "big.bin", source, size)])
        # the first run goes over a slow link, so the kill surely lands mid-upload
        proxy.max_rate = 8 * MiB
        stored = _kill_when(
            _resume(app.env, app.journal_path),
            lambda: _stored_bytes(backend, journal.unfinished(app.account)[0]),
            at_least=24 * MiB,
        )
        with pytest.raises(NotFound):  # nothing under the final name yet
            backend.head_object(bucket, "big.bin")

        proxy.reset()
        proxy.max_rate = None
        second = _resume(app.env, app.journal_path)
        output = second.communicate(timeout=300)[0].decode()
        assert second.returncode == 0, output
        resent = proxy.sent_to_server
        assert journal.unfinished(app.account) == []
        head = backend.head_object(bucket, "big.bin")
        assert head.size == size
        back = tmp_path / "back.bin"
        backend.download_file(bucket, "big.bin", back)
        assert md5_file(back) == md5_file(source)
        # a full upload sends at least the file; the resume sent less, by the parts kept
        assert resent < size - stored + 8 * MiB, (resent, stored)
        print(
            f"\n{combination}: kept {stored / MiB:.0f} MiB, resent {resent / MiB:.1f} MiB "
            f"of {size / MiB:.0f} MiB"
        )
        if isinstance(backend, S3Backend):
            assert backend.client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift", "swift-swift"])
def test_killed_download_resumes_from_its_partial_file(
    stack: Stack, combination: str, random_file, tmp_path: Path
) -> None:
    """The download twin: the ranges the killed run wrote are kept in its
    partial file, the resumed run fetches only the rest, and the final name
    appears only when the whole file is there and checked."""
    size = 96 * MiB
    source = random_file(size, "big.bin")
    target = tmp_path / "downloads" / "big.bin"
    target.parent.mkdir()
    with _app_setup(stack, combination, tmp_path) as app:
        app.backend.upload_file(source, app.bucket, "big.bin")
        job = TransferJob(Direction.DOWNLOAD, app.bucket, "big.bin", target, size)
        app.journal.add(app.account, [job])
        app.proxy.max_rate = 8 * MiB
        kept = _kill_when(
            _resume(app.env, app.journal_path),
            lambda: 8 * MiB * len(app.journal.unfinished(app.account)[0].done_ranges),
            at_least=24 * MiB,
        )
        assert not target.exists()  # nothing under the final name yet
        [job] = app.journal.unfinished(app.account)
        assert job.part_path is not None and job.part_path.exists()

        app.proxy.reset()
        app.proxy.max_rate = None
        second = _resume(app.env, app.journal_path)
        output = second.communicate(timeout=300)[0].decode()
        assert second.returncode == 0, output
        received = app.proxy.received_from_server
        assert app.journal.unfinished(app.account) == []
        assert md5_file(target) == md5_file(source)
        assert sorted(p.name for p in target.parent.iterdir()) == ["big.bin"]
        # a full download receives at least the object; the resume less, by the ranges kept
        assert received < size - kept + 8 * MiB, (received, kept)
        print(
            f"\n{combination}: kept {kept / MiB:.0f} MiB, fetched {received / MiB:.1f} MiB "
            f"of {size / MiB:.0f} MiB"
        )


@pytest.mark.parametrize("combination", ["rgw-s3", "swift-swift"])
def test_memory_stays_bounded_with_eight_large_files(
    stack: Stack, combination: str, tmp_path: Path
) -> None:
    """8 files of 160 MiB at once, with 64 MiB chunks (the defaults): the peak
    RSS of the process stays under the stated bound of 300 MiB. (On radosgw over
    S3 and on Swift over Swift: the stand-in's radosgw keeps its data in RAM.)"""
    size = 160 * MiB
    block = os.urandom(MiB)
    config = "[transfers]\nfiles_at_once = 8\nchunks_at_once = 8\n"
    with _app_setup(stack, combination, tmp_path, config) as app:
        jobs = []
        for index in range(8):
            path = tmp_path / f"f{index}.bin"
            with path.open("wb") as f:
                for _ in range(size // MiB):
                    f.write(block)
            jobs.append(TransferJob(Direction.UPLOAD, app.bucket, path.name, path, size))
        app.journal.add(app.account, jobs)
        run = _resume(app.env, app.journal_path)
        output = run.communicate(timeout=600)[0].decode()
        assert run.returncode == 0, output
        # the child's own VmHWM: ru_maxrss would count the forked pytest image before exec
        [peak] = re.findall(r"^Peak memory: (\d+) MiB$", output, re.MULTILINE)
        print(f"\n{combination}: peak RSS {peak} MiB for 8 x 160 MiB uploads")
        assert int(peak) < 300, output
        assert app.proxy.sent_to_server >= 8 * size
