"""The sources of a site: every outlet that appears in any article's chain.

Read by the Sources page (theme) and the per-source feeds; built from the
already-built ``article.newsroom`` models, never from raw metadata.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .chain import Hop


@dataclass
class Source:
    """One outlet, and the published articles whose chain passes through it (newest first)."""

    identity: str
    slug: str
    name: str
    url: str | None = None
    feed: str | None = None
    articles: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.articles)


def collect_sources(articles: Iterable[Any]) -> list[Source]:
    """Sources sorted by name; the first hop seen names a source, later hops fill in url/feed.

    ``articles`` should be what readers can see (published, not drafts or hidden).
    """
    sources: dict[str, Source] = {}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        newsroom = getattr(article, "newsroom", None)
        for hop in newsroom.hops if newsroom else ():
            source = sources.get(hop.identity) or _new_source(hop)
            sources[hop.identity] = source
            source.url = source.url or hop.url
            source.feed = source.feed or hop.feed
            if not source.articles or source.articles[-1] is not article:
                source.articles.append(article)
    return sorted(sources.values(), key=lambda s: (s.name.casefold(), s.identity))


def _new_source(hop: Hop) -> Source:
    return Source(identity=hop.identity, slug=hop.slug, name=hop.name)
