"""ListObjectsV2 pages read with ElementTree instead of botocore's parser.

botocore's shape-driven parser takes ~100 ms for a page of 1,000 keys on a
login-node-class core, most of it parsing each LastModified with dateutil:
10 s of GIL-holding CPU for a bucket of 100,000 objects. ElementTree and
`datetime.fromisoformat` read the same page in ~10 ms. botocore still signs,
sends and retries each request and turns error answers into exceptions; only
the body of a successful page is read here.

botocore also parses every S3 answer a second time, whole, to look for an
`<Error>` sent with status 200 (~12 ms a page); a page read here makes that
check itself, so botocore's is skipped for listings.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore import handlers

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_EMPTY_RESULT = b"<ListBucketResult/>"
"""What botocore's own parser is left to read once the page has been read here."""
_TEXT_FIELDS = {
    "NextContinuationToken",
    "ContinuationToken",
    "StartAfter",
    "Name",
    "Prefix",
    "Delimiter",
    # boto3 asks for url-encoded keys; its after-call handler decodes them
    # when the answer says so
    "EncodingType",
}
_KEY, _SIZE, _MODIFIED, _ETAG = (_NS + tag for tag in ("Key", "Size", "LastModified", "ETag"))


class ErrorWithStatus200(Exception):
    """S3 answered a listing with 200 and an `<Error>` document."""


def parse_list_page(body: bytes) -> dict[str, Any]:
    """A ListObjectsV2 answer in the shape botocore gives it: Contents (Key,
    Size, LastModified, ETag), CommonPrefixes, IsTruncated, KeyCount and the
    continuation token. Raises ET.ParseError or ValueError on a malformed or
    cut page, and ErrorWithStatus200 on an error document."""
    root = ET.fromstring(body)  # noqa: S314 - the answer of the user's own endpoint
    if root.tag == "Error":
        raise ErrorWithStatus200
    contents: list[dict[str, Any]] = []
    prefixes: list[dict[str, str]] = []
    result: dict[str, Any] = {"Contents": contents, "CommonPrefixes": prefixes}
    for child in root:
        tag = child.tag.removeprefix(_NS)
        if tag == "Contents":
            contents.append(_object_entry(child))
        elif tag == "CommonPrefixes":
            prefixes.append({"Prefix": child.findtext(_NS + "Prefix") or ""})
        elif tag == "IsTruncated":
            result["IsTruncated"] = (child.text or "").strip() == "true"
        elif tag == "KeyCount":
            result["KeyCount"] = int(child.text or 0)
        elif tag in _TEXT_FIELDS:
            result[tag] = child.text or ""
    return result


def _object_entry(element: ET.Element) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for field in element:
        tag = field.tag
        if tag == _KEY:
            entry["Key"] = field.text or ""
        elif tag == _SIZE:
            entry["Size"] = int(field.text or "")
        elif tag == _MODIFIED:
            entry["LastModified"] = datetime.fromisoformat(field.text or "")
        elif tag == _ETAG:
            entry["ETag"] = field.text or ""
    if "Key" not in entry or "Size" not in entry:
        raise ValueError("a listed object without a key or a size")
    return entry


def _read_page_here(
    response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any
) -> None:
    if response_dict.get("status_code") != 200:
        return  # errors keep botocore's parsing, and so its exceptions
    try:
        page = parse_list_page(response_dict["body"])
    except (ET.ParseError, ErrorWithStatus200):
        # as botocore's own check does: a cut page or a hidden error is a
        # server fault, which botocore then retries and reports
        response_dict["status_code"] = 500
        return
    except ValueError:
        return  # botocore reads it, and reports what is wrong as it always has
    customized_response_dict.update(page)
    response_dict["body"] = _EMPTY_RESULT


def _unless_listing(check: Callable[..., None], operation_model: Any, **kwargs: Any) -> None:
    if operation_model.name != "ListObjectsV2":
        check(operation_model=operation_model, **kwargs)


def read_listings_quickly(client: S3Client) -> None:
    """Have `client` read ListObjectsV2 pages with `parse_list_page`."""
    events = client.meta.events
    events.register("before-parse.s3.ListObjectsV2", _read_page_here)
    # a private botocore name: if a release renames it, both checks run, as before
    check = getattr(handlers, "_handle_200_error", None)
    if check is not None:
        events.unregister("before-parse.s3.*", check)
        events.register_first("before-parse.s3.*", functools.partial(_unless_listing, check))
