"""Sharing, through the S key, proven from outside: a public bucket (and its
`_segments`, so a large object reads whole) answers a GET with no login and
stops when made private; a grant lets the other project's user read, then
write, and a revoke shuts them out; a time-limited link reads with no login.
"""

from __future__ import annotations

import hashlib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SMALL_CHUNKS, Stack, remove_bucket, unique_name
from test_browser_story import profile_for
from textual.pilot import Pilot
from ui_driver import cursor_to, open_row, toasts, type_text, wait_for, wait_idle

from allas_tui.storage.settings import MiB
from allas_tui.storage.swift import SwiftBackend
from allas_tui.ui.app import AllasApp
from allas_tui.ui.screens.confirm import ConfirmScreen
from allas_tui.ui.screens.prompt import PromptScreen

pytestmark = pytest.mark.stack

COMBINATIONS = ["rgw-swift", "rgw-s3", "swift-swift", "swift-s3"]


def _get(stack: Stack, url: str, token: str | None = None, data: bytes | None = None) -> int:
    """The status of a GET (or, with `data`, a PUT) of `url`, with no login unless `token`."""
    headers = {"X-Auth-Token": token} if token else {}
    method = "PUT" if data is not None else "GET"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    context = ssl.create_default_context(cafile=stack.ca_bundle)
    try:
        with urllib.request.urlopen(request, context=context, timeout=15) as answer:
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _read(stack: Stack, url: str) -> bytes:
    context = ssl.create_default_context(cafile=stack.ca_bundle)
    with urllib.request.urlopen(url, context=context, timeout=30) as answer:
        return bytes(answer.read())


def _public_url(stack: Stack, server: str, bucket: str, key: str) -> str:
    """Where anyone reads a public object: at the site root on radosgw (as
    https://a3s.fi/<bucket>/<key> on Allas), under the storage URL on Swift."""
    info = stack.backend_info(server)
    if server == "rgw":
        return f"{info['object_url']}/{bucket}/{key}"
    _, project = stack.project()
    return f"{info['object_url']}{info['storage_path']}/AUTH_{project['id']}/{bucket}/{key}"


@pytest.fixture
def shared(stack: Stack, combination: str, random_file) -> Iterator[tuple[str, bytes]]:
    """A bucket with a small object and a Swift large object (segments in
    `<bucket>_segments`); the large object's bytes."""
    server = combination.split("-")[0]
    swift = stack.backend(f"{server}-swift")
    assert isinstance(swift, SwiftBackend)
    bucket = unique_name("share")
    swift.create_bucket(bucket)
    source = random_file(20 * MiB, "big.bin")
    swift.upload_file(source, bucket, "big.bin")
    swift.connections.get().put_object(bucket, "a.txt", b"hello")
    try:
        yield bucket, source.read_bytes()
    finally:
        remove_bucket(swift, f"{bucket}_segments")
        remove_bucket(swift, bucket)


async def _sharing(pilot: Pilot[int], app: AllasApp) -> str:
    """Press S and return what the sharing screen says."""
    await pilot.press("S")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the sharing screen")
    return str(app.screen.query_one("#dialog-body").render())


async def _answer(pilot: Pilot[int], app: AllasApp, *keys: str) -> None:
    for key in keys:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "a question")
        await pilot.press(key)
    await wait_idle(pilot, app)


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_public_then_private_again(
    stack: Stack, combination: str, shared: tuple[str, bytes]
) -> None:
    bucket, big = shared
    server = combination.split("-")[0]
    small_url = _public_url(stack, server, bucket, "a.txt")
    big_url = _public_url(stack, server, bucket, "big.bin")
    assert _get(stack, small_url) in (401, 403, 404)
    # S3 on OpenStack Swift keeps the ACL on the container and reports only the owner
    can_tell = combination != "swift-s3"
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await cursor_to(pilot, app, bucket)
        body = await _sharing(pilot, app)
        assert f"Bucket {bucket}" in body
        assert ("public:  no" if can_tell else "public:  cannot tell") in body, body
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "make public?")
        question = str(app.screen.query_one("#dialog-body").render())
        assert "Anyone on the internet will be able to read every object" in question
        await _answer(pilot, app, "y")
        assert f"Made public: {bucket}, {bucket}_segments" in toasts(app)

        assert _read(stack, small_url) == b"hello"
        if combination == "rgw-s3":
            # radosgw reads an SLO's segments by Swift ACLs, which S3 cannot set
            assert "Swift large objects in it will not read whole without a login" in question
            assert _get(stack, big_url) == 403
        else:
            got = _read(stack, big_url)  # its segments are readable too
            assert hashlib.md5(got).hexdigest() == hashlib.md5(big).hexdigest()
            assert "Swift large objects" not in question

        # the object's public URL, tried without a login, then copied
        await open_row(pilot, app, bucket)
        await cursor_to(pilot, app, "a.txt")
        body = await _sharing(pilot, app)
        if can_tell:
            assert "public:  yes" in body, body
        await _answer(pilot, app, "u")
        if can_tell:
            assert app.clipboard == small_url, toasts(app)
        else:
            assert "public objects only at Swift URLs" in toasts(app)

        await pilot.press("backspace")
        await wait_idle(pilot, app)
        await cursor_to(pilot, app, bucket)
        await _sharing(pilot, app)
        await _answer(pilot, app, "m" if can_tell else "p", "y")
        assert f"Made private: {bucket}, {bucket}_segments" in toasts(app)
    assert _get(stack, small_url) in (401, 403, 404)
    assert _get(stack, big_url) in (401, 403, 404)


