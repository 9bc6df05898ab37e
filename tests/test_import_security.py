"""A hostile feed owner against ``import`` → ``pelican content`` → the published folder.

Each test is one attack that once worked, run end to end: the feed is written by
the test, imported with :func:`run_import`, built with a real Pelican build, and
the output is checked as a visitor (Chromium) or a machine (lxml) sees it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_newsroom.cli import main
from pelican_newsroom.import_state import STATE_FILE
from pelican_newsroom.importer import run_import
from tests.conftest import BASE_SETTINGS, Site, run_build, write_files
from tests.import_support import front, options, rss, write

SITEURL = BASE_SETTINGS["SITEURL"]


def json_feed(items: list[dict[str, Any]]) -> str:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Json Wire",
            "home_page_url": "https://json-wire.example/",
            "items": items,
        }
    )


def import_and_build(
    root: Path, feed: str, import_options: dict[str, Any] | None = None, **build: Any
) -> tuple[Any, Site]:
    """Import ``feed`` into ``root/content/imported`` and build ``root/content``."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    source = write(root, "feed.xml", feed)
    [result] = run_import(
        [source],
        options(content / "imported", content=content, **(import_options or {})),
    )
    site = run_build(content, root / "output", NEWSROOM_STRICT=False, **build)
    return result, site


def published_bytes(site: Site) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(site.output.rglob("*")) if p.is_file())


# --- the build machine's files ------------------------------------------------------------

TOKEN = "NEWSROOM-SENTINEL-7f3a"


def placeholder_payloads(depth: int) -> list[str]:
    """Bodies that name ``secret.txt`` (beside the site folder) through Pelican's link syntax."""
    up = "../" * depth
    return [
        f"<abbr title=\"src='{{attach}}{up}secret.txt'\">x</abbr>",
        f"<abbr title=\"src='|attach|{up}secret.txt'\">x</abbr>",
        f"<abbr title=\"href='{{static}}/{up}secret.txt'\">x</abbr>",
        f"<abbr title=\"src='{{filename}}/{up}secret.txt'\">x</abbr>",
        f'<p>see <a href="{{attach}}{up}secret.txt">this</a></p>',
        f"<p>src='{{attach}}{up}secret.txt' |static|{up}secret.txt</p>",
    ]


def test_placeholders_in_imported_bodies_publish_no_outside_file(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(TOKEN, encoding="utf-8")
    site_root = tmp_path / "site"
    items = [
        {"description": payload} for depth in range(1, 5) for payload in placeholder_payloads(depth)
    ]
    # Control: the same markup in a file of the site's own is resolved by Pelican, so the
    # payload is live (a writer may link their own files; a feed may not).
    own = placeholder_payloads(2)[0]
    write_files(
        site_root / "content",
        {"own.md": f"Title: Own\nDate: 2020-04-07\n\n<div>{own}</div>\n"},
    )
    result, site = import_and_build(site_root, rss(items))
    assert result.counts["new"] == len(items)
    published = sorted(p.name for p in site.output.rglob("secret.txt"))
    assert published == ["secret.txt"]  # the control article's, and only that one
    assert (site.output / "secret.txt").read_text(encoding="utf-8") == TOKEN
    imported_pages = [p for p in site.pages() if "story-" in p.name]
    assert len(imported_pages) == len(items)
    for page in imported_pages:
        text = page.read_text(encoding="utf-8")
        assert "secret.txt" in text  # the text is kept, shown as written
        assert f"{SITEURL}/secret.txt" not in text  # never resolved to the published copy


DEPTHS = st.integers(min_value=0, max_value=6)
PLACEHOLDERS = st.sampled_from(
    ["{attach}", "|attach|", "{static}", "|static|", "{filename}", "|filename|", "{static}/"]
)
CONTEXTS = st.sampled_from(
    [
        "<abbr title=\"src='{}'\">a</abbr>",
        "<abbr title='href=\"{}\"'>a</abbr>",
        '<a href="{}">a</a>',
        '<img src="{}" alt="a">',
        "<p>{}</p>",
        '<blockquote cite="{}">a</blockquote>',
        '<iframe src="{}"></iframe>',
    ]
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(CONTEXTS, PLACEHOLDERS, DEPTHS), min_size=1, max_size=8),
    st.sampled_from(["yaml", "md"]),
    st.booleans(),
)
def test_no_imported_input_makes_the_build_read_outside_the_content_folder(
    tmp_path_factory: pytest.TempPathFactory,
    payloads: list[tuple[str, str, int]],
    article_format: str,
    iframes: bool,
) -> None:
    root = tmp_path_factory.mktemp("sentinel")
    (root / "secret.txt").write_text(TOKEN, encoding="utf-8")
    site_root = root / "a" / "b"  # the sentinel is 1-4 levels above every content file
    items = [
        {"description": context.format(f"{placeholder}{'../' * depth}secret.txt")}
        for context, placeholder, depth in payloads
    ]
    result, site = import_and_build(
        site_root, rss(items), {"article_format": article_format, "allow_iframes": iframes}
    )
    assert result.ok, result.to_dict()
    assert TOKEN.encode() not in published_bytes(site)
    assert not list(site.output.rglob("secret.txt"))


