"""Real HTTP receivers on 127.0.0.1 for the delivery tests: a threaded ``http.server``
that records every POST and answers as the test tells it to."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook

#: (status, headers, seconds to wait before answering) for a request's path and event.
Answer = tuple[int, dict[str, str], float]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    answer: Callable[[str, dict[str, Any]], Answer] = lambda path, event: (204, {}, 0.0)
    _server: ThreadingHTTPServer | None = None

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                record = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                status, headers, delay = receiver.answer(self.path, record.event)
                receiver.received.append(record)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def events(self, path: str = "/hook", *, tests: bool = False) -> list[dict[str, Any]]:
        return [
            r.event
            for r in self.received
            if r.path == path and (tests or not r.event["type"].endswith("subscription-test"))
        ]

    def verify_all(self, path: str, secret: str) -> int:
        """Check every request to ``path`` is signed with ``secret``; return how many."""
        webhook = Webhook(secret)
        requests = [r for r in self.received if r.path == path]
        for request in requests:
            assert request.headers["content-type"] == "application/cloudevents+json"
            assert request.headers["webhook-id"] == request.event["id"]
            webhook.verify(request.body, request.headers)
        return len(requests)
