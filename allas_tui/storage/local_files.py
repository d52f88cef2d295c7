"""Writing downloads safely: into a temporary name, renamed into place when whole.

A download never leaves a half-written file under its final name, and it never
replaces an existing file unless the caller says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from allas_tui.storage.errors import LocalFileError

PART_SUFFIX = ".allas-part"
"""Temporary downloads end with this, so they are easy to recognise and clean."""


def local_error(exc: OSError, path: Path | str) -> LocalFileError:
    """Turn an OSError on a local path into a message a person understands."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOENT: "no such file or folder",
        errno.EISDIR: "it is a folder",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.EEXIST: "it already exists",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return LocalFileError(f"Cannot use {path}: {reason}.")


@contextlib.contextmanager
def local_errors(path: Path | str) -> Iterator[None]:
    """Translate OSErrors raised inside the block into LocalFileError."""
    try:
        yield
    except OSError as exc:
        raise local_error(exc, path) from exc


def readable_size(path: Path) -> int:
    """The size of a file about to be uploaded; LocalFileError if it cannot be
    read, so the failure comes before any request is sent."""
    with local_errors(path):
        size = path.stat().st_size
        path.open("rb").close()
    return size


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()
"""Read once at import: os.umask can only be read by setting it."""


def new_part_file(dest: Path) -> Path:
    """A new, empty temporary file next to `dest`, with the user's usual mode
    (mkstemp makes it 0600). It is renamed to `dest` when the download is whole."""
    fd, name = tempfile.mkstemp(prefix=f".{dest.name[:100]}.", suffix=PART_SUFFIX, dir=dest.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
    finally:
        os.close(fd)
    return Path(name)


def move_into_place(tmp: Path, dest: Path, overwrite: bool) -> None:
    """Rename `tmp` to `dest`; unless `overwrite`, never replace an existing `dest`."""
    if overwrite:
        tmp.replace(dest)
        return
    # A hard link fails if dest exists, so a file that appeared while we
    # downloaded is never clobbered. Some file systems have no hard links.
    try:
        os.link(tmp, dest)
    except FileExistsError:
        raise LocalFileError(f"{dest} appeared during the download; it was not replaced.") from None
    except OSError:
        if dest.exists():
            raise LocalFileError(f"{dest} already exists; it was not replaced.") from None
        tmp.replace(dest)
        return
    tmp.unlink()