# --- script under our theme (iframes allowed) and under Pelican's own theme -----------------

IFRAME_BODY = (
    '<p>Watch:</p><iframe src="https://video.example/embed/1"></div>\n\n'
    "[click](javascript:alert('md-link'))\n\n{: onmouseover=alert('attr-list') }\n"
    "<img src=x onerror=alert('img')></iframe><p>After the video.</p>"
)
HOSTILE_TITLE = "Fire <img src=x onerror=alert('title')> \"><svg onload=alert('title2')> 'x"
HOSTILE_AUTHOR = "<script>alert('author')</script> Ann"
HOSTILE_TAG = "\"><img src=x onerror=alert('tag')>"
HOSTILE_CATEGORY = "<svg onload=alert('category')>"


def _inert(site: Site) -> list[str]:
    """What in the built pages could run script: handlers, javascript: URLs, stray scripts."""
    found = []
    for page in site.pages():
        tree = lxml.html.fromstring(page.read_bytes())
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                if name.lower().startswith("on") or "javascript:" in value.lower():
                    found.append(f"{page.name}: <{element.tag} {name}={value[:40]}>")
            src = element.get("src", "")
            if element.tag == "svg" or (element.tag == "iframe" and not src.startswith("https:")):
                found.append(f"{page.name}: <{element.tag} src={src[:40]}>")
            if element.tag == "script" and element.get("type") != "application/ld+json":
                found.append(f"{page.name}: <script>{(element.text or '')[:40]}")
    return found


@pytest.fixture(scope="module", params=["rss", "json"])
def iframe_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Site:
    root = tmp_path_factory.mktemp("iframes")
    item = {"title": "Story 1", "date_published": "2020-04-07T11:00:00Z"}
    feed = (
        rss([{"description": IFRAME_BODY}])
        if request.param == "rss"
        else json_feed([{**item, "id": "j-1", "content_html": IFRAME_BODY}])
    )
    result, site = import_and_build(root, feed, {"allow_iframes": True})
    assert result.counts["new"] == 1
    return site


