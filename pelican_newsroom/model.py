"""``article.newsroom``: the news model of one article, built once from its metadata.

This is the only module that reads ``article.metadata`` for news keys;
templates, feeds and the command line read the :class:`Newsroom` it builds.
Bad values become :class:`~pelican_newsroom.errors.Problem` objects stored on
the model (so they survive Pelican's content cache), and the field is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from .chain import Hop, parse_chain
from .dates import localize
from .errors import NewsroomError, Problem
from .images import site_image_size
from .reader import READER_PROBLEMS_KEY
from .settings import NewsroomSettings
from .standards import (
    LARGE_IMAGE_PREVIEW,
    Correction,
    parse_canonical,
    parse_corrections,
    parse_footer,
    parse_robots,
)
from .text import clean_text
from .urls import looks_like_url, parse_absolute_url, parse_site_url

T = TypeVar("T")

_CC_URL_RE = re.compile(
    r"^https?://creativecommons\.org/(?:licenses/(?P<kind>[a-z-]+)|publicdomain/(?P<pd>zero|mark))/(?P<version>\d\.\d)/?",
    re.IGNORECASE,
)
_CC_TEXT_RE = re.compile(
    r"^CC[ -](?P<kind>BY(?:-(?:NC|SA|ND))*|0)(?:[ -](?P<version>\d\.\d))?$", re.IGNORECASE
)


@dataclass(frozen=True)
class License:
    """A licence as given (text or URL); Creative Commons names and URLs are completed."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Image:
    """The lead image and who owns it."""

    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None
    credit_url: str | None = None
    license: License | None = None
    #: Pixels, when the image is a raster file of the site (:mod:`pelican_newsroom.images`).
    width: int | None = None
    height: int | None = None
    #: The MIME type and size in bytes, for a feed enclosure (set by the feeds, on the image
    #: with an absolute ``src``; the size only when the file is the site's own).
    media_type: str | None = None
    length: int | None = None


@dataclass(frozen=True)
class Newsroom:
    """Everything news-specific about one article, parsed and validated."""

    hops: tuple[Hop, ...] = ()
    authors: tuple[str, ...] = ()
    origin_url: str | None = None
    image: Image | None = None
    license: License | None = None
    guid: str | None = None
    #: ``date`` and ``modified``, aware (a naive value is in the site's ``TIMEZONE``).
    published: datetime | None = None
    modified: datetime | None = None
    #: The canonical URL when it is not the page itself (``canonical`` key, else
    #: ``NEWSROOM_CANONICAL``); None: the page is its own canonical.
    canonical_url: str | None = None
    #: ``<meta name="robots">`` directives (``robots`` key, else ``NEWSROOM_NOINDEX_SYNDICATED``).
    robots: tuple[str, ...] = ()
    #: ``<meta name="Googlebot-News">`` directives (``NEWSROOM_NOINDEX_SYNDICATED = "googlebot-news"``).
    googlebot_news: tuple[str, ...] = ()
    #: Correction notes, oldest first.
    corrections: tuple[Correction, ...] = ()
    #: The latest of ``modified`` (else ``published``) and the corrections' dates.
    updated: datetime | None = None
    #: This article's source footer (``footer`` key: an import's per-source text), else None:
    #: ``NEWSROOM_FOOTER``.
    footer: str | None = None
    problems: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def noindex(self) -> bool:
        """Kept out of search: ``noindex``/``none`` for robots or for Googlebot-News.

        What a news sitemap reads to leave the article out.
        """
        return bool({"noindex", "none"} & set(self.robots + self.googlebot_news))

    @property
    def robots_content(self) -> str:
        """The robots meta content: the directives, plus a large image preview when indexable."""
        directives = list(self.robots)
        indexable = not {"noindex", "none"} & set(directives)
        if indexable and not any(d.startswith("max-image-preview:") for d in directives):
            directives.append(LARGE_IMAGE_PREVIEW)
        return ", ".join(directives)

    @property
    def origin(self) -> Hop | None:
        """Where the story was first published (first hop), if it is a repost."""
        return self.hops[0] if self.hops else None

    @property
    def source(self) -> Hop | None:
        """Where this copy came from directly (last hop), if it is a repost."""
        return self.hops[-1] if self.hops else None

    @property
    def is_repost(self) -> bool:
        return bool(self.hops)

    @property
    def uses_keys(self) -> bool:
        """Whether the article has any of our own keys (Pelican's ``date``/``author`` are not)."""
        return bool(
            self.hops
            or self.origin_url
            or self.image
            or self.license
            or self.guid
            or self.corrections
        )


def parse_license(value: object) -> License:
    """``CC BY 4.0``, a licence URL, or any licence name."""
    text = _parse_text(value)
    if looks_like_url(text):
        url = parse_absolute_url(text)
        match = _CC_URL_RE.match(url)
        if not match:
            return License(name=url, url=url)
        kind = "0" if match["pd"] == "zero" else (match["kind"] or "PDM").upper()
        return License(name=f"CC {kind} {match['version']}".replace("CC 0", "CC0"), url=url)
    match = _CC_TEXT_RE.match(text)
    if match and match["version"]:
        kind = match["kind"].lower()
        path = "publicdomain/zero" if kind == "0" else f"licenses/{kind}"
        return License(name=text, url=f"https://creativecommons.org/{path}/{match['version']}/")
    return License(name=text)


def _parse_text(value: object) -> str:
    """A text field: lists (continuation lines) joined, scalars from YAML accepted."""
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise NewsroomError(value, "text")
    text = clean_text(str(value))
    if not text:
        raise NewsroomError(value, "text, got an empty value")
    return text


