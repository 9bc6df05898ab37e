"""One deadline per fetch: connect, status line, headers, redirects and body together.

Servers here misbehave below HTTP (raw sockets), so each byte arrives well within
the socket timeout and only an overall deadline can end the fetch.  Timings are
loose upper bounds (timeout + 2 s) so a busy machine does not make them flaky,
yet far below what the servers would hold a fetch without the deadline (30 s).
"""

from __future__ import annotations

import itertools
import shutil
import socketserver
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from pelican_newsroom.fetch import FetchError, Validators, fetch_url
from pelican_newsroom.importer import run_import
from tests.conftest import Route, Server, serving
from tests.import_support import RSS_FEED, options

TIMEOUT = 1.0
SERVER_GIVES_UP = 30.0  #: the misbehaving servers stop by themselves after this
STATUS = b"HTTP/1.1 200 OK\r\n"
FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def drip_server(
    sent_at_once: bytes, tls: ssl.SSLContext | None = None
) -> socketserver.ThreadingTCPServer:
    """Reads the request, sends ``sent_at_once``, then drips the status line and
    endless headers one byte every 0.2 s (each byte in time for a 1 s socket timeout).
    With ``tls`` it speaks HTTPS: a prompt handshake, then the same drip."""

    class Drip(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            stop = time.monotonic() + SERVER_GIVES_UP
            rest = itertools.chain(STATUS[len(sent_at_once) :], itertools.cycle(b"X-Slow: 1\r\n"))
            try:
                conn = tls.wrap_socket(self.request, server_side=True) if tls else self.request
                conn.recv(65536)
                conn.sendall(sent_at_once)
                for byte in rest:
                    if time.monotonic() > stop:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:  # the client hung up: what the deadline is for
                return

    return socketserver.ThreadingTCPServer(("127.0.0.1", 0), Drip)


def silent_server() -> socketserver.ThreadingTCPServer:
    """Accepts the connection and the request, then says nothing until the client leaves."""

    class Silent(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(SERVER_GIVES_UP)
            try:
                while self.request.recv(65536):
                    pass
            except OSError:
                return

    return socketserver.ThreadingTCPServer(("127.0.0.1", 0), Silent)


def timed_fetch(url: str) -> tuple[str, float]:
    """The error a fetch ends with, and how long it took."""
    start = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch_url(url, None, TIMEOUT, 1_000_000)
    return str(caught.value), time.monotonic() - start


@pytest.mark.parametrize(
    ("sent_at_once", "via_proxy"),
    [(b"", False), (STATUS, False), (b"", True)],
    ids=["status-line", "headers", "through-a-proxy"],
)
def test_a_dripping_status_line_or_headers_ends_at_the_deadline(
    no_proxy: None, monkeypatch: pytest.MonkeyPatch, sent_at_once: bytes, via_proxy: bool
) -> None:
    with serving(drip_server(sent_at_once)) as base:
        url = base + "/feed.xml"
        if via_proxy:  # the proxy itself drips; the feed's host is never contacted
            monkeypatch.setenv("http_proxy", base)
            url = "http://feeds.invalid/feed.xml"
        error, elapsed = timed_fetch(url)
    assert error == "timed out after 1 s (NEWSROOM_IMPORT_TIMEOUT)"
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 2


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1 (certificate, key)."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
    san = "subjectAltName=IP:127.0.0.1"
    subprocess.run(
        [*command.split(), "-addext", san, "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_a_dripping_https_server_ends_at_the_deadline(
    no_proxy: None, monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]
) -> None:
    # ssl detaches the socket it wraps, so this checks the watchdog still reaches it.
    cert, key = certificate
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    monkeypatch.setattr(  # the client trusts only the test certificate
        ssl, "_create_default_https_context", lambda: ssl.create_default_context(cafile=cert)
    )
    with serving(drip_server(b"", tls=server_side)) as base:
        error, elapsed = timed_fetch(base.replace("http:", "https:", 1) + "/feed.xml")
    assert error == "timed out after 1 s (NEWSROOM_IMPORT_TIMEOUT)"
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 2


def test_a_server_that_accepts_and_says_nothing_times_out(no_proxy: None) -> None:
    with serving(silent_server()) as base:
        error, elapsed = timed_fetch(base + "/feed.xml")
    assert error == "timed out after 1 s (NEWSROOM_IMPORT_TIMEOUT)"
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 2


def test_the_deadline_spans_redirects(server: Server) -> None:
    # Five hops of 0.6 s each: every hop is fast enough alone, the chain is not.
    for hop in range(5):
        server.routes[f"/hop{hop}"] = Route(
            status=302, headers={"Location": server.url(f"/hop{hop + 1}")}, delay=0.6
        )
    server.routes["/hop5"] = Route(FEED)
    error, elapsed = timed_fetch(server.url("/hop0"))
    assert error == "timed out after 1 s (NEWSROOM_IMPORT_TIMEOUT)"
    assert elapsed < TIMEOUT + 2
    assert len(server.seen) < 6  # it stopped before the end of the chain


def test_fast_fetches_redirects_and_304_still_work(server: Server) -> None:
    server.routes["/feed.xml"] = Route(
        FEED, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"}
    )
    server.routes["/old"] = Route(status=301, headers={"Location": server.url("/feed.xml")})
    fetched = fetch_url(server.url("/old"), None, TIMEOUT, 1_000_000)
    assert fetched.body == FEED
    assert fetched.location == server.url("/feed.xml")
    assert fetched.validators == Validators(etag='"v1"')
    assert fetched.content_type == "application/rss+xml"
    again = fetch_url(server.url("/feed.xml"), fetched.validators, TIMEOUT, 1_000_000)
    assert again.body is None
    assert server.seen[-1]["If-None-Match"] == '"v1"'


def test_an_http_proxy_from_the_environment_is_used(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", server.base)
    server.routes["http://feeds.invalid/feed.xml"] = Route(FEED)  # a proxy gets the full URL
    fetched = fetch_url("http://feeds.invalid/feed.xml", None, TIMEOUT, 1_000_000)
    assert fetched.body == FEED
    assert server.seen[-1]["path"] == "http://feeds.invalid/feed.xml"


def test_http_failures_are_clear(tmp_path: Path, server: Server) -> None:
    server.routes["/slow.xml"] = Route(RSS_FEED.encode(), delay=2.0)
    server.routes["/drip.xml"] = Route(RSS_FEED.encode(), drip=0.05)
    server.routes["/big.xml"] = Route(b"<rss>" + b" " * 5000 + b"</rss>")
    server.routes["/to-file"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    server.routes["/to-ftp"] = Route(
        status=302, headers={"Location": "ftp://files.example/feed.xml"}
    )
    server.routes["/to-feed"] = Route(status=301, headers={"Location": server.url("/feed.xml")})
    server.routes["/feed.xml"] = Route(RSS_FEED.encode())
    server.routes["/gone"] = Route(b"", 410)
    out = tmp_path / "imported"
    results = run_import(
        [
            server.url(p)
            for p in (
                "/slow.xml",
                "/big.xml",
                "/to-file",
                "/gone",
                "/to-feed",
                "/to-ftp",
                "/drip.xml",
            )
        ],
        options(out, timeout=0.3, max_bytes=4000),
    )
    errors = [r.error for r in results]
    assert "timed out" in (errors[0] or "")
    assert "larger than 4000 bytes" in (errors[1] or "")
    assert "'file:///etc/passwd' is not allowed" in (errors[2] or "")  # urllib's own check
    assert "redirected to a 'ftp:' URL" in (errors[5] or "")  # ours (urllib would follow ftp)
    assert "timed out" in (errors[6] or "")  # each byte is in time, the whole is not
    assert "HTTP 410" in (errors[3] or "")
    assert errors[4] is None and results[4].counts["new"] == 2  # http(s) redirects are followed
