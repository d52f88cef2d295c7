"""What the test relays share: a listener on a free port of 127.0.0.1 that
hands every connection it accepts to the relay, and a way to stop it."""

from __future__ import annotations

import socket
import threading


class LocalRelay:
    """Base of the relays that stand between a client and `target`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._closed = False

    def _start_accepting(self) -> None:
        """Called last in a subclass's __init__, once its state is set up."""
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._take(client)

    def _take(self, client: socket.socket) -> None:
        """Handle one accepted connection, in the accepting thread: quickly."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop listening."""
        self._closed = True
        self._listener.close()
