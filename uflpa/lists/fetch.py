"""Retrieve the raw bytes of a list: the only network code in uflpa.

Parsers never fetch; the CLI fetches here and hands the bytes to `uflpa.lists.base.parse_list`, so
that every parser can be tested on saved files and no import of the core opens a socket.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from pathlib import Path

from uflpa import __version__
from uflpa.errors import FetchError, NotFoundError

USER_AGENT = f"uflpa/{__version__} (+https://github.com/uflpa/uflpa; list updates)"
# A list file is a few MB at most (the CSL is the largest); refuse runaway responses.
MAX_BYTES = 256 * 1024 * 1024


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch(url_or_path: str, *, timeout: float = 30) -> tuple[bytes, str]:
    """The bytes at `url_or_path` and the origin to record (the URL, or the absolute path)."""
    if is_url(url_or_path):
        return _fetch_url(url_or_path, timeout=timeout), url_or_path
    if "://" in url_or_path:
        scheme = url_or_path.split("://", 1)[0]
        raise FetchError(f"unsupported URL scheme {scheme!r} (use http, https or a file path)")
    path = Path(url_or_path).expanduser()
    if not path.exists():
        raise NotFoundError(f"{url_or_path}: no such file")
    if path.is_dir():
        raise NotFoundError(f"{url_or_path}: is a directory, not a list file")
    try:
        return path.read_bytes(), str(path.resolve())
    except OSError as exc:
        raise FetchError(f"{url_or_path}: cannot read: {exc.strerror or exc}") from exc


def _fetch_url(url: str, *, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise FetchError(f"{url}: response larger than {MAX_BYTES // (1024 * 1024)} MiB")
            # read() without a size raises IncompleteRead when the body is cut short.
            data: bytes = response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            raise FetchError(f"{url}: host not found ({reason.strerror})") from exc
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"{url}: timed out after {timeout:g} s") from exc
        raise FetchError(f"{url}: {getattr(reason, 'strerror', None) or reason}") from exc
    except TimeoutError as exc:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from exc
    except http.client.HTTPException as exc:
        # The server closed the connection or sent a malformed or truncated response.
        raise FetchError(f"{url}: broken response ({type(exc).__name__})") from exc
    except (OSError, ValueError) as exc:  # connection reset mid-body; malformed URL
        raise FetchError(f"{url}: {exc}") from exc
    if len(data) > MAX_BYTES:
        raise FetchError(f"{url}: response larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return data
