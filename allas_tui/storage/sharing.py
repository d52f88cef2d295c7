"""Sharing a bucket: public or private, grants to other projects, and links
that work without a login for a while. What a-publish, a-flip and a-access
do, over either protocol where it can (see the protocol modules)."""

from __future__ import annotations

import abc
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

LISTING_READ_LIMIT = 64 * 1024
"""Bytes read of an answer without a login: a page of names is plenty."""
LINK_LIFETIME_LIMIT = 7 * 24 * 3600
"""The longest a time-limited link may live: S3 signatures (SigV4) allow 7 days."""


@dataclass(frozen=True, slots=True)
class BucketAccess:
    """Who may read and write a bucket besides its own project."""

    public: bool | None
    """Anyone may read its objects and list it, without a login; None where
    the protocol cannot tell (S3 on OpenStack Swift does not report it)."""
    readers: tuple[str, ...] = ()
    """Projects granted read access (their ids, as the ACL names them)."""
    writers: tuple[str, ...] = ()
    """Projects granted write access."""
    note: str = ""
    """Anything more the user should know, such as a way out of this protocol's reach."""


class Sharing(abc.ABC):
    """Public access, project grants and time-limited links for one login."""

    can_grant = False
    """Whether this protocol can grant access to other projects."""

    def __init__(self, verify: str | bool | None) -> None:
        self._verify = verify
        """The CA file (or False) that checks the server's certificate."""

    @abc.abstractmethod
    def access(self, bucket: str) -> BucketAccess:
        """Who may read and write `bucket` now."""

    @abc.abstractmethod
    def set_public(self, bucket: str, public: bool) -> list[str]:
        """Make `bucket` readable by anyone, or private again; the buckets
        changed (a Swift large object's segments must be readable too)."""

    def public_caveat(self, bucket: str) -> str | None:
        """What making `bucket` public over this protocol will not cover, if anything."""
        return None

    def grant(self, bucket: str, project: str, write: bool) -> list[str]:
        """Let `project` read `bucket`, and write to it if `write`; the buckets changed."""
        raise NotImplementedError

    def revoke(self, bucket: str, project: str) -> list[str]:
        """Take back every access `project` was granted; the buckets changed."""
        raise NotImplementedError

    @abc.abstractmethod
    def object_url(self, bucket: str, key: str) -> str:
        """The object's plain HTTPS URL under this login's endpoint."""

    def public_url_candidates(self, bucket: str, key: str) -> list[str]:
        """Where a public object may be read without a login, most likely first."""
        return [self.object_url(bucket, key)]

    def link_needs_key(self) -> bool:
        """True when links need a secret set on the project first (Swift temp URLs)."""
        return False

    def make_link_key(self) -> None:  # noqa: B027 - only Swift has one
        """Set the project's secret for signing links."""

    @abc.abstractmethod
    def link(self, bucket: str, key: str, seconds: int) -> str:
        """A URL that reads the object without a login for `seconds`, checked
        by reading its first byte."""

    # -- reading without a login ------------------------------------------------
    def readable_without_login(self, url: str) -> bool:
        """Whether a GET of the first byte of `url`, with no credentials, succeeds."""
        return self.get_without_login(url, {"Range": "bytes=0-0"}) is not None

    def get_without_login(self, url: str, headers: dict[str, str]) -> bytes | None:
        """The start of what a GET of `url` answers with no credentials; None if it fails."""
        request = urllib.request.Request(url, headers=headers)  # noqa: S310
        context = None
        if url.startswith("https:"):
            context = ssl.create_default_context(
                cafile=self._verify if isinstance(self._verify, str) else None
            )
            if self._verify is False:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, timeout=15, context=context) as answer:  # noqa: S310
                return bytes(answer.read(LISTING_READ_LIMIT)) if answer.status < 300 else None
        except (urllib.error.URLError, OSError):
            return None

    def public_url(self, bucket: str, key: str) -> str | None:
        """The first URL at which the object reads without a login, or None."""
        for url in self.public_url_candidates(bucket, key):
            if self.readable_without_login(url):
                return url
        return None


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_lifetime(text: str) -> int:
    """Seconds in `90m`, `12h`, `7d` or `3600`; ValueError says what is wrong."""
    value = text.strip().lower()
    unit = _UNITS.get(value[-1:], 0) if value else 0
    number = value[:-1] if unit else value
    if not number.isdigit() or int(number) == 0:
        raise ValueError("Give a lifetime such as 30m, 12h or 7d.")
    seconds = int(number) * (unit or 1)
    if seconds > LINK_LIFETIME_LIMIT:
        raise ValueError("A link can live at most 7 days (S3 signatures allow no more).")
    return seconds


def object_path(bucket: str, key: str) -> str:
    """`/bucket/key`, quoted for a URL."""
    return f"/{quote(bucket, safe='')}/{quote(key, safe='/')}"


def site_root(url: str) -> str:
    """`https://host:port` of `url`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
