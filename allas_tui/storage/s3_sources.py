"""S3 logins from what users already have: boto3's chain (environment,
~/.aws/credentials, ~/.aws/config) and rclone's `[s3allas-*]` remotes."""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from pathlib import Path

import botocore.session
from botocore.configprovider import ConfiguredEndpointProvider

from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.storage.s3_login import ALLAS_S3_ENDPOINT, DEFAULT_REGION, S3Login

_AWS_DEFAULT_HOST = "amazonaws.com"


def _botocore_session(profile: str | None) -> botocore.session.Session:
    session = botocore.session.Session(profile=profile)
    # The instance-metadata and container providers probe the network for
    # seconds on a machine that is not in AWS; Allas keys never come from there.
    resolver = session.get_component("credential_provider")
    for provider in ("iam-role", "container-role"):
        resolver.remove(provider)
    return session


def aws_profile_login(profile: str | None) -> S3Login | None:
    """The keys, endpoint, region and CA bundle boto3 would use for `profile`
    (None: boto3's own choice, AWS_PROFILE or default), or None without keys."""
    session = _botocore_session(profile)
    try:
        credentials = session.get_credentials()
    except botocore.exceptions.BotoCoreError:
        return None
    if credentials is None:
        return None
    frozen = credentials.get_frozen_credentials()
    if not (frozen.access_key and frozen.secret_key):
        return None
    region = session.get_config_variable("region") or DEFAULT_REGION
    # boto3's endpoint_url: AWS_ENDPOINT_URL(_S3), then the profile's services
    # section or endpoint_url; without any, Allas. Read from the configuration
    # alone: making a client to ask it costs ~0.2 s at every start.
    endpoint = ALLAS_S3_ENDPOINT
    if not session.get_config_variable("ignore_configured_endpoint_urls"):
        configured = ConfiguredEndpointProvider(
            full_config=session.full_config,
            scoped_config=session.get_scoped_config(),
            client_name="s3",
        ).provide()
        if configured and _AWS_DEFAULT_HOST not in configured:
            endpoint = configured
    return S3Login(
        access_key=frozen.access_key,
        secret_key=frozen.secret_key,
        session_token=frozen.token,
        endpoint_url=endpoint,
        region=region,
        ca_bundle=session.get_config_variable("ca_bundle") or None,
        project=profile,
    )


def aws_profiles(env: Mapping[str, str]) -> list[ConnectionProfile]:
    """One profile for what boto3 picks by default, then one for every other
    ~/.aws profile that has keys."""
    found: list[ConnectionProfile] = []
    chosen = env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE")
    default = aws_profile_login(None)
    if default is not None:
        if env.get("AWS_ACCESS_KEY_ID"):
            name, source = "aws:env", "AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY"
        else:
            name = f"aws:{chosen or 'default'}"
            source = f"~/.aws profile {chosen or 'default'}" + (" (AWS_PROFILE)" if chosen else "")
        found.append(ConnectionProfile(name=name, source=source, s3=default))
    for profile in botocore.session.Session().available_profiles:
        if f"aws:{profile}" in {p.name for p in found}:
            continue
        login = aws_profile_login(profile)
        if login is not None:
            found.append(
                ConnectionProfile(
                    name=f"aws:{profile}", source=f"~/.aws profile {profile}", s3=login
                )
            )
    return found


def rclone_config_path(env: Mapping[str, str], home: Path) -> Path:
    """Where rclone keeps its remotes."""
    if env.get("RCLONE_CONFIG"):
        return Path(env["RCLONE_CONFIG"])
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else home / ".config"
    return base / "rclone/rclone.conf"


def rclone_profiles(path: Path) -> tuple[list[ConnectionProfile], str | None]:
    """Allas S3 remotes in rclone.conf (`[s3allas-project_X]`, type s3), and a
    note when the file exists but cannot be used."""
    if not path.is_file():
        return [], None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return [], f"{path} could not be read (is it encrypted?)"
    found = []
    for name in parser.sections():
        section = parser[name]
        endpoint = section.get("endpoint", "")
        allas = name.startswith("s3allas") or "a3s.fi" in endpoint
        if section.get("type") != "s3" or not allas:
            continue
        if not (section.get("access_key_id") and section.get("secret_access_key")):
            continue
        if endpoint and "://" not in endpoint:
            endpoint = "https://" + endpoint
        project = name.removeprefix("s3allas-") if name.startswith("s3allas-") else None
        login = S3Login(
            access_key=section["access_key_id"],
            secret_key=section["secret_access_key"],
            endpoint_url=endpoint or ALLAS_S3_ENDPOINT,
            region=section.get("region") or DEFAULT_REGION,
            project=project,
        )
        found.append(
            ConnectionProfile(
                name=f"rclone:{name}", source=f"rclone remote [{name}] in {path}", s3=login
            )
        )
    return found, None
