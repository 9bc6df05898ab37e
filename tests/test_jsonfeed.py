"""JSON Feed 1.1 from FeedItems: compact, one item per FeedItem, any text survives."""

from __future__ import annotations

import json
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pelican_newsroom.feed_item import FeedItem, FeedMeta
from pelican_newsroom.jsonfeed import json_document, json_entry
from tests.feed_samples import META, sample_item

# Content with everything JSON escapes: quotes, backslashes, CR, lone surrogates, non-ASCII.
TRICKY = ["<", "&", "\ud800", "\udfff", '"', "\\", "\r\n", "\x00", "é", "→", "\u2028"]


def json_feed(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """The document as the writer assembles it from items serialized one by one."""
    return json_document(meta, [json_entry(item) for item in items])


@settings(max_examples=80, deadline=None)
@given(content=st.lists(st.sampled_from(TRICKY) | st.text(max_size=4), max_size=20).map("".join))
@example(content="".join(TRICKY))
def test_any_content_gives_valid_json_with_lone_surrogates_replaced(content):
    document = json.loads(
        json_feed(META, [sample_item(1, content=content), sample_item(2, content="<p>x</p>")])
    )
    expected = re.sub("[\ud800-\udfff]", "?", content)  # no UTF-8 for them
    assert [item["content_html"] for item in document["items"]] == [expected, "<p>x</p>"]


def test_feed_fields_and_items_in_order():
    data = json_feed(META, [sample_item(1), sample_item(2)])
    document = json.loads(data)
    assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    assert [item["id"] for item in document["items"]] == [
        "tag:news.example.org,2020-03-23:1",
        "tag:news.example.org,2020-03-23:2",
    ]
    assert data.endswith(b"]}\n") and b"\n" not in data[:-1]  # compact, one line
    assert json.loads(json_feed(META, []))["items"] == []
