"""A local HTTP server on 127.0.0.1 for the lookup tests (no test touches the network).

``server`` (a pytest fixture) starts ``http.server`` on a free port; ``server.route(path,
*answers)`` serves the answers in turn (the last one repeats). A path is matched with its
query first, then without it. Besides ordinary answers, an :class:`Answer` can be hostile:
sent one byte at a time (``trickle``), a connection reset (``reset``), a Content-Length
that promises more than is sent (``length``), or no answer at all (``status=0``).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    #: seconds between two bytes of the whole answer (status line and headers too)
    trickle: float = 0.0
    #: reset the connection (RST) instead of answering
    reset: bool = False
    #: the Content-Length to claim (more than the body: a truncated answer)
    length: int | None = None


@dataclass
class Server:
    url: str
    #: path -> answers served in turn (the last one repeats)
    routes: dict[str, list[Answer]] = field(default_factory=dict)
    #: (path, headers) of every request received
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def route(self, path: str, *answers: Answer) -> None:
        self.routes[path] = list(answers)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path or p.split("?")[0] == path)


def _handler(state: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.requests.append((self.path, dict(self.headers)))
            answers = state.routes.get(self.path) or state.routes.get(self.path.split("?")[0])
            if not answers:
                answer = Answer(404, b"<html>not found</html>", {"Content-Type": "text/html"})
            else:
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
            if answer.delay:
                time.sleep(answer.delay)
            if answer.status == 0:  # drop the connection without an answer
                self.close_connection = True
                return
            if answer.reset:
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                return
            length = answer.length if answer.length is not None else len(answer.body)
            head = [f"HTTP/1.1 {answer.status} X"]
            head += [f"{k}: {v}" for k, v in answer.headers.items()]
            head += [f"Content-Length: {length}", "Connection: close", "", ""]
            data = "\r\n".join(head).encode("latin-1") + answer.body
            self.close_connection = True
            try:
                if answer.trickle:
                    for i in range(len(data)):
                        self.wfile.write(data[i : i + 1])
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                else:
                    self.wfile.write(data)
            except OSError:
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def dead_url() -> str:
    """A 127.0.0.1 URL where nothing listens (a port just bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
