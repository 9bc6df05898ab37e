"""JSON Feed 1.1 from FeedItems: compact, one item per FeedItem, any text survives."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pelican_newsroom.feed_item import FeedItem, FeedMeta
from pelican_newsroom.jsonfeed import json_document, json_entry

WHEN = datetime(2020, 3, 23, 7, 54, tzinfo=UTC)
META = FeedMeta(
    "Desk",
    "https://news.example.org/",
    "https://news.example.org/feeds/all.json",
    "Desk",
    WHEN,
    hubs=("https://hub.example/",),
)
# Content with everything JSON escapes: quotes, backslashes, CR, lone surrogates, non-ASCII.
TRICKY = ["<", "&", "\ud800", "\udfff", '"', "\\", "\r\n", "\x00", "é", "→", "\u2028"]


def json_feed(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """The document as the writer assembles it from items serialized one by one."""
    return json_document(meta, [json_entry(item) for item in items])


def _item(content: str, number: int = 1) -> FeedItem:
    return FeedItem(
        id=f"tag:news.example.org,2020-03-23:{number}",
        link=f"https://news.example.org/{number}.html",
        title="A story",
        published=WHEN,
        updated=WHEN,
        content=content,
    )


@settings(max_examples=80, deadline=None)
@given(content=st.lists(st.sampled_from(TRICKY) | st.text(max_size=4), max_size=20).map("".join))
@example(content="".join(TRICKY))
def test_any_content_gives_valid_json_with_lone_surrogates_replaced(content):
    document = json.loads(json_feed(META, [_item(content), _item("<p>x</p>", 2)]))
    expected = re.sub("[\ud800-\udfff]", "?", content)  # no UTF-8 for them
    assert [item["content_html"] for item in document["items"]] == [expected, "<p>x</p>"]


def test_feed_fields_and_items_in_order():
    data = json_feed(META, [_item("<p>1</p>", 1), _item("<p>2</p>", 2)])
    document = json.loads(data)
    assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    assert [item["id"] for item in document["items"]] == [
        "tag:news.example.org,2020-03-23:1",
        "tag:news.example.org,2020-03-23:2",
    ]
    assert data.endswith(b"]}\n") and b"\n" not in data[:-1]  # compact, one line
    assert json.loads(json_feed(META, []))["items"] == []
