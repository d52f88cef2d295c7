"""Logins that work (password, allas-conf token) and failures with clear messages."""

from __future__ import annotations

import shlex
import time

import pytest
from conftest import Stack, remove_bucket, unique_name
from keystoneauth1 import session as ksa_session
from keystoneauth1.identity import v3

from allas_tui import cli
from allas_tui.storage.discovery import choose_profile, discover
from allas_tui.storage.errors import (
    AccessDenied,
    BucketNotEmpty,
    InvalidBucketName,
    NetworkError,
    NotFound,
    StorageError,
    TokenExpired,
    WrongCredentials,
)
from allas_tui.storage.models import Protocol
from allas_tui.storage.profiles import open_backend
from allas_tui.storage.s3 import S3Backend
from allas_tui.storage.s3_login import S3Login
from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift import SwiftBackend
from allas_tui.storage.swift_login import SwiftLogin


def token_for(stack: Stack, server: str, auth_url: str) -> tuple[str, str]:
    """A real Keystone token and storage URL, as allas-conf exports them."""
    name, _ = stack.project()
    user = stack.user()
    session = ksa_session.Session(
        auth=v3.Password(
            auth_url=auth_url,
            username=user["username"],
            password=user["password"],
            user_domain_name="Default",
            project_name=name,
            project_domain_name="Default",
        )
    )
    url = session.get_endpoint(
        service_type="object-store",
        interface="public",
        region_name=stack.backend_info(server)["region"],
    )
    return session.get_token(), url


def assert_no_secret(exc: StorageError, *secrets: str) -> None:
    text = f"{exc} {exc.hint} {exc!r}"
    for secret in secrets:
        assert secret not in text


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_allas_conf_token_login(stack: Stack, server: str, monkeypatch) -> None:
    """OS_AUTH_TOKEN + OS_STORAGE_URL and no password: discovered first, and it works."""
    token, url = token_for(stack, server, stack.info["auth_url"])
    env = {"OS_AUTH_TOKEN": token, "OS_STORAGE_URL": url, "OS_CACERT": stack.ca_bundle}
    profile = choose_profile(discover(env))
    assert profile.name == "allas-conf"
    assert profile.swift is not None and not profile.swift.can_relogin
    backend = open_backend(profile)
    name = unique_name("tok")
    backend.create_bucket(name)
    try:
        assert name in [b.name for b in backend.list_buckets()]
    finally:
        remove_bucket(backend, name)


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_expired_token(stack: Stack, server: str) -> None:
    """A token from the short-lived Keystone works, then expires with a clear error;
    with the password at hand the backend logs in again by itself."""
    token, url = token_for(stack, server, stack.info["short_auth_url"])
    fresh = SwiftBackend(SwiftLogin(token=token, storage_url=url, cacert=stack.ca_bundle))
    fresh.list_buckets()
    time.sleep(7)  # the short Keystone's tokens live 5 s
    expired = SwiftBackend(SwiftLogin(token=token, storage_url=url, cacert=stack.ca_bundle))
    with pytest.raises(TokenExpired, match="expired") as info:
        expired.list_buckets()
    assert_no_secret(info.value, token)
    relogin = SwiftBackend(stack.swift_login(server, token=token, storage_url=url))
    assert isinstance(relogin.list_buckets(), list)


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_wrong_password(stack: Stack, server: str) -> None:
    backend = SwiftBackend(stack.swift_login(server, password="not-the-password"))
    with pytest.raises(WrongCredentials) as info:
        backend.list_buckets()
    assert_no_secret(info.value, "not-the-password")


@pytest.mark.parametrize("server", ["rgw", "swift"])
@pytest.mark.parametrize("wrong", ["secret", "access"])
def test_wrong_s3_keys(stack: Stack, server: str, wrong: str) -> None:
    bad = "0" * 32
    login = stack.s3_login(
        server, **({"secret_key": bad} if wrong == "secret" else {"access_key": bad})
    )
    with pytest.raises(WrongCredentials, match="refused") as info:
        S3Backend(login).list_buckets()
    assert_no_secret(info.value, login.secret_key)


def test_missing_bucket(stack: Stack, combination: str) -> None:
    backend = stack.backend(combination)
    with pytest.raises(NotFound, match="does not exist"):
        list(backend.iter_pages("no-such-bucket-" + unique_name("x")))
    with pytest.raises(NotFound):
        backend.delete_bucket(unique_name("nope"))


def test_non_empty_bucket(stack: Stack, combination: str, random_file) -> None:
    backend = stack.backend(combination)
    name = unique_name("full")
    backend.create_bucket(name)
    try:
        backend.upload_file(random_file(5), name, "x")
        with pytest.raises(BucketNotEmpty, match="not empty") as info:
            backend.delete_bucket(name)
        assert info.value.hint == "Delete its objects first."
    finally:
        remove_bucket(backend, name)


