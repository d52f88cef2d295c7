"""An HTTP proxy in front of a real Swift endpoint that cuts container
listings short, the way radosgw sends short pages while more names remain."""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class ShortPageProxy:
    """Forwards to `upstream` (http://host:port); JSON listings keep `keep` entries."""

    def __init__(self, upstream: str, keep: int) -> None:
        target = urlsplit(upstream)
        self.keep = keep
        self.short_pages = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward()

            def do_HEAD(self) -> None:
                self._forward()

            def _forward(self) -> None:
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn.request(self.command, self.path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                query = parse_qs(urlsplit(self.path).query)
                if (
                    self.command == "GET"
                    and query.get("format") == ["json"]
                    and response.status == 200
                ):
                    entries = json.loads(body)
                    if len(entries) > proxy.keep:
                        proxy.short_pages += 1
                        body = json.dumps(entries[: proxy.keep]).encode()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                conn.close()

            def log_message(self, fmt: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> ShortPageProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
