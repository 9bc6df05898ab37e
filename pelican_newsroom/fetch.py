"""Getting a feed's bytes: local files and ``http(s)`` URLs, within limits.

Feeds come from other people's servers, so every fetch is bounded:

* **One deadline per source** (``NEWSROOM_IMPORT_TIMEOUT``) covers the whole
  exchange: connecting, the status line and headers, every redirect and the
  body.  Each connect gets only the time left, and a watchdog shuts down the
  fetch's sockets when the deadline passes, so a server that drips its status
  line, headers or body one byte at a time cannot hold the run past it.  Name
  resolution (``getaddrinfo``) is the one step left to the system resolver's
  own timeouts: a blocked lookup cannot be interrupted from Python.
* A size limit checked while reading (not only against ``Content-Length``).
* Redirects followed only to ``http``/``https`` (never ``file:``, ``ftp:`` or
  ``data:``).  The opener is assembled by hand so urllib's ``file``/``ftp``/
  ``data`` handlers are simply absent; proxies from the environment still apply.

Conditional GET: the caller passes the ``ETag`` / ``Last-Modified`` it got
last time; an unchanged feed answers ``304`` and :attr:`Fetched.body` is
``None``.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import partial
from http.client import HTTPException, HTTPMessage
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit

from . import __version__
from .urls import SAFE_SCHEMES

USER_AGENT = (
    f"pelican-newsroom/{__version__} (+https://github.com/pelican-newsroom/pelican-newsroom)"
)
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
_CHUNK = 65536


class FetchError(Exception):
    """A source that could not be read; the message says why, for the report."""


@dataclass(frozen=True)
class Validators:
    """What the server said to send back next time for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """One source's bytes (``None`` when the server said 304 Not Modified)."""

    location: str
    body: bytes | None
    validators: Validators = Validators()
    content_type: str = ""


def is_url(source: str) -> bool:
    """True for anything with a URL scheme (``C:\\`` drive letters are paths)."""
    scheme = urlsplit(source).scheme
    return len(scheme) > 1


