"""Feeds: every feed is parsed with feedparser and lxml, and checked item by item."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree
from pelican.writers import FileOverwriteFailedError

from pelican_newsroom.chain import Hop
from pelican_newsroom.feedext import (
    ATOM_NS,
    DC_NS,
    MEDIA_NS,
    NEWSROOM_NS,
    hops_from_json,
    hops_from_xml,
)

SITE = "https://news.example.org"
PHOTO = b"\xff\xd8\xff\xe0" + b"0" * 60  # enough of a JPEG for a file size

REPOST = """\
---
title: Dockworkers end a two-day strike
date: Tue, 04/07/2020 – 18:30 +0100
modified: 2020-04-08T09:15:00+01:00
authors:
  - Mara Quint
  - Jonas Weller
category: Europe
tags: [shipping, labour]
via:
  - name: Harbour Gazette
    url: https://harbour-gazette.example/news/strike
    author: Ella Brandt
    date: Tue, 04/07/2020 – 11:00 +0100
  - name: Coastal Wire
    url: https://coastal-wire.example/stories/1234
    feed: https://coastal-wire.example/feed.xml
origin_url: https://harbour-gazette.example/news/strike
image: images/dock.jpg
image_caption: Cranes idle at the container terminal
image_credit: Gazette Photo Desk
image_license: CC BY 4.0
license: CC BY-SA 4.0
summary: The strike is over after two days.
---
Workers returned on Thursday, [details](/pages/about.html).
"""

ORIGINAL = """\
Title: Council delays the library vote
Date: 2020-03-20 10:00
Author: Ana Ruiz
Category: Local
Tags: council

