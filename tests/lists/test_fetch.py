"""Fetching list files over real HTTP from a local server, and from disk."""

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from uflpa.errors import FetchError, NotFoundError
from uflpa.lists.fetch import USER_AGENT, fetch

PAGE = b"<html><body>a list</body></html>"


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves a page, a 404, a response cut short, a dropped connection and a stalled one."""

    release = threading.Event()
    seen_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/page.html":
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path == "/short":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"only the start")
            self.close_connection = True
        elif self.path == "/drop":
            self.close_connection = True  # no status line at all
        elif self.path == "/stall":
            self.release.wait(30)  # until the test is over; the client times out first
        else:
            self.send_error(404, "Not Found")

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


def test_fetch_over_http_returns_bytes_and_the_url(server: str) -> None:
    data, origin = fetch(f"{server}/page.html")
    assert data == PAGE
    assert origin == f"{server}/page.html"
    assert Handler.seen_agents[-1] == USER_AGENT


def test_http_error_status_is_a_fetch_error(server: str) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(f"{server}/missing.html")


def test_truncated_response_is_a_fetch_error(server: str) -> None:
    with pytest.raises(FetchError):
        fetch(f"{server}/short")


def test_dropped_connection_is_a_fetch_error(server: str) -> None:
    with pytest.raises(FetchError):
        fetch(f"{server}/drop")


def test_stalled_server_times_out(server: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch(f"{server}/stall", timeout=0.5)


def test_refused_connection_is_a_fetch_error() -> None:
    with socket.socket() as s:  # a port that was free a moment ago and has no listener
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError):
        fetch(f"http://127.0.0.1:{port}/page.html", timeout=5)


def test_local_files(tmp_path: Path) -> None:
    path = tmp_path / "list.html"
    path.write_bytes(PAGE)
    assert fetch(str(path)) == (PAGE, str(path.resolve()))
    with pytest.raises(NotFoundError, match="no such file"):
        fetch(str(tmp_path / "absent.html"))
    with pytest.raises(NotFoundError, match="directory"):
        fetch(str(tmp_path))


def test_other_schemes_are_refused() -> None:
    with pytest.raises(FetchError, match="scheme"):
        fetch("ftp://127.0.0.1/list.csv")
