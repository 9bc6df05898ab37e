"""Any chain written into a feed reads back identical: our namespace (RSS, Atom) and JSON Feed."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pelican_newsroom.chain import Hop
from pelican_newsroom.errors import NewsroomError
from pelican_newsroom.feedgen_compat import add_entry, new_feed, serialize
from pelican_newsroom.jsonfeed import json_document, json_entry
from pelican_newsroom.model import Image, License
from pelican_newsroom.newsroom_ns import (
    ATOM_NS,
    NEWSROOM_NS,
    chain_element,
    hops_from_json,
    hops_from_xml,
    json_extension,
)
from pelican_newsroom.text import clean_text
from tests.feed_samples import META, sample_item

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


@settings(max_examples=60, deadline=None)
@given(chain=chains)
def test_chain_round_trips_through_rss_and_atom_namespace(chain):
    for feed_type, path in (("rss", "channel/item"), ("atom", f"{{{ATOM_NS}}}entry")):
        feed = new_feed(META, feed_type)
        add_entry(feed, sample_item(hops=chain), feed_type, summary_only=False)
        root = etree.fromstring(serialize(feed, feed_type))
        assert hops_from_xml(root.find(path)) == chain


@settings(max_examples=60, deadline=None)
@given(chain=chains)
def test_chain_round_trips_through_json_feed(chain):
    document = json.loads(json_document(META, [json_entry(sample_item(hops=chain))]))
    assert hops_from_json(document["items"][0]["_newsroom"]) == chain


def test_hop_feed_is_written_feed_url_and_read_back_as_feed():
    """``feedUrl``, not ``feed``: sniffers take any ``<…:feed>`` for an Atom root."""
    hop = Hop("Wire", "https://wire.example/", "https://wire.example/feed.xml")
    parent = etree.Element("item")
    chain = chain_element((hop,), parent)
    assert [etree.QName(e).localname for e in chain[0]] == ["name", "url", "feedUrl"]
    assert hops_from_xml(parent) == (hop,)


def test_no_chain_reads_as_no_hops_and_a_bad_json_chain_raises():
    assert hops_from_xml(etree.Element("item")) == ()
    with pytest.raises(NewsroomError):
        hops_from_json({"chain": "Wire"})
    with pytest.raises(NewsroomError):
        hops_from_json({"chain": ["Wire"]})


def test_json_extension_leaves_out_empty_keys():
    image = Image(
        "https://news.example.org/a.jpg",
        "alt",
        caption="Cranes",
        license=License("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    )
    assert json_extension((), None, None) == {"about": NEWSROOM_NS}
    assert json_extension((Hop("Wire"),), "https://origin.example/a", image) == {
        "about": NEWSROOM_NS,
        "chain": [{"name": "Wire"}],
        "origin_url": "https://origin.example/a",
        "image": {"url": image.src, "caption": "Cranes", "license": "CC BY 4.0"},
    }
