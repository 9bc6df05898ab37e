"""The outlets of every chain (:mod:`pelican_newsroom.sources`), on plain values: one source
per identity, unique slugs whatever the article order, short enough for a file name.

The pages and feeds written for them are tested in real builds in ``test_sources_pages.py``.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from pelican_newsroom.chain import Hop, parse_hop_text
from pelican_newsroom.sources import collect_sources


def _article(day: int, *hops: str) -> SimpleNamespace:
    """What collect_sources reads of an article: its date and its chain."""
    chain = tuple(parse_hop_text(hop) for hop in hops)
    return SimpleNamespace(date=datetime(2020, 1, day), newsroom=SimpleNamespace(hops=chain))


def _slugs(articles: list[SimpleNamespace]) -> dict[str, str]:
    return {source.identity: source.slug for source in collect_sources(articles)}


CHAINS = [
    ["Reuters com"],
    ["Reuters com 2"],  # already owns "reuters-com-2": the suffix skips it
    ["Reuters <https://www.reuters.com/world/1>"],
    ["REUTERS.COM"],  # a name that reads as the host: same identity, same source
]


@pytest.mark.parametrize("order", [1, -1])
def test_identities_sharing_a_slug_get_distinct_slugs_whatever_the_article_order(order):
    articles = [_article(day, *hops) for day, hops in enumerate(CHAINS[::order], start=1)]
    assert _slugs(articles) == {
        "reuters.com": "reuters-com",  # known by a URL: keeps the plain slug
        "reuters com": "reuters-com-3",
        "reuters com 2": "reuters-com-2",
    }


def test_a_name_too_long_for_a_file_gets_a_short_slug():
    (source,) = collect_sources([_article(1, "Long " * 80)])
    assert len(source.slug.encode()) <= 120


def test_sources_of_finds_the_collected_source_of_a_hop():
    sources = collect_sources([_article(1, "Wire <https://wire.example/a>")])
    assert sources.of(Hop(name="Other name", url="https://www.wire.example/b")) is sources[0]
    assert sources.of(Hop(name="Draft-only outlet")) is None
