"""Finding every way the user can already log in, in Allas's order of preference:
allas-conf's token, then OpenStack logins (RC file, OS_* variables, clouds.yaml),
then S3 keys (boto3's chain, rclone remotes), plus profiles named in the config file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allas_tui.storage import openstack_sources as openstack
from allas_tui.storage import s3_sources
from allas_tui.storage.errors import NoCredentials
from allas_tui.storage.models import Protocol
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.storage.s3_login import ALLAS_S3_ENDPOINT, DEFAULT_REGION, S3Login
from allas_tui.storage.secret_files import aws_files, exposed_secret_warnings
from allas_tui.storage.swift_login import SwiftLogin


@dataclass(slots=True)
class Discovery:
    """What credential discovery found, and a line for every place it looked."""

    profiles: list[ConnectionProfile] = field(default_factory=list)
    looked_for: list[tuple[str, str]] = field(default_factory=list)
    """(where, what was found there), for the screen shown when nothing was."""
    warnings: list[str] = field(default_factory=list)
    """Files holding a secret that other users can read."""

    def note(self, where: str, found: list[ConnectionProfile], empty: str = "not set") -> None:
        """Record a place and add what it gave."""
        self.profiles += found
        self.looked_for.append((where, ", ".join(p.name for p in found) or empty))


def discover(
    env: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
    rc_file: Path | None = None,
    config_profiles: Mapping[str, Mapping[str, Any]] | None = None,
    config_path: Path | None = None,
) -> Discovery:
    """Every login the user already has, most preferred first."""
    env = os.environ if env is None else env
    home = home or Path.home()
    d = Discovery()
    if rc_file is not None:
        # The shell's OS_CACERT and OS_PASSWORD fill in what the file leaves out
        inherited = {k: env[k] for k in ("OS_CACERT", "OS_PASSWORD") if env.get(k)}
        values = {**inherited, **openstack.parse_rc_file(rc_file)}
        found = openstack.password_profile(values, name="rc", source=f"RC file {rc_file}")
        d.note(f"--rc {rc_file}", [found] if found else [], "no OS_AUTH_URL and OS_USERNAME in it")
    token = openstack.token_profile(env)
    d.note("OS_AUTH_TOKEN + OS_STORAGE_URL (allas-conf)", [token] if token else [])
    if token is None:
        rc = openstack.password_profile(env, name="openstack", source="OS_* variables (RC file)")
        d.note("OS_AUTH_URL + OS_USERNAME (a sourced RC file)", [rc] if rc else [])
    cloud = openstack.cloud_profile(env, home)
    cloud_note = "not set" if not env.get("OS_CLOUD") else "no such cloud in clouds.yaml"
    d.note("OS_CLOUD with clouds.yaml", [cloud] if cloud else [], cloud_note)
    d.note(
        "S3 keys: AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/credentials, ~/.aws/config",
        s3_sources.aws_profiles(env),
        "none",
    )
    rclone_path = s3_sources.rclone_config_path(env, home)
    remotes, problem = s3_sources.rclone_profiles(rclone_path)
    d.note(f"rclone remotes [s3allas-*] in {rclone_path}", remotes, problem or "none")
    named = [profile_from_config(n, spec, env) for n, spec in (config_profiles or {}).items()]
    d.note(f"profiles in {config_path or 'the config file'}", named, "none")
    clouds = openstack.clouds_yaml_paths(env, home)
    d.warnings = exposed_secret_warnings(
        [
            rc_file,
            config_path,
            *aws_files(env, home),
            rclone_path,
            *clouds,
            *(p.with_name("secure.yaml") for p in clouds),
        ]
    )
    return d


def profile_from_config(
    name: str, spec: Mapping[str, Any], env: Mapping[str, str]
) -> ConnectionProfile:
    """A profile the user named in the config file."""
    protocol = Protocol(str(spec.get("protocol", "s3")).lower())
    source = f"profile {name} in the config file"
    if protocol is Protocol.S3:
        if spec.get("access_key_id") and spec.get("secret_access_key"):
            keys = S3Login(str(spec["access_key_id"]), str(spec["secret_access_key"]))
        else:
            found = s3_sources.aws_profile_login(spec.get("aws_profile"))
            if found is None:
                raise NoCredentials(f"Profile {name!r}: no S3 keys in ~/.aws for it.")
            keys = found
        login = S3Login(
            access_key=keys.access_key,
            secret_key=keys.secret_key,
            session_token=keys.session_token,
            endpoint_url=str(spec.get("endpoint", ALLAS_S3_ENDPOINT)),
            region=str(spec.get("region", DEFAULT_REGION)),
            ca_bundle=spec.get("ca_bundle") or keys.ca_bundle,
            project=spec.get("project"),
        )
        return ConnectionProfile(name=name, source=source, s3=login)
    swift = SwiftLogin(
        auth_url=spec.get("auth_url") or env.get("OS_AUTH_URL"),
        username=spec.get("username") or env.get("OS_USERNAME"),
        password=env.get("OS_PASSWORD") or None,
        project_name=spec.get("project"),
        project_id=spec.get("project_id"),
        user_domain_name=str(spec.get("user_domain", "Default")),
        project_domain_name=str(spec.get("project_domain", "Default")),
        region=spec.get("region"),
        storage_url=spec.get("storage_url"),
        cacert=spec.get("ca_bundle") or env.get("OS_CACERT"),
    )
    return ConnectionProfile(name=name, source=source, swift=swift)


def choose_profile(
    discovery: Discovery,
    *,
    name: str | None = None,
    protocol: Protocol | None = None,
    default_name: str | None = None,
) -> ConnectionProfile:
    """The profile to use: the one named, else the config's default, else the
    most preferred; only of `protocol` when given. NoCredentials if none fits."""
    candidates = [p for p in discovery.profiles if protocol is None or p.protocol is protocol]
    wanted = name or default_name
    if wanted:
        for profile in candidates:
            if wanted in (profile.name, profile.name.split(":", 1)[-1]):
                return profile
        if name:
            known = ", ".join(p.name for p in candidates) or "none"
            raise NoCredentials(f"No profile named {name!r}. Known profiles: {known}.")
    if not candidates:
        kind = f"{protocol.value} " if protocol else ""
        raise NoCredentials(f"No {kind}credentials were found.")
    return candidates[0]
