"""Where a downloaded object lands on disk: always inside the chosen folder,
under a name that is safe to show in a terminal. A key that would escape, or
that no file system can name, is refused; one that needs changing is mapped,
and the change is said."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_NAME_BYTES = 255
"""The longest file name (one path part) Linux file systems take, in bytes."""

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Characters that reorder the text around them: a name holding U+202E can
show `txt.exe` as `exe.txt`."""


@dataclass(frozen=True, slots=True)
class LocalTarget:
    """Where one object lands, and why its name differs from the key, if it does."""

    path: Path
    changed: str | None = None


def local_path_for(dest: Path, relative_key: str) -> LocalTarget:
    """Where an object lands under `dest`. A key that would climb out of `dest`
    (`..`), or that no file system can name, raises ValueError."""
    if "\0" in relative_key:
        raise ValueError("the name holds a NUL character")
    raw_parts = relative_key.split("/")
    if any(p in ("..", ".") for p in raw_parts):
        raise ValueError("the name holds a '..' or '.' path part")
    parts = [p for p in raw_parts if p]
    if not parts:
        raise ValueError("the name is empty")
    changes = []
    if relative_key.startswith("/"):
        changes.append("the leading '/' dropped")
    if "//" in relative_key.strip("/"):
        changes.append("'//' made '/'")
    safe = [_safe_part(p) for p in parts]
    if safe != parts:
        changes.append("control characters written as visible symbols")
    for part in safe:
        if len(part.encode()) > MAX_NAME_BYTES:
            raise ValueError(
                f"a part of the name is {len(part.encode())} bytes long; "
                f"a file name can have {MAX_NAME_BYTES}"
            )
    return LocalTarget(dest.joinpath(*safe), "; ".join(changes) or None)


def _safe_part(part: str) -> str:
    """`part` with control characters as their visible Unicode symbols (ESC
    as ␛, newline as ␊) and text-reordering characters as '_', so that no
    later `ls` or shell prints a terminal command or a reversed name."""
    if part.isprintable():
        return part
    out = []
    for char in part:
        code = ord(char)
        if code < 0x20:
            out.append(chr(0x2400 + code))  # the Control Pictures block
        elif code == 0x7F:
            out.append("\u2421")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc":
            out.append("_")
        else:
            out.append(char)
    return "".join(out)
