"""Turning python-swiftclient and keystoneauth1 failures into the storage error family."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator

import requests
from keystoneauth1 import exceptions as ksa
from swiftclient.exceptions import ClientException
from urllib3.exceptions import HTTPError as Urllib3Error

from allas_tui.storage import errors
from allas_tui.storage.errors import describe_target

# Not every OSError: a local file's ENOSPC must not pass for a network fault.
_NETWORK_OS_ERRORS = (
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    socket.herror,
    # a body that breaks off while it streams
    Urllib3Error,
)


def translate_swift_error(
    exc: ClientException,
    action: str,
    bucket: str | None,
    key: str | None,
    *,
    token_only: bool,
    conflict: type[errors.StorageError] | None,
) -> errors.StorageError:
    """The StorageError that says what went wrong in a Swift response."""
    status = exc.http_status
    what = describe_target(bucket, key)
    if status == 401:
        if token_only:
            return errors.TokenExpired("Allas refused the token: it has expired or is not valid.")
        return errors.WrongCredentials("Allas refused the login (401).")
    if status == 404:
        if key is None and bucket:
            return errors.NotFound(f"Bucket {bucket!r} does not exist.")
        return errors.NotFound(f"There is no {what}.")
    if status == 403:
        return errors.AccessDenied(f"Access denied to {what}.")
    if status == 409 and conflict is errors.BucketNotEmpty:
        return errors.BucketNotEmpty(f"Bucket {bucket!r} is not empty.")
    if status == 409 and conflict is errors.BucketAlreadyExists:
        return errors.BucketAlreadyExists(f"The bucket name {bucket!r} is already taken.")
    if status == 413:
        return errors.QuotaExceeded("The project's storage quota is exceeded.")
    if status is None:
        # swiftclient raises status-less ClientExceptions for failed logins
        if "Unauthorized" in str(exc.msg):
            return errors.WrongCredentials("Keystone refused the user name, password or project.")
        return errors.StorageError(f"Could not {action} {what}: {exc.msg}")
    reason = f"HTTP {status} {exc.http_reason or ''}".strip()
    if status >= 500 or status == 429:
        return errors.ServerBusy(f"Allas could not {action} {what} now ({reason}).")
    if status == 422:
        return errors.VerificationFailed(
            f"Allas received different bytes than were sent for {what}; "
            "the file may have changed while it was read."
        )
    return errors.StorageError(f"Could not {action} {what} ({reason}).")


@contextlib.contextmanager
def swift_errors(
    action: str,
    endpoint: Callable[[], str],
    bucket: str | None = None,
    key: str | None = None,
    *,
    token_only: bool = False,
    conflict: type[errors.StorageError] | None = None,
) -> Iterator[None]:
    """Raise StorageErrors for the Swift and Keystone failures inside the block.

    `endpoint` is asked only when a message needs it, so it can name the
    storage URL that the login inside the block learned.
    `token_only` says the login has no password, so a 401 means the token
    expired. `conflict` says what a 409 means for this request.
    """
    try:
        yield
    except ClientException as exc:
        raise translate_swift_error(
            exc, action, bucket, key, token_only=token_only, conflict=conflict
        ) from exc
    except ksa.Unauthorized as exc:
        raise errors.WrongCredentials(
            "Keystone refused the user name, password or project."
        ) from exc
    except ksa.EndpointNotFound as exc:
        raise errors.StorageError(
            "Keystone lists no object-store endpoint for this project and region.",
            hint="Check OS_REGION_NAME.",
        ) from exc
    except (ksa.SSLError, requests.exceptions.SSLError) as exc:
        raise errors.tls_error(exc, endpoint(), "Point OS_CACERT at the CA file.") from exc
    except (ksa.ConnectionError, requests.exceptions.RequestException, *_NETWORK_OS_ERRORS) as exc:
        raise errors.NetworkError(f"Cannot reach {endpoint()}.") from exc
    except ksa.ClientException as exc:
        raise errors.StorageError(f"Keystone login failed: {type(exc).__name__}.") from exc