Our own reporting, written here first.
"""

EXPECTED_CHAIN = (
    Hop(
        "Harbour Gazette",
        "https://harbour-gazette.example/news/strike",
        author="Ella Brandt",
        date=datetime(2020, 4, 7, 11, 0, tzinfo=timezone(timedelta(hours=1))),
    ),
    Hop(
        "Coastal Wire",
        "https://coastal-wire.example/stories/1234",
        "https://coastal-wire.example/feed.xml",
    ),
)

FEED_SETTINGS: dict[str, Any] = {
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/{slug}.rss.xml",
    "TAG_FEED_RSS": "feeds/tag/{slug}.rss.xml",
    "NEWSROOM_TAG_FEED_JSON": "feeds/tag/{slug}.json",
    "AUTHOR_FEED_ATOM": "feeds/author/{slug}.atom.xml",
    "NEWSROOM_AUTHOR_FEED_JSON": "feeds/author/{slug}.json",
}


def _files(**extra: str | bytes) -> dict[str, str | bytes]:
    return {
        "news/repost.md": REPOST,
        "news/original.md": ORIGINAL,
        "images/dock.jpg": PHOTO,
        **extra,
    }


@pytest.fixture
def site(build_site):
    return build_site(_files(), **FEED_SETTINGS)


def feed_files(output: Path) -> list[Path]:
    return sorted(p for p in (output / "feeds").rglob("*") if p.is_file())


def xml_item(path: Path, index: int = 0) -> etree._Element:
    root = etree.parse(str(path)).getroot()
    items = root.findall("channel/item") or root.findall(f"{{{ATOM_NS}}}entry")
    return items[index]


def test_every_feed_is_written_where_pelican_would_write_it(site):
    names = {str(p.relative_to(site.output / "feeds")) for p in feed_files(site.output)}
    assert {
        "all.atom.xml",
        "all.rss.xml",
        "all.json",
        "europe.atom.xml",
        "europe.rss.xml",
        "europe.json",
        "tag/shipping.rss.xml",
        "tag/shipping.json",
        "author/mara-quint.atom.xml",
        "author/mara-quint.json",
        "source/harbour-gazette-example.rss.xml",
        "source/harbour-gazette-example.atom.xml",
        "source/coastal-wire-example.json",
    } <= names
    assert not list((site.output / "feeds").rglob(".newsroom-*")), "temporary files left behind"


def test_every_xml_feed_parses_with_feedparser_and_lxml(site):
    xml_feeds = [p for p in feed_files(site.output) if p.suffix == ".xml"]
    assert len(xml_feeds) >= 10
    for path in xml_feeds:
        etree.parse(str(path))  # well-formed, or raises
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries
        assert parsed.feed.generator == "pelican-newsroom"  # ours, not Pelican's feedgenerator


@pytest.mark.parametrize("name", ["all.rss.xml", "all.atom.xml"])
def test_feedparser_sees_authors_image_credit_and_immediate_source(site, name):
    entry = feedparser.parse((site.output / "feeds" / name).read_bytes()).entries[0]
    assert [a["name"] for a in entry.authors] == ["Mara Quint", "Jonas Weller"]
    assert entry.media_content[0]["url"] == f"{SITE}/images/dock.jpg"
    assert entry.media_credit[0]["content"] == "Gazette Photo Desk"
    if name.endswith("rss.xml"):
        assert entry.source == {
            "href": "https://coastal-wire.example/feed.xml",
            "title": "Coastal Wire",
        }
    else:
        assert entry.source["title"] == "Coastal Wire"
        assert entry.source["links"][0]["href"] == "https://coastal-wire.example/stories/1234"
    via = [link for link in entry.links if link.get("rel") == "via"]
    assert via and via[0]["href"] == "https://coastal-wire.example/stories/1234"


def test_rss_item_carries_the_standard_chain_elements(site):
    item = xml_item(site.output / "feeds" / "all.rss.xml")
    guid = item.find("guid")
    assert (
        guid.get("isPermaLink") == "false"
        # Pelican's own id: feedgenerator.get_tag_uri(link, date)
        and guid.text == "tag:news.example.org,2020-04-07:/dockworkers-end-a-two-day-strike.html"
    )
    assert item.find("source").get("url") == "https://coastal-wire.example/feed.xml"
    assert (
        item.find(f"{{{ATOM_NS}}}link[@rel='via']").get("href")
        == "https://coastal-wire.example/stories/1234"
    )
    assert item.findtext(f"{{{DC_NS}}}source") == "https://harbour-gazette.example/news/strike"
    assert (
        item.findtext(f"{{{DC_NS}}}rights")
        == "CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
    )
    assert [e.text for e in item.findall(f"{{{DC_NS}}}creator")] == ["Mara Quint", "Jonas Weller"]
    assert [e.text for e in item.findall("category")] == ["Europe", "shipping", "labour"]
    media = item.find(f"{{{MEDIA_NS}}}content")
    assert media.findtext(f"{{{MEDIA_NS}}}title") == "Cranes idle at the container terminal"
    assert (
        media.find(f"{{{MEDIA_NS}}}copyright").get("url")
        == "https://creativecommons.org/licenses/by/4.0/"
    )
    assert item.find(f"{{{MEDIA_NS}}}description") is None
    enclosure = item.find("enclosure")
    assert (enclosure.get("type"), enclosure.get("length")) == ("image/jpeg", str(len(PHOTO)))
    assert hops_from_xml(item) == EXPECTED_CHAIN


def test_atom_entry_keeps_link_rel_and_type_and_a_full_source(site):
    entry = xml_item(site.output / "feeds" / "all.atom.xml")
    links = {link.get("rel"): link for link in entry.findall(f"{{{ATOM_NS}}}link")}
    assert links["alternate"].get("type") == "text/html"
    assert links["alternate"].get("href") == f"{SITE}/dockworkers-end-a-two-day-strike.html"
    assert links["via"].get("href") == "https://coastal-wire.example/stories/1234"
    assert links["related"].get("href") == "https://harbour-gazette.example/news/strike"
    assert links["enclosure"].get("length") == str(len(PHOTO))
    source = entry.find(f"{{{ATOM_NS}}}source")
    assert source.findtext(f"{{{ATOM_NS}}}id") == "https://coastal-wire.example/feed.xml"
    assert (
        source.find(f"{{{ATOM_NS}}}link[@rel='self']").get("href")
        == "https://coastal-wire.example/feed.xml"
    )
    assert entry.findtext(f"{{{ATOM_NS}}}rights").startswith("CC BY-SA 4.0")
    assert entry.findtext(f"{{{ATOM_NS}}}updated") == "2020-04-08T09:15:00+01:00"
    assert entry.findtext(f"{{{ATOM_NS}}}published") == "2020-04-07T18:30:00+01:00"
    assert [a.findtext(f"{{{ATOM_NS}}}name") for a in entry.findall(f"{{{ATOM_NS}}}author")] == [
        "Mara Quint",
        "Jonas Weller",
    ]
    assert hops_from_xml(entry) == EXPECTED_CHAIN


def test_content_is_absolute_and_ends_with_the_source_footer(site):
    entry = feedparser.parse((site.output / "feeds" / "all.atom.xml").read_bytes()).entries[0]
    html = entry.content[0]["value"]
    assert f'href="{SITE}/pages/about.html"' in html
    assert html.rstrip().endswith("</p>") and "newsroom-source-footer" in html
    assert "Coastal Wire" in html.split("newsroom-source-footer")[1]


def test_rss_summary_only_follows_pelican_setting(build_site):
    summary_only = build_site(_files())  # Pelican's default: RSS_FEED_SUMMARY_ONLY = True
    item = xml_item(summary_only.output / "feeds" / "all.rss.xml")
    assert "two days" in item.findtext("description")
    assert item.find("{http://purl.org/rss/1.0/modules/content/}encoded") is None
    full = build_site(_files(), RSS_FEED_SUMMARY_ONLY=False)
    item = xml_item(full.output / "feeds" / "all.rss.xml")
    assert "Workers returned" in item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")


def _check_json_feed(document: dict[str, Any]) -> None:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): required keys and types, no nulls."""
    strings = {"title", "home_page_url", "feed_url", "description", "language"}
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(document["title"], str) and isinstance(document["items"], list)
    assert all(isinstance(document[k], str) for k in strings & document.keys())
    item_strings = {"id", "url", "external_url", "title", "content_html", "summary", "image"}
    item_strings |= {"date_published", "date_modified", "language"}
    ids = [item["id"] for item in document["items"]]
    assert len(set(ids)) == len(ids)
    for item in document["items"]:
        assert isinstance(item["id"], str) and isinstance(item["content_html"], str)
        assert all(isinstance(item[k], str) for k in item_strings & item.keys())
        assert all(k in item_strings | {"authors", "tags"} or k.startswith("_") for k in item)
        assert all(isinstance(a["name"], str) for a in item.get("authors", []))
        for key in ("date_published", "date_modified"):
            assert datetime.fromisoformat(item[key]).tzinfo is not None
        assert None not in item.values()


