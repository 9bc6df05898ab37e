"""``pelican-newsroom import``: other sites' feed items become credited articles.

Each item becomes one Markdown file whose metadata uses the keys of SPEC §3:
the chain the item carried (``via``, origin first) plus **one hop for the feed
itself**, ``origin_url``, the image and its credit, authors, tags.  The body
is sanitized with nh3 (no scripts, event handlers, ``javascript:`` URLs or
iframes unless ``NEWSROOM_IMPORT_IFRAMES``), relative URLs made absolute, and
wrapped in one ``<div>`` so Markdown leaves it alone.

Bookkeeping keys make a re-run idempotent: ``import_feed`` (which feed),
``import_id`` (the upstream id, or the link; never our own ``guid``, which the
feeds of this site keep for themselves), ``import_link`` and ``import_hash`` (SHA-256 of the file as
written, without the hash line).  On a re-run an item is found by id, then by
link; an unchanged item leaves its file alone, an upstream update rewrites it
only if the file still hashes to ``import_hash`` (not edited here), otherwise
it is reported as a conflict.  Every write goes to a temporary file in the
same folder and is renamed over the target, so a crash never leaves half an
article.

Loops are stopped: an item whose chain (or whose new hop) is this site, or
whose id was minted here, is skipped, so a story never bounces A → B → A.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from markdown import Markdown
from pelican.utils import slugify

from .chain import Hop, bound_hops, dedupe_hops
from .feedext import hop_to_json
from .fetch import FetchError, Validators, fetch, is_url
from .files import write_atomically
from .ingest import BrokenItem, FeedError, UpstreamFeed, UpstreamItem, parse_feed, parse_xml
from .reader import load_yaml, markdown_header_meta, yaml_front_matter
from .sanitize import (
    IMPORT_ID_KEY,
    html_to_text,
    neutralize_placeholders,
    one_line_values,
    plain_name,
    sanitize_html,
    title_html,
)
from .text import clean_text
from .urls import SAFE_SCHEMES, host_of

ArticleFormat = Literal["md", "yaml"]
Action = Literal["new", "updated", "unchanged", "conflict", "skipped", "failed"]
ACTIONS: tuple[Action, ...] = ("new", "updated", "unchanged", "conflict", "skipped", "failed")

#: Remembers ETag/Last-Modified per source URL, inside the output folder.
STATE_FILE = ".newsroom-import.json"
#: How far ahead of the run an item's date may be (time zones, clock skew) before it is clamped.
FUTURE_TOLERANCE = timedelta(days=1)
HASH_KEY = "import_hash"
BODY_CLASS = "newsroom-import"
_MAX_SLUG = 80


@dataclass(frozen=True)
class ImportOptions:
    """Everything one run needs, from the command line and the site's settings."""

    output: Path
    article_format: ArticleFormat = "yaml"
    siteurl: str = ""
    timezone: tzinfo = UTC
    max_hops: int = 50
    category: str | None = None
    limit: int | None = None
    since: datetime | None = None
    dry_run: bool = False
    allow_iframes: bool = False
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_body: int = 200_000  #: characters of sanitized HTML; longer bodies become an excerpt
    content: Path | None = None  #: the site's content folder: its slugs are taken


@dataclass(frozen=True)
class ItemResult:
    """What happened to one item."""

    action: Action
    id: str
    title: str | None = None
    file: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "id": self.id,
            "title": self.title,
            "file": self.file,
            "message": self.message,
        }


