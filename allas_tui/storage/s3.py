"""The S3 backend (boto3), set up the way Allas needs it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

from allas_tui.storage.backend import StorageBackend
from allas_tui.storage.bucket_names import check_bucket_name
from allas_tui.storage.errors import NotSupported, StorageError
from allas_tui.storage.mixing import IN_PLACE_ADVICE, in_place_caveat
from allas_tui.storage.models import (
    AccountUsage,
    BucketInfo,
    DeleteReport,
    ListPage,
    ObjectHead,
    ObjectInfo,
    ObjectKind,
    Protocol,
    listed_as_manifest,
)
from allas_tui.storage.object_heads import MULTIPART_ETAG, S3API_SLO_SUFFIX, bare_etag, s3_head
from allas_tui.storage.s3_chunks import S3Chunks
from allas_tui.storage.s3_errors import s3_errors
from allas_tui.storage.s3_listing import read_listings_quickly
from allas_tui.storage.s3_login import S3Login
from allas_tui.storage.s3_sharing import S3Sharing
from allas_tui.storage.settings import MAX_SINGLE_OBJECT, TransferSettings
from allas_tui.storage.tls import refuse_cut_answers

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

LIST_PAGE_SIZE = 1000
"""S3's largest page."""
DELETE_BATCH = 1000
"""S3's DeleteObjects limit."""
_NOT_XML_SAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]|\r")
"""Characters a DeleteObjects XML body cannot carry as they are."""


def make_s3_client(login: S3Login, settings: TransferSettings, *, retries: bool = True) -> S3Client:
    """A boto3 S3 client that works with Allas (radosgw). Without `retries`,
    a fault is raised at once, for callers that retry visibly themselves."""
    config = Config(
        signature_version="s3v4",
        # Allas bucket names such as 2001659-puhti-SCRATCH are not DNS names.
        # Unsigned bodies: botocore would otherwise read each part once more
        # to SHA-256 it (~17 % of an upload's CPU); TLS carries the bytes, and
        # every part's MD5 is checked against the ETag Allas returns.
        s3={"addressing_style": "path", "payload_signing_enabled": False},
        # boto3 >= 1.36 otherwise sends CRC32 trailers in aws-chunked bodies,
        # which radosgw rejects over https with MissingContentLength
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        # total_max_attempts counts the first try; botocore's "max_attempts"
        # counts retries only, so max_attempts=1 would still retry once unseen
        retries={"mode": "standard", "total_max_attempts": settings.retries + 1 if retries else 1},
        connect_timeout=min(settings.timeout, 20.0),
        read_timeout=settings.timeout,
        # one connection per request the queue may have in flight, so none is dropped
        max_pool_connections=settings.connections,
        tcp_keepalive=True,
    )
    session = boto3.session.Session(
        aws_access_key_id=login.access_key,
        aws_secret_access_key=login.secret_key,
        aws_session_token=login.session_token,
        region_name=login.region,
    )
    return session.client(
        "s3", endpoint_url=login.endpoint_url, verify=login.ca_bundle, config=config
    )


def _listed_kind(etag: str, size: int) -> ObjectKind:
    """Multipart when the (bare) ETag ends in -N (a number); a Swift SLO when
    it ends in a literal -N (s3api on OpenStack Swift), or, on radosgw, lists
    with the empty MD5 and the manifest's size."""
    # the cheap tests first: this runs for every listed object
    if "-" in etag:
        if etag.endswith(S3API_SLO_SUFFIX):
            return ObjectKind.SLO
        return ObjectKind.MULTIPART if MULTIPART_ETAG.search(etag) else ObjectKind.PLAIN
    return ObjectKind.SLO if size and listed_as_manifest(etag, size) else ObjectKind.PLAIN


