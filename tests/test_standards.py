"""News publishing standards: per-article canonical and robots, corrections, publisher data.

Real builds (``build_site``) checked on the pages, JSON-LD and feeds they write; the
parsers of :mod:`pelican_newsroom.standards` checked on their own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from pelican_newsroom.errors import NewsroomBuildError, NewsroomError
from pelican_newsroom.model import build_newsroom
from pelican_newsroom.newsroom_ns import DCTERMS_NS
from pelican_newsroom.settings import NewsroomSettings, NewsroomSettingsError, merged
from pelican_newsroom.standards import (
    parse_canonical,
    parse_correction_line,
    parse_corrections,
    parse_robots,
)
from tests.conftest import png
from tests.test_theme import _json_ld, _news_article, _terms

SITEURL = "https://news.example.org"
NEW_YORK = ZoneInfo("America/New_York")

ORIGIN_STORY = "https://island-post.example/ferries/winter-2020"
ELSEWHERE = "https://wire.example/stories/ferry-fares?id=7&lang=en"

CANONICAL_FILES: dict[str, str | bytes] = {
    "news/by-origin.md": f"""
        Title: Ferry fares rise in spring
        Date: 2020-03-20T09:00-04:00
        Via: Island Post <https://island-post.example/>
        Origin_url: {ORIGIN_STORY}
        Canonical: origin

        Body.
        """,
    "news/by-url.md": f"""
        ---
        title: Ferry crews vote on a new rota
        date: 2020-03-21T09:00-04:00
        canonical: "{ELSEWHERE}"
        ---
        Body.
        """,
    "news/hidden.md": """
        Title: Ferry test sailing notes
        Date: 2020-03-22T09:00-04:00
        Robots: noindex

        Body.
        """,
    "news/plain.md": """
        Title: Ferry pier gets new lights
        Date: 2020-03-23T09:00-04:00

        Body.
        """,
    "news/plain-repost.md": f"""
        Title: Ferry timetable for the holidays
        Date: 2020-03-24T09:00-04:00
        Via: Island Post <https://island-post.example/>
        Origin_url: {ORIGIN_STORY}-holidays

        Body.
        """,
    "news/self-repost.md": f"""
        Title: Ferry ticket office moves
        Date: 2020-03-25T09:00-04:00
        Via: Island Post <https://island-post.example/>
        Origin_url: {ORIGIN_STORY}-office
        Canonical: self
        Robots: index, follow

        Body.
        """,
}


def _page(site, slug: str):
    return lxml_html.fromstring(site.text(f"{slug}.html"))


def _meta(doc, name: str) -> list[str]:
    return doc.xpath(f"//head/meta[@name='{name}']/@content")


# --- parsers ----------------------------------------------------------------------------


def test_parse_robots_keeps_known_directives_and_refuses_typos():
    assert parse_robots("NoIndex, nofollow") == ("noindex", "nofollow")
    assert parse_robots(["noindex", "max-snippet: 20", "noindex"]) == ("noindex", "max-snippet:20")
    assert parse_robots("max-image-preview:standard") == ("max-image-preview:standard",)
    for bad in ("no-index", "max-image-preview:huge", "", ", ,", 3):
        with pytest.raises(NewsroomError) as caught:
            parse_robots(bad)
        assert "robots directives" in caught.value.expected


def test_parse_canonical():
    assert parse_canonical(" Origin ") == "origin"
    assert parse_canonical("self") == "self"
    assert parse_canonical(ELSEWHERE) == ELSEWHERE
    with pytest.raises(NewsroomError, match="'self', 'origin' or absolute"):
        parse_canonical("/ferries.html")
    with pytest.raises(NewsroomError) as caught:
        parse_canonical("javascript:alert(1)")
    assert caught.value.severity == "warning"  # dropped, like every dangerous URL


@pytest.mark.parametrize(
    ("line", "when", "text"),
    [
        ("2020-03-24T10:00-04:00 — Fixed a name.", "2020-03-24T10:00:00-04:00", "Fixed a name."),
        ("Tue, 03/24/2020 – 16:00 -- Pages 3–5 — not 4–6.", "2020-03-24T16:00:00-04:00", None),
        ("2020-03-24 – The count was 12.", "2020-03-24T00:00:00-04:00", "The count was 12."),
        ("Tue, 24 Mar 2020 20:00:00 +0000 — RFC 2822 too.", "2020-03-24T20:00:00+00:00", None),
    ],
)
def test_a_correction_line_is_date_dash_text(line, when, text):
    correction = parse_correction_line(line, NEW_YORK)
    assert correction.date.isoformat() == when
    assert correction.text == (text or line.split(" -- " if " -- " in line else " — ", 1)[1])


@pytest.mark.parametrize(
    "line",
    ["We fixed a name.", "2020-13-40 — A bad date.", "2020-03-24 — ", "— no date at all"],
)
def test_a_bad_correction_line_is_an_error_naming_the_form(line):
    with pytest.raises(NewsroomError) as caught:
        parse_correction_line(line, NEW_YORK)
    assert caught.value.value == line
    assert "DATE — TEXT" in caught.value.expected


def test_corrections_from_yaml_are_sorted_and_bad_items_reported_one_by_one():
    value = [
        {"date": datetime(2020, 3, 26, 12, tzinfo=UTC), "text": "Second."},
        "2020-03-25T08:00-04:00 — First.",
        {"date": "not a date", "text": "Lost."},
        {"date": "2020-03-27", "text": "x", "by": "desk"},
    ]
    corrections, errors = parse_corrections(value, NEW_YORK)
    assert [c.text for c in corrections] == ["First.", "Second."]
    assert len(errors) == 2
    assert "unknown keys ['by']" in errors[1].expected


# --- canonical and robots in real builds -------------------------------------------------


def test_exactly_one_canonical_per_article_where_the_metadata_says(build_site):
    site = build_site(CANONICAL_FILES)
    expected = {
        "ferry-fares-rise-in-spring": ORIGIN_STORY,
        "ferry-crews-vote-on-a-new-rota": ELSEWHERE,
        "ferry-test-sailing-notes": f"{SITEURL}/ferry-test-sailing-notes.html",
        "ferry-pier-gets-new-lights": f"{SITEURL}/ferry-pier-gets-new-lights.html",
        "ferry-timetable-for-the-holidays": f"{SITEURL}/ferry-timetable-for-the-holidays.html",
        "ferry-ticket-office-moves": f"{SITEURL}/ferry-ticket-office-moves.html",
    }
    for slug, url in expected.items():
        doc = _page(site, slug)
        assert doc.xpath("//link[@rel='canonical']/@href") == [url], slug
    hidden = _page(site, "ferry-test-sailing-notes")
    assert _meta(hidden, "robots") == ["noindex"]  # no large preview on a page kept out
    assert _meta(_page(site, "ferry-pier-gets-new-lights"), "robots") == ["max-image-preview:large"]
    assert _meta(_page(site, "ferry-ticket-office-moves"), "robots") == [
        "index, follow, max-image-preview:large"
    ]
    for page in site.pages():  # listings, Sources, static pages: one canonical each
        doc = lxml_html.fromstring(page.read_bytes())
        assert len(doc.xpath("//link[@rel='canonical']")) == 1, page.name


def test_site_settings_apply_where_an_article_says_nothing(build_site):
    site = build_site(
        CANONICAL_FILES, NEWSROOM_CANONICAL="origin", NEWSROOM_NOINDEX_SYNDICATED=True
    )
    repost = _page(site, "ferry-timetable-for-the-holidays")
    assert repost.xpath("//link[@rel='canonical']/@href") == [f"{ORIGIN_STORY}-holidays"]
    assert _meta(repost, "robots") == ["noindex"]
    own = _page(site, "ferry-ticket-office-moves")  # canonical: self, robots: index, follow
    assert own.xpath("//link[@rel='canonical']/@href") == [
        f"{SITEURL}/ferry-ticket-office-moves.html"
    ]
    assert _meta(own, "robots") == ["index, follow, max-image-preview:large"]
    by_url = _page(site, "ferry-crews-vote-on-a-new-rota")
    assert by_url.xpath("//link[@rel='canonical']/@href") == [ELSEWHERE]


def test_googlebot_news_mode_keeps_reposts_out_of_news_only(build_site):
    site = build_site(CANONICAL_FILES, NEWSROOM_NOINDEX_SYNDICATED="googlebot-news")
    repost = _page(site, "ferry-timetable-for-the-holidays")
    assert _meta(repost, "Googlebot-News") == ["noindex"]
    assert _meta(repost, "robots") == ["max-image-preview:large"]  # still in web search
    assert _meta(_page(site, "ferry-pier-gets-new-lights"), "Googlebot-News") == []
    assert _meta(_page(site, "ferry-ticket-office-moves"), "Googlebot-News") == []  # own key


@pytest.mark.parametrize(
    ("mode", "metadata", "noindex"),
    [
        ("googlebot-news", {"via": "Island Post"}, True),  # out of Google News: no news sitemap
        (True, {"via": "Island Post"}, True),
        (True, {"via": "Island Post", "robots": "index"}, False),
        (False, {"robots": "none"}, True),
        (False, {"robots": "nofollow"}, False),
        ("googlebot-news", {}, False),
    ],
)
def test_the_model_says_noindex_for_the_news_sitemap(mode, metadata, noindex):
    settings = NewsroomSettings.from_pelican({"NEWSROOM_NOINDEX_SYNDICATED": mode})
    assert build_newsroom(metadata, "a.md", settings).noindex is noindex


def test_bad_canonical_and_robots_are_reported_naming_file_field_value(build_site):
    files = {
        "news/bad.md": """
            Title: Bad keys
            Date: 2020-03-20T09:00-04:00
            Canonical: /somewhere.html
            Robots: no-index

            Body.
            """,
        "news/lonely.md": """
            Title: Origin without a URL
            Date: 2020-03-20T09:00-04:00
            Canonical: origin

            Body.
            """,
    }
    with pytest.raises(NewsroomBuildError) as caught:
        build_site(files)
    found = {(Path(p.file).name, p.field, p.value) for p in caught.value.problems}
    assert ("bad.md", "canonical", "'/somewhere.html'") in found
    assert ("bad.md", "robots", "'no-index'") in found
    messages = " ".join(p.expected for p in caught.value.problems)
    assert "'self', 'origin' or absolute" in messages and "'no-index' is not one of" in messages
    site = build_site(files, NEWSROOM_STRICT=False)
    lonely = {(Path(p.file).name, p.field) for p in site.problems if p.severity == "warning"}
    assert ("lonely.md", "canonical") in lonely
    doc = _page(site, "origin-without-a-url")
    assert doc.xpath("//link[@rel='canonical']/@href") == [f"{SITEURL}/origin-without-a-url.html"]


def test_noindex_syndicated_setting_is_validated():
    with pytest.raises(NewsroomSettingsError, match="NEWSROOM_NOINDEX_SYNDICATED"):
        merged({"NEWSROOM_NOINDEX_SYNDICATED": "googlebot"})
    with pytest.raises(NewsroomSettingsError, match="NEWSROOM_NOINDEX_SYNDICATED"):
        merged({"NEWSROOM_NOINDEX_SYNDICATED": 1})
    assert merged({"NEWSROOM_NOINDEX_SYNDICATED": "googlebot-news"})


# --- corrections -------------------------------------------------------------------------

CORRECTED_FILES: dict[str, str | bytes] = {
    "news/yaml.md": """
        ---
        title: Harbour dredging starts in May
        date: 2020-04-01T09:00:00-04:00
        modified: 2020-04-02T09:00:00-04:00
        author: Mara Quint
        corrections:
          - date: 2020-04-03T10:15:00-04:00
            text: An earlier version put the dredger's length at 80 m; it is 60 m.
          - date: Sat, 04/04/2020 – 08:00
            text: The work starts on May 4, not May 5.
        ---
        The dredging <em>body</em>.
        """,
    "news/header.md": """
        Title: Bridge repairs close one lane
        Date: 2020-04-01T10:00-04:00
        Author: Jonas Weller
        Corrections: 2020-04-02T11:00-04:00 — The lane closes at night only.
            Fri, 04/03/2020 – 09:30 -- We misspelled the contractor's name <Brückner & Co>.

        The bridge body.
        """,
    "news/uncorrected.md": """
        Title: Park benches repainted
        Date: 2020-03-01T10:00-04:00
        Modified: 2020-03-02T10:00-04:00

        Body.
        """,
}
LATEST = {
    "harbour-dredging-starts-in-may": "2020-04-04T08:00:00-04:00",
    "bridge-repairs-close-one-lane": "2020-04-03T09:30:00-04:00",
}


@pytest.fixture
def corrected(build_site):
    return build_site(
        CORRECTED_FILES,
        NEWSROOM_CORRECTIONS_POLICY="https://news.example.org/pages/corrections.html",
    )


def test_corrections_are_shown_near_the_top_of_the_article(corrected):
    doc = _page(corrected, "bridge-repairs-close-one-lane")
    (section,) = doc.xpath("//section[@class='nr-corrections']")
    heading = section.xpath("h2")[0]
    assert heading.text == "Corrections"
    assert section.get("aria-labelledby") == heading.get("id")
    items = section.xpath("ul/li")
    assert [li.xpath("time/@datetime")[0] for li in items] == [
        "2020-04-02T11:00:00-04:00",
        "2020-04-03T09:30:00-04:00",
    ]
    assert items[1].xpath("string(span)") == (
        "We misspelled the contractor's name <Brückner & Co>."
    )
    # before the article body, after its header
    article = doc.xpath("//article")[0]
    children = [child.get("class") for child in article]
    assert children.index("nr-corrections") < children.index("e-content")
    assert not _page(corrected, "park-benches-repainted").xpath("//*[@class='nr-corrections']")


@pytest.mark.parametrize("slug", sorted(LATEST))
def test_json_ld_has_correction_comments_and_publishing_principles(corrected, slug):
    from rdflib.namespace import SDO  # as tests/test_theme.py: the schema.org vocabulary

    article = _news_article(corrected, f"{slug}.html")
    comments = article["correction"]
    assert [c["@type"] for c in comments] == ["CorrectionComment"] * 2
    assert all(set(c) == {"@type", "datePublished", "text"} for c in comments)
    assert comments[-1]["datePublished"] == LATEST[slug]
    assert article["dateModified"] == LATEST[slug]
    assert article["publishingPrinciples"] == "https://news.example.org/pages/corrections.html"
    assert _terms(article) - set(SDO.__annotations__) == set()
    plain = _news_article(corrected, "park-benches-repainted.html")
    assert "correction" not in plain
    assert plain["publishingPrinciples"] == article["publishingPrinciples"]  # every article


def test_feed_entries_take_the_latest_correction_date_and_carry_the_notes(corrected):
    atom = feedparser.parse(corrected.text("feeds/all.atom.xml"))
    rss = feedparser.parse(corrected.text("feeds/all.rss.xml"))
    feed_json = json.loads(corrected.text("feeds/all.json"))
    assert not atom.bozo and not rss.bozo
    for slug, latest in LATEST.items():
        link = f"{SITEURL}/{slug}.html"
        when = datetime.fromisoformat(latest)
        (atom_entry,) = [e for e in atom.entries if e.link == link]
        assert datetime.fromisoformat(atom_entry.updated) == when
        assert "Corrections" in atom_entry.content[0].value
        (rss_entry,) = [e for e in rss.entries if e.link == link]
        assert rss_entry.updated_parsed[:6] == when.astimezone(UTC).timetuple()[:6]
        assert "Corrections" in rss_entry.summary  # RSS_FEED_SUMMARY_ONLY: the notes too
        (item,) = [i for i in feed_json["items"] if i["url"] == link]
        assert item["date_modified"] == latest
        assert item["content_html"].count("<li><time") == 2
    rss_tree = etree.fromstring(corrected.output.joinpath("feeds/all.rss.xml").read_bytes())
    modified = rss_tree.findall(f".//item/{{{DCTERMS_NS}}}modified")
    # only corrected items: an edit alone keeps the dates Pelican's RSS gives (pubDate)
    assert sorted(m.text for m in modified) == sorted(LATEST.values())
    (bridge,) = [e for e in atom.entries if "bridge" in e.link]
    assert "&lt;Brückner &amp; Co&gt;" in bridge.content[0].value  # text, escaped in the HTML
    assert atom.feed.updated == "2020-04-04T08:00:00-04:00"  # the channel: newest entry


def test_a_bad_correction_line_is_reported_naming_file_field_and_value(build_site):
    files = {
        "news/bad.md": """
            Title: Bad correction
            Date: 2020-04-01T10:00-04:00
            Corrections: 2020-04-02T11:00-04:00 — This one is fine.
                Yesterday we fixed a typo.

            Body.
            """
    }
    with pytest.raises(NewsroomBuildError) as caught:
        build_site(files)
    (problem,) = caught.value.problems
    assert Path(problem.file).name == "bad.md"
    assert problem.field == "corrections"
    assert problem.value == "'Yesterday we fixed a typo.'"
    assert "DATE — TEXT" in problem.expected
    assert "bad.md: corrections: 'Yesterday we fixed a typo.'" in str(caught.value)
    site = build_site(files, NEWSROOM_STRICT=False)  # the good note is still published
    doc = _page(site, "bad-correction")
    assert doc.xpath("count(//section[@class='nr-corrections']//li)") == 1


# --- publisher logo, author URLs, image sizes ------------------------------------------------


IMAGE_FILES: dict[str, str | bytes] = {
    "images/lead.png": png(640, 360),
    "images/logo.png": png(250, 60),
    "images/broken.png": b"not a png",
    "news/photo.md": """
        Title: Night ferry photographed
        Date: 2020-04-01T10:00-04:00
        Author: Mara Quint
        Image: images/lead.png
        Image_caption: The night ferry

        Body.
        """,
    "news/broken.md": """
        Title: Broken image file
        Date: 2020-04-01T11:00-04:00
        Image: images/broken.png

        Body.
        """,
    "news/remote.md": """
        Title: Remote image
        Date: 2020-04-01T12:00-04:00
        Image: https://cdn.example/ferry.jpg

        Body.
        """,
}


def test_publisher_logo_author_url_and_image_sizes(build_site):
    site = build_site(IMAGE_FILES, NEWSROOM_PUBLISHER_LOGO="images/logo.png")
    article = _news_article(site, "night-ferry-photographed.html")
    assert article["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": f"{SITEURL}/images/logo.png",
        "width": 250,
        "height": 60,
    }
    assert article["author"] == [
        {"@type": "Person", "name": "Mara Quint", "url": f"{SITEURL}/author/mara-quint.html"}
    ]
    assert (article["image"]["width"], article["image"]["height"]) == (640, 360)
    doc = _page(site, "night-ferry-photographed")
    assert _meta_property(doc, "og:image:width") == ["640"]
    assert _meta_property(doc, "og:image:height") == ["360"]
    (img,) = doc.xpath("//figure[@class='nr-figure']/img")
    assert (img.get("width"), img.get("height")) == ("640", "360")
    for slug in ("broken-image-file", "remote-image"):  # no size known: none written
        other = _page(site, slug)
        assert _meta_property(other, "og:image:width") == []
        assert other.xpath("//figure/img/@width") == []
        assert "width" not in _news_article(site, f"{slug}.html")["image"]


def test_publisher_logo_from_the_settings_and_no_author_pages(build_site):
    site = build_site(
        IMAGE_FILES,
        NEWSROOM_PUBLISHER_LOGO="https://cdn.example/logo.png",
        NEWSROOM_PUBLISHER_LOGO_WIDTH=600,
        NEWSROOM_PUBLISHER_LOGO_HEIGHT=60,
        AUTHOR_SAVE_AS="",
    )
    article = _news_article(site, "night-ferry-photographed.html")
    assert article["publisher"]["logo"]["width"] == 600
    assert article["publisher"]["logo"]["url"] == "https://cdn.example/logo.png"
    assert article["author"] == [{"@type": "Person", "name": "Mara Quint"}]  # no dead link
    without = build_site(IMAGE_FILES)
    assert "logo" not in _news_article(without, "night-ferry-photographed.html")["publisher"]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("NEWSROOM_PUBLISHER_LOGO", "javascript:alert(1)"),
        ("NEWSROOM_PUBLISHER_LOGO_WIDTH", 0),
        ("NEWSROOM_PUBLISHER_LOGO_HEIGHT", "60"),
        ("NEWSROOM_CORRECTIONS_POLICY", "../../etc/passwd"),
    ],
)
def test_publisher_settings_are_validated(key, value):
    with pytest.raises(NewsroomSettingsError, match=key):
        merged({key: value})


def _meta_property(doc, name: str) -> list[str]:
    return doc.xpath(f"//head/meta[@property='{name}']/@content")


def test_example_site_has_a_correction_and_a_canonical_example(example_site):
    original = "city-council-delays-its-vote-on-the-library-budget.html"
    (item,) = [i for i in _json_ld(example_site, original) if i.get("@type") == "NewsArticle"]
    assert item["correction"][0]["@type"] == "CorrectionComment"
    assert item["publishingPrinciples"].endswith("/pages/about-the-relay-desk.html")
    yaml_story = "port-authority-extends-night-closures-after-storm-damage-survey.html"
    doc = lxml_html.fromstring(example_site.text(yaml_story))
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        "https://harbour-gazette.example/news/night-closures"
    ]


@pytest.mark.browser
def test_corrections_page_passes_nu_checker_and_axe(browser, java_path, corrected):
    """The page with corrections is valid HTML and has no accessibility violations."""
    from tests.test_browser import Served, axe_violations, nu_errors

    pages = [corrected.output / f"{slug}.html" for slug in LATEST]
    assert nu_errors(java_path, pages) == []
    served = Served(browser, corrected, SITEURL)
    try:
        for scheme in ("light", "dark"):
            page = served.open(pages[1].name)
            page.emulate_media(color_scheme=scheme)
            assert page.locator("section.nr-corrections li").count() == 2
            assert axe_violations(page) == [], scheme
    finally:
        served.close()
    assert served.refused == []
