"""An HTTP relay that injects faults between a client and the real server:
- chosen requests get a server error instead of being passed on (`503
  SlowDown`, `500 InternalError`), as a busy Allas gives;
- in chaos mode, a share of all requests, drawn at random, get one of: that
  error, a reset at a random byte of the request's body or of the answer
  (which cuts a listing mid-page), or a stall past the client's timeout.
Everything else reaches the real server unchanged.

It terminates TLS with the stand-in's own certificate (which the clients
trust), so it can read the request lines, and opens TLS again to the server.
"""

from __future__ import annotations

import contextlib
import random
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
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

REPORT: list[str] = []
"""Lines the fault tests add, printed at the end of the run (see conftest)."""

RESET_IN_REQUEST = "reset in the request"
RESET_IN_ANSWER = "reset in the answer"
STALL = "stall"
CHAOS_KINDS = ("503", "500", RESET_IN_REQUEST, RESET_IN_ANSWER, STALL)


@dataclass
class Chaos:
    """Faults for a share of the requests, drawn from a seeded generator so a
    failing run can be repeated."""

    rate: float = 0.15
    seed: int = 6
    stall_seconds: float = 8.0
    """How long a stalled connection stays silent before it is reset; more
    than the client's timeout, so the client gives up first."""
    injected: Counter[str] = field(default_factory=Counter)
    """Faults given, by kind."""
    requests: int = 0
    """Requests seen, faulted or not."""
    listing_cuts: int = 0
    """Answers to listing requests cut part-way."""

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def pick(self) -> str | None:
        """The fault for the next request, or None to pass it on."""
        self.requests += 1
        if self._random.random() >= self.rate:
            return None
        kind = self._random.choice(CHAOS_KINDS)
        self.injected[kind] += 1
        return kind

    def offset(self, length: int) -> int:
        """A random byte offset below `length` (0 when it is 0)."""
        return self._random.randrange(length) if length > 0 else 0


class _Reset(Exception):
    """Raised to end a connection with a TCP reset."""


class _CutAfter:
    """A socket stand-in that passes on `budget` bytes, then raises _Reset."""

    def __init__(self, target: socket.socket, budget: int) -> None:
        self.target, self.budget = target, budget

    def sendall(self, data: bytes) -> None:
        if len(data) >= self.budget:
            self.target.sendall(data[: self.budget])
            raise _Reset
        self.target.sendall(data)
        self.budget -= len(data)


class FaultProxy(LocalRelay):
    """Listens on 127.0.0.1 (a free port) and relays HTTP to `target`; the next
    requests whose method is in `methods` get the faults queued in `faults`."""

    def __init__(
        self, target_host: str, target_port: int, cert: str | None = None, key: str | None = None
    ) -> None:
        super().__init__(target_host, target_port)
        self.faults: list[Fault | None] = []
        """Answers for the next requests whose method is in `methods`, in
        order; None passes that request on."""
        self.methods = {"GET", "PUT", "POST"}
        self.answered: list[tuple[Fault, str]] = []
        """Each fault given, with the request line it answered."""
        self.chaos: Chaos | None = None
        """When set, faults for a random share of every request, besides `faults`."""
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
        reset = False
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
                if isinstance(fault, Fault):
                    if not expects_continue:
                        _copy_body(head, from_client, None)  # the client sends it before reading
                    client.sendall(fault.response())
                    with self._lock:
                        self.answered.append((fault, request_line))
                    return
                if expects_continue:  # say it here, so the server never waits on the client
                    head = _without_header(head, b"expect")
                    client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
                if fault == STALL:
                    self._stall()
                    raise _Reset
                if fault == RESET_IN_REQUEST:
                    _drop(from_client, self._offset(_body_length(head)))
                    raise _Reset
                server.sendall(head)
                _copy_body(head, from_client, server)
                cut = None
                if fault == RESET_IN_ANSWER:
                    cut = self._offset
                    if method == "GET" and _is_listing(request_line):
                        with self._lock:
                            self.chaos.listing_cuts += 1  # type: ignore[union-attr]
                if not _relay_answer(method, from_server, client, cut):
                    return
        except _Reset:
            reset = True
        except (OSError, ssl.SSLError):
            pass
        finally:
            _close(client, reset)
            if server is not None:
                _close(server, False)

    def _fault_for(self, method: str) -> Fault | str | None:
        """A queued fault for this method, else chaos's pick (an error answer
        as a Fault, or the name of another kind), else None."""
        with self._lock:
            if self.faults and method in self.methods:
                queued = self.faults.pop(0)
                if queued is not None:
                    return queued
            kind = self.chaos.pick() if self.chaos else None
        return {"503": SLOW_DOWN, "500": INTERNAL_ERROR}.get(kind or "", kind)

    def _offset(self, length: int) -> int:
        with self._lock:
            return self.chaos.offset(length) if self.chaos else 0

    def _stall(self) -> None:
        """Say nothing until the stall is over or the proxy closes."""
        until = time.monotonic() + (self.chaos.stall_seconds if self.chaos else 0)
        while time.monotonic() < until and not self._closed:
            time.sleep(0.1)


def _close(sock: socket.socket, reset: bool) -> None:
    """Close a socket: with a TCP reset (SO_LINGER 0, no shutdown), or cleanly."""
    with contextlib.suppress(OSError):
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _is_listing(request_line: str) -> bool:
    """Whether a GET lists a bucket: a path with a bucket and no key, over S3
    (`/bucket?list-type=2`) or Swift (`[/swift]/v1/AUTH_x/bucket?format=json`)."""
    path = request_line.split(" ")[1].split("?")[0].strip("/").split("/")
    names = path[path.index("v1") + 2 :] if "v1" in path else path
    return len(names) == 1 and names[0] != ""


def _body_length(head: bytes) -> int:
    """The request body's announced length; 0 if it is chunked or absent."""
    return int(_headers(head).get(b"content-length", b"0"))


def _drop(reader: BinaryIO, count: int) -> None:
    """Read and forget `count` bytes of a body."""
    while count > 0 and (block := reader.read(min(count, 1 << 20))):
        count -= len(block)


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


def _relay_answer(
    method: str,
    from_server: BinaryIO,
    client: socket.socket,
    cut: Callable[[int], int] | None = None,
) -> bool:
    """Pass the server's answer to the client, interim 1xx answers included;
    whether the connection can carry another request. With `cut`, only the
    first `cut(length)` bytes of the final answer reach the client, then
    _Reset is raised."""
    while True:
        head = _read_head(from_server)
        if not head:
            return False
        status = int(head.split(b" ", 2)[1])
        if status >= 200:
            break
        client.sendall(head)
    headers = _headers(head)
    sink: socket.socket | _CutAfter = client
    if cut is not None:
        length = len(head) + int(headers.get(b"content-length", b"65536"))
        sink = _CutAfter(client, cut(length))
    sink.sendall(head)
    if method == "HEAD" or status in (204, 304):
        if cut is not None:
            raise _Reset
        return True
    if b"content-length" not in headers and headers.get(b"transfer-encoding") != b"chunked":
        while data := from_server.read1(1 << 20):  # the body ends when the server closes
            sink.sendall(data)
        return False
    _copy_body(head, from_server, sink)
    if cut is not None:
        raise _Reset
    return headers.get(b"connection") != b"close"


def _copy_body(head: bytes, reader: BinaryIO, sink: socket.socket | _CutAfter | None) -> None:
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


def _send(sink: socket.socket | _CutAfter | None, data: bytes) -> None:
    if sink is not None:
        sink.sendall(data)
