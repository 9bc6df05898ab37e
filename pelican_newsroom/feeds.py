"""Every feed of the site, written with feedgen: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

:class:`NewsroomWriter` is handed to Pelican through the ``get_writer``
signal, so Pelican's own ``generate_feeds`` still decides *which* feeds exist
and *where* (``FEED_ALL_*``, ``CATEGORY_FEED_*``, ``TAG_FEED_*``,
``AUTHOR_FEED_*``, ``TRANSLATION_FEED_*``: same URLs as a plain Pelican
site), while we decide *what* is in them; Pelican's feedgenerator-based
writer never runs for them, so no path is written twice.  Those feeds keep
Pelican's ids (:func:`entry_id`, and ``SITEURL/`` as feed id): installing the
plugin must not make readers show old entries as new.  The JSON Feed siblings
and the per-source feeds are written after Pelican's feeds, from
``article_writer_finalized`` (:func:`write_extra_feeds`), and only where
:func:`planned_feeds` allows: a blog that uses none of our keys gets none.

Each article becomes one :class:`~pelican_newsroom.feedext.FeedItem` once per
build (the writer is created anew for every build), serialized once per format
and copied into every feed it appears in (:class:`CachedEntry`, kept in a
:class:`SpillFile`).  Feeds are reproducible: no build clock, the channel date
is the newest item's, and items keep Pelican's order.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import posixpath
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import accumulate, chain
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, urlsplit

from feedgenerator import get_tag_uri
from markupsafe import Markup
from pelican.utils import order_content, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from . import feedsignals
from .feedext import (
    JSON_FEED_VERSION,
    JSON_KEY,
    FeedImage,
    FeedItem,
    FeedMeta,
    add_entry,
    aware,
    entry_values,
    format_date,
    new_feed,
    serialize,
)
from .feedsignals import FeedView
from .files import write_atomically
from .model import Image, License, Newsroom
from .render import source_footer
from .settings import site_timezone
from .sources import Sources
from .standards import Correction
from .urls import absolute_links, absolutize, join_url

logger = logging.getLogger("pelican_newsroom")

FEED_TYPES = ("rss", "atom", "json")
#: Channel date of a feed without items (there is no newest item; never the build clock).
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)
#: A ``guid`` used as the feed id as written: an http(s) URL, a tag URI (RFC 4151) or a URN
#: with a valid namespace id (RFC 8141). Anything else (``urn:x:1``, ``foo:bar``) is wrapped
#: in a tag URI, since feed validators reject ids that only look like URIs.
_URI_RE = re.compile(
    r"^(?:https?://[^\s\"<>\\^`{|}]+|tag:[^\s,]+,\d{4}(?:-\d\d){0,2}:\S*|urn:[A-Za-z0-9][A-Za-z0-9-]{1,31}:\S+)$"
)


# --- one article -> one FeedItem ----------------------------------------------------


def feed_link(siteurl: str, url: str, settings: dict[str, Any]) -> str:
    """The article's link as Pelican's own feed writer makes it (``Writer.urljoiner``).

    The link is also what Pelican's entry id is made from, so it must be the same string.
    """
    relative = settings.get("RELATIVE_URLS")
    link = posixpath.join(siteurl, url) if relative else join_url(siteurl, url)
    return link + "?ref=feed" if settings.get("FEED_APPEND_REF") else link


def entry_id(article: Any, link: str, siteurl: str) -> str:
    """The article's feed id, the same in RSS, Atom and JSON Feed.

    ``guid`` metadata wins: as written when it is a URI, else inside a tag URI.
    Otherwise Pelican's own id, ``feedgenerator.get_tag_uri(link, date)``
    (``tag:{host},{date:%Y-%m-%d}:{link path}``), so that a blog keeps every id its
    subscribers have seen when it installs the plugin. It changes with the
    article's URL or ``date``: pin it with ``guid`` before changing either.
    """
    newsroom: Newsroom | None = getattr(article, "newsroom", None)
    guid = newsroom.guid if newsroom else None
    if not guid:
        return str(get_tag_uri(link, article.date))
    if _URI_RE.match(guid):
        return guid
    host = urlsplit(siteurl).hostname or "localhost"
    return f"tag:{host},{article.date:%Y-%m-%d}:guid/{quote(guid, safe='')}"


def _rights(value: License | None) -> str | None:
    if value is None:
        return None
    return value.name if not value.url or value.url == value.name else f"{value.name} ({value.url})"


def _local_file(src: str, settings: dict[str, Any]) -> Path | None:
    """The file behind a site-relative image path, in the content folder (for its size)."""
    relative = src.lstrip("/")
    for root in (settings.get("PATH"), settings.get("OUTPUT_PATH")):
        if root:
            candidate = Path(root) / relative
            if candidate.is_file():
                return candidate
    return None


def feed_image(image: Image, siteurl: str, settings: dict[str, Any]) -> FeedImage:
    """The image with an absolute URL; type and size for an enclosure when the file is ours."""
    absolute = bool(urlsplit(image.src).scheme)
    url = absolutize(image.src, siteurl)
    # An enclosure only for a public host: feed validators reject http://localhost:8000/… there.
    public = "." in (urlsplit(url).hostname or "")
    local = None if absolute or not public else _local_file(image.src, settings)
    licence = image.license
    return FeedImage(
        url=url,
        type=mimetypes.guess_type(urlsplit(url).path)[0],
        length=local.stat().st_size if local else None,
        caption=image.caption,
        credit=image.credit,
        credit_url=image.credit_url,
        license=licence.name if licence else None,
        license_url=licence.url if licence else None,
    )


def _with_footer(html: str, footer: str) -> str:
    return f'{html}\n<p class="newsroom-source-footer">{footer}</p>' if footer else html


# --- corrections in feeds (delimited: entry date and content only) ----------------------


def corrections_html(corrections: Iterable[Correction], label: str, date_format: str) -> str:
    """The correction notes as HTML appended to an entry's content (readers show no page)."""
    items = Markup("").join(
        Markup('<li><time datetime="{}">{}</time>: {}</li>').format(
            c.date.isoformat(), c.date.strftime(date_format), c.text
        )
        for c in corrections
    )
    if not items:
        return ""
    return str(
        Markup('<section class="newsroom-corrections"><h2>{}</h2><ul>{}</ul></section>').format(
            label, items
        )
    )


