"""Pelican's feed signals with our feedgen writer: receivers connected here, real builds.

Receivers are module-level functions (blinker holds them weakly) and are
disconnected after each test: signals are process-wide.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

import feedparser
import pytest
from blinker import Signal
from feedgenerator import Atom1Feed, Rss201rev2Feed
from lxml import etree
from pelican.plugins import signals

from pelican_newsroom.newsroom_ns import NEWSROOM_NS, hops_from_xml

FOOTER = "<p>Footer added by another plugin</p>"

ARTICLES = {
    "repost.md": """\
        ---
        title: Ferries resume after the strike
        date: Mon, 03/23/2020 – 07:54
        author: Tyler Durden
        via:
          - Coastal Wire <https://coastal-wire.example/stories/1>
          - name: Relay Desk
            url: https://relay.example/s/1
        ---
        The ferries run again.
        """,
    "skipped.md": """\
        Title: Sponsored: buy a boat
        Date: 2020-03-22 09:00
        Author: Ad Desk

        Not news.
        """,
}


def footer_receiver(context: dict[str, Any], feed: Any) -> None:
    """Like a content-footer plugin: appends to the full text, where Pelican's writer puts it."""
    for item in feed.items:
        key = "description" if isinstance(feed, Rss201rev2Feed) else "content"
        item[key] = (item[key] or "") + FOOTER


def filter_receiver(context: dict[str, Any], feed: Any) -> None:
    """Like a feed-filter plugin: drops items, keeps the order of the rest."""
    feed.items = [item for item in feed.items if not item["title"].startswith("Sponsored")]


def enclosure_receiver(context: dict[str, Any], feed: Any) -> None:
    """Changes a field our feeds have no place for."""
    for item in feed.items:
        item["comments"] = "https://comments.example/"


SEEN: list[tuple[str, type, int]] = []


def written_receiver(path: str, context: dict[str, Any], feed: Any) -> None:
    """Like a ``touch``/stylesheet plugin: reads the object and the file, changes neither."""
    SEEN.append((Path(path).name, type(feed), len(feed.items)))


def rewriting_receiver(path: str, context: dict[str, Any], feed: Any) -> None:
    """Like an icon-adding plugin: rewrites the file from the feedgenerator object."""
    with open(path, "w", encoding="utf-8") as handle:
        feed.write(handle, "utf-8")


@contextmanager
def connected(signal: Signal, receiver: Callable[..., None]) -> Iterator[None]:
    signal.connect(receiver)
    try:
        yield
    finally:
        signal.disconnect(receiver)


def _feeds(build_site: Callable[..., Any]) -> Any:
    return build_site(
        ARTICLES,
        NEWSROOM_FEED_ALL_JSON="feeds/all.json",
        AUTHOR_FEED_ATOM="feeds/{slug}.atom.xml",
    )


def _chains(path: Path) -> list[list[str]]:
    root = etree.parse(str(path)).getroot()
    items = root.iter("item", "{http://www.w3.org/2005/Atom}entry")
    chains = []
    for item in items:
        element = item.find(f"{{{NEWSROOM_NS}}}chain")
        chains.append([hop.name for hop in hops_from_xml(element)] if element is not None else [])
    return chains


def test_feed_generated_receiver_changes_reach_every_feed_and_the_chain_stays(build_site):
    with connected(signals.feed_generated, footer_receiver):
        site = _feeds(build_site)
    for name in ("all.rss.xml", "all.atom.xml"):
        parsed = feedparser.parse(str(site.output / "feeds" / name))
        assert not parsed.bozo, name
        assert len(parsed.entries) == 2
        for entry in parsed.entries:  # RSS: the description (RSS_FEED_SUMMARY_ONLY is on)
            text = entry.summary if name.endswith("rss.xml") else entry.content[0].value
            assert text.endswith(FOOTER), name
        assert ["Coastal Wire", "Relay Desk"] in _chains(site.output / "feeds" / name)
    items = json.loads(site.text("feeds/all.json"))["items"]
    assert all(item["content_html"].endswith(FOOTER) for item in items)
    assert [hop["name"] for hop in items[0]["_newsroom"]["chain"]] == ["Coastal Wire", "Relay Desk"]


def test_feed_generated_filter_removes_items_from_our_feeds(build_site):
    with connected(signals.feed_generated, filter_receiver):
        site = _feeds(build_site)
    for name in ("all.rss.xml", "all.atom.xml", "ad-desk.atom.xml"):
        titles = [e.title for e in feedparser.parse(str(site.output / "feeds" / name)).entries]
        assert not any(t.startswith("Sponsored") for t in titles), name
    assert [i["title"] for i in json.loads(site.text("feeds/all.json"))["items"]] == [
        "Ferries resume after the strike"
    ]
    # the emptied author feed is still a valid feed, dated without the build clock
    assert "1970-01-01" in site.text("feeds/ad-desk.atom.xml")


def test_a_change_our_feeds_cannot_hold_is_named_in_a_warning(build_site, caplog):
    caplog.set_level(logging.WARNING, logger="pelican_newsroom")
    with connected(signals.feed_generated, enclosure_receiver):
        _feeds(build_site)
    warnings = [r.getMessage() for r in caplog.records if "enclosure_receiver" in r.getMessage()]
    assert warnings, caplog.text
    assert "item field 'comments'" in warnings[0]
    assert len(warnings) == 1  # once per receiver and change, not once per feed


def test_feed_written_receivers_get_a_feedgenerator_object_and_the_path(build_site):
    SEEN.clear()
    with connected(signals.feed_written, written_receiver):
        _feeds(build_site)
    by_name = {name: (kind, count) for name, kind, count in SEEN}
    assert by_name["all.rss.xml"] == (Rss201rev2Feed, 2)
    assert by_name["all.atom.xml"] == (Atom1Feed, 2)
    assert "all.json" not in by_name  # receivers written for XML feeds never see JSON files


def test_a_feed_written_receiver_that_rewrites_the_file_is_named(build_site, caplog):
    caplog.set_level(logging.WARNING, logger="pelican_newsroom")
    with connected(signals.feed_written, rewriting_receiver):
        _feeds(build_site)
    warnings = [r.getMessage() for r in caplog.records if "rewriting_receiver" in r.getMessage()]
    assert warnings and "without the chain of sources" in warnings[0], caplog.text


def test_no_receiver_no_feedgenerator_object(build_site, monkeypatch):
    """Without receivers the fast path is kept: no feedgenerator object is made."""
    from pelican_newsroom import feedsignals

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("FeedView built without receivers")

    monkeypatch.setattr(feedsignals.FeedView, "build", refuse)
    assert not feedsignals.connected()
    site = _feeds(build_site)
    assert (site.output / "feeds" / "all.rss.xml").is_file()


@pytest.mark.parametrize("feed_type", ["rss", "atom"])
def test_feed_view_round_trip_without_changes_keeps_every_item(feed_type):
    from pelican_newsroom.feedsignals import FeedView
    from tests.feed_samples import META, sample_item

    items = [sample_item(n, summary="s", authors=("A", "B"), categories=("c",)) for n in range(3)]
    view = FeedView.build(META, items, feed_type, summary_only=False)
    view.feed.items.reverse()
    view.feed.items[0]["title"] = "Renamed"
    view.feed.items[0]["author_name"] = "C, D"
    new_meta, kept = view.result(UTC)
    assert new_meta is META
    assert [position for position, _ in kept] == [2, 1, 0]
    assert kept[0][1].title == "Renamed" and kept[0][1].authors == ("C", "D")
    assert kept[1][1] is items[1]  # unchanged items are the very same objects (cached bytes)
