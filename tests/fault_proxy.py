"""An HTTP relay that answers chosen requests with a server error instead of
passing them on: `503 SlowDown`, `500 InternalError` and the like, as a busy
Allas does. Everything else reaches the real server unchanged.

It terminates TLS with the stand-in's own certificate (which the clients
trust), so it can read the request lines, and opens TLS again to the server.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import BinaryIO

from local_relay import LocalRelay


@dataclass(frozen=True)
class Fault:
    """One error answer: HTTP status, reason and S3 error code."""

    status: int
    reason: str
    code: str

    def response(self) -> bytes:
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{self.code}</Code>'
            f"<Message>injected by the test relay</Message></Error>"
        ).encode()
        head = (
            f"HTTP/1.1 {self.status} {self.reason}\r\nContent-Type: application/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        return head + body


SLOW_DOWN = Fault(503, "Slow Down", "SlowDown")
INTERNAL_ERROR = Fault(500, "Internal Server Error", "InternalError")


class FaultProxy(LocalRelay):
    """Listens on 127.0.0.1 (a free port) and relays HTTP to `target`; the next
    requests whose method is in `methods` get the faults queued in `faults`."""

    def __init__(
        self, target_host: str, target_port: int, cert: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(target_host, target_port)
        self.faults: list[Fault] = []
        self.methods = {"GET", "PUT", "POST"}
        self.answered: list[tuple[Fault, str]] = []
        """Each fault given, with the request line it answered."""
        self._lock = threading.Lock()
        self._server_tls: ssl.SSLContext | None = None
        self._client_tls: ssl.SSLContext | None = None
        if cert and key:
            self._server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._server_tls.load_cert_chain(cert, key)
            self._client_tls = ssl.create_default_context(cafile=cert)
        self._start_accepting()

    def _take(self, client: socket.socket) -> None:
        threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        """One connection, one request and its answer at a time, in this thread
        alone: an SSL socket must not be read and written by two threads."""
        server: socket.socket | None = None
        try:
            if self._server_tls:
                client = self._server_tls.wrap_socket(client, server_side=True)
            server = socket.create_connection(self.target)
            if self._client_tls:
                server = self._client_tls.wrap_socket(server, server_hostname=self.target[0])
            from_client, from_server = client.makefile("rb"), server.makefile("rb")
            while head := _read_head(from_client):
                request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
                method = request_line.split(" ", 1)[0]
                expects_continue = _headers(head).get(b"expect") == b"100-continue"
                fault = self._fault_for(method)
                if fault is not None:
                    if not expects_continue:
                        _copy_body(head, from_client, None)  # the client sends it before reading
                    client.sendall(fault.response())
                    with self._lock:
                        self.answered.append((fault, request_line))
                    return
                if expects_continue:  # say it here, so the server never waits on the client
                    head = _without_header(head, b"expect")
                    client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                server.sendall(head)
                _copy_body(head, from_client, server)
                if not _relay_answer(method, from_server, client):
                    return
        except (OSError, ssl.SSLError):
            pass
        finally:
            for s in (client, server):
                if s is not None:
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                    s.close()

    def _fault_for(self, method: str) -> Fault | None:
        with self._lock:
            if self.faults and method in self.methods:
                return self.faults.pop(0)
        return None


def _read_head(reader: BinaryIO) -> bytes:
    """A request's line and headers, up to the blank line; b"" at the end."""
    lines = []
    while line := reader.readline():
        lines.append(line)
        if line in (b"\r\n", b"\n"):
            break
    return b"".join(lines)


def _headers(head: bytes) -> dict[bytes, bytes]:
    """The head's header names and values, both in lower case."""
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    return headers


def _without_header(head: bytes, name: bytes) -> bytes:
    lines = head.split(b"\r\n")
    kept = [line for line in lines if line.partition(b":")[0].strip().lower() != name]
    return b"\r\n".join(kept)


def _relay_answer(method: str, from_server: BinaryIO, client: socket.socket) -> bool:
    """Pass the server's answer to the client, interim 1xx answers included;
    whether the connection can carry another request."""
    while True:
        head = _read_head(from_server)
        if not head:
            return False
        client.sendall(head)
        status = int(head.split(b" ", 2)[1])
        if status >= 200:
            break
    headers = _headers(head)
    if method == "HEAD" or status in (204, 304):
        return True
    if b"content-length" not in headers and headers.get(b"transfer-encoding") != b"chunked":
        while data := from_server.read1(1 << 20):  # the body ends when the server closes
            client.sendall(data)
        return False
    _copy_body(head, from_server, client)
    return headers.get(b"connection") != b"close"


def _copy_body(head: bytes, reader: BinaryIO, sink: socket.socket | None) -> None:
    """Read the body the head announces (length or chunked) and send it to
    `sink`, or drop it when `sink` is None."""
    headers = _headers(head)
    if headers.get(b"transfer-encoding") == b"chunked":
        while True:
            size_line = reader.readline()
            _send(sink, size_line)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                while (trailer := reader.readline()) not in (b"\r\n", b"\n", b""):
                    _send(sink, trailer)
                _send(sink, b"\r\n")
                return
            _send(sink, reader.read(size + 2))
    remaining = int(headers.get(b"content-length", b"0"))
    while remaining > 0:
        block = reader.read(min(remaining, 1 << 20))
        if not block:
            return
        _send(sink, block)
        remaining -= len(block)


def _send(sink: socket.socket | None, data: bytes) -> None:
    if sink is not None:
        sink.sendall(data)
