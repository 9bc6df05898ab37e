"""What earlier imports wrote, and which slugs the site already uses.

Read once per run, on first need: every imported file by ``(feed, id)`` and by
link, and every slug taken anywhere in the content folder, so an import never
duplicates an item nor takes another page's URL.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pelican.utils import slugify

from .article_file import APPROVED_KEY, HASH_KEY
from .reader import header_values
from .sanitize import IMPORT_ID_KEY
from .upstream import UpstreamItem
from .urls import link_key

_MAX_SLUG = 80
#: File names Pelican or this plugin write at the site's root (with the default URL
#: settings): an imported article must never take one, nor crash the build by colliding.
RESERVED_SLUGS = frozenset(
    {
        "index",
        "archives",
        "tags",
        "categories",
        "authors",
        "sources",
        "feeds",
        "drafts",
        "pages",
        "author",
        "category",
        "tag",
        "theme",
        "static",
        "images",
        "search",
        "404",
    }
)
_ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm"})
_RST_SLUG_RE = re.compile(r"^:slug:\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Imported:
    """An article file written by an earlier run."""

    path: Path
    import_feed: str  #: :func:`feed_identity` of the source: ids are only unique within one feed
    import_id: str
    import_link: str | None
    import_hash: str | None
    date: str | None = None  #: as written, so a clamped future date survives re-runs
    title: str | None = None
    status: str | None = None  #: ``draft`` while it waits for review
    #: When ``approve`` published it: its status and date are then the desk's, not upstream's.
    approved: str | None = None

    @property
    def story_key(self) -> str | None:
        """:func:`~pelican_newsroom.urls.link_key` of its link: how duplicates are recognized."""
        return link_key(self.import_link) if self.import_link else None


def _slug(text: str) -> str:
    return str(slugify(text, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")]))


class ArticleIndex:
    """Imported articles by upstream id and by link, and every slug already taken.

    Taken are the reserved names, the slugs of every article and page in the
    whole content folder (from ``slug``, else the title, else the file name),
    not only in the import folder: an imported title equal to a staff
    article's gets ``-2``, never the staff article's URL.
    """

    def __init__(self, output: Path, content: Path | None = None) -> None:
        self.output = output
        self.by_id: dict[tuple[str, str], Imported] = {}
        self.by_link: dict[str, Imported] = {}
        self.taken: set[str] = set(RESERVED_SLUGS)
        for path in sorted(output.rglob("*.md")) if output.is_dir() else []:
            header = self._take(path)
            if header.get(IMPORT_ID_KEY):
                feed, link = header.get("import_feed", ""), header.get("import_link")
                imported = Imported(
                    path,
                    feed,
                    header[IMPORT_ID_KEY],
                    link,
                    header.get(HASH_KEY),
                    header.get("date"),
                    header.get("title"),
                    header.get("status"),
                    header.get(APPROVED_KEY),
                )
                self.add(imported)
        if content is not None and content.is_dir():
            inside = output.resolve()
            for path in sorted(content.rglob("*")):
                if (
                    path.suffix.lower() in _ARTICLE_SUFFIXES
                    and inside not in path.resolve().parents
                ):
                    self._take(path)

    def _take(self, path: Path) -> dict[str, str]:
        """Mark the slugs ``path`` may be published under as taken; its header."""
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return {}
        if path.suffix.lower() == ".rst":
            match = _RST_SLUG_RE.search(text)
            found = {"slug": match[1]} if match else {}
        else:
            found = header_values(text)
        for name in (found.get("slug"), found.get("title"), path.stem):
            if name:
                self.taken.add(_slug(html.unescape(name)).lower())
        return found

    def add(self, imported: Imported) -> None:
        self.taken.add(imported.path.stem.lower())
        self.by_id.setdefault((imported.import_feed, imported.import_id), imported)
        if imported.story_key:
            self.by_link.setdefault(imported.story_key, imported)

    def add_link(self, story_key: str, imported: Imported) -> None:
        """Another link the story is known by (a feed's real link behind a redirect)."""
        self.by_link.setdefault(story_key, imported)

    def find(
        self, feeds: Sequence[str], item: UpstreamItem, claimed: frozenset[str] = frozenset()
    ) -> Imported | None:
        """By the feed's id for it first, then by link (an upstream that changed its ids).

        Links are compared by :func:`~pelican_newsroom.urls.link_key` (tracking
        parameters, scheme, ``www.`` and a trailing slash make no other story),
        the real link behind a FeedBurner redirect first.

        ``feeds`` are the identities this source may have written under (today's
        and the host-only identity of earlier versions). A match may come from
        another feed (the same story linked by two feeds): the caller skips it
        rather than letting two feeds rewrite one file in turn. A file of this
        feed whose id another item of the feed still ``claimed`` is not taken by
        link: feeds that link several entries to one page (a home page, a
        sponsor) keep one file per entry.
        """
        for feed in feeds:
            found = self.by_id.get((feed, item.key))
            if found is not None:
                return found
        keys = [link_key(link) for link in (item.story_link, item.link) if link]
        found = next((self.by_link[key] for key in keys if key in self.by_link), None)
        if found is not None and found.import_feed in feeds and found.import_id in claimed:
            return None
        return found

    def new_path(self, title: str, key: str) -> Path:
        """A file name from the title's slug, made unique with ``-2``, ``-3``…"""
        base = _slug(title)[:_MAX_SLUG].strip("-")
        base = base or "item-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        stem, number = base, 1
        while stem.lower() in self.taken:
            number += 1
            stem = f"{base}-{number}"
        self.taken.add(stem.lower())
        return self.output / f"{stem}.md"