def test_json_feed_is_valid_and_carries_the_newsroom_object(site):
    document = json.loads((site.output / "feeds" / "all.json").read_text(encoding="utf-8"))
    _check_json_feed(document)
    item = document["items"][0]
    assert item["external_url"] == "https://harbour-gazette.example/news/strike"
    assert item["authors"] == [{"name": "Mara Quint"}, {"name": "Jonas Weller"}]
    assert item["image"] == f"{SITE}/images/dock.jpg"
    extension = item["_newsroom"]
    assert extension["about"] == NEWSROOM_NS
    assert extension["image"] == {
        "url": f"{SITE}/images/dock.jpg",
        "caption": "Cranes idle at the container terminal",
        "credit": "Gazette Photo Desk",
        "license": "CC BY 4.0",
    }
    assert hops_from_json(extension) == EXPECTED_CHAIN
    original = document["items"][1]
    assert "chain" not in original["_newsroom"] and "external_url" not in original


def test_per_source_feeds_hold_the_articles_through_that_source(site):
    parsed = feedparser.parse(
        (site.output / "feeds/source/harbour-gazette-example.rss.xml").read_bytes()
    )
    assert [e.title for e in parsed.entries] == ["Dockworkers end a two-day strike"]
    assert parsed.feed.title == "Test Desk - via Harbour Gazette"
    assert parsed.feed.link == f"{SITE}/"
    self_link = next(link for link in parsed.feed.links if link.rel == "self")
    assert self_link.href == f"{SITE}/feeds/source/harbour-gazette-example.rss.xml"