class _Deadline:
    """One fetch's deadline, enforced on every socket the fetch opens.

    Why a watchdog: a socket timeout bounds each ``recv`` separately, so a server
    that sends one byte per second never trips it, and http.client reads the
    status line and headers in blocking calls we cannot interleave a clock check
    with.  Shutting the socket down from a timer thread is the one thing that
    makes any of those reads return at once, whatever phase the exchange is in
    (including a TLS handshake or a proxy's ``CONNECT`` reply).

    The watchdog keeps a ``dup()`` of each connected socket: ``shutdown`` acts on
    the connection, not the descriptor, so it still reaches a socket that
    ``ssl`` has since wrapped (and detached), and the duplicate's descriptor
    stays ours until :meth:`__exit__` closes it, so it can never be reused by an
    unrelated file.  After the deadline :attr:`expired` is true; the caller must
    then report a timeout whatever the reads returned, since a shut-down socket
    reads as a clean end of stream.
    """

    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._watched: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._watched:
                sock.close()
            self._watched.clear()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._watched:
                _shutdown(sock)

    def _watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._watched.append(sock.dup())
            if self.expired:  # the timer fired while this socket was connecting
                _shutdown(self._watched[-1])

    def remaining(self) -> float:
        """Seconds left; :class:`TimeoutError` once there are none."""
        left = self._at - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        return left

    def connect(
        self,
        address: tuple[str, int],
        timeout: object = None,
        source_address: tuple[str, int] | None = None,
    ) -> socket.socket:
        """:func:`socket.create_connection`, each address tried within the time left.

        Stands in for http.client's ``_create_connection``; the per-request
        ``timeout`` it passes is ignored in favour of what remains of the deadline.
        """
        host, port = address
        last: OSError | None = None
        for family, kind, proto, _, target in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            left = self.remaining()
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(left)
                if source_address:
                    sock.bind(source_address)
                sock.connect(target)
            except OSError as error:
                sock.close()
                last = error
                continue
            self._watch(sock)
            return sock
        raise last or OSError(f"no address found for {host}")


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(http.client.HTTPConnection):
    """An ``HTTPConnection`` whose socket comes from (and is watched by) a :class:`_Deadline`."""

    def __init__(self, host: str, *, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = deadline.connect


class _WatchedHTTPSConnection(http.client.HTTPSConnection):
    """The same for ``https``: the raw socket is watched before the TLS handshake starts."""

    def __init__(self, host: str, *, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = deadline.connect


class _Watched(urllib.request.AbstractHTTPHandler):
    """Open every connection (redirects and proxies included) under one deadline."""

    connection: type[_WatchedHTTPConnection | _WatchedHTTPSConnection]  #: what a subclass opens

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def do_open(
        self, http_class: Any, req: urllib.request.Request, **http_conn_args: Any
    ) -> http.client.HTTPResponse:
        factory = partial(self.connection, deadline=self._deadline)
        return super().do_open(factory, req, **http_conn_args)


class _WatchedHTTPHandler(_Watched, urllib.request.HTTPHandler):
    connection = _WatchedHTTPConnection


class _WatchedHTTPSHandler(_Watched, urllib.request.HTTPSHandler):
    connection = _WatchedHTTPSConnection


class _SafeRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to ``http``/``https`` URLs."""

    max_redirections = 5

    def redirect_request(  # noqa: PLR0917 - urllib calls it with these six positional arguments
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in SAFE_SCHEMES:
            raise FetchError(
                f"redirected to a '{scheme}:' URL ({newurl}); only http(s) is followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener that speaks only HTTP(S), every connection under ``deadline``."""
    opener = urllib.request.OpenerDirector()
    handlers: list[Any] = [
        urllib.request.ProxyHandler(),
        _WatchedHTTPHandler(deadline),
        _WatchedHTTPSHandler(deadline),
        _SafeRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def _read_limited(stream: io.BufferedIOBase, max_bytes: int, what: str) -> bytes:
    """Read at most ``max_bytes``, or raise.

    ``read1`` returns what has arrived instead of waiting for a full chunk; time
    is not checked here, the fetch's :class:`_Deadline` ends a slow read.
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{what} is larger than {max_bytes} bytes (NEWSROOM_IMPORT_MAX_BYTES)")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_file(path: str, max_bytes: int) -> Fetched:
    """A local feed file, size-checked before and while reading."""
    target = Path(path)
    try:
        if target.stat().st_size > max_bytes:
            raise FetchError(f"file is larger than {max_bytes} bytes (NEWSROOM_IMPORT_MAX_BYTES)")
        with target.open("rb") as handle:
            body = _read_limited(handle, max_bytes, "file")
    except OSError as error:
        raise FetchError(f"cannot read file: {error.strerror or error}") from None
    return Fetched(location=str(target), body=body)


def _request(url: str, validators: Validators | None) -> urllib.request.Request:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return urllib.request.Request(url, headers=headers)


def _get(url: str, validators: Validators | None, max_bytes: int, deadline: _Deadline) -> Fetched:
    with _opener(deadline).open(
        _request(url, validators), timeout=deadline.remaining()
    ) as response:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(
                f"response is larger than {max_bytes} bytes (NEWSROOM_IMPORT_MAX_BYTES)"
            )
        body = _read_limited(response, max_bytes, "response")
        found = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
        return Fetched(response.geturl(), body, found, response.headers.get("Content-Type", ""))


def fetch_url(url: str, validators: Validators | None, timeout: float, max_bytes: int) -> Fetched:
    """GET an ``http(s)`` URL within ``timeout`` seconds in all, a size limit and conditional headers."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        raise FetchError(f"not an http(s) URL or a local file: {url}")
    timed_out = f"timed out after {timeout:g} s (NEWSROOM_IMPORT_TIMEOUT)"
    with _Deadline(timeout) as deadline:
        try:
            fetched = _get(url, validators, max_bytes, deadline)
        except urllib.error.HTTPError as error:
            if deadline.expired:
                raise FetchError(timed_out) from None
            if error.code == 304:
                return Fetched(url, None, validators or Validators())
            raise FetchError(f"HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            if deadline.expired or isinstance(error.reason, TimeoutError):
                raise FetchError(timed_out) from None
            raise FetchError(f"cannot connect: {error.reason}") from None
        except (HTTPException, OSError) as error:
            if deadline.expired or isinstance(error, TimeoutError):
                raise FetchError(timed_out) from None
            raise FetchError(f"connection failed: {error}") from None
        if deadline.expired:  # the watchdog cut the headers or body short: not a whole answer
            raise FetchError(timed_out)
        return fetched


def fetch(source: str, validators: Validators | None, timeout: float, max_bytes: int) -> Fetched:
    """A source given on the command line or in OPML: an ``http(s)`` URL or a local path."""
    if is_url(source):
        return fetch_url(source, validators, timeout, max_bytes)
    return fetch_file(source, max_bytes)
