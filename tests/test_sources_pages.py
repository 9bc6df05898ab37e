"""The Sources page and one page per source (:mod:`pelican_newsroom.sources_pages`), in real
builds: what they list, where they are written, and that every link to a source's page or
feed exists, whatever the slugs, ``NEWSROOM_SOURCE_MIN_ARTICLES`` and the save-as settings.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import BASE_SETTINGS
from tests.test_theme import NEWS_FILES, _doc

SITEURL = BASE_SETTINGS["SITEURL"]


def test_sources_page_lists_every_source_with_count_and_feeds(build_site):
    files = {
        **NEWS_FILES,
        "news/draft.md": "Title: Draft\nDate: 2020-03-26\nStatus: draft\nVia: Secret Wire\n\nx\n",
    }
    site = build_site(files)
    doc = _doc(site, "sources.html")
    rows = {
        row.xpath("normalize-space(.//*[@class='p-name'])"): row.xpath("normalize-space(td[1])")
        for row in doc.xpath("//table[@class='sources']/tbody/tr")
    }
    assert rows == {"Harbour Wire": "1", "Island Post": "1", "Town Crier": "1"}  # no draft's source
    feeds = doc.xpath("//tbody/tr[1]/td[2]//a/@href")
    assert f"{SITEURL}/feeds/source/harbour-wire-example.atom.xml" in feeds
    source = _doc(site, "sources/town-crier.html")
    assert source.xpath("normalize-space(//h1)") == "Source: Town Crier"
    assert source.xpath("//ol[@class='article-list']//a[contains(@class,'u-url')]/text()") == [
        "Market square reopens"
    ]
    assert doc.xpath("//nav[@class='site-nav']//a[text()='Sources']/@href") == [
        f"{SITEURL}/sources.html"
    ]


def test_sources_pages_can_be_switched_off_or_moved(build_site):
    site = build_site(NEWS_FILES, NEWSROOM_SOURCES_SAVE_AS="", NEWSROOM_SOURCE_SAVE_AS="")
    assert not (site.output / "sources.html").exists()
    assert not (site.output / "sources").exists()
    assert "Sources</a></li>" not in site.text("index.html")
    assert 'class="nr-repost-mark">Via Harbour Wire</span>' in site.text("index.html")
    moved = build_site(
        NEWS_FILES,
        NEWSROOM_SOURCES_SAVE_AS="outlets/index.html",
        NEWSROOM_SOURCES_URL="outlets/",
        NEWSROOM_SOURCE_SAVE_AS="outlets/{slug}/index.html",
        NEWSROOM_SOURCE_URL="outlets/{slug}/",
    )
    assert (moved.output / "outlets" / "town-crier" / "index.html").exists()
    assert f'href="{SITEURL}/outlets/town-crier/"' in moved.text("category/local.html")


# --- slugs, thresholds and links ---------------------------------------------------------------------------

COLLIDING = {
    "news/by-name.md": "Title: Named wire story\nDate: 2020-03-01\nVia: Reuters com\n\nBody one.\n",
    "news/by-url.md": (
        "Title: Linked wire story\nDate: 2020-03-02\n"
        "Via: Reuters <https://www.reuters.com/world/x>\n\nBody two.\n"
    ),
}


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
