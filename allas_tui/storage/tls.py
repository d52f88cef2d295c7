"""TLS connections that end without a proper close are errors, not the end of
an answer.

Python's `ssl` treats a connection that drops without TLS's close_notify
(a reset, or a middlebox closing it) as a clean end of stream by default
("suppressed ragged EOFs"). `http.client` then accepts an answer whose headers
were cut off part-way as complete: a HEAD without its ETag, a listing page
with no body, an upload's answer with no upload ID. Measured with the test
suite's fault relay, such answers broke multipart uploads. Allas and the
stand-in frame every answer with Content-Length or chunked encoding, so no
correct answer ever depends on the connection closing, and a cut becomes an
error that the clients retry.
"""

from __future__ import annotations

import ssl
from typing import Any


class _StrictEOFSocket(ssl.SSLSocket):
    """An SSLSocket that raises SSLEOFError on an unexpected end of stream."""

    @classmethod
    def _create(cls, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        kwargs["suppress_ragged_eofs"] = False
        socket: ssl.SSLSocket = super()._create(*args, **kwargs)  # type: ignore[misc]
        return socket


def refuse_cut_answers() -> None:
    """Make every TLS socket the process opens from now on raise when its
    peer goes away without closing TLS properly. Idempotent; boto3, requests
    (swiftclient, keystoneauth) and urllib3 all open theirs through
    SSLContext.wrap_socket, which this reaches."""
    ssl.SSLContext.sslsocket_class = _StrictEOFSocket
