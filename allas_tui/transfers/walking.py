"""Expanding what the user picked into jobs lazily, as the walk goes, so the
first transfers start at once instead of after the whole tree is counted."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.errors import LocalFileError
from allas_tui.storage.swift_segments import SEGMENT_FOLDER
from allas_tui.transfers.jobs import Direction, TransferJob
from allas_tui.transfers.planning import local_path_for


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something that cannot be transferred, with why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Renamed:
    """An object saved under another name than its key, with why; its job
    follows."""

    name: str
    saved_as: Path
    reason: str


Found = TransferJob | Skipped | Renamed
SEGMENT_SKIPPED = "a segment in .file-segments/: its large object comes down whole"


def in_segment_folder(relative_key: str) -> bool:
    """True for a key inside Cyberduck's `.file-segments/` (below the folder
    being downloaded): the large object it belongs to is downloaded whole."""
    return ("/" + relative_key).find("/" + SEGMENT_FOLDER) >= 0


def walk_uploads(paths: Iterable[Path], bucket: str, prefix: str) -> Iterator[Found]:
    """A job per file: a file goes to `prefix + name`, a directory's files to
    `prefix + dirname/relative/path`, in name order, found as the walk goes.
    Symlinked directories are not followed."""
    for path in paths:
        if path.is_dir():
            yield from _walk_directory(path, prefix + path.name + "/", bucket)
        elif path.is_file():
            yield TransferJob(Direction.UPLOAD, bucket, prefix + path.name, path, _size(path))
        elif not path.exists():
            raise LocalFileError(f"{path} does not exist.", hint="Check the path and try again.")
        else:
            yield Skipped(str(path), "not a regular file")


def _walk_directory(root: Path, key_prefix: str, bucket: str) -> Iterator[Found]:
    """Depth first, in name order, one directory listing in memory at a time
    per level, so a tree of millions of files costs little memory."""
    try:
        with os.scandir(root) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(str(root), exc.strerror or str(exc))
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk_directory(Path(entry.path), f"{key_prefix}{entry.name}/", bucket)
            elif entry.is_file():
                size = entry.stat().st_size
                path = Path(entry.path)
                yield TransferJob(Direction.UPLOAD, bucket, key_prefix + entry.name, path, size)
            else:
                yield Skipped(entry.path, "not a regular file")
        except OSError as exc:
            yield Skipped(entry.path, exc.strerror or str(exc))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise LocalFileError(f"Cannot read {path}: {exc.strerror}.") from exc


def walk_downloads(
    backend: StorageBackend,
    bucket: str,
    base_prefix: str,
    keys: Iterable[tuple[str, int]],
    folders: Iterable[str],
    dest: Path,
) -> Iterator[Found]:
    """Jobs for objects (key, size; -1 when unknown) and for everything under
    pseudo-folders, page by page, each landing at its key relative to
    `base_prefix` below `dest`."""

    # Distinct keys whose names need no change land on distinct files, so only
    # changed names can collide: with each other, or with the key that is
    # their new name (`a//b` with `a/b`). Only those are remembered.
    changed_names: dict[Path, str] = {}

    def jobs(key: str, size: int) -> Iterator[Found]:
        if key.endswith("/"):
            return  # a folder marker object holds no data
        relative = key.removeprefix(base_prefix)
        try:
            target = local_path_for(dest, relative)
        except ValueError as exc:
            yield Skipped(key, str(exc))
            return
        first = changed_names.get(target.path)
        if first is None and target.changed:
            as_key = base_prefix + target.path.relative_to(dest).as_posix()
            if backend.object_exists(bucket, as_key):
                first = as_key
            else:
                changed_names[target.path] = key
        if first is not None:
            yield Skipped(key, f"it would land on the same file as {first!r}")
            return
        if target.changed:
            yield Renamed(key, target.path, target.changed)
        if size < 0:
            size = backend.head_object(bucket, key).size
        yield TransferJob(Direction.DOWNLOAD, bucket, key, target.path, size)

    for key, size in keys:
        yield from jobs(key, size)
    for folder in folders:
        for page in backend.iter_pages(bucket, folder):
            for obj in page.objects:
                if in_segment_folder(obj.key.removeprefix(base_prefix)):
                    yield Skipped(obj.key, SEGMENT_SKIPPED)
                    continue
                yield from jobs(obj.key, obj.size if obj.size_known else -1)


MAX_KEY_BYTES = 1024
"""The longest key Swift and S3 store, in UTF-8 bytes."""
SEGMENT_COPIED = "a segment in .file-segments/: its large object is copied whole"


@dataclass(frozen=True, slots=True)
class CopyPick:
    """One thing picked to copy or move, and where it goes: an object and its
    new key, or a folder (a prefix ending in "/", or "" for a whole bucket)
    and its new prefix."""

    source: str
    target: str
    size: int = -1
    """The listed size of an object, or -1 where the listing did not tell."""

    @property
    def is_folder(self) -> bool:
        """True for a prefix, whose every object goes below `target`."""
        return is_prefix(self.source)


def is_prefix(key: str) -> bool:
    """True for a folder's prefix ("" is the whole bucket's)."""
    return not key or key.endswith("/")


def walk_copies(
    backend: StorageBackend,
    direction: Direction,
    source_bucket: str,
    picks: Iterable[CopyPick],
    bucket: str,
) -> Iterator[Found]:
    """Copy or move jobs for objects and for everything under folders, page
    by page, each object landing at its key relative to its pick's source
    below the pick's target, in `bucket`."""

    def job(source: str, target: str, size: int) -> Found:
        if (source_bucket, source) == (bucket, target):
            return Skipped(source, "it would be copied onto itself")
        if len(target.encode()) > MAX_KEY_BYTES:
            return Skipped(source, f"its new key would be over {MAX_KEY_BYTES:,} bytes")
        if size < 0:
            size = backend.head_object(source_bucket, source).size
        # the listed size stays: a DLO lists as 0, which over S3 only that tells
        return TransferJob(
            direction, bucket, target, Path(), size, source_bucket=source_bucket, source_key=source
        )

    for pick in picks:
        if not pick.is_folder:
            yield job(pick.source, pick.target, pick.size)
            continue
        if source_bucket == bucket and pick.target.startswith(pick.source):
            # the walk would meet the copies it makes, without end
            yield Skipped(pick.source, "a folder cannot go into itself")
            continue
        for page in backend.iter_pages(source_bucket, pick.source):
            for obj in page.objects:
                relative = obj.key.removeprefix(pick.source)
                if in_segment_folder(relative):
                    yield Skipped(obj.key, SEGMENT_COPIED)
                    continue
                size = obj.size if obj.size_known else -1
                yield job(obj.key, pick.target + relative, size)