def test_channel_date_is_the_newest_item_not_the_build_clock(site):
    rss = etree.parse(str(site.output / "feeds" / "all.rss.xml")).getroot()
    assert rss.findtext("channel/lastBuildDate") == "Wed, 08 Apr 2020 09:15:00 +0100"
    atom = etree.parse(str(site.output / "feeds" / "local.atom.xml")).getroot()
    assert atom.findtext(f"{{{ATOM_NS}}}updated") == "2020-03-20T10:00:00-04:00"


def test_two_builds_give_byte_identical_feeds(build_site):
    first = build_site(_files(), **FEED_SETTINGS)
    second = build_site(_files(), **FEED_SETTINGS)
    paths = [p.relative_to(first.output) for p in feed_files(first.output)]
    assert paths == [p.relative_to(second.output) for p in feed_files(second.output)]
    for path in paths:
        assert (first.output / path).read_bytes() == (second.output / path).read_bytes(), path


def _ids(output: Path) -> list[str]:
    return [
        e.id for e in feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes()).entries
    ]


def _with(metadata: str, text: str = ORIGINAL) -> dict[str, str | bytes]:
    """``news/original.md`` with ``metadata`` lines added to its header."""
    return {"news/original.md": text.replace("Tags: council\n", f"Tags: council\n{metadata}")}


def test_ids_are_pelicans_and_a_guid_pins_them(build_site):
    before = _ids(build_site({"news/original.md": ORIGINAL}).output)
    # Pelican's id: tag:{host},{date}:{link path}, so a blog keeps its ids when it adopts the plugin.
    assert before == ["tag:news.example.org,2020-03-20:/council-delays-the-library-vote.html"]
    retitled = ORIGINAL.replace("Council delays the library vote", "Council postpones vote")
    same_slug = _with("Slug: council-delays-the-library-vote\n", retitled)
    assert _ids(build_site(same_slug).output) == before
    moved = _ids(build_site(_with("Slug: library-vote\n")).output)
    assert moved == ["tag:news.example.org,2020-03-20:/library-vote.html"]  # a new URL, a new id
    # Pinning the current id with `guid` first keeps it through the move.
    pinned = _with(f"Guid: {before[0]}\nSlug: library-vote\n")
    assert _ids(build_site(pinned).output) == before
    site = build_site(_with("Guid: https://old.example/p/42\n"))
    assert _ids(site.output) == ["https://old.example/p/42"]
    guid = xml_item(site.output / "feeds" / "all.rss.xml").find("guid")
    assert guid.get("isPermaLink") == "false"  # a URL, but not this item's page
    site = build_site(_with("Guid: legacy 42\n"))
    assert _ids(site.output) == ["tag:news.example.org,2020-03-20:guid/legacy%2042"]


def test_drafts_and_hidden_articles_never_reach_a_feed(build_site):
    draft = ORIGINAL.replace("Council delays", "Draft story").replace(
        "Tags: council\n", "Status: draft\n"
    )
    hidden = ORIGINAL.replace("Council delays", "Hidden story").replace(
        "Tags: council\n", "Status: hidden\n"
    )
    site = build_site(_files(**{"news/draft.md": draft, "news/hidden.md": hidden}))
    for path in feed_files(site.output):
        text = path.read_text(encoding="utf-8")
        assert "Draft story" not in text and "Hidden story" not in text, path


def _item_count(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_text(encoding="utf-8"))["items"])
    return len(feedparser.parse(path.read_bytes()).entries)


