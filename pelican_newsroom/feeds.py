"""Every feed of the site: Pelican's feeds, their JSON Feed siblings and the per-source feeds.

:class:`NewsroomWriter` is handed to Pelican through the ``get_writer``
signal, so Pelican's own ``generate_feeds`` still decides *which* feeds exist
and *where* (``FEED_ALL_*``, ``CATEGORY_FEED_*``, ``TAG_FEED_*``,
``AUTHOR_FEED_*``, ``TRANSLATION_FEED_*``: same URLs as a plain Pelican
site), while we decide *what* is in them; Pelican's feedgenerator-based
writer never runs for them, so no path is written twice.  Those feeds keep
Pelican's ids (:func:`~pelican_newsroom.feed_item.entry_id`, and ``SITEURL/``
as feed id): installing the plugin must not make readers show old entries as
new.  The JSON Feed siblings and the per-source feeds are written after
Pelican's feeds, from ``article_writer_finalized`` (:func:`write_extra_feeds`),
and only where :func:`planned_feeds` allows: a blog that uses none of our keys
gets none.

Each article becomes one :class:`~pelican_newsroom.feed_item.FeedItem` once per
build (the writer is created anew for every build), serialized once per format
(RSS and Atom by :mod:`~pelican_newsroom.feedgen_compat`, JSON Feed by
:mod:`~pelican_newsroom.jsonfeed`) and copied into every feed it appears in
(:class:`CachedEntry`, kept in a :class:`SpillFile`).  Feeds are reproducible: no
build clock, the channel date is the newest item's, and items keep Pelican's order.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import accumulate, chain
from typing import Any

from markupsafe import Markup
from pelican.utils import order_content, sanitised_join
from pelican.writers import Writer

from . import feedsignals
from .compat import claim_output
from .feed_item import EMPTY_FEED_DATE, FeedItem, FeedMeta, build_item
from .feedgen_compat import entry_fragment, xml_document
from .feedsignals import FeedView
from .files import write_atomically
from .jsonfeed import json_document, json_entry
from .settings import NewsroomSettings
from .sources import Sources

logger = logging.getLogger("pelican_newsroom")

FEED_TYPES = ("rss", "atom", "json")


# --- the writer -----------------------------------------------------------------------


def entry_bytes(item: FeedItem, feed_type: str, summary_only: bool) -> bytes:
    """``item`` serialized as it stands in a ``feed_type`` feed."""
    if feed_type == "json":
        return json_entry(item)
    return entry_fragment(item, feed_type, summary_only)


def assemble(meta: FeedMeta, feed_type: str, entries: Iterable[bytes]) -> bytes:
    """The feed document of ``meta`` with the serialized entries (:func:`entry_bytes`), in order."""
    if feed_type == "json":
        return json_document(meta, entries)
    return xml_document(meta, feed_type, entries)


class SpillFile:
    """Bytes kept in an unlinked temporary file rather than on the heap.

    The serialized entries are as large as the articles in three formats, and needed until
    the last feed is written: held in memory they would be the plugin's largest cost (even
    without their content they were +56 MiB at 8,000 articles). Here they live in the
    kernel's page cache, which the system can reclaim, and ``os.pread`` gives one back in
    microseconds.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="pelican-newsroom-")  # noqa: SIM115 - lives with the writer
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Append ``data``; its (offset, length)."""
        span = (self._end, len(data))
        view = memoryview(data)
        while view:
            written = os.pwrite(self._file.fileno(), view, self._end)
            view, self._end = view[written:], self._end + written
        return span

    def get(self, span: tuple[int, int]) -> bytes:
        offset, length = span
        data = os.pread(self._file.fileno(), length, offset)
        while len(data) < length:  # a short read: only on signals or odd file systems
            more = os.pread(self._file.fileno(), length - len(data), offset + len(data))
            if not more:
                raise OSError(f"spill file ends before byte {offset + length}")
            data += more
        return data


@dataclass(frozen=True, slots=True)
class CachedEntry:
    """One article in every feed format, serialized once, kept in a :class:`SpillFile`.

    An article is in five to ten feeds (all, category, author, tags, sources) in three
    formats: it is built, made absolute, escaped and serialized once, then copied.
    """

    updated: datetime
    language: str | None
    #: Where the three fragments (in :data:`FEED_TYPES` order) start in the spill file…
    offset: int
    #: …and where each ends, counted from ``offset``: a few ints, not a dict, per article.
    ends: tuple[int, ...]

    def render(self, feed_type: str, spill: SpillFile) -> bytes:
        """This entry as it stands in a ``feed_type`` feed."""
        index = FEED_TYPES.index(feed_type)
        start = self.ends[index - 1] if index else 0
        return spill.get((self.offset + start, self.ends[index] - start))


def cache_entry(
    article: Any, siteurl: str, settings: dict[str, Any], spill: SpillFile
) -> CachedEntry:
    item = build_item(article, siteurl, settings)
    summary_only = bool(settings.get("RSS_FEED_SUMMARY_ONLY"))
    fragments = [entry_bytes(item, t, summary_only and t == "rss") for t in FEED_TYPES]
    offset, _length = spill.put(b"".join(fragments))
    return CachedEntry(item.updated, item.language, offset, tuple(accumulate(map(len, fragments))))


def _article_key(article: Any) -> tuple[str, str]:
    return article.source_path, getattr(article, "lang", "")


def _language(items: Sequence[CachedEntry], default: str | None) -> str | None:
    """The items' language when they share one (a translation feed), else the site's."""
    languages = {item.language for item in items}
    return languages.pop() if len(languages) == 1 and None not in languages else default


class NewsroomWriter(Writer):  # type: ignore[misc]
    """Pelican's Writer, with feeds written by feedgen (and JSON Feed) instead of feedgenerator."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        #: Each article's entries, serialized once for this build (keyed by source file).
        self.entries: dict[tuple[str, str], CachedEntry] = {}
        #: Each article's FeedItem, kept only when another plugin listens to the feed signals.
        self.items: dict[tuple[str, str], FeedItem] = {}
        #: (receiver, change) pairs already warned about, once per build.
        self.warned: set[tuple[str, str]] = set()
        self._spill: SpillFile | None = None

    @property
    def spill(self) -> SpillFile:
        """Where the entries are kept; made on first use (a build without feeds has none)."""
        if self._spill is None:
            self._spill = SpillFile()
        return self._spill

    def entry(self, article: Any, siteurl: str) -> CachedEntry:
        key = _article_key(article)
        if key not in self.entries:
            self.entries[key] = cache_entry(article, siteurl, self.settings, self.spill)
        return self.entries[key]

    def _meta(
        self,
        context: dict[str, Any],
        self_url: str,
        items: Sequence[CachedEntry],
        title: str | None,
        own_id: bool,
    ) -> FeedMeta:
        sitename = str(Markup(context.get("SITENAME", "")).striptags())
        full_title = f"{sitename} - {Markup(title).striptags()}" if title else sitename
        return FeedMeta(
            title=full_title,
            site_url=self.site_url.rstrip("/") + "/",
            self_url=self_url,
            description=str(context.get("SITESUBTITLE") or full_title),
            updated=max((item.updated for item in items), default=EMPTY_FEED_DATE),
            language=_language(items, context.get("DEFAULT_LANG")),
            author=str(context.get("AUTHOR") or sitename) or None,
            generator="pelican-newsroom",
            # Pelican gives every feed the id SITEURL + "/" (feedgenerator: id = link); a
            # new id would make readers show every old entry again. Feeds Pelican never
            # writes (per source) have ids of their own: their URLs.
            id=None if own_id else f"{self.site_url}/",
            hubs=NewsroomSettings.of(self.settings).websub_hubs,
        )

    def write_feed(  # noqa: PLR0917 - Pelican's Writer.write_feed signature, called positionally
        self,
        elements: Sequence[Any],
        context: dict[str, Any],
        path: str | None = None,
        url: str | None = None,
        feed_type: str = "atom",
        override_output: bool = False,
        feed_title: str | None = None,
        *,
        own_id: bool = False,
    ) -> Any:
        """Same signature and paths as Pelican's; RSS, Atom or (our addition) ``"json"``.

        ``own_id``: the feed's id is its URL, not Pelican's (for feeds Pelican never writes).
        """
        self.site_url = context.get("SITEURL", "")
        self.feed_domain = context.get("FEED_DOMAIN")
        self.feed_url = self.urljoiner(self.feed_domain, url or path)
        articles = elements[: self.settings.get("FEED_MAX_ITEMS")]
        entries = [self.entry(article, self.site_url) for article in articles]
        meta = self._meta(context, self.feed_url, entries, feed_title, own_id)
        view = self._view(meta, articles, feed_type) if feedsignals.connected() else None
        if view is None:
            fragments: Iterable[bytes] = (entry.render(feed_type, self.spill) for entry in entries)
        else:
            view.send_generated(context, path or self.feed_url)
            meta, fragments = self._after_receivers(view, entries, feed_type)
        data = assemble(meta, feed_type, fragments)
        if path:
            complete_path = sanitised_join(self.output_path, path)
            if claim_output(self, complete_path, override_output):
                write_atomically(complete_path, data)
                logger.info('Writing "%s"', complete_path)
                if view is not None and feed_type != "json":
                    view.send_written(complete_path, context)
        return view.feed if view is not None else data

    def _view(self, meta: FeedMeta, articles: Sequence[Any], feed_type: str) -> FeedView:
        """The feed as Pelican's feedgenerator object, for other plugins' feed receivers."""
        items = []
        for article in articles:
            key = _article_key(article)
            if key not in self.items:
                self.items[key] = build_item(article, self.site_url, self.settings)
            items.append(self.items[key])
        summary_only = feed_type == "rss" and bool(self.settings.get("RSS_FEED_SUMMARY_ONLY"))
        view = FeedView.build(meta, items, feed_type, summary_only)
        view.warned = self.warned
        return view

    def _after_receivers(
        self, view: FeedView, entries: Sequence[CachedEntry], feed_type: str
    ) -> tuple[FeedMeta, list[bytes]]:
        """The channel and entries as the receivers left them; unchanged entries from the cache."""
        meta, kept = view.result(NewsroomSettings.of(self.settings).timezone)
        fragments = [
            entries[position].render(feed_type, self.spill)
            if item is view.items[position]
            else entry_bytes(item, feed_type, view.summary_only)
            for position, item in kept
        ]
        if len(kept) != len(entries):  # the channel date is the newest item's, of those kept
            newest = max((item.updated for _, item in kept), default=EMPTY_FEED_DATE)
            meta = replace(meta, updated=newest)
        return meta, fragments