@pytest.mark.parametrize("protocol", ["swift", "s3"])
def test_invalid_bucket_name_is_refused_before_any_request(protocol: str) -> None:
    """The endpoint does not exist: only a check before sending can answer."""
    if protocol == "s3":
        backend: SwiftBackend | S3Backend = S3Backend(
            S3Login("k", "s", endpoint_url="http://127.0.0.1:9")
        )
    else:
        backend = SwiftBackend(SwiftLogin(token="t", storage_url="http://127.0.0.1:9/v1/AUTH_x"))
    with pytest.raises(InvalidBucketName, match="letters A-Z"):
        backend.create_bucket("my bucket")
    with pytest.raises(InvalidBucketName, match="at least 3"):
        backend.create_bucket("ab")


@pytest.mark.parametrize("server", ["rgw", "swift"])
def test_another_projects_private_bucket(stack: Stack, server: str) -> None:
    """otheruser's bucket: Swift answers 403 on both servers; over S3, radosgw's
    global bucket names give 403 and Swift's per-account ones 'does not exist'."""
    other = stack.backend(f"{server}-swift", user="otheruser")
    name = unique_name("private")
    other.create_bucket(name)
    try:
        _, theirs = stack.project("otheruser")
        mine = SwiftBackend(stack.swift_login(server)).connections.get()
        url, token = mine.get_auth()
        their_url = url.rsplit("AUTH_", 1)[0] + "AUTH_" + theirs["id"]
        intruder = SwiftBackend(
            SwiftLogin(token=token, storage_url=their_url, cacert=stack.ca_bundle)
        )
        with pytest.raises(AccessDenied, match="Access denied") as info:
            list(intruder.iter_pages(name))
        assert "another project" in info.value.hint
        s3 = stack.backend(f"{server}-s3")
        expected = AccessDenied if server == "rgw" else NotFound
        with pytest.raises(expected):
            list(s3.iter_pages(name))
    finally:
        remove_bucket(other, name)


@pytest.mark.parametrize("protocol", ["swift", "s3"])
def test_unreachable_endpoint_is_a_network_error(protocol: str) -> None:
    """Nothing listens on port 9: the message names the endpoint, not a traceback."""
    quick = TransferSettings(retries=0, timeout=5)
    if protocol == "s3":
        backend: SwiftBackend | S3Backend = S3Backend(
            S3Login("k", "s", endpoint_url="http://127.0.0.1:9"), quick
        )
    else:
        backend = SwiftBackend(
            SwiftLogin(token="t", storage_url="http://127.0.0.1:9/v1/AUTH_x"), quick
        )
    with pytest.raises(NetworkError, match=r"Cannot reach http://127\.0\.0\.1:9") as info:
        backend.list_buckets()
    assert "network" in info.value.hint


@pytest.mark.parametrize("server", ["rgw", "swift"])
@pytest.mark.parametrize("how", ["OS_PASSWORD", "the masked prompt", "an RC file"])
def test_a_password_full_of_shell_characters_logs_in(
    stack: Stack, server: str, how: str, tmp_path, monkeypatch
) -> None:
    """allas-conf breaks on such passwords; here the characters are only data."""
    user = stack.user("quoteuser")
    password = user["password"]
    assert set("$\"'`;|&\\ ") <= set(password)
    login = stack.swift_login(server, user="quoteuser")
    env = {
        "OS_AUTH_URL": login.auth_url or "",
        "OS_USERNAME": user["username"],
        "OS_PROJECT_NAME": login.project_name or "",
        "OS_USER_DOMAIN_NAME": "Default",
        "OS_PROJECT_DOMAIN_NAME": "Default",
        "OS_REGION_NAME": login.region or "",
        "OS_CACERT": stack.ca_bundle,
    }
    rc_file = None
    if how == "OS_PASSWORD":
        env["OS_PASSWORD"] = password
    elif how == "an RC file":
        rc_file = tmp_path / "openrc.sh"
        rc_file.write_text("".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()))
        rc_file.write_text(rc_file.read_text() + f"export OS_PASSWORD={shlex.quote(password)}\n")
        env = {}
    profile = choose_profile(discover(env, home=tmp_path, rc_file=rc_file), protocol=Protocol.SWIFT)
    if how == "the masked prompt":
        assert profile.needs_password
        asked: list[str] = []
        monkeypatch.setattr("sys.stdin.isatty", lambda: True)
        monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or password)
        profile = cli._ask_password(profile)
        assert asked and password not in asked[0]
    backend = open_backend(profile)
    try:
        assert isinstance(backend.list_buckets(), list)
        assert backend.project == login.project_name
    finally:
        backend.close()
