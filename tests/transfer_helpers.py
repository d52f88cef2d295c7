"""Helpers for the transfer tests: making trees of files, waiting for a queue,
and comparing trees byte for byte."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import NotFound
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.settings import MiB
from allas_tui.storage.swift import SwiftBackend
from allas_tui.transfers.queue import TransferQueue


def make_tree(root: Path, count: int = 300, biggest: int = 20 * MiB, seed: int = 4) -> int:
    """`count` files of random bytes in nested folders, from 0 bytes up to
    `biggest` (a few large, most small); their total size."""
    rng = random.Random(seed)
    sizes = [0, 1, biggest, biggest - 1, 9 * MiB]
    sizes += [
        rng.choice([rng.randrange(0, 4096), rng.randrange(4096, 300_000)])
        for _ in range(count - len(sizes))
    ]
    total = 0
    for index, size in enumerate(sizes):
        folder = root / f"d{index % 7}" / (f"sub{index % 3}" if index % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file-{index:03d}.bin").write_bytes(os.urandom(size))
        total += size
    return total


def tree_digests(root: Path) -> dict[str, str]:
    """Relative path → MD5 of every file under `root`."""
    return {
        p.relative_to(root).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def md5_file(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as f:
        while block := f.read(4 * MiB):
            digest.update(block)
    return digest.hexdigest()


def wait_done(queue: TransferQueue, timeout: float = 300.0) -> None:
    """Wait until the queue has nothing left to do; fail on a timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = queue.snapshot()
        if not snap.active and not snap.counting:
            return
        time.sleep(0.05)
    raise AssertionError(f"the queue did not finish in {timeout} s: {queue.snapshot()}")


def leftovers(backend: StorageBackend, bucket: str) -> list[str]:
    """Every object in the bucket, with unfinished multipart uploads (S3) or
    the objects of its segment container (Swift)."""
    names = [o.key for page in backend.iter_pages(bucket) for o in page.objects]
    if isinstance(backend, S3Backend):
        uploads = backend.client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
        names += [f"upload:{u['Key']}" for u in uploads]
    if isinstance(backend, SwiftBackend):
        with contextlib.suppress(NotFound):  # no segment container at all is fine too
            names += [o.key for p in backend.iter_pages(f"{bucket}_segments") for o in p.objects]
    return names


def bulk_fill(
    swift: SwiftBackend, bucket: str, names: list[str], per_archive: int = 10_000
) -> None:
    """Create empty objects `names` in an existing Swift bucket fast, with
    Swift's bulk upload: tar archives that the server unpacks into objects."""

    def send(first: int) -> None:
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for name in names[first : first + per_archive]:
                tar.addfile(tarfile.TarInfo(name), io.BytesIO(b""))
        conn = swift.connections.get()
        conn.put_object(bucket, "", archive.getvalue(), query_string="extract-archive=tar")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(send, range(0, len(names), per_archive)))
