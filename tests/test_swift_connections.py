"""Swift connections are one per thread (swiftclient's are not thread-safe),
and one a finished thread leaves is taken up warm by the next thread."""

from __future__ import annotations

import threading

from swiftclient.client import Connection

from allas_tui.storage.settings import TransferSettings
from allas_tui.storage.swift_connections import SwiftConnections
from allas_tui.storage.swift_login import SwiftLogin


def _in_thread(connections: SwiftConnections, hold: threading.Event | None = None) -> Connection:
    got: list[Connection] = []
    have = threading.Event()

    def work() -> None:
        got.append(connections.get())
        got.append(connections.get())  # the same again, on the same thread
        have.set()
        if hold is not None:
            hold.wait(5)

    thread = threading.Thread(target=work)
    thread.start()
    if hold is None:
        thread.join()
    assert have.wait(5)
    assert got[0] is got[1]
    return got[0]


def test_a_finished_threads_connection_goes_to_the_next_thread_never_to_two_at_once() -> None:
    login = SwiftLogin(token="t", storage_url="https://127.0.0.1:1/swift/v1/AUTH_x")
    connections = SwiftConnections(login, TransferSettings())
    first = _in_thread(connections)
    assert _in_thread(connections) is first  # its thread ended: taken up again
    hold = threading.Event()
    try:
        busy = _in_thread(connections, hold)  # this thread is still alive...
        assert busy is first
        other = _in_thread(connections)  # ...so the next one gets a new connection
        assert other is not busy
    finally:
        hold.set()


def test_a_discarded_connection_is_never_handed_out_again() -> None:
    login = SwiftLogin(token="t", storage_url="https://127.0.0.1:1/swift/v1/AUTH_x")
    connections = SwiftConnections(login, TransferSettings())
    dropped: list[Connection] = []

    def work() -> None:
        dropped.append(connections.get())
        connections.discard()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert _in_thread(connections) is not dropped[0]