def _with_corrections(html: str, newsroom: Newsroom | None, settings: dict[str, Any]) -> str:
    """``html`` and the notes after it: in the content, and in the summary that
    summary-only feeds (``RSS_FEED_SUMMARY_ONLY``) show instead."""
    if newsroom is None or not newsroom.corrections:
        return html
    labels = settings.get("NEWSROOM_LABELS") or {}
    label = str(labels.get("corrections", "Corrections"))
    date_format = str(settings.get("NEWSROOM_TIMESTAMP_FORMAT") or "%Y-%m-%d %H:%M")
    return f"{html}\n{corrections_html(newsroom.corrections, label, date_format)}"


def _updated(article: Any, newsroom: Newsroom | None, published: datetime, tz: Any) -> datetime:
    """The entry's updated date: the model's (latest of modified and the corrections)."""
    latest = (newsroom.updated if newsroom else None) or getattr(article, "modified", None)
    return aware(latest, tz) if latest else published


# --- end of corrections in feeds ---------------------------------------------------------


def _authors(article: Any, newsroom: Newsroom | None) -> tuple[str, ...]:
    if newsroom and newsroom.authors:
        return newsroom.authors
    return tuple(str(author.name) for author in getattr(article, "authors", ()) or ())


def build_item(article: Any, siteurl: str, settings: dict[str, Any]) -> FeedItem:
    """What every feed says about ``article``: absolute URLs, footer, credits, chain."""
    newsroom: Newsroom | None = getattr(article, "newsroom", None)
    tz = site_timezone(settings)
    link = feed_link(siteurl, article.url, settings)
    published = aware(article.date, tz)
    footer = str(source_footer(cast(Any, settings), article))
    summary = str(getattr(article, "summary", "") or "")
    tags = [str(tag.name) for tag in getattr(article, "tags", ()) or ()]
    category = getattr(article, "category", None)
    return FeedItem(
        id=entry_id(article, link, siteurl),
        link=link,
        title=str(Markup(article.title).striptags()),
        published=published,
        updated=_updated(article, newsroom, published, tz),
        content=_with_corrections(
            _with_footer(absolute_links(article.get_content(siteurl), link), footer),
            newsroom,
            settings,
        ),
        summary=_with_corrections(
            _with_footer(absolute_links(summary, link), footer), newsroom, settings
        )
        if summary
        else None,
        summary_text=str(Markup(summary).striptags()) or None,
        authors=_authors(article, newsroom),
        categories=tuple(([str(category.name)] if category else []) + tags),
        image=feed_image(newsroom.image, siteurl, settings)
        if newsroom and newsroom.image
        else None,
        rights=_rights(newsroom.license) if newsroom else None,
        hops=newsroom.hops if newsroom else (),
        origin_url=newsroom.origin_url if newsroom else None,
        language=getattr(article, "lang", None),
        corrected=bool(newsroom and newsroom.corrections),
    )


# --- JSON Feed --------------------------------------------------------------------


