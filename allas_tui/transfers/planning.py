"""Where a downloaded object lands on disk, refusing keys that would escape."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


def local_path_for(dest: Path, relative_key: str) -> Path:
    """Where an object lands under `dest`. A key that would climb out of `dest`
    (`..`), or that no file system can name, raises ValueError."""
    if "\0" in relative_key:
        raise ValueError("the name holds a NUL character")
    parts = [p for p in PurePosixPath(relative_key).parts if p != "/"]
    if not parts:
        raise ValueError("the name is empty")
    if any(p in ("..", ".") for p in relative_key.split("/")):
        raise ValueError("the name holds a '..' or '.' path part")
    return dest.joinpath(*parts)
