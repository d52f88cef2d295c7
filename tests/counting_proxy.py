"""A TCP relay that counts the bytes a client and a server send each other,
TLS and all, without looking inside."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

from local_relay import LocalRelay


class CountingProxy(LocalRelay):
    """Listens on 127.0.0.1 (a free port) and relays every connection to `target`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.sent_to_server = 0
        self.received_from_server = 0
        self._lock = threading.Lock()
        self.refuse_next = 0
        """How many coming connections to reset at once, as a flaky network would."""
        self.refused = 0
        self._generation = 0
        self.max_rate: float | None = None
        """Bytes per second each connection may carry each way; None for no limit."""
        self._start_accepting()

    def reset(self) -> None:
        """Start counting from zero, and only for connections opened from now
        on: bytes still draining from older ones (a killed client's) are not counted."""
        with self._lock:
            self.sent_to_server = 0
            self.received_from_server = 0
            self._generation += 1

    def _take(self, client: socket.socket) -> None:
        if self.refuse_next > 0:
            self.refuse_next -= 1
            self.refused += 1
            # SO_LINGER 0 makes close() send a reset instead of a clean FIN
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
            return
        server = socket.create_connection(self.target)
        generation = self._generation
        for args in ((client, server, generation, True), (server, client, generation, False)):
            threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(
        self, source: socket.socket, sink: socket.socket, generation: int, upstream: bool
    ) -> None:
        """Relay one direction of a connection opened in `generation`, whose bytes
        count while that generation is current."""
        try:
            while data := source.recv(1 << 20):
                with self._lock:
                    if generation == self._generation:
                        if upstream:
                            self.sent_to_server += len(data)
                        else:
                            self.received_from_server += len(data)
                if self.max_rate:  # a slow link, so a test can act mid-transfer
                    time.sleep(len(data) / self.max_rate)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
