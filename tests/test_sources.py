"""Sources (sources.py, sources_pages.py): unique slugs, NEWSROOM_SOURCE_MIN_ARTICLES, no dead links.

Slug assignment is tested on plain values; everything else in real builds,
reading the pages and feeds they wrote.
"""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace

import lxml.html
import pytest

from pelican_newsroom.chain import Hop, parse_hop_text
from pelican_newsroom.sources import collect_sources
from tests.conftest import BASE_SETTINGS

SITEURL = BASE_SETTINGS["SITEURL"]


def _article(day: int, *hops: str) -> SimpleNamespace:
    """What collect_sources reads of an article: its date and its chain."""
    chain = tuple(parse_hop_text(hop) for hop in hops)
    return SimpleNamespace(date=datetime(2020, 1, day), newsroom=SimpleNamespace(hops=chain))


def _slugs(articles: list[SimpleNamespace]) -> dict[str, str]:
    return {source.identity: source.slug for source in collect_sources(articles)}


CHAINS = [
    ["Reuters com"],
    ["Reuters com 2"],  # already owns "reuters-com-2": the suffix skips it
    ["Reuters <https://www.reuters.com/world/1>"],
    ["REUTERS.COM"],  # a name that reads as the host: same identity, same source
]


@pytest.mark.parametrize("order", [1, -1])
def test_identities_sharing_a_slug_get_distinct_slugs_whatever_the_article_order(order):
    articles = [_article(day, *hops) for day, hops in enumerate(CHAINS[::order], start=1)]
    assert _slugs(articles) == {
        "reuters.com": "reuters-com",  # known by a URL: keeps the plain slug
        "reuters com": "reuters-com-3",
        "reuters com 2": "reuters-com-2",
    }


def test_a_name_too_long_for_a_file_gets_a_short_slug():
    (source,) = collect_sources([_article(1, "Long " * 80)])
    assert len(source.slug.encode()) <= 120


def test_sources_of_finds_the_collected_source_of_a_hop():
    sources = collect_sources([_article(1, "Wire <https://wire.example/a>")])
    assert sources.of(Hop(name="Other name", url="https://www.wire.example/b")) is sources[0]
    assert sources.of(Hop(name="Draft-only outlet")) is None


# --- real builds ---------------------------------------------------------------------------

COLLIDING = {
    "news/by-name.md": "Title: Named wire story\nDate: 2020-03-01\nVia: Reuters com\n\nBody one.\n",
    "news/by-url.md": (
        "Title: Linked wire story\nDate: 2020-03-02\n"
        "Via: Reuters <https://www.reuters.com/world/x>\n\nBody two.\n"
    ),
}


def _doc(site, relative: str):
    return lxml.html.fromstring(site.text(relative))


def test_colliding_slugs_build_two_source_pages_each_linked_right(build_site):
    site = build_site(COLLIDING)
    pages = {
        "sources/reuters-com.html": ("Reuters", "Linked wire story"),
        "sources/reuters-com-2.html": ("Reuters com", "Named wire story"),
    }
    for page, (name, story) in pages.items():
        doc = _doc(site, page)
        assert doc.xpath("normalize-space(//h1)") == f"Source: {name}"
        assert doc.xpath("//ol[@class='article-list']//a[contains(@class,'u-url')]/text()") == [
            story
        ]
        slug = page.removeprefix("sources/").removesuffix(".html")
        feed = json.loads(site.text(f"feeds/source/{slug}.json"))
        assert [item["title"] for item in feed["items"]] == [story]
    index = _doc(site, "sources.html")
    links = {
        row.xpath("normalize-space(.//*[@class='p-name'])"): row.xpath("./th/a[1]/@href")
        for row in index.xpath("//table[@class='sources']/tbody/tr")
    }
    assert links == {
        "Reuters": [f"{SITEURL}/sources/reuters-com.html"],
        "Reuters com": [f"{SITEURL}/sources/reuters-com-2.html"],
    }
    marks = _doc(site, "index.html").xpath("//*[@class='nr-repost-mark']/a")
    assert {a.text: a.get("href") for a in marks} == {
        "Reuters": f"{SITEURL}/sources/reuters-com.html",
        "Reuters com": f"{SITEURL}/sources/reuters-com-2.html",
    }
    head = _doc(site, "named-wire-story.html").xpath("//link[@rel='alternate']/@href")
    assert f"{SITEURL}/feeds/source/reuters-com-2.atom.xml" in head
    assert site.dead_links(SITEURL) == []


#: Two stories through Wire, one each through Lone Outlet (with a site) and Town Crier (without).
THRESHOLD: dict[str, str | bytes] = {
    "news/a.md": """
        Title: First wire story
        Date: 2020-03-01
        Via: Lone Outlet <https://lone.example/a>
            Wire <https://wire.example/1>

        One.
        """,
    "news/b.md": """
        Title: Second wire story
        Date: 2020-03-02
        Via: Wire <https://wire.example/2>

        Two.
        """,
    "news/c.md": """
        Title: Passing mention
        Date: 2020-03-03
        Via: Town Crier

        Three.
        """,
}


@pytest.mark.parametrize("minimum", [1, 2, 3])
def test_only_sources_at_the_threshold_get_pages_and_feeds(build_site, minimum):
    site = build_site(
        THRESHOLD, NEWSROOM_SOURCE_MIN_ARTICLES=minimum, CATEGORY_FEED_ATOM="feeds/{slug}.atom.xml"
    )
    counts = {"wire-example": 2, "lone-example": 1, "town-crier": 1}
    written = {path.stem for path in (site.output / "sources").glob("*.html")}
    assert written == {slug for slug, count in counts.items() if count >= minimum}
    feeds = {p.name.split(".", 1)[0] for p in (site.output / "feeds/source").glob("*")}
    assert feeds == written
    rows = {
        row.xpath("normalize-space(.//*[@class='p-name'])"): (
            row.xpath("normalize-space(td[1])"),
            row.xpath("boolean(./th/a[.//*[@class='p-name']])"),
            int(row.xpath("count(td[2]//a[@class='nr-feed'])")),
        )
        for row in _doc(site, "sources.html").xpath("//table[@class='sources']/tbody/tr")
    }
    # Every outlet is listed with its count; only those with pages are linked to them.
    listed = {"Wire": 2, "Lone Outlet": 1, "Town Crier": 1}
    assert rows == {
        name: (str(count), count >= minimum, 3 if count >= minimum else 0)
        for name, count in listed.items()
    }
    # Credited in the chain all the same, linked to its own site.
    chain = _doc(site, "first-wire-story.html").xpath("//ol[@class='nr-chain']//a/@href")
    assert chain == ["https://lone.example/a", "https://wire.example/1"]
    assert site.dead_links(SITEURL) == []


def test_every_link_to_a_source_page_or_feed_exists_with_pages_switched_off(build_site):
    site = build_site(THRESHOLD, NEWSROOM_SOURCE_SAVE_AS="", NEWSROOM_SOURCE_MIN_ARTICLES=2)
    assert not (site.output / "sources").exists()
    assert sorted(p.name for p in (site.output / "feeds/source").glob("*")) == [
        "wire-example.atom.xml",
        "wire-example.json",
        "wire-example.rss.xml",
    ]
    assert site.dead_links(SITEURL) == []
