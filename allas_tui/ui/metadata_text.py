"""User metadata as the editor shows it: one `name: value` line each, checked
against what both protocols can store."""

from __future__ import annotations

import re
from collections.abc import Mapping

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
"""Header-safe names: both protocols carry metadata as HTTP headers."""
LIMIT_BYTES = 2048
"""S3 allows 2 KB of user metadata (names and values); Swift allows more."""
HIDDEN = frozenset({"static-large-object"})
"""radosgw marks a Swift SLO with this metadata item; it is kept, never shown."""


def metadata_lines(metadata: Mapping[str, str]) -> str:
    """The editor's text for `metadata`."""
    return "\n".join(f"{k}: {v}" for k, v in sorted(metadata.items()) if k not in HIDDEN)


def parse_metadata(text: str) -> dict[str, str]:
    """`name: value` lines as a dict; ValueError names the first bad line."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not colon or not NAME.match(name):
            raise ValueError(f"Line {number}: write name: value (letters, digits, - and _).")
        if not value.isascii() or not value.isprintable():
            raise ValueError(f"Line {number}: values must be printable ASCII.")
        if name in found:
            raise ValueError(f"Line {number}: {name!r} is given twice.")
        found[name] = value
    if sum(len(k) + len(v) for k, v in found.items()) > LIMIT_BYTES:
        raise ValueError(f"Metadata may hold {LIMIT_BYTES:,} bytes in all (S3's limit).")
    return found


CONTENT_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$")


def content_type_problem(value: str) -> str | None:
    """Why `value` cannot be a content type, or None."""
    if CONTENT_TYPE.match(value.strip()) and value.isascii() and value.isprintable():
        return None
    return "A content type looks like text/plain or application/x-netcdf."
