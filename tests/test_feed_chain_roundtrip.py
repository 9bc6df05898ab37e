"""Any chain written into a feed reads back identical: our namespace (RSS, Atom) and JSON Feed."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pelican_newsroom.chain import Hop
from pelican_newsroom.feedext import (
    ATOM_NS,
    FeedItem,
    FeedMeta,
    add_entry,
    hops_from_json,
    hops_from_xml,
    new_feed,
    serialize,
)
from pelican_newsroom.feeds import (
    SpillFile,
    assemble,
    entry_fragment,
    json_feed,
)
from pelican_newsroom.text import clean_text

WHEN = datetime(2020, 3, 23, 7, 54, tzinfo=UTC)

names = st.text(min_size=1, max_size=40).map(clean_text).filter(bool)
urls = st.from_regex(
    r"https://[a-z0-9]{1,12}(\.[a-z0-9]{1,8}){1,2}(/[A-Za-z0-9._~%-]{0,12}){0,3}", fullmatch=True
)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)
dates = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=offsets
)
hops = st.builds(
    Hop,
    name=names,
    url=st.none() | urls,
    feed=st.none() | urls,
    author=st.none() | names,
    date=st.none() | dates,
)
chains = st.lists(hops, min_size=1, max_size=6).map(tuple)


def _item(chain: tuple[Hop, ...]) -> FeedItem:
    return FeedItem(
        id="tag:news.example.org,2020-03-23:news/a.md",
        link="https://news.example.org/a.html",
        title="A story",
        published=WHEN,
        updated=WHEN,
        content="<p>Body</p>",
        hops=chain,
    )


META = FeedMeta(
    "Desk", "https://news.example.org/", "https://news.example.org/feeds/all.xml", "Desk", WHEN
)


@settings(max_examples=60, deadline=None)
@given(chain=chains)
def test_chain_round_trips_through_rss_and_atom_namespace(chain):
    for feed_type, path in (("rss", "channel/item"), ("atom", f"{{{ATOM_NS}}}entry")):
        feed = new_feed(META, feed_type)
        add_entry(feed, _item(chain), feed_type, summary_only=False)
        root = etree.fromstring(serialize(feed, feed_type))
        assert hops_from_xml(root.find(path)) == chain


@settings(max_examples=60, deadline=None)
@given(chain=chains)
def test_chain_round_trips_through_json_feed(chain):
    document = json.loads(json_feed(META, [_item(chain)]))
    assert hops_from_json(document["items"][0]["_newsroom"]) == chain


# Content with everything XML and JSON escape differently: markup, entities, CR, CDATA ends,
# XML-illegal characters (dropped), quotes, backslashes, non-ASCII.
TRICKY = [
    "<",
    ">",
    "&",
    "\ud800",
    "\uffff",
    "\x1f",
    "&amp;",
    '"',
    "'",
    "\\",
    "\r",
    "\r\n",
    "\x00",
    "\x0b",
    "\ufffe",
    "]]>",
    "é",
    "→",
]
contents = (
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=4), max_size=20)
    .map("".join)
    .map(lambda text: f"<p>{text}</p>")
)


def _spliced(items: list[FeedItem], feed_type: str, summary_only: bool) -> bytes:
    """The feed as the writer makes it: entries serialized once, kept in a spill file,
    copied into the feed's shell."""
    spill = SpillFile()
    spans = [spill.put(entry_fragment(item, feed_type, summary_only)) for item in items]
    return assemble(META, feed_type, (spill.get(span) for span in spans))


@settings(max_examples=80, deadline=None)
@given(chain=chains, content=contents, summary=st.none() | contents)
@example(chain=(), content="".join(TRICKY), summary=None)
@example(chain=(), content="".join(TRICKY), summary="".join(TRICKY))
def test_spliced_feeds_equal_feedgen_serialization(chain, content, summary):
    """Entries serialized one by one and spliced into a feed's shell give the same bytes as
    feedgen writing the whole feed (the feed stage relies on it)."""
    items = [replace(_item(chain), content=content, summary=summary), _item(())]
    for feed_type, summary_only in (("rss", False), ("rss", True), ("atom", False)):
        feed = new_feed(META, feed_type)
        for item in items:
            add_entry(feed, item, feed_type, summary_only)
        assert _spliced(items, feed_type, summary_only) == serialize(feed, feed_type)
    document = json.loads(_spliced(items, "json", False))
    expected = [re.sub("[\ud800-\udfff]", "?", i.content) for i in items]  # no UTF-8 for them
    assert [entry["content_html"] for entry in document["items"]] == expected
