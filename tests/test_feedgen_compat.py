"""feedgen's known problems, each worked around in ``feedgen_compat``: checked on the XML written."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pelican_newsroom.chain import Hop
from pelican_newsroom.feed_item import FeedItem
from pelican_newsroom.feedgen_compat import (
    add_entry,
    entry_fragment,
    new_feed,
    serialize,
    xml_document,
)
from pelican_newsroom.model import Image
from pelican_newsroom.newsroom_ns import ATOM_NS, MEDIA_NS
from pelican_newsroom.text import strip_xml_illegal
from tests.feed_samples import META, sample_item

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _written(items: list[FeedItem], feed_type: str, summary_only: bool = False) -> bytes:
    """The feed as the writer makes it: each entry serialized alone, spliced into the shell."""
    fragments = [entry_fragment(item, feed_type, summary_only) for item in items]
    return xml_document(META, feed_type, fragments)


def _root(items: list[FeedItem], feed_type: str, summary_only: bool = False) -> etree._Element:
    return etree.fromstring(_written(items, feed_type, summary_only))


# Content with everything XML escapes or forbids: markup, entities, CR, CDATA ends,
# XML-illegal characters (dropped), quotes, non-ASCII.
TRICKY = ["<", ">", "&", "\ud800", "\uffff", "\x1f", "&amp;", '"', "'", "\r", "\x00", "\x0b"]
TRICKY += ["\ufffe", "]]>", "é", "→"]
contents = (
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=4), max_size=20)
    .map("".join)
    .map(lambda text: f"<p>{text}</p>")
)


@settings(max_examples=80, deadline=None)
@given(content=contents)
@example(content="".join(TRICKY))
def test_any_content_gives_well_formed_feeds_without_xml_illegal_characters(content):
    """Entries spliced into a feed's shell give feedgen's own bytes for the whole feed
    (the feed stage relies on it), and the text survives but for what XML forbids."""
    items = [sample_item(1, content=content, summary=content), sample_item(2)]
    for feed_type, summary_only in (("rss", False), ("rss", True), ("atom", False)):
        feed = new_feed(META, feed_type)
        for item in items:
            add_entry(feed, item, feed_type, summary_only)
        assert _written(items, feed_type, summary_only) == serialize(feed, feed_type)
    expected = strip_xml_illegal(content)
    rss = _root([sample_item(1, content=content)], "rss")
    assert rss.find("channel/item").findtext(CONTENT) == expected
    atom = _root([sample_item(1, content=content)], "atom")
    assert atom.find(f"{{{ATOM_NS}}}entry").findtext(f"{{{ATOM_NS}}}content") == expected


@pytest.mark.parametrize("feed_type", ["rss", "atom"])
def test_entries_keep_their_order_and_dates_come_from_the_content(feed_type):
    """feedgen prepends entries and dates feeds and entries with the build clock."""
    items = [sample_item(1), sample_item(2), sample_item(3)]
    root = _root(items, feed_type)
    if feed_type == "rss":
        assert [e.findtext("title") for e in root.iterfind("channel/item")] == [
            "Story 1",
            "Story 2",
            "Story 3",
        ]
        assert root.findtext("channel/lastBuildDate") == "Mon, 23 Mar 2020 07:54:00 +0000"
    else:
        entries = root.findall(f"{{{ATOM_NS}}}entry")
        assert [e.findtext(f"{{{ATOM_NS}}}title") for e in entries] == [
            "Story 1",
            "Story 2",
            "Story 3",
        ]
        assert {e.findtext(f"{{{ATOM_NS}}}updated") for e in entries} == {
            "2020-03-23T07:54:00+00:00"
        }
        assert root.findtext(f"{{{ATOM_NS}}}updated") == "2020-03-23T07:54:00+00:00"


def test_rss_guid_is_a_permalink_only_when_the_id_is_the_link_and_the_channel_link_is_the_site():
    root = _root([sample_item(1), sample_item(2, id="https://news.example.org/2.html")], "rss")
    guids = root.findall("channel/item/guid")
    assert [g.get("isPermaLink") for g in guids] == ["false", "true"]
    assert root.findtext("channel/link") == "https://news.example.org/"


@pytest.mark.parametrize("feed_type", ["rss", "atom"])
def test_hub_links_are_atom_links_not_the_channel_link(feed_type):
    """lkiesow/python-feedgen#122: a hub given to feedgen becomes the RSS channel link."""
    root = _root([sample_item(1)], feed_type)
    hubs = root.findall(f".//{{{ATOM_NS}}}link[@rel='hub']")
    assert [link.get("href") for link in hubs] == ["https://hub.example/"]
    if feed_type == "rss":
        assert root.findtext("channel/link") == "https://news.example.org/"


def test_atom_entry_links_keep_rel_type_and_length_and_source_is_full():
    """lkiesow/python-feedgen#135 (links lose rel/type/length) and #80 (thin source)."""
    image = Image("https://news.example.org/a.jpg", "alt", media_type="image/jpeg", length=1234)
    source = Hop("Wire", "https://wire.example/a", "https://wire.example/feed.xml")
    root = _root([sample_item(1, image=image, hops=(source,))], "atom")
    entry = root.find(f"{{{ATOM_NS}}}entry")
    links = {link.get("rel"): link.attrib for link in entry.iterfind(f"{{{ATOM_NS}}}link")}
    assert links["alternate"]["type"] == "text/html"
    assert links["via"]["href"] == "https://wire.example/a"
    assert links["enclosure"]["length"] == "1234"
    assert links["enclosure"]["type"] == "image/jpeg"
    assert entry.findtext(f"{{{ATOM_NS}}}source/{{{ATOM_NS}}}id") == source.feed
    assert entry.find(f"{{{MEDIA_NS}}}content").get("fileSize") == "1234"


def test_rss_source_has_its_title_and_an_enclosure_needs_type_and_size():
    source = Hop("Wire", "https://wire.example/a", "https://wire.example/feed.xml")
    unsized = Image("https://news.example.org/a.jpg", "alt", media_type="image/jpeg")
    item = _root([sample_item(1, image=unsized, hops=(source,))], "rss").find("channel/item")
    assert (item.findtext("source"), item.find("source").get("url")) == ("Wire", source.feed)
    assert item.find("enclosure") is None
    assert item.find(f"{{{MEDIA_NS}}}content").get("url") == unsized.src