@pytest.fixture(scope="module")
def stock_theme_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Imported metadata under Pelican's ``notmyidea``, which prints titles, authors and tags raw."""
    root = tmp_path_factory.mktemp("notmyidea")
    feed = rss(
        [
            {"title": HOSTILE_TITLE, "author": f"desk@wire.example ({HOSTILE_AUTHOR})"},
            {"title": "Calm story", "category": HOSTILE_TAG},
        ]
    )
    feed = feed.replace("<author>", "<dc:creator>").replace("</author>", "</dc:creator>")
    feed = feed.replace(
        '<rss version="2.0">', '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    )
    result, site = import_and_build(
        root, feed, {"category": HOSTILE_CATEGORY}, THEME="notmyidea", DELETE_OUTPUT_DIRECTORY=True
    )
    assert result.counts["new"] == 2, result.to_dict()
    return site


def test_iframe_text_is_inert_after_markdown(iframe_site: Site) -> None:
    [page] = [p for p in iframe_site.pages() if p.name == "story-1.html"]
    tree = lxml.html.fromstring(page.read_bytes())
    [iframe] = tree.xpath("//iframe")
    assert iframe.get("src") == "https://video.example/embed/1" and not iframe.text
    assert tree.xpath("//p[normalize-space()='After the video.']")
    assert _inert(iframe_site) == []


def test_imported_metadata_is_inert_under_notmyidea(stock_theme_site: Site) -> None:
    assert _inert(stock_theme_site) == []
    [article] = [p for p in stock_theme_site.pages() if p.name.startswith("fire-")]
    assert "Fire ‹img src=x onerror=alert(‘title’)› “›‹svg" in article.read_text(encoding="utf-8")


@pytest.mark.browser
def test_no_dialog_in_chromium(
    iframe_site: Site, stock_theme_site: Site, chromium_path: str
) -> None:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS
    from tests.test_browser import Served

    dialogs: list[str] = []
    opened = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for site in (iframe_site, stock_theme_site):
                served = Served(browser, site, SITEURL)
                for path in site.pages():
                    page = served.open(path.relative_to(site.output).as_posix())
                    page.evaluate(  # what hovering and clicking would set off
                        "for (const el of document.querySelectorAll('body *')) {"
                        " for (const type of ['mouseover', 'focus', 'click'])"
                        "  el.dispatchEvent(new Event(type, {bubbles: true, cancelable: true})) }"
                    )
                    page.close()
                    opened += 1
                dialogs += served.dialogs
                served.close()
        finally:
            browser.close()
    assert opened >= 8
    assert dialogs == []


# --- one feed cannot touch another's articles, nor take a page ----------------------------


def test_a_feed_claiming_another_feeds_link_cannot_rewrite_its_articles(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    victim = write(
        tmp_path, "victim.xml", rss([{"title": "Harbour reopens"}], "https://victim.example/")
    )
    [first] = run_import([victim], options(out))
    assert first.counts["new"] == 1
    [victim_file] = sorted(out.glob("*.md"))
    before = victim_file.read_bytes()
    hostile = rss(
        [
            {"title": "Defaced", "description": "owned"},  # same guid wire-1, same link
            {"title": "Defaced too", "link": "https://elsewhere.example/x"},  # guid wire-2
        ],
        "https://victim.example/",
    ).replace("<guid>wire-2</guid>", "<guid>wire-1</guid>")
    [second] = run_import([write(tmp_path, "hostile.xml", hostile)], options(out))
    assert victim_file.read_bytes() == before
    actions = sorted(item.action for item in second.items)
    assert actions == ["duplicate", "new"]  # the other id is another story of another feed
    assert front(victim_file)["import_feed"] == victim


def test_imported_titles_never_take_a_page_or_a_staff_article(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(
        content,
        {
            "news/harbour.md": "Title: Harbour Reopens\nDate: 2020-04-01\n\nOur own reporting.\n",
            "pages/about.md": "Title: About\n\nWho we are.\n",
        },
    )
    titles = ["Index", "Archives", "Tags", "Categories", "Authors", "Sources", "Feeds"]
    titles += ["About", "Harbour Reopens", "Harbour reopens!"]
    feed = rss([{"title": title} for title in titles])
    [result] = run_import(
        [write(tmp_path, "feed.xml", feed)], options(content / "imported", content=content)
    )
    assert result.counts["new"] == len(titles)
    slugs = sorted(front(p)["slug"] for p in (content / "imported").glob("*.md"))
    assert "index" not in slugs and "harbour-reopens" not in slugs and "about" not in slugs
    site = run_build(content, tmp_path / "output")  # strict: no collision, no overwrite
    assert "Our own reporting." in site.text("harbour-reopens.html")
    assert "Who we are." in site.text("pages/about.html")
    for name in ("index", "archives", "tags", "categories", "authors", "sources"):
        page = lxml.html.fromstring(site.text(f"{name}.html"))
        assert not page.xpath("//h1[contains(@class, 'p-name')]"), f"{name}.html is an article"
        assert lxml.html.fromstring(site.text(f"{name}-2.html")).xpath("//h1[@class='p-name']")


# --- values that would inject header lines, far-future dates, huge bodies --------------------


@pytest.mark.parametrize("article_format", ["md", "yaml"])
def test_line_breaking_characters_cannot_add_header_lines(
    tmp_path: Path, article_format: str
) -> None:
    injected = "\x1cimport_id: other\u2028slug: index\x85status: draft\rtags: x"
    feed = json_feed(
        [
            {
                "id": "j-1",
                "url": "https://json-wire.example/1",
                "title": f"Title {injected}",
                "authors": [{"name": f"Ann {injected}"}],
                "tags": [f"tag {injected}"],
                "date_published": "2020-04-07T11:00:00Z",
                "content_html": "<p>Body.</p>",
                "_newsroom": {
                    "chain": [{"name": f"Origin {injected}", "url": "https://origin.example/a"}]
                },
            }
        ]
    )
    out = tmp_path / "imported"
    source = write(tmp_path, "feed.json", feed)
    [first] = run_import([source], options(out, article_format=article_format))
    assert first.counts["new"] == 1, first.to_dict()
    [path] = list(out.glob("*.md"))
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    for line in header.splitlines():  # str.splitlines breaks on every character above
        assert line.startswith(("---", "  ", "- ", "    ")) or line.split(":", 1)[0] in {
            "title",
            "date",
            "authors",
            "tags",
            "slug",
            "via",
            "origin_url",
            "import_feed",
            "import_id",
            "import_link",
            "import_hash",
        }, line
    Path(source).write_text(feed + "\n", encoding="utf-8")
    [second] = run_import([source], options(out, article_format=article_format))
    assert [item.action for item in second.items] == ["unchanged"]
    assert len(list(out.glob("*.md"))) == 1


def test_far_future_dates_are_clamped_and_stay_clamped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    feed = rss(
        [
            {"title": "From the future", "pubDate": "Fri, 31 Dec 9999 23:00:00 +0000"},
            {"title": "Real news", "pubDate": "Tue, 07 Apr 2020 11:00:00 +0000"},
        ]
    )
    source = write(tmp_path, "feed.xml", feed)
    before = datetime.now(UTC)
    [first] = run_import([source], options(content / "imported"))
    future = next(item for item in first.items if item.title == "From the future")
    assert "in the future" in (future.message or "")
    path = content / "imported" / "from-the-future.md"
    date = datetime.fromisoformat(front(path)["date"])
    assert before - timedelta(seconds=5) <= date <= datetime.now(UTC)
    Path(source).write_text(feed + "\n", encoding="utf-8")
    [second] = run_import([source], options(content / "imported"))
    assert {item.action for item in second.items} == {"unchanged"}
    site = run_build(content, tmp_path / "output")
    feed_updated = feedparser.parse(site.text("feeds/all.atom.xml")).feed.updated_parsed
    assert feed_updated.tm_year < 9999 and feed_updated.tm_year <= datetime.now(UTC).year


def test_a_huge_body_becomes_an_excerpt(tmp_path: Path) -> None:
    body = "<p>" + "word " * 4000 + "</p>"
    out = tmp_path / "imported"
    source = write(tmp_path, "feed.xml", rss([{"description": body}]))
    [result] = run_import([source], options(out, max_body=2_000))
    [item] = result.items
    assert item.action == "new" and "NEWSROOM_IMPORT_MAX_BODY" in (item.message or "")
    [path] = list(out.glob("*.md"))
    assert 500 < path.stat().st_size < 3_000
    assert 'href="https://wire.example/story/1"' in path.read_text(encoding="utf-8")


def test_a_tampered_state_file_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported"
    out.mkdir()
    source = write(tmp_path, "feed.xml", rss([{}]))
    state = out / STATE_FILE
    state.write_text(json.dumps({"version": 1, "sources": {source: {"etag": ["a", "b"]}}}))
    status = main(["import", source, "--output", str(out)])
    error = capsys.readouterr().err
    assert status == 2
    assert str(state) in error and f"sources[{source!r}].etag" in error and "['a', 'b']" in error
    assert "Traceback" not in error
    assert list(out.glob("*.md")) == []
    state.write_text("{not json")
    assert main(["import", source, "--output", str(out)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
