"""Faults on a share of every request, drawn at random: resets at random
bytes of requests and answers, stalls past the client's timeout, 500s and
503s. Every transfer still ends byte-exact, and a long listing still returns
every key exactly once."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket, unique_name
from fault_proxy import REPORT, Chaos, FaultProxy
from relay_backends import backend_via, object_port, relay_tls
from transfer_helpers import bulk_fill, tree_digests, wait_done

from allas_tui.storage.settings import MiB, TransferSettings
from allas_tui.transfers.jobs import JobState
from allas_tui.transfers.queue import TransferQueue
from allas_tui.ui.listing import DELIMITER, FIRST_PAGE

pytestmark = pytest.mark.stack

CHAOS_SETTINGS = TransferSettings(
    chunk_threshold=5 * MiB, chunk_size=5 * MiB, timeout=3.0, files_at_once=6
)
"""5 MiB parts (the smallest S3 allows) so a 13 MiB file goes in three, and
a 3 s timeout so a stall is noticed soon."""
FAULT_RATE = 0.15


def _make_files(root: Path, small: int, chunked: int, seed: int) -> None:
    """`small` files of 0-300 kB and `chunked` of 5-13 MiB, random bytes."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    for index in range(small):
        (root / f"small-{index:02d}.bin").write_bytes(os.urandom(rng.randrange(300_000)))
    for index in range(chunked):
        size = rng.randrange(5 * MiB + 1, 13 * MiB)
        (root / f"chunked-{index:02d}.bin").write_bytes(os.urandom(size))


@pytest.fixture
def chaos_proxy(stack: Stack, combination: str) -> Iterator[FaultProxy]:
    proxy = FaultProxy("127.0.0.1", object_port(stack, combination), *relay_tls(stack, combination))
    yield proxy
    proxy.close()


def _report(what: str, chaos: Chaos, outcome: str) -> None:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(chaos.injected.items()))
    line = (
        f"{what}: {sum(chaos.injected.values())} faults in {chaos.requests} requests "
        f"({kinds}); {outcome}"
    )
    REPORT.append(line)


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
def test_a_hundred_transfers_survive_random_faults(
    stack: Stack, combination: str, chaos_proxy: FaultProxy, tmp_path: Path
) -> None:
    """50 uploads and 50 downloads, small and chunked, at once, through a
    relay that faults 15 % of requests: all 100 end byte-exact."""
    direct = stack.backend(combination)
    bucket = unique_name("chaos")
    direct.create_bucket(bucket)
    ups, seeds = tmp_path / "ups", tmp_path / "seeds"
    _make_files(ups, small=35, chunked=15, seed=1)
    _make_files(seeds, small=35, chunked=15, seed=2)
    for path in sorted(seeds.iterdir()):  # the objects to download, put there without faults
        direct.upload_file(path, bucket, f"seed/{path.name}")
    backend = backend_via(stack, combination, chaos_proxy.port, CHAOS_SETTINGS)
    chaos = chaos_proxy.chaos = Chaos(rate=FAULT_RATE, seed=7, stall_seconds=5.0)
    queue = TransferQueue(backend)
    try:
        dest = tmp_path / "dest"
        dest.mkdir()
        queue.upload([ups], bucket, "up/")
        queue.download(bucket, "", [], ["seed/"], dest)
        wait_done(queue, timeout=900)
        chaos_proxy.chaos = None
        jobs = queue.jobs
        failed = [f"{j.key}: {j.state} {j.error!r}" for j in jobs if j.state is not JobState.DONE]
        assert len(jobs) == 100 and not failed, "\n".join(failed)
        assert tree_digests(dest / "seed") == tree_digests(seeds)
        back = tmp_path / "back"
        back.mkdir()
        for path in sorted(ups.iterdir()):  # what was stored, read back without faults
            direct.download_file(bucket, f"up/ups/{path.name}", back / path.name)
        assert tree_digests(back) == tree_digests(ups)
        share = sum(chaos.injected.values()) / chaos.requests
        assert 0.10 <= share <= 0.20, (share, chaos.requests)
        assert all(chaos.injected[kind] >= 2 for kind in ("500", "503")), chaos.injected
        assert all(chaos.injected[k] >= 2 for k in ("stall", "reset in the request")), (
            chaos.injected
        )
        assert chaos.injected["reset in the answer"] >= 2, chaos.injected
        retries = sum(j.retries for j in jobs)
        _report(
            f"{combination}, 100 transfers",
            chaos,
            f"{len(jobs)} of {len(jobs)} transfers byte-exact, {retries} retries shown in the panel",
        )
    finally:
        queue.shutdown()
        remove_bucket(direct, bucket)
        backend.close()
        direct.close()


LISTED = 50_000


@pytest.fixture(scope="module")
def fifty_thousand(stack: Stack) -> Iterator[str]:
    """A radosgw bucket of 50,000 empty objects, made with Swift bulk uploads
    (tar archives radosgw unpacks), without faults."""
    bucket = unique_name("chaos-list")
    backend = stack.backend("rgw-swift")
    backend.create_bucket(bucket)
    bulk_fill(backend, bucket, [_listed_key(i) for i in range(LISTED)])  # type: ignore[arg-type]
    yield bucket
    remove_bucket(backend, bucket)
    backend.close()


def _listed_key(index: int) -> str:
    return f"obj-{index:06d}.dat"


@pytest.mark.parametrize("combination", ["rgw-s3", "rgw-swift"], indirect=True)
def test_a_long_listing_survives_random_faults(
    stack: Stack, combination: str, chaos_proxy: FaultProxy, fifty_thousand: str
) -> None:
    """The browser's listing of 50,000 objects (four key ranges at once, a
    small first page) through a relay that faults 15 % of requests, cutting
    pages part-way among them: every key comes exactly once."""
    backend = backend_via(stack, combination, chaos_proxy.port, CHAOS_SETTINGS)
    chaos = chaos_proxy.chaos = Chaos(rate=FAULT_RATE, seed=11, stall_seconds=5.0)
    try:
        pages = backend.iter_pages(fifty_thousand, "", DELIMITER, first_page_size=FIRST_PAGE)
        keys = [o.key for page in pages for o in page.objects]
    finally:
        chaos_proxy.chaos = None
        backend.close()
    assert len(keys) == LISTED
    assert keys == [_listed_key(i) for i in range(LISTED)]  # in order, each once
    assert sum(chaos.injected.values()) >= 5 and chaos.listing_cuts >= 1, chaos
    _report(
        f"{combination}, {LISTED:,}-object listing",
        chaos,
        f"{chaos.listing_cuts} pages cut part-way; {len(keys):,} keys, each exactly once",
    )
