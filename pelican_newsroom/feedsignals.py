"""Pelican's ``feed_generated`` and ``feed_written`` signals, for feeds written with feedgen.

Receivers of these signals (feed filters, content footers, ``touch``,
stylesheet inserters) expect what Pelican's own writer gives them: a
feedgenerator feed (``Rss201rev2Feed`` or ``Atom1Feed``) with its ``feed``
and ``items`` dictionaries.  :class:`FeedView` builds one from our items, in
Pelican's field layout (``pelican/writers.py``: RSS ``description`` is the full
text, Atom ``content`` the full text and ``description`` the summary), and
carries back into our feed what a ``feed_generated`` receiver changed:
item title, link, text, summary, authors, categories, dates, id and rights,
items removed or reordered, and the feed's title, link, description, author
and language.  Any other change (an added item, an enclosure, a new key) is
not in the feed we write, and a warning names the receiver and the field.

JSON Feeds are shown to ``feed_generated`` receivers as Atom feeds (same fields:
full text and summary), so that a footer or filter applies to every format.
``feed_written`` is sent for RSS and Atom only, with the path and the same
object: receivers written for Pelican's XML feeds must not edit a JSON file.
A ``feed_written`` receiver that rewrites the file from the object (with
feedgenerator) drops the chain of sources; a warning names it.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any

from feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from markupsafe import Markup
from pelican.plugins import signals

from .feed_item import FeedItem, FeedMeta, aware
from .newsroom_ns import NEWSROOM_NS

logger = logging.getLogger("pelican_newsroom")

#: Item keys whose changes our feeds carry; the rest are reported.
ITEM_KEYS = frozenset(
    {
        "title",
        "link",
        "description",
        "content",
        "author_name",
        "categories",
        "pubdate",
        "updateddate",
        "unique_id",
        "item_copyright",
    }
)
#: Feed keys whose changes our feeds carry.
FEED_KEYS = frozenset({"title", "link", "description", "author_name", "language"})


def connected() -> bool:
    """Whether any plugin listens; without receivers no feedgenerator object is made."""
    return bool(signals.feed_generated.receivers or signals.feed_written.receivers)


def receiver_name(receiver: Callable[..., Any]) -> str:
    module = getattr(receiver, "__module__", "?")
    return f"{module}.{getattr(receiver, '__qualname__', repr(receiver))}"


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (value or "").split(",") if name.strip())


@dataclass
class FeedView:
    """One feed as a feedgenerator object, and the items and channel it was made from."""

    feed: SyndicationFeed
    meta: FeedMeta
    items: list[FeedItem]
    feed_type: str
    summary_only: bool
    #: The item dictionaries as made (their identity finds them after a receiver ran).
    made: list[dict[str, Any]] = field(default_factory=list)
    #: Deep copies of ``made`` and of the channel, to see what the receivers changed.
    originals: list[dict[str, Any]] = field(default_factory=list)
    original_feed: dict[str, Any] = field(default_factory=dict)
    warned: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def build(
        cls, meta: FeedMeta, items: Sequence[FeedItem], feed_type: str, summary_only: bool
    ) -> FeedView:
        feed_class = Rss201rev2Feed if feed_type == "rss" else Atom1Feed
        feed = feed_class(
            title=meta.title,
            link=meta.site_url,
            feed_url=meta.self_url,
            description=meta.description,
            language=meta.language,
            author_name=meta.author,
        )
        view = cls(feed, meta, list(items), feed_type, summary_only)
        for item in items:
            content, description = view._texts(item)
            feed.add_item(
                title=item.title,
                link=item.link,
                unique_id=item.id,
                description=description,
                content=content,
                categories=list(item.categories) or None,
                author_name=", ".join(item.authors),
                pubdate=item.published,
                updateddate=item.updated,
                item_copyright=item.rights,
            )
        view.made = list(feed.items)
        view.originals = copy.deepcopy(view.made)
        view.original_feed = copy.deepcopy(feed.feed)
        return view

    def _texts(self, item: FeedItem) -> tuple[str | None, str | None]:
        """``(content, description)`` where Pelican's writer puts them."""
        if self.feed_type == "rss":
            if self.summary_only and item.summary:
                return None, item.summary
            return None, item.content
        summary = item.summary if item.summary != item.content else None
        return item.content, summary

    # --- sending -------------------------------------------------------------------

    def send_generated(self, context: dict[str, Any], path: str) -> None:
        """``feed_generated`` to each receiver in turn, so unusable changes name their receiver."""
        for receiver in signals.feed_generated.receivers_for(context):
            items = list(self.feed.items)
            before_items = dict(zip(map(id, items), copy.deepcopy(items), strict=True))
            before_feed = copy.deepcopy(self.feed.feed)
            receiver(context, feed=self.feed)
            for what in self._lost_changes(before_items, before_feed):
                self._warn(receiver, what, path)

    def send_written(self, path: str, context: dict[str, Any]) -> None:
        """``feed_written`` to each receiver; one that rewrites the file without our namespace is named."""
        for receiver in signals.feed_written.receivers_for(path):
            receiver(path, context=context, feed=self.feed)
            with open(path, "rb") as handle:
                intact = NEWSROOM_NS.encode() in handle.read()
            if not intact:
                self._warn(receiver, "the file, rewritten without the chain of sources", path)

    def _warn(self, receiver: Callable[..., Any], what: str, path: str) -> None:
        name = receiver_name(receiver)
        if (name, what) in self.warned:
            return
        self.warned.add((name, what))
        logger.warning(
            "pelican_newsroom: %s (a feed_generated/feed_written receiver) changed %s of %s; "
            "pelican-newsroom's feeds cannot keep that change (README: Other plugins)",
            name,
            what,
            path,
        )

    def _lost_changes(
        self, before_items: dict[int, dict[str, Any]], before_feed: dict[str, Any]
    ) -> list[str]:
        lost = sorted(
            f"feed field '{key}'"
            for key in set(before_feed) | set(self.feed.feed)
            if key not in FEED_KEYS and before_feed.get(key) != self.feed.feed.get(key)
        )
        known = {id(item) for item in self.made}
        for item in self.feed.items:
            if id(item) not in known:
                lost.append("the items (one added)")
                continue
            before = before_items.get(id(item), item)
            lost.extend(
                f"item field '{key}'"
                for key in set(before) | set(item)
                if key not in ITEM_KEYS and before.get(key) != item.get(key)
            )
        return sorted(set(lost))

    # --- carrying changes back ---------------------------------------------------------

    def result(self, tz: tzinfo) -> tuple[FeedMeta, list[tuple[int, FeedItem]]]:
        """The channel, and ``(index of the original item, item)`` in the receivers' order."""
        index = {id(item): position for position, item in enumerate(self.made)}
        kept = []
        for item in self.feed.items:
            position = index.get(id(item))
            if position is not None:
                kept.append((position, self._item(position, item, tz)))
        return self._meta(), kept

    def _meta(self) -> FeedMeta:
        now, was = self.feed.feed, self.original_feed
        changed = {key for key in FEED_KEYS if now.get(key) != was.get(key)}
        if not changed:
            return self.meta
        return replace(
            self.meta,
            title=str(now.get("title") or self.meta.title),
            site_url=str(now.get("link") or self.meta.site_url),
            description=str(now.get("description") or self.meta.description),
            author=now.get("author_name") or None,
            language=now.get("language") or None,
        )

    def _item(self, position: int, now: dict[str, Any], tz: tzinfo) -> FeedItem:
        item, was = self.items[position], self.originals[position]
        changed = {key for key in ITEM_KEYS if now.get(key) != was.get(key)}
        if not changed:
            return item
        values: dict[str, Any] = {}
        if "title" in changed:
            values["title"] = str(now.get("title") or "")
        if "link" in changed:
            values["link"] = str(now.get("link") or item.link)
        if "unique_id" in changed:
            values["id"] = str(now.get("unique_id") or item.id)
        if "author_name" in changed:
            values["authors"] = _names(now.get("author_name"))
        if "categories" in changed:
            values["categories"] = tuple(str(c) for c in now.get("categories") or ())
        if "item_copyright" in changed:
            values["rights"] = now.get("item_copyright") or None
        values.update(self._dates(now, changed, tz))
        values.update(self._text_changes(item, now, changed))
        return replace(item, **values)

    @staticmethod
    def _dates(now: dict[str, Any], changed: set[str], tz: tzinfo) -> dict[str, datetime]:
        values = {}
        for key, name in (("pubdate", "published"), ("updateddate", "updated")):
            if key in changed and isinstance(now.get(key), datetime):
                values[name] = aware(now[key], tz)
        return values

    def _text_changes(
        self, item: FeedItem, now: dict[str, Any], changed: set[str]
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        description = now.get("description") or None
        if self.feed_type == "rss":
            if "description" in changed:
                key = "summary" if self.summary_only and item.summary else "content"
                values[key] = description or ""
        else:
            if "content" in changed:
                values["content"] = now.get("content") or ""
            if "description" in changed:
                values["summary"] = description
        if "summary" in values:
            summary = values["summary"]
            values["summary_text"] = str(Markup(summary).striptags()) or None if summary else None
        return values