# --- JSON siblings and per-source feeds ----------------------------------------------


#: Each JSON Feed sibling, and Pelican's settings for the feed family it belongs to.
JSON_FAMILIES: dict[str, tuple[str, ...]] = {
    "NEWSROOM_FEED_ALL_JSON": ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS"),
    "NEWSROOM_CATEGORY_FEED_JSON": ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"),
    "NEWSROOM_AUTHOR_FEED_JSON": ("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS"),
    "NEWSROOM_TAG_FEED_JSON": ("TAG_FEED_ATOM", "TAG_FEED_RSS"),
    "NEWSROOM_TRANSLATION_FEED_JSON": ("TRANSLATION_FEED_ATOM", "TRANSLATION_FEED_RSS"),
}


def planned_feeds(settings: Mapping[str, Any], uses_keys: bool) -> dict[str, str | None]:
    """The path of each feed only the plugin adds, or None where it adds none this build.

    Installing the plugin must not change a blog that does not use it: with no article
    using our keys (``uses_keys``), nothing is added. Then a JSON Feed sibling is written
    where the site writes that family in Atom or RSS (a development config with Pelican's
    feeds off gets no JSON either), and a per-source feed in each format the site
    writes (JSON: when it writes a JSON sibling).
    """
    paths = NewsroomSettings.of(settings).feed_paths
    plan: dict[str, str | None] = {}
    for key, family in JSON_FAMILIES.items():
        plan[key] = paths[key] if uses_keys and any(map(settings.get, family)) else None
    pelican_feeds = [name for family in JSON_FAMILIES.values() for name in family]
    for feed_type in FEED_TYPES:
        kind = feed_type.upper()
        if feed_type == "json":
            writes_kind = any(plan[key] for key in JSON_FAMILIES)
        else:
            writes_kind = any(settings.get(n) for n in pelican_feeds if n.endswith(kind))
        key = f"NEWSROOM_SOURCE_FEED_{kind}"
        plan[key] = paths[key] if uses_keys and writes_kind else None
    return {key: path or None for key, path in plan.items()}


