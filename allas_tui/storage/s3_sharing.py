"""Sharing over S3: a bucket policy that lets anyone read (radosgw, which
Allas runs), or the public-read ACL where policies are not implemented
(OpenStack Swift's s3api maps it onto the container's read ACL); presigned
URLs. Project grants are Swift container ACLs, which S3 cannot set."""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from allas_tui.storage import errors
from allas_tui.storage.s3_errors import s3_errors
from allas_tui.storage.sharing import BucketAccess, Sharing, object_path
from allas_tui.storage.swift_segments import segment_container

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_FIRST_KEY = re.compile(rb"<Key>([^<]*)</Key>")
STATEMENT_ID = "allas-tui-public"
"""Names the policy statement allas-tui adds, so it removes only its own."""
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
CANNOT_TELL = "this server does not report public access over S3; a Swift login can tell"
SWIFT_MADE_PUBLIC = "a Swift ACL (a-publish) makes it public, and S3 cannot change that"
NO_GRANTS = errors.NotSupported(
    "Allas keeps grants to other projects as Swift container ACLs, which S3 cannot set.",
    hint="Log in over Swift (allas-conf, or OS_* variables) to share with a project.",
)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def public_statement(bucket: str) -> dict[str, Any]:
    """The policy statement that lets anyone read and list `bucket`."""
    return {
        "Sid": STATEMENT_ID,
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }


class S3Sharing(Sharing):
    """Bucket policies or ACLs, and presigned URLs, through one S3 client."""

    def __init__(self, client: S3Client, endpoint: str, verify: str | bool | None) -> None:
        super().__init__(verify)
        self._client = client
        self._endpoint = endpoint

    def _statements(self, bucket: str) -> list[dict[str, Any]] | None:
        """The bucket policy's statements; None where policies are not implemented."""
        with s3_errors("read the policy of", self._endpoint, bucket):
            try:
                policy = self._client.get_bucket_policy(Bucket=bucket)["Policy"]
            except ClientError as exc:
                if _code(exc) == "NoSuchBucketPolicy":
                    return []
                if _code(exc) == "NotImplemented":
                    return None
                raise
        statements: list[dict[str, Any]] = json.loads(policy).get("Statement", [])
        return statements

    def _acl_public(self, bucket: str) -> bool:
        with s3_errors("read the ACL of", self._endpoint, bucket):
            grants = self._client.get_bucket_acl(Bucket=bucket)["Grants"]
        return any(g.get("Grantee", {}).get("URI") == ALL_USERS for g in grants)

    def access(self, bucket: str) -> BucketAccess:
        statements = self._statements(bucket)
        ours = statements is not None and any(s.get("Sid") == STATEMENT_ID for s in statements)
        if ours or self._acl_public(bucket):
            return BucketAccess(public=True)
        if self._objects_read_without_login(bucket):
            return BucketAccess(public=True, note=SWIFT_MADE_PUBLIC)
        if statements is None:  # s3api keeps the ACL on the container, and reports only the owner
            return BucketAccess(public=None, note=CANNOT_TELL)
        return BucketAccess(public=False)

    def _objects_read_without_login(self, bucket: str) -> bool:
        """Whether the bucket lists, and its first object reads, with no login:
        public through a Swift ACL, which S3 does not show."""
        listing = self.get_without_login(self.object_url(bucket, "") + "?max-keys=1", {})
        found = _FIRST_KEY.search(listing or b"")
        if found is None:
            return False
        key = html.unescape(found.group(1).decode("utf-8", "replace"))
        return self.readable_without_login(self.object_url(bucket, key))

    def _exists(self, bucket: str) -> bool:
        try:
            with s3_errors("read", self._endpoint, bucket):
                self._client.head_bucket(Bucket=bucket)
        except errors.NotFound:
            return False
        return True

    def set_public(self, bucket: str, public: bool) -> list[str]:
        changed = []
        for name in (bucket, segment_container(bucket)):
            if name != bucket and not self._exists(name):
                continue
            self._set_one_public(name, public)
            changed.append(name)
        if not public and self.access(bucket).public is True:
            raise errors.NotSupported(
                f"Bucket {bucket!r} is still public: {SWIFT_MADE_PUBLIC}.",
                hint="Log in over Swift to make it private, or run a-flip.",
            )
        return changed

    def _set_one_public(self, bucket: str, public: bool) -> None:
        statements = self._statements(bucket)
        if statements is None:  # no policies here: the canned ACL does it
            with s3_errors("change the ACL of", self._endpoint, bucket):
                self._client.put_bucket_acl(
                    Bucket=bucket, ACL="public-read" if public else "private"
                )
            return
        kept = [s for s in statements if s.get("Sid") != STATEMENT_ID]
        with s3_errors("change the policy of", self._endpoint, bucket):
            if public:
                policy = {"Version": "2012-10-17", "Statement": [*kept, public_statement(bucket)]}
                self._client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
            elif kept:
                policy = {"Version": "2012-10-17", "Statement": kept}
                self._client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
            else:
                self._client.delete_bucket_policy(Bucket=bucket)
            if not public and self._acl_public(bucket):  # made public another way
                self._client.put_bucket_acl(Bucket=bucket, ACL="private")

    def public_caveat(self, bucket: str) -> str | None:
        segments = segment_container(bucket)
        if self._statements(bucket) is None or not self._exists(segments):
            return None  # no policies here: the ACL is the container's, which covers segments
        return (
            f"Swift large objects in it will not read whole without a login: radosgw reads\n"
            f"their segments in {segments} by Swift ACLs, which S3 cannot set. Make the\n"
            "bucket public over Swift (or with a-publish) for them."
        )

    def grant(self, bucket: str, project: str, write: bool) -> list[str]:
        raise NO_GRANTS

    def revoke(self, bucket: str, project: str) -> list[str]:
        raise NO_GRANTS

    def object_url(self, bucket: str, key: str) -> str:
        return self._endpoint.rstrip("/") + object_path(bucket, key)

    def public_url(self, bucket: str, key: str) -> str | None:
        url = super().public_url(bucket, key)
        if url is None and self._statements(bucket) is None:
            raise errors.NotSupported(
                "This server serves public objects only at Swift URLs, which an S3 login "
                "does not know.",
                hint="Log in over Swift to get the public URL.",
            )
        return url

    def link(self, bucket: str, key: str, seconds: int) -> str:
        with s3_errors("sign a link to", self._endpoint, bucket, key):
            url = self._client.generate_presigned_url(
                "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=seconds
            )
        if not self.readable_without_login(url):
            raise errors.StorageError(f"The server refused the presigned URL for {key!r}.")
        return str(url)
