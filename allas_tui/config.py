"""The user's config file: TOML at the platform's config path."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from allas_tui.storage.limits import AllasLimits
from allas_tui.storage.settings import CONFLICT_POLICIES, TransferSettings

APP_NAME = "allas-tui"


def default_config_path() -> Path:
    """Where the config file lives: ~/.config/allas-tui/config.toml on Linux."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


@dataclass(slots=True)
class AppConfig:
    """What the config file says; every field has a working default."""

    path: Path
    """The file this came from (it need not exist)."""
    default_profile: str | None = None
    """The profile to open when no --profile is given."""
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Named profiles: protocol, endpoint, auth_url, project, region, ca_bundle..."""
    transfers: TransferSettings = field(default_factory=TransferSettings)
    """Chunk threshold, chunk size and concurrency."""
    keys: dict[str, str] = field(default_factory=dict)
    """Remapped keys: binding id → comma-separated keys, e.g. upload = "u,ctrl+u"."""
    limits: AllasLimits = field(default_factory=AllasLimits)
    """The project's limits, where they are not Allas's defaults (a larger quota)."""


class ConfigError(Exception):
    """The config file exists but cannot be used; the message says why."""


_SIZE_UNITS = {
    "": 1,
    "k": 1024,
    "kib": 1024,
    "m": 1024**2,
    "mib": 1024**2,
    "g": 1024**3,
    "gib": 1024**3,
    "t": 1024**4,
    "tib": 1024**4,
}


def parse_size(value: int | str) -> int:
    """Bytes from an int or a string like "64MiB" or "8 M"."""
    if isinstance(value, int):
        return value
    text = value.strip().lower().replace(" ", "")
    number = text.rstrip("kmgtib")
    unit = text[len(number) :]
    if not number.isdigit() or unit not in _SIZE_UNITS:
        raise ConfigError(f"Not a size: {value!r} (write for example 64MiB).")
    return int(number) * _SIZE_UNITS[unit]


def _conflict_policy(value: object) -> str:
    if value not in CONFLICT_POLICIES:
        raise ValueError(f"on_conflict must be one of {', '.join(CONFLICT_POLICIES)}")
    return str(value)


def load_config(path: Path | None = None) -> AppConfig:
    """Read the config file; a missing file gives the defaults."""
    path = path or default_config_path()
    if not path.exists():
        return AppConfig(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}") from exc
    transfers = data.get("transfers", {})
    defaults = TransferSettings()
    try:
        settings = TransferSettings(
            chunk_threshold=parse_size(transfers.get("chunk_threshold", defaults.chunk_threshold)),
            chunk_size=parse_size(transfers.get("chunk_size", defaults.chunk_size)),
            files_at_once=int(transfers.get("files_at_once", defaults.files_at_once)),
            chunks_at_once=int(transfers.get("chunks_at_once", defaults.chunks_at_once)),
            copies_at_once=int(transfers.get("copies_at_once", defaults.copies_at_once)),
            listing_streams=int(transfers.get("listing_streams", defaults.listing_streams)),
            on_conflict=_conflict_policy(transfers.get("on_conflict", defaults.on_conflict)),
            timeout=float(transfers.get("timeout", defaults.timeout)),
            retries=int(transfers.get("retries", defaults.retries)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: [transfers]: {exc}") from exc
    limits = _limits(path, data.get("limits", {}))
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: [profiles] must be a table of tables.")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError(f'{path}: [keys] maps action ids to keys, e.g. upload = "u,ctrl+u".')
    return AppConfig(
        path=path,
        keys={str(k): v for k, v in keys.items()},
        default_profile=data.get("default_profile"),
        profiles={str(k): dict(v) for k, v in profiles.items()},
        transfers=settings,
        limits=limits,
    )


def _limits(path: Path, table: dict[str, Any]) -> AllasLimits:
    defaults = AllasLimits()
    try:
        return AllasLimits(
            quota_bytes=parse_size(table.get("quota", defaults.quota_bytes)),
            buckets=int(table.get("buckets", defaults.buckets)),
            objects_per_bucket=int(table.get("objects_per_bucket", defaults.objects_per_bucket)),
            warn_at=float(table.get("warn_at", defaults.warn_at)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: [limits]: {exc}") from exc