def plan_feeds(context: dict[str, Any], articles: Iterable[Any]) -> None:
    """Switch off, in this build's ``context``, every added feed :func:`planned_feeds` rules out.

    The writer (:func:`write_extra_feeds`) and the ``feeds_head`` partial both read the
    feed paths from the context, so no page advertises a feed that is not written.
    """
    uses_keys = any(
        getattr(article, "newsroom", None) is not None and article.newsroom.uses_keys
        for article in articles
    )
    for key, path in planned_feeds(context, uses_keys).items():
        if path is None:
            context[key] = context[f"{key}_URL"] = None


@dataclass(frozen=True)
class FeedJob:
    """One feed to write: where, which articles, what title, and whether its id is its own."""

    path: str
    url: str
    articles: Sequence[Any]
    feed_type: str
    title: str | None = None
    own_id: bool = False


def _job(
    context: dict[str, Any],
    key: str,
    articles: Sequence[Any],
    feed_type: str,
    title: str | None = None,
    *,
    own_id: bool = False,
    **fmt: str,
) -> Iterator[FeedJob]:
    pattern = context.get(key)
    if not pattern:
        return
    url = context.get(f"{key}_URL") or pattern
    yield FeedJob(
        str(pattern).format(**fmt), str(url).format(**fmt), articles, feed_type, title, own_id
    )