class S3Backend(StorageBackend):
    """Allas over S3."""

    protocol = Protocol.S3

    def __init__(self, login: S3Login, settings: TransferSettings | None = None) -> None:
        refuse_cut_answers()
        self.login = login
        self.settings = settings or TransferSettings()
        self.client = make_s3_client(login, self.settings)
        read_listings_quickly(self.client)
        self.sharing = S3Sharing(self.client, self.endpoint, login.ca_bundle or True)

    @cached_property
    def chunks(self) -> S3Chunks:  # type: ignore[override]
        """The transfer client's requests, made on first use: a boto3 client
        costs ~0.2 s, which browsing alone should not pay at start."""
        client = make_s3_client(self.login, self.settings, retries=False)
        return S3Chunks(client, self.endpoint, self.settings)

    @property
    def endpoint(self) -> str:
        return self.login.endpoint_url

    @property
    def project(self) -> str | None:
        return self.login.project

    def secrets(self) -> list[str]:
        return self.login.secrets()

    def _errors(self, action: str, bucket: str | None = None, key: str | None = None) -> Any:
        return s3_errors(action, self.endpoint, bucket, key)

    # -- buckets ----------------------------------------------------------
    def list_buckets(self) -> list[BucketInfo]:
        with self._errors("list the buckets of"):
            response = self.client.list_buckets()
        buckets = [
            BucketInfo(b["Name"], created=b.get("CreationDate")) for b in response["Buckets"]
        ]
        return sorted(buckets, key=lambda b: b.name)

    def create_bucket(self, name: str) -> None:
        check_bucket_name(name)
        with self._errors("create", name):
            self.client.create_bucket(Bucket=name)

    def delete_bucket(self, name: str) -> None:
        with self._errors("delete", name):
            self.client.delete_bucket(Bucket=name)

    def bucket_headers(self, name: str) -> dict[str, str]:
        with self._errors("read", name):
            response = self.client.head_bucket(Bucket=name)
        headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        return {str(k).lower(): str(v) for k, v in headers.items()}

    def account_usage(self) -> AccountUsage:
        # S3 has no account totals; summing every listing is too costly to do unasked
        return AccountUsage(None, None, len(self.list_buckets()))

    # -- listing ----------------------------------------------------------
    def list_page(
        self,
        bucket: str,
        prefix: str = "",
        delimiter: str | None = None,
        token: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> ListPage:
        max_keys = min(limit or LIST_PAGE_SIZE, LIST_PAGE_SIZE)
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": max_keys}
        if delimiter:
            kwargs["Delimiter"] = delimiter
        if token:
            kwargs["ContinuationToken"] = token
        elif after:
            kwargs["StartAfter"] = after
        with self._errors("list", bucket):
            response = self.client.list_objects_v2(**kwargs)
        objects = []
        for o in response.get("Contents", []):
            etag = bare_etag(o.get("ETag"))
            size = o["Size"]
            kind = _listed_kind(etag, size)
            objects.append(
                ObjectInfo(o["Key"], size, o.get("LastModified"), etag or None, None, kind)
            )
        folders = [p["Prefix"] for p in response.get("CommonPrefixes", [])]
        next_token = response.get("NextContinuationToken") if response.get("IsTruncated") else None
        return ListPage(objects, folders, next_token)

    # -- objects ----------------------------------------------------------
    def head_object(self, bucket: str, key: str) -> ObjectHead:
        with self._errors("read", bucket, key):
            r = self.client.head_object(Bucket=bucket, Key=key)
        return s3_head(key, r)

    def update_metadata(
        self, bucket: str, key: str, metadata: dict[str, str], content_type: str
    ) -> None:
        head = self.head_object(bucket, key)
        caveat = in_place_caveat(Protocol.S3, head.kind)
        if caveat:
            raise NotSupported(
                f"The metadata of {key!r} was not changed: {caveat}.", hint=IN_PLACE_ADVICE
            )
        extra = {
            "Metadata": metadata,
            "MetadataDirective": "REPLACE",
            "ContentType": content_type,
            "CopySourceIfMatch": f'"{head.etag}"',  # a changed object is not overwritten
        }
        # one server-side copy up to S3's 5 GiB; beyond it, a multipart copy
        config = TransferConfig(
            multipart_threshold=MAX_SINGLE_OBJECT, multipart_chunksize=MAX_SINGLE_OBJECT
        )
        with self._errors("change the metadata of", bucket, key):
            self.client.copy(
                {"Bucket": bucket, "Key": key}, bucket, key, ExtraArgs=extra, Config=config
            )

    def delete_object(self, bucket: str, key: str) -> None:
        with self._errors("delete", bucket, key):
            self.client.delete_object(Bucket=bucket, Key=key)

    def delete_objects(self, bucket: str, keys: Iterable[str]) -> DeleteReport:
        keys = list(keys)
        deleted = 0
        failed: dict[str, str] = {}
        # XML 1.0 cannot carry most control characters, and parsers turn \r into
        # \n, so such keys go one by one, in the URL path, where they are safe.
        batchable = []
        for key in keys:
            if not _NOT_XML_SAFE.search(key):
                batchable.append(key)
                continue
            try:
                self.delete_object(bucket, key)
                deleted += 1
            except StorageError as exc:
                failed[key] = str(exc)
        keys = batchable
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start : start + DELETE_BATCH]
            with self._errors("delete objects in", bucket):
                response = self.client.delete_objects(
                    Bucket=bucket,
                    Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True},
                )
            errs = {
                e["Key"]: f"{e.get('Code')}: {e.get('Message')}" for e in response.get("Errors", [])
            }
            failed.update(errs)
            deleted += len(batch) - len(errs)
        return DeleteReport(deleted, failed)