@dataclass
class SourceResult:
    """What happened to one source: an error for the whole source, or one result per item."""

    source: str
    error: str | None = None
    not_modified: bool = False
    items: list[ItemResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(item.action for item in self.items)
        return {action: found[action] for action in ACTIONS}

    @property
    def ok(self) -> bool:
        return self.error is None and not any(item.action == "failed" for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "error": self.error,
            "not_modified": self.not_modified,
            "counts": self.counts,
            "items": [item.to_dict() for item in self.items],
        }


# --- the article file ----------------------------------------------------------------


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _md_hop(hop: dict[str, str]) -> str:
    """``Name <URL>`` or ``Name``: the only hop forms a Markdown header has (no feed/author/date)."""
    name = clean_text(re.sub("[<>]", " ", hop["name"])) or host_of(hop.get("url", "")) or "source"
    return f"{name} <{hop['url']}>" if hop.get("url") else name


def _md_value(key: str, value: Any) -> str:
    """One Markdown-header value; hops on continuation lines."""
    if key == "via":
        return "\n    ".join(_md_hop(hop) for hop in value)
    if isinstance(value, list):  # Pelican splits authors and tags on commas
        return ", ".join(clean_text(str(v).replace(",", " ")) for v in value)
    return clean_text(str(value))


#: libyaml's emitter when PyYAML has it (ten times faster than the pure-Python one).
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _header(metadata: dict[str, Any], article_format: ArticleFormat) -> str:
    if article_format == "yaml":
        dumped: str = yaml.dump(
            metadata, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=1_000_000
        )
        return dumped
    return "".join(f"{key}: {_md_value(key, value)}\n" for key, value in metadata.items())


def render_article(
    metadata: dict[str, Any], body: str, article_format: ArticleFormat
) -> tuple[str, str]:
    """The file's text, ending its header with ``import_hash`` of everything else; and that hash."""
    header = _header(metadata, article_format)
    wrapped = f'<div class="{BODY_CLASS}">\n{body}\n</div>\n'
    if article_format == "yaml":
        unhashed = f"---\n{header}---\n\n{wrapped}"
        digest = content_hash(unhashed)
        return unhashed.replace("\n---\n\n", f"\n{HASH_KEY}: {digest}\n---\n\n", 1), digest
    unhashed = f"{header}\n{wrapped}"
    digest = content_hash(unhashed)
    return f"{header}{HASH_KEY}: {digest}\n\n{wrapped}", digest


def stored_hash_matches(text: str, stored: str) -> bool:
    """True when the file is exactly as the importer wrote it (not edited since)."""
    line = f"{HASH_KEY}: {stored}\n"
    return line in text and content_hash(text.replace(line, "", 1)) == stored


def read_header(text: str, md: Markdown | None = None) -> dict[str, str]:
    """The scalar keys of an article header (YAML front matter or Markdown ``Key: value``),
    read as the build reads them (:mod:`pelican_newsroom.reader`), so an injected line
    means the same to the importer as to Pelican."""
    front = yaml_front_matter(text)
    if front is not None:
        try:
            data = load_yaml(front[0])
        except yaml.YAMLError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k).lower(): str(v) for k, v in data.items() if isinstance(v, str | int | float)}
    md = md or Markdown(extensions=["meta"])
    md.reset()
    meta, _body = markdown_header_meta(text, md)
    return {key: "\n".join(lines).strip() for key, lines in meta.items() if len(lines) == 1}


def write_atomic(path: Path, text: str) -> None:
    """``text`` as UTF-8 with ``\n`` line ends, written atomically."""
    write_atomically(path, text.encode("utf-8"))


