"""What goes wrong when one protocol works on a large object the other made.

Allas serves one store over Swift and S3, but each protocol splits big
objects its own way. A Swift SLO or DLO is a manifest whose bytes live in
segments elsewhere; over S3 it reads as one object, but S3 knows none of the
segments' checksums, and radosgw refuses If-Match on it. An S3 multipart
object reads fine over Swift. These texts say so before it matters.
"""

from __future__ import annotations

from allas_tui.storage.models import ObjectKind, Protocol

_SWIFT_NAMES = {ObjectKind.SLO: "a Swift SLO", ObjectKind.DLO: "a Swift DLO"}


def download_caveat(protocol: Protocol, kind: ObjectKind) -> str | None:
    """What downloading an object of `kind` over `protocol` cannot do, or None."""
    if protocol is Protocol.S3 and kind.is_manifest:
        return (
            f"it is {_SWIFT_NAMES[kind]} (split into segments by a Swift tool): "
            "over S3 its checksum cannot be checked, only its size"
        )
    return None


def in_place_caveat(protocol: Protocol, kind: ObjectKind) -> str | None:
    """Why an object of `kind` cannot be changed in place (metadata, a server-side
    copy onto itself) over `protocol`, or None."""
    if protocol is Protocol.S3 and kind.is_manifest:
        return (
            f"it is {_SWIFT_NAMES[kind]}: over S3, changing it in place means copying it "
            "onto itself, which would make it a plain object and leave its segments behind"
        )
    return None


def copy_caveat(protocol: Protocol, kind: ObjectKind) -> str | None:
    """Why an object of `kind` is not copied server-side over `protocol`, or None."""
    if protocol is Protocol.S3 and kind.is_manifest:
        return (
            f"it is {_SWIFT_NAMES[kind]}, and S3 cannot copy its segments: on radosgw the "
            "copy would be a second manifest over the same segments, so deleting either "
            "one would break the other"
        )
    return None


COPY_ADVICE = "Copy or move it with a Swift login: allas-tui then copies its segments too."
"""What to do instead of an S3 copy of a Swift large object."""

IN_PLACE_ADVICE = "Log in over Swift to change it in place."

DOWNLOAD_ADVICE = (
    "To have each segment's MD5 checked, download it with a Swift login "
    "(allas-conf, or OS_* variables)."
)
"""What to do instead of an unchecked S3 download of a Swift large object."""
