"""Listings that span many pages return every key exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import Stack, remove_bucket, unique_name
from short_page_proxy import ShortPageProxy
from swiftclient.client import Connection

from allas_tui.storage.models import ListPage
from allas_tui.storage.parallel_listing import list_in_ranges
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.swift import LIST_PAGE_SIZE, SwiftBackend
from allas_tui.storage.swift_login import SwiftLogin

COUNT = LIST_PAGE_SIZE + 50
"""More than one Swift page (10,000), so more than ten S3 pages (1,000)."""
KEYS = [*sorted(f"dir{i % 7}/obj-{i:06d}" for i in range(COUNT - 3)), "a", "b/c", "zz"]


def _fill(stack: Stack, server: str, bucket: str) -> None:
    """Create the objects with the raw Swift client, 16 at a time."""
    login = stack.swift_login(server)
    first = SwiftBackend(login).connections.get()
    url, token = first.get_auth()
    first.put_container(bucket)
    local = threading.local()

    def put(key: str) -> None:
        if not hasattr(local, "conn"):
            local.conn = Connection(
                preauthurl=url, preauthtoken=token, cacert=stack.ca_bundle, retries=5
            )
        local.conn.put_object(bucket, key, b"")

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, KEYS))


@pytest.fixture(scope="module", params=["rgw", "swift"])
def big_bucket(request: pytest.FixtureRequest, stack: Stack) -> Iterator[tuple[str, str]]:
    server = str(request.param)
    name = unique_name("many")
    _fill(stack, server, name)
    yield server, name
    remove_bucket(stack.backend(f"{server}-s3"), name)


@pytest.mark.parametrize("protocol", ["swift", "s3"])
def test_every_key_exactly_once(stack: Stack, big_bucket: tuple[str, str], protocol: str) -> None:
    server, name = big_bucket
    backend = stack.backend(f"{server}-{protocol}")
    pages = list(backend.iter_pages(name))
    listed = [o.key for page in pages for o in page.objects]
    # in key order, though listed over several connections in key ranges
    assert listed == sorted(KEYS)
    expected_pages = 2 if protocol == "swift" else 11
    assert len(pages) >= expected_pages


@pytest.mark.parametrize("protocol", ["swift", "s3"])
def test_folders_page_by_page(stack: Stack, big_bucket: tuple[str, str], protocol: str) -> None:
    """With a delimiter and tiny pages, each folder comes once and is skipped after."""
    server, name = big_bucket
    backend = stack.backend(f"{server}-{protocol}")
    if isinstance(backend, SwiftBackend):
        backend.page_size = 2
    folders: list[str] = []
    objects: list[str] = []
    for page in backend.iter_pages(name, delimiter="/"):
        folders += page.folders
        objects += [o.key for o in page.objects]
    assert folders == ["b/"] + [f"dir{i}/" for i in range(7)]
    assert objects == ["a", "zz"]
    inside = [
        o.key for p in backend.iter_pages(name, prefix="dir3/", delimiter="/") for o in p.objects
    ]
    assert inside == sorted(k for k in KEYS if k.startswith("dir3/"))


def test_short_pages_still_list_everything(stack: Stack, big_bucket: tuple[str, str]) -> None:
    """Pages cut to 997 names (less than asked for) must not end the listing."""
    server, name = big_bucket
    direct = SwiftBackend(stack.swift_login(server)).connections.get()
    url, token = direct.get_auth()
    upstream = stack.backend_info(server)["object_url_http"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    with ShortPageProxy(upstream, keep=997) as proxy:
        backend = SwiftBackend(SwiftLogin(token=token, storage_url=f"{proxy.url}/{path}"))
        listed = [o.key for page in backend.iter_pages(name) for o in page.objects]
        assert proxy.short_pages >= 2
    assert len(listed) == COUNT
    assert sorted(listed) == sorted(KEYS)


def test_s3_pages_are_at_most_1000(stack: Stack, big_bucket: tuple[str, str]) -> None:
    server, name = big_bucket
    backend = stack.backend(f"{server}-s3")
    assert isinstance(backend, S3Backend)
    page = backend.list_page(name)
    assert len(page.objects) == 1000
    assert page.next_token is not None


@pytest.mark.parametrize("protocol", ["swift", "s3"])
def test_a_listing_split_into_ranges_keeps_key_order(
    stack: Stack, big_bucket: tuple[str, str], protocol: str
) -> None:
    """Pages of 97 names over 4 connections: the ranges really run on several
    threads, and the pages still come in key order, each key once."""
    server, name = big_bucket
    backend = stack.backend(f"{server}-{protocol}")
    threads: set[str] = set()

    def listing(prefix: str, delimiter: str | None) -> tuple[list[str], list[str]]:
        def fetch(after: str | None, token: str | None, limit: int | None) -> ListPage:
            threads.add(threading.current_thread().name)
            return backend.list_page(name, prefix, delimiter, token, 97, after=after)

        pages = list(list_in_ranges(fetch, prefix, streams=4))
        return [o.key for p in pages for o in p.objects], [f for p in pages for f in p.folders]

    assert listing("", None) == (sorted(KEYS), [])
    assert len(threads) > 2
    in_dir3 = sorted(k for k in KEYS if k.startswith("dir3/"))
    assert listing("dir3/", "/") == (in_dir3, [])
    assert listing("", "/") == (["a", "zz"], ["b/"] + [f"dir{i}/" for i in range(7)])