def _all_articles(generator: Any) -> list[Any]:
    articles = list(generator.articles)
    for article in generator.articles:
        articles.extend(article.translations)
    return list(order_content(articles, order_by=generator.settings["ARTICLE_ORDER_BY"]))


def json_jobs(generator: Any) -> Iterator[FeedJob]:
    """The JSON Feed sibling of every feed family Pelican has (same articles, same titles)."""
    settings = generator.context  # the paths as :func:`plan_feeds` left them
    yield from _job(settings, "NEWSROOM_FEED_ALL_JSON", _all_articles(generator), "json")
    for category, articles in generator.categories:
        yield from _job(
            settings,
            "NEWSROOM_CATEGORY_FEED_JSON",
            articles,
            "json",
            category.name,
            slug=category.slug,
        )
    for author, articles in generator.authors:
        yield from _job(
            settings, "NEWSROOM_AUTHOR_FEED_JSON", articles, "json", author.name, slug=author.slug
        )
    for tag, articles in generator.tags.items():
        yield from _job(
            settings, "NEWSROOM_TAG_FEED_JSON", articles, "json", tag.name, slug=tag.slug
        )
    by_lang: dict[str, list[Any]] = defaultdict(list)
    for article in chain(generator.articles, generator.translations):
        by_lang[article.lang].append(article)
    for lang, articles in by_lang.items():
        ordered = order_content(articles, order_by=settings["ARTICLE_ORDER_BY"])
        yield from _job(settings, "NEWSROOM_TRANSLATION_FEED_JSON", ordered, "json", lang=lang)


def source_jobs(generator: Any) -> Iterator[FeedJob]:
    """RSS, Atom and JSON Feed of every source with pages of its own (``Source.has_pages``).

    The sources are the ones the Sources pages were made from (``newsroom_sources``,
    collected once per build), so feeds, pages and links agree on each slug.
    """
    sources: Sources = generator.context["newsroom_sources"]
    for source in sources:
        if not source.has_pages:
            continue
        for feed_type in FEED_TYPES:
            key = f"NEWSROOM_SOURCE_FEED_{feed_type.upper()}"
            yield from _job(
                generator.context,
                key,
                source.articles,
                feed_type,
                f"via {source.name}",
                own_id=True,
                slug=source.slug,
            )


def write_extra_feeds(generator: Any, writer: Any) -> None:
    """JSON Feed siblings and per-source feeds; needs our writer (another plugin's may win)."""
    if not isinstance(writer, NewsroomWriter):
        logger.warning(
            "pelican_newsroom: another plugin's writer is in use; JSON and per-source feeds not written"
        )
        return
    for job in chain(json_jobs(generator), source_jobs(generator)):
        writer.write_feed(
            job.articles,
            generator.context,
            job.path,
            job.url,
            job.feed_type,
            feed_title=job.title,
            own_id=job.own_id,
        )


def writer_class(_pelican: object) -> type[NewsroomWriter]:
    return NewsroomWriter


__all__ = [
    "NewsroomWriter",
    "plan_feeds",
    "planned_feeds",
    "write_extra_feeds",
    "writer_class",
]
