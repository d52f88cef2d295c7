"""Where a server-side copy or move goes: the destination the user typed,
read as a bucket and a key or folder, and each picked thing's target in it."""

from __future__ import annotations

from dataclasses import dataclass

from allas_tui.transfers.walking import CopyPick, is_prefix

_SCHEMES = ("s3://", "swift://")
"""Paths as `y` copies them are taken too."""


@dataclass(frozen=True, slots=True)
class Destination:
    """A typed destination: a bucket, and a key or a folder in it."""

    bucket: str
    rest: str
    """What follows the bucket: a new name, a folder ending in "/", or empty."""

    @property
    def folder(self) -> str:
        """`rest` as a folder prefix: empty, or ending in "/"."""
        return self.rest if not self.rest or self.rest.endswith("/") else self.rest + "/"

    @property
    def label(self) -> str:
        """`bucket/rest`, for messages."""
        return f"{self.bucket}/{self.rest}"


def parse_destination(text: str) -> Destination:
    """`bucket/folder/`, `bucket/new-name`, `s3://bucket/...` or `bucket`."""
    text = text.strip()
    for scheme in _SCHEMES:
        text = text.removeprefix(scheme)
    bucket, _, rest = text.lstrip("/").partition("/")
    return Destination(bucket, rest)


@dataclass(frozen=True, slots=True)
class Picked:
    """One marked row: an object key, or a folder prefix ending in "/" ("" for
    a whole bucket)."""

    key: str
    size: int = -1


def plan_picks(picked: list[Picked], base_prefix: str, destination: Destination) -> list[CopyPick]:
    """Each picked thing's target. One object or folder and a destination
    without a trailing "/" is a new name (a rename, when moved in its bucket);
    otherwise each keeps its name, relative to `base_prefix`, in the folder."""
    if len(picked) == 1 and destination.rest and not destination.rest.endswith("/"):
        only = picked[0]
        if is_prefix(only.key):
            return [CopyPick(only.key, destination.rest + "/", only.size)]
        return [CopyPick(only.key, destination.rest, only.size)]
    folder = destination.folder
    return [CopyPick(p.key, folder + p.key.removeprefix(base_prefix), p.size) for p in picked]


def plan_problem(source_bucket: str, picks: list[CopyPick], destination: Destination) -> str | None:
    """Why these picks cannot go to `destination`, or None."""
    if not picks:
        return "Nothing to copy."
    if destination.bucket != source_bucket:
        return None
    if all(p.source == p.target for p in picks):
        return "That is where it is now: change the name or the folder."
    for pick in picks:
        if pick.is_folder and pick.target.startswith(pick.source):
            what = f"folder {pick.source!r}" if pick.source else f"bucket {source_bucket!r}"
            return f"The {what} cannot go into itself."
    return None
