"""One article as every feed format needs it (:class:`FeedItem`), and a feed's own fields.

:func:`build_item` reads the article's model (``article.newsroom``) and what
only Pelican knows (its URL, rendered content, tags), and makes every URL
absolute: a feed reader has no page to resolve relative links against.  The
item is built once per build and written by :mod:`~pelican_newsroom.feedgen_compat`
(RSS, Atom) and :mod:`~pelican_newsroom.jsonfeed` (JSON Feed).
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from feedgenerator import get_tag_uri
from markupsafe import Markup

from .chain import Hop
from .model import Image, License, Newsroom
from .render import footer_html
from .settings import NewsroomSettings
from .standards import Correction
from .urls import absolute_links, absolutize, join_url

#: Channel date of a feed without items (there is no newest item; never the build clock).
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)
#: A ``guid`` used as the feed id as written: an http(s) URL, a tag URI (RFC 4151) or a URN
#: with a valid namespace id (RFC 8141). Anything else (``urn:x:1``, ``foo:bar``) is wrapped
#: in a tag URI, since feed validators reject ids that only look like URIs.
_URI_RE = re.compile(
    r"^(?:https?://[^\s\"<>\\^`{|}]+|tag:[^\s,]+,\d{4}(?:-\d\d){0,2}:\S*|urn:[A-Za-z0-9][A-Za-z0-9-]{1,31}:\S+)$"
)


def aware(value: datetime, tz: tzinfo) -> datetime:
    """A naive datetime put in ``tz`` (feedgen raises on naive ones); aware ones unchanged."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


@dataclass(frozen=True)
class FeedItem:
    """One article as every feed format needs it; built once per build, shared by all feeds."""

    id: str
    link: str
    title: str
    published: datetime
    updated: datetime
    content: str
    summary: str | None = None
    summary_text: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    #: The model's image with an absolute ``src``, its ``media_type`` and, for the site's own
    #: file, its ``length`` (an enclosure needs both).
    image: Image | None = None
    rights: str | None = None
    hops: tuple[Hop, ...] = ()
    origin_url: str | None = None
    language: str | None = None
    #: The article has correction notes: RSS items then carry ``dcterms:modified``. Only
    #: then: an RSS item of a plain blog must keep the dates Pelican's own feed gave it.
    corrected: bool = False

    @property
    def is_permalink(self) -> bool:
        """RSS ``isPermaLink``: true only when the id is the item's own link."""
        return self.id == self.link

    @property
    def source(self) -> Hop | None:
        return self.hops[-1] if self.hops else None

    @property
    def origin(self) -> str | None:
        """The origin for ``dc:source`` and JSON ``external_url``: ``origin_url``, else the first hop's URL."""
        return self.origin_url or (self.hops[0].url if self.hops else None)

    @property
    def enclosure(self) -> Image | None:
        """The image when it can be an enclosure (type and size known), else None."""
        image = self.image
        return image if image and image.media_type and image.length else None


@dataclass(frozen=True)
class FeedMeta:
    """A feed's own fields; ``updated`` comes from its newest item, never the clock."""

    title: str
    site_url: str
    self_url: str
    description: str
    updated: datetime
    language: str | None = None
    author: str | None = None
    generator: str | None = None
    #: The Atom feed ``<id>``; ``self_url`` when None.
    id: str | None = None
    #: WebSub hubs (``NEWSROOM_WEBSUB_HUBS``): ``rel="hub"`` links, JSON Feed ``hubs``.
    hubs: tuple[str, ...] = ()


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


def feed_image(image: Image, siteurl: str, settings: dict[str, Any]) -> Image:
    """The image with an absolute URL; type and size for an enclosure when the file is ours."""
    absolute = bool(urlsplit(image.src).scheme)
    url = absolutize(image.src, siteurl)
    # An enclosure only for a public host: feed validators reject http://localhost:8000/… there.
    public = "." in (urlsplit(url).hostname or "")
    local = None if absolute or not public else _local_file(image.src, settings)
    return replace(
        image,
        src=url,
        media_type=mimetypes.guess_type(urlsplit(url).path)[0],
        length=local.stat().st_size if local else None,
    )


def _with_footer(html: str, footer: str) -> str:
    return f'{html}\n<p class="newsroom-source-footer">{footer}</p>' if footer else html


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


def _with_corrections(html: str, newsroom: Newsroom | None, settings: NewsroomSettings) -> str:
    """``html`` and the notes after it: in the content, and in the summary that
    summary-only feeds (``RSS_FEED_SUMMARY_ONLY``) show instead."""
    if newsroom is None or not newsroom.corrections:
        return html
    label = str(settings.labels.get("corrections", "Corrections"))
    notes = corrections_html(newsroom.corrections, label, settings.timestamp_format)
    return f"{html}\n{notes}"


def _dates(article: Any, newsroom: Newsroom | None, tz: tzinfo) -> tuple[datetime, datetime]:
    """Published and updated, from the model: updated is the latest of ``modified`` and the
    corrections.  Pelican's ``date``/``modified`` when there is no model (or no date in it:
    Pelican then dates the article itself, ``DEFAULT_DATE``)."""
    published = aware((newsroom.published if newsroom else None) or article.date, tz)
    latest = (newsroom.updated if newsroom else None) or getattr(article, "modified", None)
    return published, aware(latest, tz) if latest else published


def _authors(article: Any, newsroom: Newsroom | None) -> tuple[str, ...]:
    """The model's authors; Pelican's (its ``AUTHOR`` default) when the article names none."""
    if newsroom and newsroom.authors:
        return newsroom.authors
    return tuple(str(author.name) for author in getattr(article, "authors", ()) or ())


def build_item(article: Any, siteurl: str, settings: dict[str, Any]) -> FeedItem:
    """What every feed says about ``article``: absolute URLs, footer, credits, chain."""
    newsroom: Newsroom | None = getattr(article, "newsroom", None)
    options = NewsroomSettings.of(settings)
    link = feed_link(siteurl, article.url, settings)
    published, updated = _dates(article, newsroom, options.timezone)
    footer = str(footer_html(article, NewsroomSettings.of(settings).footer))
    summary = str(getattr(article, "summary", "") or "")
    tags = [str(tag.name) for tag in getattr(article, "tags", ()) or ()]
    category = getattr(article, "category", None)
    return FeedItem(
        id=entry_id(article, link, siteurl),
        link=link,
        title=str(Markup(article.title).striptags()),
        published=published,
        updated=updated,
        content=_with_corrections(
            _with_footer(absolute_links(article.get_content(siteurl), link), footer),
            newsroom,
            options,
        ),
        summary=_with_corrections(
            _with_footer(absolute_links(summary, link), footer), newsroom, options
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
