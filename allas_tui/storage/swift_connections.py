"""Swift connections from a login: one per thread, sharing one Keystone session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests
from keystoneauth1 import session as ksa_session
from swiftclient.client import Connection
from swiftclient.client import put_object as swift_put_object
from urllib3.exceptions import HTTPError as Urllib3Error

from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift_login import SwiftLogin


class ReloginSession(ksa_session.Session):
    """A session that always agrees to log in again after a 401.

    swiftclient retries a 401 only if `invalidate()` returns True, and
    keystoneauth returns False when it has not logged in itself yet, which is
    the case when we start from allas-conf's token. With a password at hand, a
    rejected token should always be followed by one fresh login.
    """

    def invalidate(self, auth: Any = None) -> bool:
        super().invalidate(auth)
        return True


class RetryingConnection(Connection):  # type: ignore[misc]
    """A swiftclient Connection that also retries an answer that breaks off
    while it is read.

    swiftclient retries a request whose connection fails (socket errors and
    requests' exceptions), but it reads answers from the raw urllib3 stream,
    whose errors are neither: a listing page cut part-way was raised at once,
    found with the test suite's fault relay. Turned into requests'
    ConnectionError, it is retried like any other broken connection.
    """

    def _retry(self, reset_func: Any, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        def reading(*inner_args: Any, **inner_kwargs: Any) -> Any:
            try:
                return func(*inner_args, **inner_kwargs)
            except Urllib3Error as exc:
                raise requests.exceptions.ConnectionError(exc) from exc

        return super()._retry(reset_func, reading, *args, **kwargs)

    def put_object(self, container: str, obj: str, contents: Any, **kwargs: Any) -> Any:
        """PUT an object; a body that can rewind is rewound for every retry.

        swiftclient rewinds a body only when it may retry faults (retries >
        0), but with a password it also retries once after a 401, with a new
        login. Transfers run with retries=0 and retry visibly themselves, so
        a segment sent just as the token expired failed with "no ability to
        reset contents" instead of going again (found with 5-second tokens).
        """
        if self.retries > 0 or not (hasattr(contents, "seek") and hasattr(contents, "tell")):
            return super().put_object(container, obj, contents, **kwargs)
        start = contents.tell()
        return self._retry(
            lambda *_a, **_k: contents.seek(start),
            swift_put_object,
            container,
            obj,
            contents,
            **kwargs,
        )


class SwiftConnections:
    """Hands each thread its own swiftclient Connection (they are not
    thread-safe), all sharing one Keystone session and so one token."""

    def __init__(
        self,
        login: SwiftLogin,
        settings: TransferSettings,
        *,
        retries: int | None = None,
        share_login_of: SwiftConnections | None = None,
    ) -> None:
        self.login = login
        self.settings = settings
        self.retries = settings.retries if retries is None else retries
        """swiftclient's own retries; transfers retry visibly themselves and pass 0."""
        self._session: ksa_session.Session | None
        if share_login_of is not None:
            self._session = share_login_of._session
        else:
            self._session = login.keystone_session() if login.can_relogin else None
        self._local = threading.local()
        self._made: list[Connection] = []
        self._owners: list[tuple[threading.Thread, Connection]] = []
        """Which thread has which connection, so that one a finished thread
        leaves is taken up by the next thread, warm (a new TLS connection
        costs tens of ms, and every listing and transfer runs on a new thread)."""
        self._owners_lock = threading.Lock()
        self._generation = 0
        """Raised by use_login: a thread's connection from before is not used again."""
        self.given_token_expires: datetime | None = None
        """When the token the login started with runs out, once read from Keystone."""

    def use_login(self, login: SwiftLogin, session: ksa_session.Session) -> None:
        """Use a new login (a password typed after the token expired) from now
        on: every thread makes a new connection at its next request."""
        with self._owners_lock:
            self.login = login
            self._session = session
            self._generation += 1
            self._owners = []
            self._made = []

    @property
    def storage_url(self) -> str | None:
        """The storage URL any connection has learned from Keystone, else the given one."""
        learned = next((c.url for c in self._made if c.url), None)
        return learned or self.login.storage_url

    @property
    def token_expires(self) -> datetime | None:
        """When the token in use runs out: the session's, once it has logged
        in, else the given token's, once read; None when not known."""
        auth = getattr(self._session, "auth", None)
        auth_ref = getattr(auth, "auth_ref", None)
        expires = getattr(auth_ref, "expires", None)
        return expires if isinstance(expires, datetime) else self.given_token_expires

    @property
    def current_token(self) -> str | None:
        """The session's token now, if it has logged in (no request is made)."""
        auth = getattr(self._session, "auth", None)
        token = getattr(getattr(auth, "auth_ref", None), "auth_token", None)
        return token if isinstance(token, str) else None

    def forget_token(self) -> bool:
        """Make this thread's next request log in again, when there is a
        password to do it with; False (and nothing changed) when there is not."""
        if self._session is None:
            return False
        self._session.invalidate()
        conn = self.get()
        conn.url = conn.token = None
        return True

    def get(self) -> Connection:
        """This thread's connection."""
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "generation", 0) != self._generation:
            self._local.generation = self._generation
            conn = self._left_behind() or self._new_connection()
            self._local.conn = conn
        return conn

    def _left_behind(self) -> Connection | None:
        """Take over a connection whose thread has ended, if there is one."""
        me = threading.current_thread()
        with self._owners_lock:
            for index, (thread, conn) in enumerate(self._owners):
                if not thread.is_alive():
                    self._owners[index] = (me, conn)
                    return conn
        return None

    def discard(self) -> None:
        """Drop this thread's connection, e.g. after a request was cut off midway."""
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            with self._owners_lock:
                self._owners = [(t, c) for t, c in self._owners if c is not conn]

    def _new_connection(self) -> Connection:
        conn = self._connection()
        with self._owners_lock:
            # as many as threads ever ran at once: an ended one's is taken up again
            self._owners.append((threading.current_thread(), conn))
        self._made = [*self._made[-31:], conn]
        return conn

    def _connection(self) -> Connection:
        login = self.login
        # Connections share the session, whose cached token spares a login each.
        common: dict[str, Any] = {
            "preauthurl": login.storage_url,
            "preauthtoken": login.token,
            "retries": self.retries,
            "timeout": self.settings.timeout,
            "cacert": login.cacert,
        }
        if self._session is None:
            return RetryingConnection(**common)
        # The call shape of CSC's Swift guide, with a keystoneauth1 session under it
        return RetryingConnection(
            authurl=login.auth_url,
            user=login.username,
            key=login.password,
            auth_version="3",
            os_options={
                "user_domain_name": login.user_domain_name,
                "project_domain_name": login.project_domain_name,
                "project_name": login.project_name,
                "region_name": login.region,
                "endpoint_type": login.interface,
            },
            session=self._session,
            **common,
        )


def read_token_expiry(login: SwiftLogin) -> datetime:
    """When `login.token` runs out, from Keystone's `GET /v3/auth/tokens`
    (the token validating itself). Raises requests' errors on a network
    fault; a token Keystone does not know raises TokenExpired."""
    from allas_tui.storage.errors import TokenExpired

    url = f"{str(login.auth_url).rstrip('/')}/auth/tokens"
    headers = {"X-Auth-Token": str(login.token), "X-Subject-Token": str(login.token)}
    answer = requests.get(url, headers=headers, verify=login.cacert or True, timeout=20)
    if answer.status_code in (401, 404):
        raise TokenExpired("Keystone does not accept the token: it has expired or is not valid.")
    answer.raise_for_status()
    expires_at = str(answer.json()["token"]["expires_at"])
    return datetime.fromisoformat(expires_at.replace("Z", "+00:00"))