def _names(values: object) -> tuple[str, ...]:
    """Author names from Pelican's ``author``/``authors`` (Author objects or text)."""
    if values is None:
        return ()
    items = values if isinstance(values, list | tuple) else [values]
    return tuple(name for name in (clean_text(str(v)) for v in items) if name)


class _Builder:
    """Reads one article's metadata, collecting problems instead of stopping at the first."""

    def __init__(self, metadata: Mapping[str, Any], file: str, settings: NewsroomSettings) -> None:
        self.metadata = metadata
        self.file = file
        self.settings = settings
        self.problems: list[Problem] = list(metadata.get(READER_PROBLEMS_KEY, ()))

    def field(self, key: str, parse: Callable[[object], T]) -> T | None:
        """``parse(metadata[key])``, or None (with a problem) when absent or bad."""
        if key not in self.metadata:
            return None
        try:
            return parse(self.metadata[key])
        except NewsroomError as error:
            self.problems.append(Problem.from_error(self.file, key, error))
            return None

    def chain(self) -> tuple[Hop, ...]:
        settings = self.settings

        def parse(value: object) -> tuple[Hop, ...]:
            hops, warnings = parse_chain(
                value, settings.timezone, settings.date_order, settings.max_hops
            )
            self.problems.extend(Problem.from_error(self.file, "via", w) for w in warnings)
            return hops

        return self.field("via", parse) or ()

    def image(self) -> Image | None:
        src = self.field("image", parse_site_url)
        caption = self.field("image_caption", _parse_text)
        alt = self.field("image_alt", _parse_text)
        credit = self.field("image_credit", _parse_text)
        credit_url = self.field("image_credit_url", parse_absolute_url)
        image_license = self.field("image_license", parse_license)
        if src is None:
            orphans = [
                k for k in ("image_caption", "image_alt", "image_credit") if k in self.metadata
            ]
            if orphans and "image" not in self.metadata:
                self.problems.append(
                    Problem(
                        self.file, orphans[0], "", "given without an 'image' to describe", "warning"
                    )
                )
            return None
        size = site_image_size(src, self.settings.content_path, self.settings.static_paths)
        width, height = size or (None, None)
        return Image(
            src, alt or caption or "", caption, credit, credit_url, image_license, width, height
        )

    def canonical(self, origin_url: str | None) -> str | None:
        """The canonical URL when it is not the page: the article's key, else the setting."""
        choice = self.field("canonical", parse_canonical) or self.settings.canonical
        if choice == "self":
            return None
        if choice != "origin":
            return choice
        if origin_url is None and "canonical" in self.metadata:
            self.problems.append(
                Problem(
                    self.file,
                    "canonical",
                    "'origin'",
                    "an 'origin_url' to point at; the page itself is the canonical",
                    "warning",
                )
            )
        return origin_url

    def robots(self, is_repost: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``(robots, googlebot_news)`` directives: the article's key wins over the setting."""
        own = self.field("robots", parse_robots)
        if own is not None:
            return own, ()
        mode = self.settings.noindex_syndicated
        if not is_repost or mode is False:
            return (), ()
        return ((), ("noindex",)) if mode == "googlebot-news" else (("noindex",), ())

    def corrections(self) -> tuple[Correction, ...]:
        if "corrections" not in self.metadata:
            return ()
        settings = self.settings
        corrections, errors = parse_corrections(
            self.metadata["corrections"], settings.timezone, settings.date_order
        )
        self.problems.extend(Problem.from_error(self.file, "corrections", e) for e in errors)
        return corrections

    def date(self, key: str) -> datetime | None:
        """``date``/``modified`` as the reader left it, made aware (a naive one is site time),
        as Pelican makes ``article.date``; None when absent or discarded."""
        value = self.metadata.get(key)
        if not isinstance(value, datetime):  # absent, or the reader's discarded-value marker
            return None
        return value if value.tzinfo else localize(value, self.settings.timezone, value)

    def updated(self, corrections: tuple[Correction, ...]) -> datetime | None:
        """The latest of ``modified`` (else ``date``) and the corrections (naive: site zone)."""
        dates = [self.date("modified") or self.date("date")]
        dates += [
            c.date if c.date.tzinfo else localize(c.date, self.settings.timezone, c.date)
            for c in corrections
        ]
        return max((d for d in dates if d is not None), default=None)

    def build(self) -> Newsroom:
        hops = self.chain()
        origin_url = self.field("origin_url", parse_absolute_url)
        robots, googlebot_news = self.robots(bool(hops))
        corrections = self.corrections()
        return Newsroom(
            hops=hops,
            authors=_names(self.metadata.get("authors") or self.metadata.get("author")),
            origin_url=origin_url,
            image=self.image(),
            license=self.field("license", parse_license),
            guid=self.field("guid", _parse_text),
            published=self.date("date"),
            modified=self.date("modified"),
            canonical_url=self.canonical(origin_url),
            robots=robots,
            googlebot_news=googlebot_news,
            corrections=corrections,
            updated=self.updated(corrections),
            footer=self.field("footer", parse_footer),
            problems=tuple(self.problems),
        )


def build_newsroom(
    metadata: Mapping[str, Any],
    file: str,
    settings: NewsroomSettings,
    extra: Iterable[Problem] = (),
) -> Newsroom:
    """The model of one article or page, with every problem found on the way (plus ``extra``)."""
    builder = _Builder(metadata, file, settings)
    builder.problems.extend(extra)
    return builder.build()
