"""Reading an OPML subscription list: the feeds ``import --opml`` fetches.

The file goes through the same hardened XML gate as every feed
(:func:`pelican_newsroom.upstream.parse_xml`); the importer accepts only its
http(s) entries (:func:`pelican_newsroom.importer.import_source`).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .text import clean_text
from .upstream import FeedError, parse_xml
from .urls import host_of


def opml_feeds(path: str) -> dict[str, str]:
    """The feeds of an OPML subscription list: URL (``xmlUrl``) -> its title, in order, each once."""
    try:
        root = parse_xml(Path(path).read_bytes())
    except OSError as error:
        raise FeedError(f"cannot read OPML file {path}: {error.strerror or error}") from None
    feeds: dict[str, str] = {}
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl", "").strip()
        if url and url not in feeds:
            name = clean_text(outline.get("title") or outline.get("text") or "")
            feeds[url] = name or host_of(url) or url
    return feeds


def read_opml(path: str) -> list[str]:
    """The feed URLs (``xmlUrl``) of an OPML subscription list, in order, each once."""
    return list(opml_feeds(path))


def as_sources_file(feeds: dict[str, str]) -> str:
    """A sources file listing ``feeds`` (URL -> title), names made unique: a start to edit."""
    taken: set[str] = set()
    entries = []
    for url, title in feeds.items():
        name, number = title, 1
        while name.casefold() in taken:
            number += 1
            name = f"{title} ({number})"
        taken.add(name.casefold())
        entries.append({"name": name, "url": url})
    text: str = yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True)
    return text
