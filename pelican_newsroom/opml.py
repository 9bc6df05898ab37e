"""Reading an OPML subscription list: the feeds ``import --opml`` fetches.

The file goes through the same hardened XML gate as every feed
(:func:`pelican_newsroom.upstream.parse_xml`); the importer accepts only its
http(s) entries (:func:`pelican_newsroom.importer.import_source`).
"""

from __future__ import annotations

from pathlib import Path

from .upstream import FeedError, parse_xml


def read_opml(path: str) -> list[str]:
    """The feed URLs (``xmlUrl``) of an OPML subscription list, in order, each once."""
    try:
        root = parse_xml(Path(path).read_bytes())
    except OSError as error:
        raise FeedError(f"cannot read OPML file {path}: {error.strerror or error}") from None
    urls = [outline.get("xmlUrl", "").strip() for outline in root.iter("outline")]
    return list(dict.fromkeys(url for url in urls if url))
