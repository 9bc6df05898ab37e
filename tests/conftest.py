"""Shared fixtures: real Pelican builds in temporary folders, and tool lookups.

``build_site(files, **settings)`` writes ``files`` (path -> text) under
``tmp_path/content``, runs a full Pelican build with the plugin and returns a
:class:`Site`.  A strict build that finds problems raises
``NewsroomBuildError``; tests catch it with ``pytest.raises``.

``server`` is a local HTTP server on 127.0.0.1 answering from :class:`Route`
entries; ``serving(server)`` runs any ``socketserver`` server (for raw-socket
misbehaviour) the same way.  Both clear proxy variables first.
"""

from __future__ import annotations

import io
import os
import shutil
import socketserver
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from pelican import Pelican
from pelican.settings import read_settings
from PIL import Image

from pelican_newsroom import THEME_PATH, plugin
from pelican_newsroom.errors import Problem
from tests.import_support import write_feeds

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = REPO / "example_site"
REQUIRE_BROWSER = os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1"


@dataclass
class Site:
    """A finished build: where it is, and what the plugin reported."""

    output: Path
    content: Path
    problems: list[Problem]

    def text(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")

    def pages(self, pattern: str = "**/*.html") -> list[Path]:
        return sorted(self.output.glob(pattern))

    def dead_links(self, siteurl: str) -> list[str]:
        """``page: url`` for every ``href``/``src`` in the HTML pages that points into
        ``siteurl`` at a file this build did not write."""
        dead = []
        for page in self.pages():
            for url in lxml.html.fromstring(page.read_bytes()).xpath("//@href | //@src"):
                if not url.startswith(f"{siteurl}/"):
                    continue
                relative = unquote(urlsplit(url[len(siteurl) + 1 :]).path)
                target = self.output / relative
                if not relative or relative.endswith("/"):
                    target /= "index.html"
                if not target.is_file():
                    dead.append(f"{page.relative_to(self.output)}: {url}")
        return dead


BASE_SETTINGS: dict[str, Any] = {
    "SITENAME": "Test Desk",
    "SITEURL": "https://news.example.org",
    "TIMEZONE": "America/New_York",
    "DEFAULT_LANG": "en",
    "PLUGINS": ["pelican_newsroom"],
    "THEME": THEME_PATH,
    "LOCALE": ("C",),
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "DEFAULT_PAGINATION": False,
    "DELETE_OUTPUT_DIRECTORY": True,
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
}


def run_build(content: Path, output: Path, **overrides: Any) -> Site:
    """Build ``content`` into ``output`` in this process, as ``pelican`` would."""
    override = {
        **BASE_SETTINGS,
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(output.parent / "cache"),
        **overrides,
    }
    settings = read_settings(path=None, override=override)
    Pelican(settings).run()
    return Site(output=output, content=content, problems=list(plugin.STATE.report))


def png(width: int, height: int) -> bytes:
    """A real PNG file of ``width`` x ``height`` pixels, for image sizes."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, body in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            target.write_bytes(body)
        else:
            target.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., Site]:
    """``build_site(files, **settings)``: write the files, build, return the :class:`Site`."""
    counter = iter(range(1000))

    def build(files: dict[str, str | bytes], **settings: Any) -> Site:
        root = tmp_path / f"site{next(counter)}"
        content = root / "content"
        content.mkdir(parents=True)
        write_files(content, files)
        return run_build(content, root / "output", **settings)

    return build


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The bundled example site, built once per test session with its own settings."""
    root = tmp_path_factory.mktemp("example")
    content = root / "content"
    shutil.copytree(EXAMPLE_SITE / "content", content)
    settings = read_settings(str(EXAMPLE_SITE / "pelicanconf.py"))
    keep = {
        k: v
        for k, v in settings.items()
        if k.startswith(
            ("NEWSROOM_", "FEED_", "CATEGORY_FEED", "AUTHOR_FEED", "TAG_FEED", "TRANSLATION_FEED")
        )
    }
    keep.update(
        {
            k: settings[k]
            for k in (
                "SITENAME",
                "SITESUBTITLE",
                "SITEURL",
                "TIMEZONE",
                "STATIC_PATHS",
                "ARTICLE_PATHS",
                "PAGE_PATHS",
                "DEFAULT_PAGINATION",
                "AUTHOR",
            )
        }
    )
    return run_build(content, root / "output", **keep)


def require_tool(available: bool, what: str) -> None:
    """Skip (or fail under NEWSROOM_REQUIRE_BROWSER=1) when a browser/validator tool is missing."""
    if available:
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"{what} is required (NEWSROOM_REQUIRE_BROWSER=1) but not available")
    pytest.skip(f"{what} not available; set NEWSROOM_REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    require_tool(Path(path).exists(), "Chromium (/usr/bin/chromium; Debian package 'chromium')")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    """Chromium through Playwright (imported here only: non-browser tests need no Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def java_path() -> str:
    path = shutil.which("java")
    require_tool(path is not None, "Java (for the Nu HTML checker; Debian 'default-jre-headless')")
    assert path
    return path


# --- local HTTP servers --------------------------------------------------------------------

PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "all_proxy",
    "no_proxy",
    "NO_PROXY",
)


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must not go through a proxy set in the environment."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@contextmanager
def serving(httpd: socketserver.ThreadingTCPServer) -> Iterator[str]:
    """Run ``httpd`` (bound to 127.0.0.1) in a thread; yield its ``http://`` base URL."""
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0  #: seconds between single bytes of the body


@dataclass
class Server:
    base: str
    routes: dict[str, Route]
    seen: list[dict[str, str]]

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server(no_proxy: None) -> Iterator[Server]:
    """A local HTTP server: put a :class:`Route` in ``server.routes[path]`` to serve it."""
    routes: dict[str, Route] = {}
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, **dict(self.headers)})
            route = routes.get(self.path, Route(b"not found", 404))
            time.sleep(route.delay)
            etag = route.headers.get("ETag")
            status = 304 if etag and self.headers.get("If-None-Match") == etag else route.status
            try:
                self.send_response(status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(0 if status == 304 else len(route.body)))
                self.end_headers()
                if status != 304 and route.drip:
                    for byte in route.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(route.drip)
                elif status != 304:
                    self.wfile.write(route.body)
            except OSError:  # the client gave up (timeout test)
                pass

        def do_POST(self) -> None:
            """Recorded with its body (``seen[...]["body"]``); answered with the route's status."""
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append({"path": self.path, "method": "POST", **dict(self.headers)})
            seen[-1]["body"] = body.decode("utf-8", "replace")
            route = routes.get(self.path, Route(b"not found", 404))
            self.send_response(route.status)
            for key, value in route.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
        yield Server(base, routes, seen)


@pytest.fixture
def feeds(tmp_path: Path) -> dict[str, str]:
    """The import side's test feeds (:mod:`tests.import_support`), written to a folder."""
    return write_feeds(tmp_path / "feeds")
