"""The sources of a site: every outlet that appears in any article's chain.

Read by the Sources page (theme), the per-source pages and the per-source
feeds, and by every template that links a hop to its source's page; built
once per build from the already-built ``article.newsroom`` models, never from
raw metadata.  The :class:`Source` collected here is the only place a source's
slug and "has its own pages" are decided, so no link can point at a file that
is written under another name, or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .chain import Hop, source_slug
from .collisions import short_slug


@dataclass
class Source:
    """One outlet, and the published articles whose chain passes through it (newest first)."""

    identity: str
    name: str
    url: str | None = None
    feed: str | None = None
    articles: list[Any] = field(default_factory=list)
    #: Unique among the build's sources: the file name of its page and feeds.
    slug: str = ""
    #: Whether its own listing page and per-source feeds are written: at least
    #: ``NEWSROOM_SOURCE_MIN_ARTICLES`` published articles came through it.
    has_pages: bool = True

    @property
    def count(self) -> int:
        return len(self.articles)


class Sources(tuple[Source, ...]):
    """The collected sources, sorted by name, and the way from a :class:`Hop` to its source.

    A tuple, so themes iterate over it as before; :meth:`of` is what the
    ``newsroom_source`` filter uses.
    """

    _by_identity: dict[str, Source]

    def __new__(cls, sources: Iterable[Source] = ()) -> Sources:
        self = super().__new__(cls, sources)
        self._by_identity = {source.identity: source for source in self}
        return self

    def of(self, hop: Hop) -> Source | None:
        """The source ``hop`` belongs to; None for a hop of no published article (a draft's)."""
        return self._by_identity.get(hop.identity)


def collect_sources(articles: Iterable[Any], min_articles: int = 1) -> Sources:
    """Sources sorted by name; the first hop seen names a source, later hops fill in url/feed.

    ``articles`` should be what readers can see (published, not drafts or hidden).
    A source gets its own pages (:attr:`Source.has_pages`) when at least
    ``min_articles`` of them came through it: a hostile feed naming a new outlet
    in every item would otherwise turn each item into a page and three feeds.
    """
    sources: dict[str, Source] = {}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        newsroom = getattr(article, "newsroom", None)
        for hop in newsroom.hops if newsroom else ():
            source = sources.get(hop.identity) or Source(identity=hop.identity, name=hop.name)
            sources[hop.identity] = source
            source.url = source.url or hop.url
            source.feed = source.feed or hop.feed
            if not source.articles or source.articles[-1] is not article:
                source.articles.append(article)
    assign_slugs(sources.values())
    for source in sources.values():
        source.has_pages = source.count >= min_articles
    return Sources(sorted(sources.values(), key=lambda s: (s.name.casefold(), s.identity)))


def assign_slugs(sources: Iterable[Source]) -> None:
    """Give every source a slug no other source has, the same in every build of the same site.

    Two identities can share a slug (the name ``Reuters com`` and the host
    ``reuters.com`` are both ``reuters-com``); writing both would overwrite a
    page and fail the build.  Among sources sharing a slug, the ones known by
    a URL come first, then by identity; the first keeps the slug, the others
    get the first free ``-2``, ``-3``…  The order depends only on the set of
    identities, never on article order or dates, so URLs stay put between
    builds.  Slugs too long for a file name are shortened with a hash first.
    """
    by_slug: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        slug = source_slug(source.identity)
        by_slug[short_slug(slug) or slug].append(source)
    taken = set(by_slug)
    for slug in sorted(by_slug):
        first, *others = sorted(by_slug[slug], key=lambda s: (s.url is None, s.identity))
        first.slug = slug
        number = 2
        for source in others:
            while f"{slug}-{number}" in taken:
                number += 1
            source.slug = f"{slug}-{number}"
            taken.add(source.slug)