# --- what is already imported ---------------------------------------------------------

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
        self._md = Markdown(extensions=["meta"])
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
            header = {key: match for key, match in [("slug", _RST_SLUG_RE.search(text))] if match}
            found = {"slug": header["slug"][1]} if header else {}
        else:
            found = read_header(text, self._md)
        for name in (found.get("slug"), found.get("title"), path.stem):
            if name:
                self.taken.add(_slug(html.unescape(name)).lower())
        return found

    def add(self, imported: Imported) -> None:
        self.taken.add(imported.path.stem.lower())
        self.by_id.setdefault((imported.import_feed, imported.import_id), imported)
        if imported.import_link:
            self.by_link.setdefault(imported.import_link, imported)

    def find(
        self, feeds: Sequence[str], item: UpstreamItem, claimed: frozenset[str] = frozenset()
    ) -> Imported | None:
        """By the feed's id for it first, then by link (an upstream that changed its ids).

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
        found = self.by_link.get(item.link) if item.link else None
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


# --- one item ------------------------------------------------------------------------


def feed_identity(source: str) -> str:
    """Which feed a source is: where it was fetched from, never what the feed says it is.

    A URL as given; a local file by its absolute path. A feed that claims another
    site's ``<link>`` therefore cannot reach that site's articles.
    """
    return source.strip() if is_url(source) else os.path.abspath(source)


def legacy_identities(source: str) -> tuple[str, ...]:
    """Identities earlier versions wrote for this source (the host), when bound to it:
    only the host the source is actually fetched from, so adopting them is not spoofable."""
    return (host_of(source),) if is_url(source) and host_of(source) else ()


def feed_hop(feed: UpstreamFeed, item: UpstreamItem, source: str) -> Hop:
    """The hop this import adds: the feed itself (its title, its site, its feed URL), with the
    item's authors and date. The item's own link is the story, kept as ``import_link`` (and
    as ``origin_url`` when the feed is the origin); a FeedBurner or shortener link there
    would otherwise name the outlet. The date in whole seconds, like the article's: a
    ``datetime`` attribute allows at most three digits of a fraction."""
    return Hop(
        name=feed.title,
        url=feed.link,
        feed=feed.self_url or (source if is_url(source) else None),
        author=", ".join(item.authors) or None,
        date=item.published and item.published.replace(microsecond=0),
    )


def loop_reason(chain: Iterable[Hop], item: UpstreamItem, site_host: str) -> str | None:
    """Why importing this item would bounce a story back to this site, if it would."""
    if not site_host:
        return None
    for hop in chain:
        if site_host in {hop.identity, host_of(hop.feed or "")}:
            return (
                f"syndication loop: the chain already contains this site ({site_host}: {hop.name})"
            )
    if host_of(item.key) == site_host or re.match(
        rf"^tag:(?:www\.)?{re.escape(site_host)},", item.key
    ):
        return f"syndication loop: the item was published by this site ({site_host})"
    return None


def _names(values: Iterable[str]) -> list[str] | None:
    return [name for name in (plain_name(value) for value in values) if name] or None


def _name(value: str | None) -> str | None:
    return plain_name(value) or None if value else None


def article_metadata(
    feed_key: str,
    item: UpstreamItem,
    hops: Sequence[Hop],
    path: Path,
    options: ImportOptions,
    *,
    dates: tuple[datetime, datetime | None],
) -> dict[str, Any]:
    """The article's metadata plus the import bookkeeping keys, in a stable order, each value
    safe for any theme (see :mod:`pelican_newsroom.sanitize`)."""
    image = item.image
    published, updated = dates
    values: dict[str, Any] = {
        "title": title_html(item.title),
        "date": published.isoformat(),
        "modified": updated.isoformat() if updated else None,
        "authors": _names(item.authors),
        "category": _name(options.category),
        "tags": _names(item.tags),
        "slug": path.stem,
        "via": [hop_to_json(hop) for hop in hops],
        "origin_url": item.origin_url or (item.link if len(hops) == 1 else None),
        "image": image.src if image else None,
        "image_caption": _name(image.caption) if image else None,
        "image_credit": _name(image.credit) if image else None,
        "image_credit_url": image.credit_url if image else None,
        "image_license": image.license if image else None,
        "import_feed": feed_key,
        IMPORT_ID_KEY: item.key,
        "import_link": item.link,
    }
    return {
        key: one_line_values(value) for key, value in values.items() if value not in (None, "", [])
    }


def bounded_body(body: str, link: str | None, max_chars: int) -> tuple[str, str | None]:
    """``body``, or an excerpt of its text when longer than ``max_chars``; and a note saying so.

    A feed's size limit bounds one download, not what a build makes of it: a
    body repeated in every feed an article is in is what multiplies output.
    """
    if len(body) <= max_chars:
        return body, None
    text = html_to_text(body)[: max(max_chars // 2, 1)].rsplit(" ", 1)[0]
    more = f' <a href="{html.escape(link)}">…</a>' if link else " …"
    excerpt = f"<p>{neutralize_placeholders(html.escape(text))}{neutralize_placeholders(more)}</p>"
    note = (
        f"body of {len(body)} characters is over NEWSROOM_IMPORT_MAX_BODY ({max_chars}): "
        "imported as an excerpt of its text"
    )
    return excerpt, note


def _stored_date(existing: Imported | None) -> datetime | None:
    """The date an earlier run wrote into the file (an aware datetime), if readable."""
    try:
        found = datetime.fromisoformat(existing.date) if existing and existing.date else None
    except ValueError:
        return None
    return found if found and found.tzinfo else None


@dataclass
class _Run:
    """One import run: options, what is on disk, the site's identity, the time it started."""

    options: ImportOptions
    site_host: str
    started: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @cached_property
    def index(self) -> ArticleIndex:
        """Read on first use: a run whose sources are all unchanged reads no article file."""
        return ArticleIndex(self.options.output, self.options.content)

    def dates(
        self, item: UpstreamItem, existing: Imported | None
    ) -> tuple[tuple[datetime, datetime | None], str | None]:
        """The item's dates, a date more than a day ahead of this run clamped; a note if so.

        A far-future date would pin a story as the site's lead (and its feeds'
        ``updated``) for ever; an item without any date still needs one. Both get
        the time the item was first seen, kept in its file, so re-runs write the
        same file. Fractions of a second are dropped (pages show whole seconds).
        """
        horizon = self.started + FUTURE_TOLERANCE
        first_seen = _stored_date(existing) or self.started.astimezone(self.options.timezone)
        published, updated = item.published, item.updated
        note = None
        if published is None:
            note = f"no date in the feed; dated {first_seen.isoformat()}, when first seen"
            published = first_seen
        elif published > horizon:
            note = f"date {published.isoformat()} is in the future; imported as {first_seen.isoformat()}"
            published = first_seen
        if updated is not None and (updated > horizon or updated <= published):
            updated = None
        return (published.replace(microsecond=0), updated and updated.replace(microsecond=0)), note

    def item(
        self,
        feed: UpstreamFeed,
        item: UpstreamItem | BrokenItem,
        source: str,
        claimed: frozenset[str] = frozenset(),
    ) -> ItemResult:
        """Import one item; ``claimed`` are the ids of every item of this feed."""
        if isinstance(item, BrokenItem):
            return ItemResult("failed", item.key, message=item.message)
        options = self.options
        own = feed_hop(feed, item, source)
        # The feed's hop is always the last one, once: an upstream hop naming the feed
        # itself (a <source> pointing back at it) is the same outlet, not another hop.
        chain = [*(hop for hop in item.hops if hop.identity != own.identity), own]
        reason = loop_reason(chain, item, self.site_host)
        if reason:
            return ItemResult("skipped", item.key, item.title, message=reason)
        if options.since and item.published and item.published < options.since:
            return ItemResult(
                "skipped",
                item.key,
                item.title,
                message=f"older than --since {options.since.isoformat()}",
            )
        hops, repeats = dedupe_hops(chain)
        hops, bounded = bound_hops(hops, options.max_hops)
        notes = [warning.expected for warning in [*repeats, *bounded]]
        feed_key = feed_identity(source)
        existing = self.index.find((feed_key, *legacy_identities(source)), item, claimed)
        if existing and existing.import_feed not in {feed_key, *legacy_identities(source)}:
            message = f"already imported from another feed ({existing.import_feed}) as {existing.path.name}"
            return ItemResult("skipped", item.key, item.title, message=message)
        path = existing.path if existing else self.index.new_path(item.title, item.key)
        dates, future = self.dates(item, existing)
        body, cut = bounded_body(
            sanitize_html(
                item.body, item.link or feed.link, options.allow_iframes, id_prefix=f"{path.stem}-"
            ),
            item.link,
            options.max_body,
        )
        text, digest = render_article(
            article_metadata(feed_key, item, hops, path, options, dates=dates),
            body,
            options.article_format,
        )
        note = "; ".join(n for n in [*notes, future, cut] if n) or None
        return self._write(feed_key, item, path, (text, digest), existing, note=note)

    def _write(
        self,
        feed_key: str,
        item: UpstreamItem,
        path: Path,
        rendered: tuple[str, str],
        existing: Imported | None,
        *,
        note: str | None,
    ) -> ItemResult:
        """New, updated, unchanged or conflict; ``note`` says what was changed on the way."""
        shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
        text, new_hash = rendered
        if existing is None:
            action: Action = "new"
        elif existing.import_hash == new_hash:
            return ItemResult("unchanged", item.key, item.title, shown)
        elif not existing.import_hash or not stored_hash_matches(
            existing.path.read_text(encoding="utf-8", errors="replace"), existing.import_hash
        ):
            message = "updated upstream, but the file was edited here since it was imported; left as it is"
            return ItemResult("conflict", item.key, item.title, shown, message)
        else:
            action = "updated"
        if not self.options.dry_run:
            write_atomic(path, text)
        self.index.add(Imported(path, feed_key, item.key, item.link, new_hash))
        return ItemResult(
            action,
            item.key,
            item.title,
            shown,
            "dry run: not written" if self.options.dry_run else note,
        )


