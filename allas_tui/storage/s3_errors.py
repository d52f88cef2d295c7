"""Turning boto3 and botocore failures into the storage error family."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    IncompleteReadError,
    NoCredentialsError,
    SSLError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from allas_tui.storage import errors
from allas_tui.storage.errors import describe_target

_WRONG_KEYS = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "AuthorizationHeaderMalformed",
}
_EXPIRED = {"ExpiredToken", "TokenRefreshRequired", "RequestExpired"}
_NOT_FOUND = {"NoSuchBucket", "NoSuchKey", "404", "NotFound", "NoSuchUpload"}
_BUSY = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "Throttling"}


def translate_client_error(
    exc: ClientError, action: str, bucket: str | None, key: str | None
) -> errors.StorageError:
    """The StorageError that says what went wrong in `exc`."""
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    what = describe_target(bucket, key)
    if code in _WRONG_KEYS or status == 401:
        return errors.WrongCredentials("Allas refused the S3 access key or secret key.")
    if code in _EXPIRED:
        return errors.TokenExpired("The S3 credentials have expired.")
    if code == "NoSuchBucket" or (code in _NOT_FOUND and key is None):
        return errors.NotFound(f"Bucket {bucket!r} does not exist.")
    if code in _NOT_FOUND:
        return errors.NotFound(f"There is no {what}.")
    if code == "AccessDenied" or status == 403:
        return errors.AccessDenied(f"Access denied to {what}.")
    if code == "BucketNotEmpty":
        return errors.BucketNotEmpty(f"Bucket {bucket!r} is not empty.")
    if code == "InvalidBucketName":
        return errors.InvalidBucketName(f"Allas refused the bucket name {bucket!r}.")
    if code == "BucketAlreadyOwnedByYou":
        return errors.BucketAlreadyExists(
            f"You already have a bucket named {bucket!r}.", hint="Pick it in the bucket list."
        )
    if code == "BucketAlreadyExists":
        return errors.BucketAlreadyExists(f"The bucket name {bucket!r} is already taken.")
    if code == "QuotaExceeded":
        return errors.QuotaExceeded("The project's storage quota is exceeded.")
    message = str(error.get("Message") or "")
    if code in _BUSY or (isinstance(status, int) and status >= 500):
        return errors.ServerBusy(f"Allas could not {action} {what} now ({code or status}).")
    if code == "PreconditionFailed" or status == 412:
        return errors.StorageError(
            f"The {what} changed on the server during the transfer.", hint="Transfer it again."
        )
    if code == "BadDigest":
        return errors.VerificationFailed(
            f"Allas received different bytes than were sent for {what}; "
            "the file may have changed while it was read."
        )
    detail = f"{code}: {message}" if message else code or f"HTTP {status}"
    return errors.StorageError(f"Could not {action} {what} ({detail}).")


@contextlib.contextmanager
def s3_errors(
    action: str, endpoint: str, bucket: str | None = None, key: str | None = None
) -> Iterator[None]:
    """Raise StorageErrors for the boto3 failures inside the block.

    `action` is a verb phrase for the message, as in "Could not list bucket 'x'".
    """
    try:
        yield
    except ClientError as exc:
        raise translate_client_error(exc, action, bucket, key) from exc
    except SSLError as exc:
        hint = "Point AWS_CA_BUNDLE (or ca_bundle in ~/.aws/config) at the CA file."
        raise errors.tls_error(exc, endpoint, hint) from exc
    except BotoConnectionError as exc:
        raise errors.NetworkError(f"Cannot reach {endpoint}.") from exc
    except (HTTPClientError, IncompleteReadError) as exc:  # timeouts, connections cut midway
        raise errors.NetworkError(f"The connection to {endpoint} broke: {exc}") from exc
    except NoCredentialsError as exc:
        raise errors.NoCredentials("No S3 keys were given.") from exc
    except BotoCoreError as exc:
        raise errors.StorageError(
            f"Could not {action} {describe_target(bucket, key)}: {exc}"
        ) from exc
