"""Swift logins from what OpenStack users already have: allas-conf's token,
OS_* variables, an RC file, or clouds.yaml."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from allas_tui.storage.errors import NoCredentials
from allas_tui.storage.profiles import ConnectionProfile
from allas_tui.storage.swift_login import SwiftLogin


def parse_rc_file(path: Path) -> dict[str, str]:
    """The `OS_*` variables an openrc file sets, read without running it.

    Values that come from the shell (`$OS_PASSWORD_INPUT`, `$(...)`) are left
    out, so a downloaded RC file that prompts for the password yields none.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NoCredentials(f"Cannot read the RC file {path}: {exc.strerror}.") from exc
    found: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("export "):
            line = line[len("export ") :].strip()
        name, eq, _ = line.partition("=")
        if not eq or not name.startswith("OS_") or not name.replace("_", "").isalnum():
            continue
        raw = line[len(name) + 1 :]
        if "$" in raw and not raw.startswith("'"):
            continue  # expanded by the shell: not ours to guess
        try:
            words = shlex.split(raw, comments=True)
        except ValueError:
            continue
        found[name] = words[0] if words else ""
    return found


def login_from_os_vars(env: Mapping[str, str]) -> SwiftLogin:
    """A Swift login from OS_* variables (a token, a password, or neither yet)."""
    return SwiftLogin(
        auth_url=env.get("OS_AUTH_URL") or None,
        username=env.get("OS_USERNAME") or None,
        password=env.get("OS_PASSWORD") or None,
        project_name=env.get("OS_PROJECT_NAME") or env.get("OS_TENANT_NAME") or None,
        project_id=env.get("OS_PROJECT_ID") or env.get("OS_TENANT_ID") or None,
        user_domain_name=env.get("OS_USER_DOMAIN_NAME") or "Default",
        project_domain_name=env.get("OS_PROJECT_DOMAIN_NAME") or "Default",
        region=env.get("OS_REGION_NAME") or None,
        interface=env.get("OS_INTERFACE") or "public",
        token=env.get("OS_AUTH_TOKEN") or None,
        storage_url=env.get("OS_STORAGE_URL") or None,
        cacert=env.get("OS_CACERT") or None,
    )


def token_profile(env: Mapping[str, str]) -> ConnectionProfile | None:
    """allas-conf's login: OS_AUTH_TOKEN and OS_STORAGE_URL, used as they are
    (with OS_PASSWORD too, after `allas-conf -k`, the app can log in again)."""
    if not (env.get("OS_AUTH_TOKEN") and env.get("OS_STORAGE_URL")):
        return None
    return ConnectionProfile(
        name="allas-conf",
        source="OS_AUTH_TOKEN + OS_STORAGE_URL (allas-conf)",
        swift=login_from_os_vars(env),
    )


def password_profile(env: Mapping[str, str], name: str, source: str) -> ConnectionProfile | None:
    """A Keystone v3 password login from OS_* values; the password may be missing
    (then the user is asked for it)."""
    if not (env.get("OS_AUTH_URL") and env.get("OS_USERNAME")):
        return None
    login = login_from_os_vars({k: v for k, v in env.items() if k != "OS_AUTH_TOKEN"})
    return ConnectionProfile(name=name, source=source, swift=login)


def clouds_yaml_paths(env: Mapping[str, str], home: Path) -> list[Path]:
    """Where clouds.yaml is looked for, in the OpenStack SDK's order."""
    paths = []
    if env.get("OS_CLIENT_CONFIG_FILE"):
        paths.append(Path(env["OS_CLIENT_CONFIG_FILE"]))
    paths += [
        Path.cwd() / "clouds.yaml",
        home / ".config/openstack/clouds.yaml",
        Path("/etc/openstack/clouds.yaml"),
    ]
    return paths


def cloud_profile(env: Mapping[str, str], home: Path) -> ConnectionProfile | None:
    """The cloud OS_CLOUD names in clouds.yaml, with its secure.yaml beside it."""
    cloud = env.get("OS_CLOUD")
    if not cloud:
        return None
    for path in clouds_yaml_paths(env, home):
        if not path.is_file():
            continue
        entry = _load_yaml(path).get("clouds", {}).get(cloud)
        if entry is None:
            continue
        secure = _load_yaml(path.with_name("secure.yaml")).get("clouds", {}).get(cloud, {})
        auth = {**entry.get("auth", {}), **secure.get("auth", {})}
        values = {
            "OS_AUTH_URL": auth.get("auth_url"),
            "OS_USERNAME": auth.get("username"),
            "OS_PASSWORD": auth.get("password"),
            "OS_PROJECT_NAME": auth.get("project_name"),
            "OS_PROJECT_ID": auth.get("project_id"),
            "OS_USER_DOMAIN_NAME": auth.get("user_domain_name"),
            "OS_PROJECT_DOMAIN_NAME": auth.get("project_domain_name"),
            "OS_REGION_NAME": entry.get("region_name"),
            "OS_INTERFACE": entry.get("interface"),
            "OS_CACERT": entry.get("cacert"),
        }
        return password_profile(
            {k: str(v) for k, v in values.items() if v},
            name=f"cloud:{cloud}",
            source=f"OS_CLOUD={cloud} in {path}",
        )
    return None


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}
