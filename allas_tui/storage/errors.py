"""The one family of storage errors, with messages a person understands.

Every backend turns its protocol's failures into these, so the UI and the
transfer layer never see a ClientException or a botocore error. Messages never
carry a secret: no password, token, secret key or signature.
"""

from __future__ import annotations

import ssl


def describe_target(bucket: str | None, key: str | None) -> str:
    """ "object 'k' in bucket 'b'", "bucket 'b'" or "the project", for messages.
    Names are repr()'d so control characters in them stay visible and inert."""
    if bucket and key is not None:
        return f"object {key!r} in bucket {bucket!r}"
    if bucket:
        return f"bucket {bucket!r}"
    return "the project"


class StorageError(Exception):
    """Any failure talking to Allas. `str()` is the message for the user."""

    hint: str = ""
    """What the user can do about it; shown under the message."""
    transient: bool = False
    """True when the same request may well succeed if sent again shortly."""

    def __init__(
        self, message: str, *, hint: str | None = None, transient: bool | None = None
    ) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint
        if transient is not None:
            self.transient = transient

    @property
    def message(self) -> str:
        """The message without the hint."""
        return str(self.args[0])


class WrongCredentials(StorageError):
    """The password, token or keys were refused."""

    hint = "Check the user name, password or keys, or run allas-conf again."


class TokenExpired(StorageError):
    """The token the user logged in with is no longer valid."""

    hint = "Run allas-conf again, or give the password so allas-tui can log in again."


class NotFound(StorageError):
    """No such bucket or object."""


class AccessDenied(StorageError):
    """The credentials are valid but do not allow this."""

    hint = "The bucket may belong to another project that has not shared it with yours."


class BucketNotEmpty(StorageError):
    """A bucket that still holds objects cannot be deleted."""

    hint = "Delete its objects first."


class InvalidBucketName(StorageError):
    """A bucket name that Allas would refuse; raised before any request."""


class QuotaExceeded(StorageError):
    """The project's storage quota is used up."""

    hint = "Delete data, or ask CSC for more quota in MyCSC."


class NotSupported(StorageError):
    """The protocol in use cannot do this; the hint says what can."""


class NetworkError(StorageError):
    """Allas could not be reached, or the connection broke."""

    hint = "Check the network and the endpoint, then try again."
    transient = True


def tls_error(exc: BaseException, endpoint: str, hint: str) -> NetworkError:
    """The error for a failed TLS exchange with `endpoint`. A certificate that
    fails verification is permanent, and `hint` says how to trust it; any other
    TLS failure (a connection reset in a handshake or mid-record) is a broken
    connection, worth retrying."""
    if _certificate_rejected(exc):
        return NetworkError(
            f"The TLS certificate of {endpoint} is not trusted.", hint=hint, transient=False
        )
    return NetworkError(f"The TLS connection to {endpoint} broke: {exc}")


def _certificate_rejected(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 20:  # the HTTP libraries wrap it a few layers deep
        if isinstance(exc, ssl.SSLCertVerificationError) or "certificate verify failed" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class ServerBusy(StorageError):
    """Allas answered with a 5xx or a slow-down: worth trying again after a pause."""

    hint = "Allas is busy or having trouble; try again in a while."
    transient = True


class VerificationFailed(StorageError):
    """The bytes that arrived do not match the checksum Allas gave for them."""

    hint = "Nothing was kept under the final name; retry the transfer."


class TransferSuspended(StorageError):
    """The app is quitting: the transfer stops where it is, resumable later."""


class TransferCancelled(StorageError):
    """The caller's cancel signal stopped an upload or download."""


class LocalFileError(StorageError):
    """A local file could not be read or written (permissions, full disk)."""


class LocalFileChanged(LocalFileError):
    """The file being uploaded was written to while it was read: what was read
    may be half old, half new, so it is not stored."""

    hint = "Upload it again once nothing is writing to it."


class NoCredentials(StorageError):
    """Nothing to log in with was found."""


class BucketAlreadyExists(StorageError):
    """The bucket name is taken, by this project or (names are global) another."""

    hint = "Bucket names are shared by all Allas users; choose another name."
