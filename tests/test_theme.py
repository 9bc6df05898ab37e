"""Theme and partials: microformats, JSON-LD, head tags, listing pages, escaping.

Every test runs a real build and reads the pages it wrote; the filters and the
JSON-LD builder are tested on plain values in test_render.py, the Sources pages
in test_sources_pages.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import mf2py
import pytest
from lxml import html as lxml_html
from pelican.settings import DEFAULT_CONFIG

SITEURL = "https://news.example.org"
REPOST = "analysts-revisit-the-network-built-by-a-slain-quds-force-commander.html"
YAML_STORY = "port-authority-extends-night-closures-after-storm-damage-survey.html"
ORIGINAL = "city-council-delays-its-vote-on-the-library-budget.html"

#: A small site that is not the example site: reposts, an original, a page, two pages of index.
NEWS_FILES: dict[str, str | bytes] = {
    "news/repost.md": """
        Title: Ferry timetable changes for the winter
        Date: Mon, 03/23/2020 – 07:54
        Author: Ana Ruiz
        Category: Transport
        Tags: ferries, winter
        Via: Island Post <https://island-post.example/ferries>
            Harbour Wire <https://harbour-wire.example/>
        Origin_url: https://island-post.example/ferries/winter-2020
        Image: images/ferry.svg
        Image_alt: A ferry at the pier
        Image_caption: The morning ferry
        Image_credit: Harbour Photo Agency
        Image_credit_url: https://photos.example/
        Image_license: CC BY 4.0

        The winter timetable starts next week.
        """,
    "news/original.md": """
        Title: Library opens on Sundays
        Date: Tue, 03/24/2020 – 10:00
        Author: Ben Okafor
        Category: Local

        Our own reporting.
        """,
    "news/third.md": """
        Title: Market square reopens
        Date: Wed, 03/25/2020 – 09:30
        Author: Ben Okafor
        Category: Local
        Via: Town Crier

        A third story, from a source known only by name.
        """,
    "pages/about.md": """
        Title: About us

        A test newsroom.
        """,
    "images/ferry.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>',
}

#: Metadata that tries every breakout: tags, attribute quotes, </script>, javascript: URLs.
HOSTILE_FILES: dict[str, str | bytes] = {
    "news/hostile.md": """
        Title: Breaking </script><script>alert("title")</script> & "quotes" <img src=x onerror=alert('t')>
        Date: Mon, 03/23/2020 – 07:54
        Author: Eve "><img src=x onerror=alert('author')>
        Category: World
        Tags: <svg onload=alert('tag')>
        Summary: <script>alert('summary')</script> Summary with "quotes" & <b onclick=alert(1)>tags</b>
        Via: Wire </script><b onmouseover=alert('hop')>Evil</b> <https://evil.example/a?b="c"&d='e'>
            Plain "Quoted" 'Source' & Co
        Origin_url: javascript:alert('origin')
        Image: images/x.svg
        Image_caption: </script><script>alert('caption')</script>
        Image_alt: "><script>alert('alt')</script>
        Image_credit: Agency </script> & "Co"
        Image_credit_url: javascript:alert('credit')
        Image_license: <i>odd</i> licence

        Body text.
        """,
    "images/x.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>',
}
HOSTILE_CAPTION = "</script><script>alert('caption')</script>"
HOSTILE_PAGE = "breaking-alerttitle-quotes.html"


def _doc(site, relative: str):
    return lxml_html.fromstring(site.text(relative))


def _json_ld(site, relative: str) -> list[dict]:
    found = extruct.extract(
        site.text(relative), base_url=f"{SITEURL}/{relative}", syntaxes=["json-ld"]
    )
    return found["json-ld"]


def _news_article(site, relative: str) -> dict:
    (article,) = [item for item in _json_ld(site, relative) if item.get("@type") == "NewsArticle"]
    return article


# --- microformats2 -----------------------------------------------------------------------


def test_microformats_recover_the_chain_in_order(example_site):
    parsed = mf2py.parse(doc=example_site.text(YAML_STORY), url=f"{SITEURL}/{YAML_STORY}")
    (entry,) = [item for item in parsed["items"] if "h-entry" in item["type"]]
    hops = entry["properties"]["repost-of"]
    assert [h["properties"]["name"][0] for h in hops] == [
        "Harbour Gazette",
        "Coastal Wire",
        "Continental Briefing",
    ]
    assert all(h["type"] == ["h-cite"] for h in hops)
    assert hops[0]["properties"]["url"] == ["https://harbour-gazette.example/news/night-closures"]
    assert hops[0]["properties"]["author"] == ["Ella Brandt"]
    (published,) = hops[0]["properties"]["published"]
    assert datetime.fromisoformat(published).isoformat() == "2020-04-07T11:00:00+01:00"
    authors = entry["properties"]["author"]
    assert [a["type"] for a in authors] == [["h-card"], ["h-card"]]
    assert [a["properties"]["name"][0] for a in authors] == ["Mara Quint", "Jonas Weller"]
    (published,) = entry["properties"]["published"]
    assert datetime.fromisoformat(published).isoformat() == "2020-04-07T18:30:00+01:00"


def test_original_reporting_has_no_chain(example_site):
    parsed = mf2py.parse(doc=example_site.text(ORIGINAL))
    (entry,) = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert "repost-of" not in entry["properties"]
    assert "isBasedOn" not in _news_article(example_site, ORIGINAL)


# --- JSON-LD ----------------------------------------------------------------------------


def test_json_ld_news_article_of_a_repost(example_site):
    article = _news_article(example_site, REPOST)
    assert article["@context"] == "https://schema.org"
    assert (
        article["headline"] == "Analysts revisit the network built by a slain Quds Force commander"
    )
    assert article["datePublished"] == "2020-03-23T07:54:00-04:00"
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Tyler Durden",
            "url": "http://localhost:8000/author/tyler-durden.html",
        }
    ]
    assert article["publisher"]["@type"] == "Organization"
    image = article["image"]
    assert image["@type"] == "ImageObject"
    assert image["creditText"] == "Getty Images"
    assert image["creator"] == {"@type": "Organization", "name": "Getty Images"}
    assert image["contentUrl"] == "http://localhost:8000/images/commander-placeholder.svg"
    based_on = article["isBasedOn"]
    assert [w["publisher"]["name"] for w in based_on] == ["AlmasdarNews.com", "ZeroHedge News"]
    assert [w["position"] for w in based_on] == [1, 2]
    assert based_on[0]["url"] == "https://www.almasdarnews.com/article/example-commander-network/"


def test_json_ld_licences_and_modified_date(example_site):
    yaml_story = _news_article(example_site, YAML_STORY)
    assert yaml_story["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert yaml_story["dateModified"] == "2020-04-08T09:15:00+01:00"
    assert yaml_story["isBasedOn"][0]["author"] == {"@type": "Person", "name": "Ella Brandt"}
    meadow = _news_article(example_site, "volunteers-map-a-flooded-river-meadow-from-the-air.html")
    assert meadow["image"]["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert meadow["image"]["creator"]["url"] == "https://meadow-watch.example/"


def _terms(data: object) -> set[str]:
    """Every property name and ``@type`` used in a JSON-LD value."""
    if isinstance(data, list):
        return set().union(*(_terms(item) for item in data)) if data else set()
    if not isinstance(data, dict):
        return set()
    found = {key for key in data if not key.startswith("@")}
    found.add(data.get("@type", "Thing"))
    return found.union(*(_terms(value) for value in data.values()))


@pytest.mark.parametrize("page", [REPOST, YAML_STORY, ORIGINAL])
def test_json_ld_uses_only_schema_org_terms(example_site, page):
    """Checked against the schema.org vocabulary rdflib (an extruct dependency) ships."""
    from rdflib.namespace import SDO  # imported here: pytest's collection trips its warnings

    vocabulary = set(SDO.__annotations__)
    assert _terms(_news_article(example_site, page)) - vocabulary == set()


# --- head partial -----------------------------------------------------------------------


def _head(site, relative: str) -> dict[str, list[str]]:
    doc = _doc(site, relative)
    tags: dict[str, list[str]] = {}
    for meta in doc.xpath("//head/meta[@property or @name]"):
        tags.setdefault(meta.get("property") or meta.get("name"), []).append(meta.get("content"))
    tags["canonical"] = doc.xpath("//head/link[@rel='canonical']/@href")
    return tags


def test_head_canonical_opengraph_and_twitter(build_site):
    site = build_site(NEWS_FILES)
    head = _head(site, "ferry-timetable-changes-for-the-winter.html")
    assert head["canonical"] == [f"{SITEURL}/ferry-timetable-changes-for-the-winter.html"]
    assert head["og:url"] == head["canonical"]
    assert head["og:type"] == ["article"]
    assert head["og:image"] == [f"{SITEURL}/images/ferry.svg"]
    assert head["og:image:alt"] == ["A ferry at the pier (Photo: Harbour Photo Agency)"]
    assert head["twitter:card"] == ["summary_large_image"]
    assert head["article:published_time"] == ["2020-03-23T07:54:00-04:00"]
    assert head["article:tag"] == ["ferries", "winter"]
    assert head["robots"] == ["max-image-preview:large"]  # indexable: large previews
    assert "Googlebot-News" not in head


def test_canonical_origin_and_noindex_for_reposts(build_site):
    site = build_site(NEWS_FILES, NEWSROOM_CANONICAL="origin", NEWSROOM_NOINDEX_SYNDICATED=True)
    repost = _head(site, "ferry-timetable-changes-for-the-winter.html")
    assert repost["canonical"] == ["https://island-post.example/ferries/winter-2020"]
    assert repost["robots"] == ["noindex"]
    no_origin_url = _head(site, "market-square-reopens.html")  # a repost without origin_url
    assert no_origin_url["canonical"] == [f"{SITEURL}/market-square-reopens.html"]
    assert no_origin_url["robots"] == ["noindex"]
    original = _head(site, "library-opens-on-sundays.html")
    assert original["canonical"] == [f"{SITEURL}/library-opens-on-sundays.html"]
    assert original["robots"] == ["max-image-preview:large"]


def test_relative_urls_still_give_absolute_canonical_and_json_ld(build_site):
    site = build_site(NEWS_FILES, RELATIVE_URLS=True)
    head = _head(site, "ferry-timetable-changes-for-the-winter.html")
    assert head["canonical"] == [f"{SITEURL}/ferry-timetable-changes-for-the-winter.html"]
    assert _news_article(site, "ferry-timetable-changes-for-the-winter.html")["image"]["url"] == (
        f"{SITEURL}/images/ferry.svg"
    )
    assert 'href="./theme/css/newsroom.css"' in site.text(
        "ferry-timetable-changes-for-the-winter.html"
    )


def test_without_an_absolute_base_absolute_only_fields_are_left_out(build_site):
    site = build_site(NEWS_FILES, SITEURL="", RELATIVE_URLS=True)
    head = _head(site, "ferry-timetable-changes-for-the-winter.html")
    assert head["canonical"] == ["./ferry-timetable-changes-for-the-winter.html"]
    assert "og:url" not in head and "og:image" not in head
    article = _news_article(site, "ferry-timetable-changes-for-the-winter.html")
    assert "url" not in article and "url" not in article["image"]
    assert article["image"]["creditText"] == "Harbour Photo Agency"


# --- listing pages --------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "category/transport.html",
        "tag/ferries.html",
        "author/ana-ruiz.html",
        "archives.html",
        "archives/2020/index.html",
        "sources/harbour-wire-example.html",
    ],
)
def test_listing_pages_mark_reposts_with_their_immediate_source(build_site, page):
    site = build_site(NEWS_FILES, YEAR_ARCHIVE_SAVE_AS="archives/{date:%Y}/index.html")
    doc = _doc(site, page)
    marks = {
        item.xpath("string(.//*[contains(@class,'p-name')])"): item.xpath(
            "normalize-space(.//*[@class='nr-repost-mark'])"
        )
        for item in doc.xpath("//*[contains(concat(' ', @class, ' '), ' h-entry ')]")
    }
    assert marks["Ferry timetable changes for the winter"] == "Via Harbour Wire"
    if "Library opens on Sundays" in marks:
        assert marks["Library opens on Sundays"] == ""
    links = doc.xpath("//*[@class='nr-repost-mark']/a/@href")
    assert f"{SITEURL}/sources/harbour-wire-example.html" in links


def test_index_has_a_lead_story_and_pagination(build_site):
    site = build_site(NEWS_FILES, DEFAULT_PAGINATION=1)
    first = _doc(site, "index.html")
    assert (
        first.xpath("normalize-space(//article[contains(@class,'lead')]//h2)")
        == "Market square reopens"
    )
    assert first.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == [
        f"{SITEURL}/index2.html"
    ]
    second = _doc(site, "index2.html")
    assert not second.xpath("//article[contains(@class,'lead')]")
    assert second.xpath("//nav[@class='pagination']//a[@rel='prev']/@href") == [
        f"{SITEURL}/index.html"
    ]


# --- switches and labels ----------------------------------------------------------------


def test_blocks_switch_off_and_labels_reword(build_site):
    site = build_site(
        NEWS_FILES,
        NEWSROOM_SHOW_ATTRIBUTION=False,
        NEWSROOM_SHOW_FIGURE=False,
        NEWSROOM_SHOW_SOURCE_FOOTER=False,
        NEWSROOM_SHOW_JSONLD=False,
        NEWSROOM_SHOW_OPENGRAPH=False,
        NEWSROOM_SHOW_REPOST_MARK=False,
        NEWSROOM_LABELS={"by": "Von", "updated": "Aktualisiert"},
    )
    page = site.text("ferry-timetable-changes-for-the-winter.html")
    for gone in (
        "nr-attribution",
        "nr-figure",
        "nr-source-footer",
        "application/ld+json",
        "og:title",
    ):
        assert gone not in page
    assert '<p class="nr-byline">Von <a' in page
    assert "nr-repost-mark" not in site.text("index.html")
    hidden = build_site(NEWS_FILES, NEWSROOM_SHOW_BYLINE=False, NEWSROOM_SHOW_TIMESTAMP=False)
    page = hidden.text("ferry-timetable-changes-for-the-winter.html")
    assert "nr-byline" not in page and "nr-timestamp" not in page


# --- any theme ----------------------------------------------------------------------------


def test_default_theme_with_a_one_line_include_shows_the_chain(build_site, tmp_path):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text(
        '{% extends "!theme/article.html" %}{% block content %}{{ super() }}'
        '{% include "newsroom/attribution.html" %}{% endblock %}',
        encoding="utf-8",
    )
    site = build_site(
        NEWS_FILES,
        THEME=DEFAULT_CONFIG["THEME"],
        THEME_TEMPLATES_OVERRIDES=[str(overrides)],
    )
    page = site.text("ferry-timetable-changes-for-the-winter.html")
    assert "notmyidea" in DEFAULT_CONFIG["THEME"]
    assert "/theme/css/main.css" in page  # Pelican's default theme, not ours
    cites = [item for item in mf2py.parse(doc=page)["items"] if item["type"] == ["h-cite"]]
    assert [c["properties"]["name"][0] for c in cites] == ["Island Post", "Harbour Wire"]
    # The Sources pages fall back to the bundled templates inside the default theme's base.html.
    assert "Town Crier" in site.text("sources.html")
    assert "/theme/css/main.css" in site.text("sources.html")


# --- escaping ---------------------------------------------------------------------------


def _unsafe(doc) -> list[str]:
    """Everything in a parsed page that could run script."""
    found = [
        f"<script type={s.get('type')!r}>"
        for s in doc.iter("script")
        if s.get("type") != "application/ld+json"
    ]
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}>")
            directives = (element.get("name") or "").lower() in {"robots", "googlebot-news"}
            if name == "content" and directives:  # "max-image-preview:large" is no URL
                continue
            if name in {"href", "src", "content"} and urlsplit(value.strip()).scheme not in {
                "",
                "http",
                "https",
            }:
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def test_hostile_metadata_is_escaped_in_every_context(build_site):
    site = build_site({**HOSTILE_FILES, **NEWS_FILES}, NEWSROOM_STRICT=False)
    fields = {(Path(p.file).name, p.field) for p in site.problems}
    assert {("hostile.md", "origin_url"), ("hostile.md", "image_credit_url")} <= fields
    for page in site.pages():
        text = page.read_text(encoding="utf-8")
        assert _unsafe(lxml_html.fromstring(text)) == [], page.name
        assert "javascript:" not in text, page.name
    article = _news_article(site, HOSTILE_PAGE)  # the JSON-LD still parses
    assert article["image"]["caption"] == HOSTILE_CAPTION
    assert article["image"]["creditText"] == 'Agency </script> & "Co"'
    assert article["isBasedOn"][0]["publisher"]["name"].startswith("Wire </script><b onmouseover")
    # the model stores URLs percent-encoded: a '"' is not a URL character (RFC 3986)
    assert article["isBasedOn"][0]["url"] == "https://evil.example/a?b=%22c%22&d='e'"
    doc = _doc(site, HOSTILE_PAGE)
    assert doc.xpath("string(//figcaption/*[@class='nr-caption'])") == HOSTILE_CAPTION
    assert doc.xpath("//img[contains(@class,'u-photo')]/@alt") == [
        "\"><script>alert('alt')</script>"
    ]
    footer = doc.xpath("string(//p[@class='nr-source-footer'])")
    assert (
        footer == "via Plain \"Quoted\" 'Source' & Co · Eve \"><img src=x onerror=alert('author')>"
    )


def test_source_footer_follows_the_setting(build_site):
    site = build_site(NEWS_FILES, NEWSROOM_FOOTER="Reposted from {source} ({author}).")
    doc = _doc(site, "ferry-timetable-changes-for-the-winter.html")
    footer = doc.xpath("//p[@class='nr-source-footer']")[0]
    assert footer.text_content() == "Reposted from Harbour Wire (Ana Ruiz)."
    assert footer.xpath("a/@href") == ["https://harbour-wire.example/"]
    plain = build_site(NEWS_FILES)
    footer = _doc(plain, "market-square-reopens.html").xpath(
        "string(//p[@class='nr-source-footer'])"
    )
    assert footer == "via Town Crier · Ben Okafor"  # no URL: its placeholder and spacing vanish