def test_feed_max_items_caps_every_feed(build_site):
    """All, category, tag, author and per-source feeds, in every format: newest item only."""
    follow_up = REPOST.replace("Dockworkers end a two-day strike", "Dockworkers return to work")
    follow_up = follow_up.replace("2020-04-08T09:15", "2020-04-09T09:15")
    follow_up = follow_up.replace("Tue, 04/07", "Wed, 04/08")
    site = build_site(_files(**{"news/follow-up.md": follow_up}), **FEED_SETTINGS, FEED_MAX_ITEMS=1)
    counts = {
        str(path.relative_to(site.output / "feeds")): _item_count(path)
        for path in feed_files(site.output)
    }
    assert {"europe.rss.xml", "europe.json", "source/coastal-wire-example.atom.xml"} <= set(counts)
    assert counts == dict.fromkeys(counts, 1)
    source = json.loads((site.output / "feeds/source/coastal-wire-example.json").read_bytes())
    assert [item["title"] for item in source["items"]] == ["Dockworkers return to work"]


def test_feed_domain_and_disabled_families(build_site):
    site = build_site(
        _files(),
        FEED_DOMAIN="https://feeds.example.net",
        NEWSROOM_FEED_ALL_JSON=None,
        NEWSROOM_SOURCE_FEED_ATOM=None,
    )
    assert not (site.output / "feeds" / "all.json").exists()
    assert not list((site.output / "feeds" / "source").glob("*.atom.xml"))
    parsed = feedparser.parse((site.output / "feeds" / "all.atom.xml").read_bytes())
    self_link = next(link for link in parsed.feed.links if link.rel == "self")
    assert self_link.href == "https://feeds.example.net/feeds/all.atom.xml"


def test_hostile_text_gives_well_formed_feeds(build_site):
    hostile = ORIGINAL.replace(
        "Council delays the library vote", "Vote ]]> <script>alert(1)</script> & \x0b bell\x07"
    ).replace("Our own reporting", "Body with \x0c form feed and ]]> and &amp; entity")
    site = build_site({"news/original.md": hostile}, NEWSROOM_STRICT=False)
    for path in feed_files(site.output):
        if path.suffix == ".xml":
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, (path, parsed.get("bozo_exception"))
            assert "<script>" not in parsed.entries[0].title
        else:
            json.loads(path.read_text(encoding="utf-8"))


def test_pages_advertise_their_feeds(site):
    head = site.text("index.html").split("</head>")[0]
    for path, kind in [
        ("feeds/all.atom.xml", "application/atom+xml"),
        ("feeds/all.rss.xml", "application/rss+xml"),
        ("feeds/all.json", "application/feed+json"),
    ]:
        assert f'<link rel="alternate" type="{kind}" href="{SITE}/{path}"' in head
    article = site.text("dockworkers-end-a-two-day-strike.html").split("</head>")[0]
    assert f'href="{SITE}/feeds/europe.rss.xml"' in article
    assert f'href="{SITE}/feeds/source/coastal-wire-example.atom.xml"' in article


def test_translation_feeds_carry_their_language(build_site):
    french = ORIGINAL.replace("Council delays the library vote", "Le conseil reporte le vote")
    french = french.replace(
        "Tags: council\n",
        "Tags: council\nLang: fr\nSlug: council-delays-the-library-vote\nLicense: CC BY 4.0\n",
    )  # one of our keys: a blog that uses none gets no JSON Feed (test_adoption.py)
    site = build_site(
        {"news/original.md": ORIGINAL, "news/original-fr.md": french},
        TRANSLATION_FEED_ATOM="feeds/all-{lang}.atom.xml",
        NEWSROOM_TRANSLATION_FEED_JSON="feeds/all-{lang}.json",
    )
    atom = etree.parse(str(site.output / "feeds" / "all-fr.atom.xml")).getroot()
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    document = json.loads((site.output / "feeds" / "all-fr.json").read_text(encoding="utf-8"))
    assert document["language"] == "fr"
    assert [item["title"] for item in document["items"]] == ["Le conseil reporte le vote"]


def test_a_path_is_never_written_twice(build_site):
    with pytest.raises(FileOverwriteFailedError, match=r"all\.atom\.xml"):
        build_site(_files(), NEWSROOM_FEED_ALL_JSON="feeds/all.atom.xml")