@pytest.mark.parametrize("combination", ["rgw-swift", "swift-swift"])
async def test_grant_to_another_project_then_revoke(
    stack: Stack, combination: str, shared: tuple[str, bytes]
) -> None:
    """otheruser, of another project, reads only once granted, writes only
    once granted write, and neither after the revoke."""
    bucket, _ = shared
    server = combination.split("-")[0]
    other = stack.backend(f"{server}-swift", user="otheruser")
    assert isinstance(other, SwiftBackend)
    _, other_project = stack.project("otheruser")
    token = other.connections.get().get_auth()[1]
    ours = stack.backend(combination)
    ours.list_buckets()  # logs in, so the endpoint is the storage URL
    url = f"{ours.endpoint}/{bucket}/a.txt"
    put_url = f"{ours.endpoint}/{bucket}/from-other.txt"
    assert _get(stack, url, token) == 403

    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await cursor_to(pilot, app, bucket)
        for grant in ("r", "w"):
            body = await _sharing(pilot, app)
            await pilot.press("g")
            await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "project id")
            await type_text(pilot, other_project["id"])
            await pilot.press("enter")
            await _answer(pilot, app, grant)
            if grant == "r":
                assert _get(stack, url, token) == 200
                assert _get(stack, put_url, token, b"x") == 403
        assert _get(stack, put_url, token, b"x") == 201
        body = await _sharing(pilot, app)
        assert f"read:    {other_project['id']}" in body, body
        assert f"write:   {other_project['id']}" in body, body
        await _answer(pilot, app, "r", "1")
        assert f"Project {other_project['id']} no longer has access" in toasts(app)
    assert _get(stack, url, token) == 403
    assert _get(stack, put_url, token, b"y") == 403
    segments = ours.sharing.access(f"{bucket}_segments")
    assert not segments.readers and not segments.writers, "the grant stayed on _segments"


@pytest.mark.parametrize("combination", ["rgw-s3"])
async def test_grants_over_s3_say_why_not(
    stack: Stack, combination: str, shared: tuple[str, bytes]
) -> None:
    bucket, _ = shared
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 34)) as pilot:
        await wait_idle(pilot, app)
        await cursor_to(pilot, app, bucket)
        body = await _sharing(pilot, app)
        assert "Grants to other projects are Swift container ACLs: log in over Swift" in body
        assert "g: grant" not in str(app.screen.query_one("#dialog-keys").render())
        await pilot.press("escape")


@pytest.mark.parametrize("combination", COMBINATIONS)
async def test_time_limited_link_reads_without_a_login(
    stack: Stack, combination: str, shared: tuple[str, bytes]
) -> None:
    """S, l on an object: a 5-minute link; Swift first asks to set the
    project's temp-URL key (removed here first, so it must ask)."""
    bucket, _ = shared
    server, protocol = combination.split("-")
    swift = stack.backend(f"{server}-swift")
    assert isinstance(swift, SwiftBackend)
    swift.connections.get().post_account({"X-Remove-Account-Meta-Temp-URL-Key": "x"})
    app = AllasApp(profile_for(stack, combination), settings=SMALL_CHUNKS)
    async with app.run_test(size=(120, 34), notifications=True) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, bucket)
        await cursor_to(pilot, app, "a.txt")
        await _sharing(pilot, app)
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptScreen), "lifetime")
        await type_text(pilot, "5m")
        await pilot.press("enter")
        if protocol == "swift":
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "key?")
            assert "Set a temp-URL key?" in str(app.screen.query_one("#dialog-title").render())
            await pilot.press("y")
        await wait_for(pilot, lambda: bool(app.clipboard), "the link")
        await wait_idle(pilot, app)
        link = app.clipboard
    assert _read(stack, link) == b"hello"
    query = parse_qs(urlsplit(link).query)
    if protocol == "s3":
        assert query["X-Amz-Expires"] == ["300"]
    else:
        expires = int(query["temp_url_expires"][0])
        assert 280 <= expires - time.time() <= 300
