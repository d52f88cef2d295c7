"""The bucket-name rules, checked before any request is sent.

Allas is one store behind two protocols, so a name must work over both: the
S3 limits (3-63 characters, no slash) and Allas's relaxed character set, which
takes upper case and underscores (CSC's default buckets look like
`2001659-puhti-SCRATCH`).
"""

from __future__ import annotations

import re

from allas_tui.storage.errors import InvalidBucketName

MIN_LENGTH = 3
"""S3's lower bound."""
MAX_LENGTH = 63
"""S3's upper bound; Swift alone would take 256 bytes, but S3 could not reach it."""

_ALLOWED = re.compile(r"[A-Za-z0-9._-]+")
_IPV4 = re.compile(r"\d{1,3}(\.\d{1,3}){3}")


def bucket_name_problem(name: str) -> str | None:
    """Return the rule `name` breaks, in words, or None when it is valid."""
    if not name:
        return "A bucket name cannot be empty."
    if len(name) < MIN_LENGTH:
        return f"A bucket name needs at least {MIN_LENGTH} characters."
    if len(name) > MAX_LENGTH:
        return f"A bucket name can have at most {MAX_LENGTH} characters (this has {len(name)})."
    if not _ALLOWED.fullmatch(name):
        bad = sorted({c for c in name if not _ALLOWED.fullmatch(c)})
        shown = " ".join(repr(c) for c in bad)
        return (
            "A bucket name can only hold letters A-Z and a-z, digits, '-', '_' and '.'; "
            f"not {shown}."
        )
    if not (name[0].isalnum() and name[-1].isalnum()):
        return "A bucket name must start and end with a letter or a digit."
    if ".." in name:
        return "A bucket name cannot contain two periods in a row."
    if _IPV4.fullmatch(name):
        return "A bucket name cannot look like an IP address."
    return None


def check_bucket_name(name: str) -> None:
    """Raise InvalidBucketName, naming the rule, if `name` is not a valid bucket name."""
    problem = bucket_name_problem(name)
    if problem is not None:
        raise InvalidBucketName(f"Invalid bucket name {name!r}: {problem}")