def json_item(item: FeedItem) -> dict[str, Any]:
    """One JSON Feed 1.1 item, our ``_newsroom`` object included; null keys left out."""
    values: dict[str, Any] = {
        "id": item.id,
        "url": item.link,
        "external_url": item.origin,
        "title": item.title,
        "content_html": item.content,
        "summary": item.summary_text,
        "image": item.image.url if item.image else None,
        "date_published": format_date(item.published),
        "date_modified": format_date(item.updated),
        "authors": [{"name": name} for name in item.authors] or None,
        "tags": list(item.categories) or None,
        "language": item.language,
        JSON_KEY: entry_values(item),
    }
    return {key: value for key, value in values.items() if value is not None}


def json_shell(meta: FeedMeta) -> tuple[bytes, bytes]:
    """A JSON Feed document without items, cut where the items go.

    Compact JSON: ``json.dumps`` only uses its C encoder without ``indent``.
    """
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
    return data[:-2], b"]}\n"  # data ends with '[]}': items go between '[' and ']}'


# --- entries serialized once, spliced into every feed -----------------------------------

_FRAGMENT_META = FeedMeta(
    title="fragment",
    site_url="https://fragment.invalid/",
    self_url="https://fragment.invalid/feed",
    description="fragment",
    updated=EMPTY_FEED_DATE,
)
_ENTRY_TAGS = {"rss": (b"<item>", b"</item>\n"), "atom": (b"<entry>", b"</entry>\n")}
_SHELL_ENDS = {"rss": b"  </channel>", "atom": b"</feed>"}


def entry_fragment(item: FeedItem, feed_type: str, summary_only: bool) -> bytes:
    """``item``'s ``<item>``/``<entry>``/JSON object as feedgen (or ``json``) writes it.

    Serialized inside a one-entry feed: every feed registers the same extension, so the
    namespaces are declared on the root of each, and the fragment fits any of them.
    """
    if feed_type == "json":
        # "replace": a lone surrogate (no character, no UTF-8) must not stop the build.
        data = json.dumps(json_item(item), ensure_ascii=False).encode("utf-8", "replace")
    else:
        feed = new_feed(_FRAGMENT_META, feed_type)
        add_entry(feed, item, feed_type, summary_only)
        document = serialize(feed, feed_type)
        opening, closing = _ENTRY_TAGS[feed_type]
        start = document.rindex(b"\n", 0, document.index(opening)) + 1
        end = document.rindex(closing) + len(closing)
        data = document[start:end]
    return data


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
    fragments = [entry_fragment(item, t, summary_only and t == "rss") for t in FEED_TYPES]
    offset, _length = spill.put(b"".join(fragments))
    return CachedEntry(item.updated, item.language, offset, tuple(accumulate(map(len, fragments))))


def assemble(meta: FeedMeta, feed_type: str, entries: Iterable[bytes]) -> bytes:
    """The feed document: its shell with the serialized entries spliced in, in order."""
    head, tail = feed_shell(meta, feed_type)
    return head + (b"," if feed_type == "json" else b"").join(entries) + tail


def json_feed(meta: FeedMeta, items: Sequence[FeedItem]) -> bytes:
    """A JSON Feed of complete items (content included), for callers outside a build."""
    return assemble(meta, "json", (entry_fragment(item, "json", False) for item in items))


def feed_shell(meta: FeedMeta, feed_type: str) -> tuple[bytes, bytes]:
    """The feed without entries, cut where the entries go (after the channel's own fields)."""
    if feed_type == "json":
        return json_shell(meta)
    document = serialize(new_feed(meta, feed_type), feed_type)
    cut = document.rindex(_SHELL_ENDS[feed_type])
    return document[:cut], document[cut:]


# --- the writer -----------------------------------------------------------------------


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
            hubs=tuple(self.settings.get("NEWSROOM_WEBSUB_HUBS") or ()),
        )

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's bookkeeping of written files (``Writer._open_w``), without opening it."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}": it was already written in this build'
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

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
            if self._claim(complete_path, override_output):
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
        meta, kept = view.result(site_timezone(self.settings))
        fragments = [
            entries[position].render(feed_type, self.spill)
            if item is view.items[position]
            else entry_fragment(item, feed_type, view.summary_only)
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
    plan: dict[str, str | None] = {}
    for key, family in JSON_FAMILIES.items():
        plan[key] = settings.get(key) if uses_keys and any(map(settings.get, family)) else None
    pelican_feeds = [name for family in JSON_FAMILIES.values() for name in family]
    for feed_type in FEED_TYPES:
        kind = feed_type.upper()
        if feed_type == "json":
            writes_kind = any(plan[key] for key in JSON_FAMILIES)
        else:
            writes_kind = any(settings.get(n) for n in pelican_feeds if n.endswith(kind))
        key = f"NEWSROOM_SOURCE_FEED_{kind}"
        plan[key] = settings.get(key) if uses_keys and writes_kind else None
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
    "build_item",
    "entry_id",
    "feed_link",
    "json_feed",
    "plan_feeds",
    "planned_feeds",
    "write_extra_feeds",
    "writer_class",
]