# --- sources and state -------------------------------------------------------------------


class StateError(Exception):
    """The state file is not what this program writes: nothing is imported until it is fixed."""


_STATE_KEYS = ("etag", "last_modified")
_STATE_FIX = "fix it or delete it (the next run then re-reads every source)"


class ImportState:
    """ETag / Last-Modified per source URL (a digest per local file), kept in :data:`STATE_FILE`
    in the output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sources: dict[str, dict[str, str]] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as error:
            raise StateError(f"{path}: cannot read the import state: {error}") from None
        self.sources = self._checked(text)

    def _checked(self, text: str) -> dict[str, dict[str, str]]:
        """The ``sources`` mapping, every value checked; a :class:`StateError` naming the key."""
        try:
            data = json.loads(text)
        except ValueError as error:
            raise StateError(f"{self.path}: not valid JSON ({error}); {_STATE_FIX}") from None
        sources = data.get("sources", {}) if isinstance(data, dict) else None
        if not isinstance(sources, dict):
            raise StateError(f"{self.path}: sources: expected a mapping; {_STATE_FIX}")
        for source, known in sources.items():
            if not isinstance(known, dict):
                raise StateError(
                    f"{self.path}: sources[{source!r}]: expected a mapping, "
                    f"got {type(known).__name__}; {_STATE_FIX}"
                )
            for key, value in known.items():
                if key not in _STATE_KEYS or not isinstance(value, str):
                    raise StateError(
                        f"{self.path}: sources[{source!r}].{key}: expected text under "
                        f"{' or '.join(_STATE_KEYS)}, got {value!r}; {_STATE_FIX}"
                    )
        return sources

    def validators(self, source: str) -> Validators | None:
        known = self.sources.get(source)
        if known is None:
            return None
        return Validators(known.get("etag"), known.get("last_modified"))

    def remember(self, source: str, validators: Validators) -> None:
        values = {"etag": validators.etag, "last_modified": validators.last_modified}
        self.sources[source] = {k: v for k, v in values.items() if v}

    def save(self) -> None:
        write_atomic(
            self.path,
            json.dumps({"version": 1, "sources": self.sources}, indent=2, sort_keys=True) + "\n",
        )


def read_opml(path: str) -> list[str]:
    """The feed URLs (``xmlUrl``) of an OPML subscription list, in order."""
    try:
        root = parse_xml(Path(path).read_bytes())
    except OSError as error:
        raise FeedError(f"cannot read OPML file {path}: {error.strerror or error}") from None
    urls = [outline.get("xmlUrl", "").strip() for outline in root.iter("outline")]
    return list(dict.fromkeys(url for url in urls if url))


def distinct_keys(
    items: Sequence[UpstreamItem | BrokenItem],
) -> list[UpstreamItem | BrokenItem | ItemResult]:
    """The items with one id each: a repeated id gets a digest of the item's title and link
    appended, so two stories sharing a guid never overwrite each other (on every run the
    same way); an item the feed repeats exactly is reported once as skipped."""
    seen: set[str] = set()
    distinct: list[UpstreamItem | BrokenItem | ItemResult] = []
    for item in items:
        if isinstance(item, BrokenItem):
            distinct.append(item)
            continue
        key = item.key
        if key in seen:
            key += "#" + hashlib.sha256(f"{item.title}\0{item.link}".encode()).hexdigest()[:12]
        if key in seen:
            distinct.append(ItemResult("skipped", key, item.title, message="repeated in the feed"))
            continue
        seen.add(key)
        distinct.append(item if key == item.key else replace(item, key=key))
    return distinct


def _select(feed: UpstreamFeed, limit: int | None) -> Sequence[UpstreamItem | BrokenItem]:
    """The first ``limit`` items (feeds list the newest first)."""
    return feed.items[:limit] if limit else feed.items


def import_source(
    run: _Run, state: ImportState, source: str, remote_only: bool = False
) -> SourceResult:
    """Fetch, parse and import one source; a bad source fails whole, before any file is written."""
    options = run.options
    if remote_only and not (is_url(source) and urlsplit(source).scheme.lower() in SAFE_SCHEMES):
        return SourceResult(source, error="OPML entries must be http(s) URLs; not read")
    try:
        fetched = fetch(source, state.validators(source), options.timeout, options.max_bytes)
        if fetched.body is not None and not is_url(source):
            fetched = replace(fetched, validators=file_validators(fetched.body, options))
            if state.validators(source) == fetched.validators:
                fetched = replace(fetched, body=None)
        if fetched.body is None:
            return SourceResult(source, not_modified=True)
        feed = parse_feed(fetched.body, fetched.location, options.timezone)
    except (FetchError, FeedError) as error:
        return SourceResult(source, error=str(error))
    items = distinct_keys(_select(feed, options.limit))
    claimed = frozenset(item.key for item in items if isinstance(item, UpstreamItem))
    result = SourceResult(
        source,
        items=[
            item if isinstance(item, ItemResult) else run.item(feed, item, source, claimed)
            for item in items
        ],
    )
    if result.ok:
        state.remember(source, fetched.validators)
    return result


def file_validators(body: bytes, options: ImportOptions) -> Validators:
    """A local feed's conditional-GET stand-in: a digest of its bytes and of every option
    that shapes the articles. Equal to last run's, the feed is "not modified", like a 304:
    a cron job re-reading an unchanged 10,000-item file parses nothing."""
    shaping = (
        options.article_format,
        options.siteurl,
        str(options.timezone),
        options.max_hops,
        options.category,
        options.limit,
        options.since.isoformat() if options.since else None,
        options.allow_iframes,
    )
    digest = hashlib.sha256(repr(shaping).encode("utf-8") + b"\0" + body).hexdigest()
    return Validators(etag=f"sha256:{digest}")


def run_import(
    sources: Sequence[str],
    options: ImportOptions,
    opml_sources: Sequence[str] = (),
    progress: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Import every source (OPML entries must be http(s)); the state is saved unless dry-run."""
    site_url = options.siteurl
    run = _Run(options, host_of(site_url) if is_url(site_url) else "")
    state = ImportState(options.output / STATE_FILE)
    results = []
    for source, remote_only in [*((s, False) for s in sources), *((s, True) for s in opml_sources)]:
        result = import_source(run, state, source, remote_only)
        results.append(result)
        if progress:
            progress(result)
    if not options.dry_run and state.sources:
        state.save()
    return results
