"""The syndication chain: the hops a story went through, origin first.

A hop is written ``Name <URL>``, ``Name`` or ``URL`` (Markdown header, rST
field, YAML string) or, in YAML, a mapping ``{name, url, feed, author, date}``.
A hop's identity is its URL's host when it has a URL, else its name: two
hops with the same identity are the same source (for the Sources page, the
per-source feeds and loop detection).  Different identities may still share a
slug; ``sources.py`` makes slugs unique.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

from pelican.utils import slugify

from .dates import DateOrder, parse_timestamp
from .errors import NewsroomError
from .text import clean_text
from .urls import host_of, looks_like_url, parse_absolute_url

HOP_KEYS = ("name", "url", "feed", "author", "date")
#: Hosts that only forward readers to someone else's page: feed proxies and link shorteners.
REDIRECTOR_HOSTS = frozenset(
    {
        "feedproxy.google.com",
        "feeds.feedburner.com",
        "feedburner.com",
        "feedburner.google.com",
        "news.google.com",
        "ift.tt",
        "t.co",
        "bit.ly",
        "buff.ly",
        "ow.ly",
        "dlvr.it",
        "trib.al",
        "lnkd.in",
        "tinyurl.com",
        "goo.gl",
        "fb.me",
        "wp.me",
        "feeds.feedblitz.com",
    }
)
_NAME_URL_RE = re.compile(r"^(?P<name>.*?)\s*<(?P<url>[^<>]*)>$", re.DOTALL)
_SLUG_SUBS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


@dataclass(frozen=True)
class Hop:
    """One outlet the story passed through."""

    name: str
    url: str | None = None
    feed: str | None = None
    author: str | None = None
    date: datetime | None = None

    @property
    def identity(self) -> str:
        """The host of :attr:`url` if there is one, else the name (case-folded).

        A redirector's host (FeedBurner, ``ift.tt``, ``t.co``…) names no outlet: every blog
        behind it would become one source, so such a hop is known by its name.
        """
        host = host_of(self.url) if self.url else ""
        return host if host and host not in REDIRECTOR_HOSTS else self.name.casefold()


@lru_cache(maxsize=4096)
def source_slug(identity: str) -> str:
    """The file-name-safe form of a source identity, before it is made unique.

    Two identities can give one slug: only :func:`pelican_newsroom.sources.assign_slugs`
    hands out the slug a source's page and feeds are written under.  Cached, since
    ``slugify`` (Unicode normalization, four regular expressions) is slow.
    """
    slug = str(slugify(identity.replace(".", "-"), regex_subs=_SLUG_SUBS))
    if not slug:  # a name in a script slugify cannot transliterate
        slug = "source-" + hashlib.sha1(identity.encode()).hexdigest()[:10]
    return slug


def _text(value: object, what: str) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise NewsroomError(value, f"{what} as text")
    return clean_text(str(value))


def _optional_url(value: object) -> str | None:
    return None if value in (None, "") else parse_absolute_url(value)


def parse_hop_text(text: str) -> Hop:
    """``Name <URL>``, ``Name`` or ``URL``; a URL-only hop is named after its host."""
    text = clean_text(text)
    if not text:
        raise NewsroomError(
            text, "a hop such as 'ZeroHedge News <https://www.zerohedge.com/>', got an empty value"
        )
    if looks_like_url(text):
        url = parse_absolute_url(text)
        return Hop(name=host_of(url), url=url)
    match = _NAME_URL_RE.match(text)
    if match:
        url = parse_absolute_url(match["url"])
        return Hop(name=match["name"].strip() or host_of(url), url=url)
    if "<" in text or ">" in text:
        raise NewsroomError(text, "a hop written 'Name <URL>' with one pair of angle brackets")
    return Hop(name=text)


def parse_hop_mapping(value: Mapping[Any, object], tz: tzinfo, order: DateOrder) -> Hop:
    """A YAML mapping with the keys of :data:`HOP_KEYS`."""
    unknown = [str(k) for k in value if k not in HOP_KEYS]
    if unknown:
        raise NewsroomError(
            dict(value), f"hop keys among {', '.join(HOP_KEYS)}; unknown: {', '.join(unknown)}"
        )
    url = _optional_url(value.get("url"))
    name = _text(value.get("name") or "", "a hop name")
    if not name and not url:
        raise NewsroomError(dict(value), "a hop with at least a name or a url")
    raw_date = value.get("date")
    return Hop(
        name=name or host_of(url or ""),
        url=url,
        feed=_optional_url(value.get("feed")),
        author=_text(value["author"], "a hop author") or None if value.get("author") else None,
        date=parse_timestamp(raw_date, tz, order) if raw_date not in (None, "") else None,
    )


def split_hop_values(value: object) -> list[object]:
    """The raw hops of a ``via`` value: a list, or text with one hop per line."""
    if isinstance(value, list | tuple):
        items: list[object] = []
        for item in value:
            items.extend(split_hop_values(item) if isinstance(item, str) else [item])
        return items
    if isinstance(value, str):
        lines = [line for line in value.splitlines() if line.strip()]
        return list(lines) or [value]
    return [value]


def parse_hop(value: object, tz: tzinfo, order: DateOrder) -> Hop:
    if isinstance(value, Mapping):
        return parse_hop_mapping(value, tz, order)
    if isinstance(value, str):
        return parse_hop_text(value)
    raise NewsroomError(
        value, "a hop as 'Name <URL>', 'Name', 'URL' or a mapping {name, url, feed, author, date}"
    )


def dedupe_hops(hops: list[Hop]) -> tuple[list[Hop], list[NewsroomError]]:
    """Drop repeated sources (a cycle such as A → B → A); keep each first occurrence."""
    seen: set[str] = set()
    kept: list[Hop] = []
    for hop in hops:
        if hop.identity not in seen:
            seen.add(hop.identity)
            kept.append(hop)
    if len(kept) == len(hops):
        return hops, []
    repeated = len(hops) - len(kept)
    return kept, [
        NewsroomError(
            hops[-1].name,
            f"the chain repeats a source {repeated} time(s); repeats dropped",
            "warning",
        )
    ]


def bound_hops(hops: list[Hop], max_hops: int) -> tuple[list[Hop], list[NewsroomError]]:
    """Keep the origin and the newest hops of an overlong chain."""
    if len(hops) <= max_hops:
        return hops, []
    kept = [hops[0], *hops[len(hops) - max_hops + 1 :]] if max_hops > 1 else hops[:1]
    message = f"at most {max_hops} hops (NEWSROOM_MAX_HOPS); kept the origin and the newest {max_hops - 1}"
    return kept, [NewsroomError(f"{len(hops)} hops", message, "warning")]


def _salvage(value: object) -> Hop | None:
    """The name of a hop whose URL was refused as unsafe, if it has one."""
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        name = clean_text(value["name"])
    elif (
        isinstance(value, str)
        and not looks_like_url(value)
        and (match := _NAME_URL_RE.match(clean_text(value)))
    ):
        name = match["name"].strip()
    else:
        return None
    return Hop(name=name) if name else None


def parse_hops(
    values: list[object], tz: tzinfo, order: DateOrder
) -> tuple[list[Hop], list[NewsroomError]]:
    """Parse each hop; an unsafe URL (a warning) costs only that URL, an error costs the field."""
    hops: list[Hop] = []
    warnings: list[NewsroomError] = []
    for value in values:
        try:
            hops.append(parse_hop(value, tz, order))
        except NewsroomError as error:
            if error.severity != "warning":
                raise
            warnings.append(error)
            salvaged = _salvage(value)
            if salvaged:
                hops.append(salvaged)
    return hops, warnings


def parse_chain(
    value: object, tz: tzinfo, order: DateOrder, max_hops: int
) -> tuple[tuple[Hop, ...], list[NewsroomError]]:
    """Every hop of a ``via`` value, origin first, plus warnings; raises on the first bad hop."""
    hops, unsafe = parse_hops(split_hop_values(value), tz, order)
    hops, repeats = dedupe_hops(hops)
    hops, overflow = bound_hops(hops, max_hops)
    return tuple(hops), unsafe + repeats + overflow
