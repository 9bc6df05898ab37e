"""Getting a feed's bytes: local files and ``http(s)`` URLs, within limits.

Feeds come from other people's servers, so every fetch is bounded: a
connect/read timeout and an overall deadline (a server dripping one byte a
second cannot hold the run), a size limit checked while reading (not only
against ``Content-Length``), and redirects followed only to ``http``/``https``
(never ``file:``, ``ftp:`` or ``data:``).  The opener is assembled by hand so
urllib's ``file``/``ftp``/``data`` handlers are simply absent.

Conditional GET: the caller passes the ``ETag`` / ``Last-Modified`` it got
last time; an unchanged feed answers ``304`` and :attr:`Fetched.body` is
``None``.
"""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException, HTTPMessage
from pathlib import Path
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


def _opener() -> urllib.request.OpenerDirector:
    """An opener that speaks only HTTP(S): no file, ftp or data handlers."""
    opener = urllib.request.OpenerDirector()
    handlers: list[Any] = [
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _SafeRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def _read_limited(stream: io.BufferedIOBase, max_bytes: int, deadline: float, what: str) -> bytes:
    """Read at most ``max_bytes`` before ``deadline``, or raise.

    ``read1`` returns what has arrived instead of waiting for a full chunk, so a
    server that drips bytes is caught by the deadline, not only by the socket timeout.
    """
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{what} is larger than {max_bytes} bytes (NEWSROOM_IMPORT_MAX_BYTES)")
        if time.monotonic() > deadline:
            raise FetchError(f"{what} took too long to download (NEWSROOM_IMPORT_TIMEOUT)")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_file(path: str, max_bytes: int) -> Fetched:
    """A local feed file, size-checked before and while reading."""
    target = Path(path)
    try:
        if target.stat().st_size > max_bytes:
            raise FetchError(f"file is larger than {max_bytes} bytes (NEWSROOM_IMPORT_MAX_BYTES)")
        with target.open("rb") as handle:
            body = _read_limited(handle, max_bytes, float("inf"), "file")
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


def fetch_url(url: str, validators: Validators | None, timeout: float, max_bytes: int) -> Fetched:
    """GET an ``http(s)`` URL with a timeout, a size limit and conditional headers."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        raise FetchError(f"not an http(s) URL or a local file: {url}")
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(_request(url, validators), timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(
                    f"response is larger than {max_bytes} bytes (NEWSROOM_IMPORT_MAX_BYTES)"
                )
            body = _read_limited(response, max_bytes, deadline, "response")
            found = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
            return Fetched(response.geturl(), body, found, response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(url, None, validators or Validators())
        raise FetchError(f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise FetchError(f"timed out after {timeout:g} s (NEWSROOM_IMPORT_TIMEOUT)") from None
        raise FetchError(f"cannot connect: {reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s (NEWSROOM_IMPORT_TIMEOUT)") from None
    except (HTTPException, OSError) as error:
        raise FetchError(f"connection failed: {error}") from None


def fetch(source: str, validators: Validators | None, timeout: float, max_bytes: int) -> Fetched:
    """A source given on the command line or in OPML: an ``http(s)`` URL or a local path."""
    if is_url(source):
        return fetch_url(source, validators, timeout, max_bytes)
    return fetch_file(source, max_bytes)
