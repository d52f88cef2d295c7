"""Allas's limits, and what a project's usage says about them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.filesize import pick_unit_and_suffix

from allas_tui.storage.models import AccountUsage, BucketInfo

TiB = 1024**4
_BINARY_UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]


def binary(size: int) -> str:
    """`size` in the binary units Allas's quotas are given in: "10.0 TiB"."""
    unit, suffix = pick_unit_and_suffix(size, _BINARY_UNITS, 1024)
    return f"{size:,} bytes" if unit == 1 else f"{size / unit:.1f} {suffix}"


@dataclass(frozen=True, slots=True)
class AllasLimits:
    """What Allas allows a project, by default."""

    quota_bytes: int = 10 * TiB
    """The default quota; a project's own, where the server says it, wins."""
    buckets: int = 1_000
    objects_per_bucket: int = 500_000
    warn_at: float = 0.9
    """The share of a limit from which the user is warned."""


@dataclass(frozen=True, slots=True)
class Measure:
    """One usage figure against its limit."""

    what: str
    used: int | None
    """None where the protocol cannot tell."""
    limit: int
    shown: str
    """The figures as the user reads them: "1.2 TB of 11.0 TB"."""

    @property
    def share(self) -> float | None:
        """Used over the limit, or None when unknown."""
        return None if self.used is None else self.used / self.limit


def measures(usage: AccountUsage, limits: AllasLimits) -> list[Measure]:
    """Bytes and buckets against the project's limits."""
    quota = usage.quota_bytes or limits.quota_bytes
    used_bytes = "unknown" if usage.bytes_used is None else binary(usage.bytes_used)
    buckets = "unknown" if usage.bucket_count is None else f"{usage.bucket_count:,}"
    return [
        Measure("storage", usage.bytes_used, quota, f"{used_bytes} of {binary(quota)}"),
        Measure("buckets", usage.bucket_count, limits.buckets, f"{buckets} of {limits.buckets:,}"),
    ]


def crowded_buckets(buckets: list[BucketInfo], limits: AllasLimits) -> list[BucketInfo]:
    """Buckets holding at least `warn_at` of the objects a bucket may hold, fullest first."""
    near = limits.objects_per_bucket * limits.warn_at
    full = [b for b in buckets if b.object_count is not None and b.object_count >= near]
    return sorted(full, key=lambda b: -(b.object_count or 0))


def usage_warnings(
    usage: AccountUsage, buckets: list[BucketInfo], limits: AllasLimits
) -> list[str]:
    """One line for each limit the project is near or past."""
    lines = []
    for measure in measures(usage, limits):
        share = measure.share
        if share is not None and share >= limits.warn_at:
            lines.append(f"{measure.what}: {measure.shown} ({share:.0%})")
    for bucket in crowded_buckets(buckets, limits):
        count = bucket.object_count or 0
        lines.append(
            f"bucket {bucket.name}: {count:,} of {limits.objects_per_bucket:,} objects "
            f"({count / limits.objects_per_bucket:.0%})"
        )
    return lines
