"""An object's head (size, ETag, kind, metadata) from the headers a HEAD or a
GET answers with, over either protocol, so a whole-object GET can stand in
for a HEAD."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from allas_tui.storage.models import ObjectHead, ObjectKind

MULTIPART_ETAG = re.compile(r"-\d+$")
"""The ETag of an S3 multipart upload ends in -N, N being its part count."""
S3API_SLO_SUFFIX = "-N"
"""OpenStack Swift's s3api shows a Swift SLO over S3 with this literal ETag
suffix: a part count it does not know."""


def bare_etag(value: str | None) -> str:
    """The ETag without the quotes HTTP puts around it; "" for none."""
    return (value or "").strip('"')


def http_time(value: str | None) -> datetime | None:
    return parsedate_to_datetime(value) if value else None


def swift_head(key: str, headers: Mapping[str, str]) -> ObjectHead:
    """The head of `key` from Swift response headers (lower-case names)."""
    etag = bare_etag(headers.get("etag")) or None
    # radosgw sends X-Object-Meta-Static-Large-Object on some responses
    slo_flag = headers.get("x-static-large-object") or headers.get(
        "x-object-meta-static-large-object", ""
    )
    if slo_flag.lower() == "true":
        kind = ObjectKind.SLO
    elif headers.get("x-object-manifest"):
        kind = ObjectKind.DLO
    elif etag and "-" in etag:  # radosgw shows S3 multipart objects like this
        kind = ObjectKind.MULTIPART
    else:
        kind = ObjectKind.PLAIN
    meta_prefix = "x-object-meta-"
    return ObjectHead(
        key=key,
        size=int(headers.get("content-length", 0)),
        last_modified=http_time(headers.get("last-modified")),
        etag=etag,
        content_type=headers.get("content-type"),
        kind=kind,
        metadata={
            k[len(meta_prefix) :]: v for k, v in headers.items() if k.startswith(meta_prefix)
        },
        headers=dict(headers),
        manifest=headers.get("x-object-manifest"),
    )


def s3_kind(etag: str | None, headers: Mapping[str, str]) -> ObjectKind:
    """How an object seen over S3 is stored. radosgw passes a Swift large
    object's headers through to S3; OpenStack Swift's s3api marks an SLO's
    ETag with "-N" and tells nothing of a DLO (see `refine_by_listing`)."""
    if headers.get("x-object-meta-static-large-object", "").lower() == "true":
        return ObjectKind.SLO
    if headers.get("x-object-manifest"):
        return ObjectKind.DLO
    if etag and etag.endswith(S3API_SLO_SUFFIX):
        return ObjectKind.SLO
    if etag and MULTIPART_ETAG.search(etag):
        return ObjectKind.MULTIPART
    return ObjectKind.PLAIN


def refine_by_listing(head: ObjectHead, listed_size: int) -> ObjectHead:
    """`head`, marked a DLO when a listing gave 0 bytes for what a HEAD finds
    bigger: both protocols list a DLO manifest by its own empty body, and over
    S3 on OpenStack Swift nothing else tells that it is one."""
    if listed_size == 0 and head.size > 0 and head.kind is ObjectKind.PLAIN:
        return replace(head, kind=ObjectKind.DLO)
    return head


def s3_head(key: str, response: Mapping[str, Any]) -> ObjectHead:
    """The head of `key` from a boto3 head_object or get_object response."""
    etag = bare_etag(response.get("ETag")) or None
    headers = dict(response["ResponseMetadata"]["HTTPHeaders"])
    return ObjectHead(
        key=key,
        size=response["ContentLength"],
        last_modified=response.get("LastModified"),
        etag=etag,
        content_type=response.get("ContentType"),
        kind=s3_kind(etag, headers),
        metadata=dict(response.get("Metadata", {})),
        headers=headers,
        manifest=headers.get("x-object-manifest"),
    )
