"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from FeedItems, our ``_newsroom`` object included."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .feed_item import FeedItem, FeedMeta
from .newsroom_ns import JSON_FEED_VERSION, JSON_KEY, format_date, json_extension


def json_item(item: FeedItem) -> dict[str, Any]:
    """One JSON Feed 1.1 item, our ``_newsroom`` object included; null keys left out."""
    values: dict[str, Any] = {
        "id": item.id,
        "url": item.link,
        "external_url": item.origin,
        "title": item.title,
        "content_html": item.content,
        "summary": item.summary_text,
        "image": item.image.src if item.image else None,
        "date_published": format_date(item.published),
        "date_modified": format_date(item.updated),
        "authors": [{"name": name} for name in item.authors] or None,
        "tags": list(item.categories) or None,
        "language": item.language,
        JSON_KEY: json_extension(item.hops, item.origin, item.image),
    }
    return {key: value for key, value in values.items() if value is not None}


def json_entry(item: FeedItem) -> bytes:
    """One item, encoded; ``"replace"``: a lone surrogate (no character, no UTF-8) in one
    article must not stop the build."""
    return json.dumps(json_item(item), ensure_ascii=False).encode("utf-8", "replace")


def json_document(meta: FeedMeta, entries: Iterable[bytes]) -> bytes:
    """The JSON Feed document: compact (``json.dumps`` only uses its C encoder without
    ``indent``), the serialized items (:func:`json_entry`) joined by ``,``."""
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.site_url,
        "feed_url": meta.self_url,
        "description": meta.description,
        "language": meta.language,
        "authors": [{"name": meta.author}] if meta.author else None,
        "hubs": [{"type": "WebSub", "url": hub} for hub in meta.hubs] or None,
    }
    clean = {key: value for key, value in document.items() if value is not None}
    clean["items"] = []
    data = json.dumps(clean, ensure_ascii=False).encode("utf-8")
    # data ends with '[]}': the items go between '[' and ']}'
    return data[:-2] + b",".join(entries) + b"]}\n"
