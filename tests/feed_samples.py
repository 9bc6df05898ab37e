"""A feed's fields and numbered items, for the feed modules' unit tests (no build needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pelican_newsroom.feed_item import FeedItem, FeedMeta

WHEN = datetime(2020, 3, 23, 7, 54, tzinfo=UTC)
META = FeedMeta(
    "Desk",
    "https://news.example.org/",
    "https://news.example.org/feeds/all.xml",
    "Desk",
    WHEN,
    hubs=("https://hub.example/",),
)


def sample_item(number: int = 1, **values: Any) -> FeedItem:
    """Item ``number`` (its own id, link, title and body), with ``values`` replaced."""
    item = FeedItem(
        id=f"tag:news.example.org,2020-03-23:{number}",
        link=f"https://news.example.org/{number}.html",
        title=f"Story {number}",
        published=WHEN,
        updated=WHEN,
        content=f"<p>{number}</p>",
    )
    return replace(item, **values)
