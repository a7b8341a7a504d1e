"""A small webhook receiver for tests: a real HTTP server on loopback (in a thread) that
records every request, answers as a test tells it to, and notices when the same
`webhook-id` is being received twice at the same time."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (webhook-id, how many times this id was received before) → (status, headers, body)
Answer = Callable[[str, int], tuple[int, dict[str, str], bytes]]


def ok(webhook_id: str, seen: int) -> tuple[int, dict[str, str], bytes]:
    return 204, {}, b""


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections of a busy worker
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a sender that went away (a killed worker) is part of the tests


@dataclass
class Received:
    webhook_id: str
    headers: dict[str, str]
    body: bytes
    status: int
    at: float


@dataclass
class Receiver:
    answer: Answer = ok
    delay: float = 0.0
    """Seconds each request takes, to widen the window in which overlaps would show."""
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    """webhook-ids that arrived while the same id was still being received."""
    _inflight: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length)
                if len(body) < length:
                    return  # the sender went away mid-request (a killed worker): not received
                webhook_id = self.headers.get("webhook-id", "")
                with receiver._lock:
                    if receiver._inflight[webhook_id]:
                        receiver.overlaps.append(webhook_id)
                    receiver._inflight[webhook_id] += 1
                    seen = sum(1 for r in receiver.requests if r.webhook_id == webhook_id)
                try:
                    if receiver.delay:
                        time.sleep(receiver.delay)
                    status, headers, answer = receiver.answer(webhook_id, seen)
                    with receiver._lock:
                        receiver.requests.append(
                            Received(
                                webhook_id,
                                {k.lower(): v for k, v in self.headers.items()},
                                body,
                                status,
                                time.monotonic(),
                            )
                        )
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                finally:
                    with receiver._lock:
                        receiver._inflight[webhook_id] -= 1

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = _Server(("127.0.0.1", self.port), Handler)
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def delivered(self) -> set[str]:
        """webhook-ids answered with a 2xx."""
        with self._lock:
            return {r.webhook_id for r in self.requests if 200 <= r.status < 300}

    def of(self, webhook_id: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.webhook_id == webhook_id]
