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

import contextlib
import hashlib
import html
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import nh3
import yaml
from pelican.utils import slugify

from .chain import Hop, bound_hops, dedupe_hops
from .feedext import hop_to_json
from .fetch import FetchError, Validators, fetch, is_url
from .files import write_atomically
from .ingest import BrokenItem, FeedError, UpstreamFeed, UpstreamItem, parse_feed, parse_xml
from .reader import load_yaml, split_front_matter
from .text import clean_text, strip_xml_illegal
from .urls import SAFE_SCHEMES, host_of

ArticleFormat = Literal["md", "yaml"]
Action = Literal["new", "updated", "unchanged", "conflict", "skipped", "failed"]
ACTIONS: tuple[Action, ...] = ("new", "updated", "unchanged", "conflict", "skipped", "failed")

#: Remembers ETag/Last-Modified per source URL, inside the output folder.
STATE_FILE = ".newsroom-import.json"
HASH_KEY = "import_hash"
BODY_CLASS = "newsroom-import"
_MAX_SLUG = 80
_MD_KEY_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_IFRAME_ATTRIBUTES = {"src", "width", "height", "title", "allowfullscreen", "loading"}


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


# --- HTML body --------------------------------------------------------------------


def _absolute(value: str, base: str | None) -> str | None:
    """``value`` resolved against ``base``; None unless the result is http(s) or mailto."""
    try:
        url = urljoin(base, value.strip()) if base else value.strip()
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES or scheme == "mailto" else None


def sanitize_html(text: str, base: str | None, allow_iframes: bool = False) -> str:
    """Upstream HTML made safe to publish: nh3's allow-list, absolute http(s) URLs only."""
    tags = set(nh3.ALLOWED_TAGS)
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    if allow_iframes:
        tags.add("iframe")
        attributes["iframe"] = set(_IFRAME_ATTRIBUTES)

    def keep(_tag: str, attribute: str, value: str) -> str | None:
        return _absolute(value, base) if attribute in {"href", "src", "cite"} else value

    return nh3.clean(
        strip_xml_illegal(text),
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=keep,
    ).strip()


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


def read_header(text: str) -> dict[str, str]:
    """The scalar keys of an article header (YAML front matter or Markdown ``Key: value``)."""
    front = split_front_matter(text)
    if front is not None:
        try:
            data = load_yaml(front[0])
        except yaml.YAMLError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k).lower(): str(v) for k, v in data.items() if isinstance(v, str | int | float)}
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        match = _MD_KEY_RE.match(line)
        if match:
            values[match["key"].lower()] = match["value"].strip()
    return values


def write_atomic(path: Path, text: str) -> None:
    """``text`` as UTF-8 with ``\n`` line ends, written atomically."""
    write_atomically(path, text.encode("utf-8"))


# --- what is already imported ---------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """An article file written by an earlier run."""

    path: Path
    import_feed: str  #: :attr:`UpstreamFeed.key`: ids are only unique within one feed
    import_id: str
    import_link: str | None
    import_hash: str | None


class ArticleIndex:
    """The output folder's imported articles, by upstream id and by link; taken file names."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.by_id: dict[tuple[str, str], Imported] = {}
        self.by_link: dict[str, Imported] = {}
        self.taken: set[str] = set()
        for path in sorted(output.rglob("*.md")) if output.is_dir() else []:
            self.taken.add(path.stem.lower())
            header = read_header(path.read_text(encoding="utf-8", errors="replace"))
            if header.get("import_id"):
                feed, link = header.get("import_feed", ""), header.get("import_link")
                self.add(Imported(path, feed, header["import_id"], link, header.get(HASH_KEY)))

    def add(self, imported: Imported) -> None:
        self.taken.add(imported.path.stem.lower())
        self.by_id.setdefault((imported.import_feed, imported.import_id), imported)
        if imported.import_link:
            self.by_link.setdefault(imported.import_link, imported)

    def find(self, feed: UpstreamFeed, item: UpstreamItem) -> Imported | None:
        """By the feed's id for it first, then by link (an upstream that changed its ids).

        A match may come from another feed (the same story linked by two feeds):
        the caller skips it rather than letting two feeds rewrite one file in turn.
        """
        found = self.by_id.get((feed.key, item.key))
        if found is None and item.link:
            found = self.by_link.get(item.link)
        return found

    def new_path(self, title: str, key: str) -> Path:
        """A file name from the title's slug, made unique with ``-2``, ``-3``…"""
        base = str(slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")]))[
            :_MAX_SLUG
        ].strip("-")
        base = base or "item-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        stem, number = base, 1
        while stem.lower() in self.taken:
            number += 1
            stem = f"{base}-{number}"
        self.taken.add(stem.lower())
        return self.output / f"{stem}.md"


# --- one item ------------------------------------------------------------------------


def feed_hop(feed: UpstreamFeed, item: UpstreamItem, source: str) -> Hop:
    """The hop this import adds: the feed we read, the item's page there, its authors and date."""
    return Hop(
        name=feed.title,
        url=item.link or feed.link,
        feed=feed.self_url or (source if is_url(source) else None),
        author=", ".join(item.authors) or None,
        date=item.published,
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


def article_metadata(
    feed: UpstreamFeed, item: UpstreamItem, hops: Sequence[Hop], path: Path, category: str | None
) -> dict[str, Any]:
    """The metadata of SPEC §3 plus the import bookkeeping keys, in a stable order."""
    image = item.image
    values: dict[str, Any] = {
        "title": html.escape(item.title, quote=False),  # Pelican titles are HTML
        "date": item.published.isoformat(),
        "modified": item.updated.isoformat() if item.updated else None,
        "authors": list(item.authors) or None,
        "category": category,
        "tags": list(item.tags) or None,
        "slug": path.stem,
        "via": [hop_to_json(hop) for hop in hops],
        "origin_url": item.origin_url or (item.link if len(hops) == 1 else None),
        "image": image.src if image else None,
        "image_caption": image.caption if image else None,
        "image_credit": image.credit if image else None,
        "image_credit_url": image.credit_url if image else None,
        "image_license": image.license if image else None,
        "import_feed": feed.key,
        "import_id": item.key,
        "import_link": item.link,
    }
    return {key: value for key, value in values.items() if value not in (None, "", [])}


@dataclass
class _Run:
    """One import run: options, what is on disk, the site's identity."""

    options: ImportOptions
    site_host: str

    @cached_property
    def index(self) -> ArticleIndex:
        """Read on first use: a run whose sources are all unchanged reads no article file."""
        return ArticleIndex(self.options.output)

    def item(self, feed: UpstreamFeed, item: UpstreamItem | BrokenItem, source: str) -> ItemResult:
        if isinstance(item, BrokenItem):
            return ItemResult("failed", item.key, message=item.message)
        options = self.options
        chain = [*item.hops, feed_hop(feed, item, source)]
        reason = loop_reason(chain, item, self.site_host)
        if reason:
            return ItemResult("skipped", item.key, item.title, message=reason)
        if options.since and item.published < options.since:
            return ItemResult(
                "skipped",
                item.key,
                item.title,
                message=f"older than --since {options.since.isoformat()}",
            )
        hops, repeats = dedupe_hops(chain)
        hops, bounded = bound_hops(hops, options.max_hops)
        note = "; ".join(warning.expected for warning in [*repeats, *bounded]) or None
        existing = self.index.find(feed, item)
        if existing and existing.import_feed != feed.key:
            message = f"already imported from another feed ({existing.import_feed}) as {existing.path.name}"
            return ItemResult("skipped", item.key, item.title, message=message)
        path = existing.path if existing else self.index.new_path(item.title, item.key)
        base = item.link or feed.link
        text, digest = render_article(
            article_metadata(feed, item, hops, path, options.category),
            sanitize_html(item.body, base, options.allow_iframes),
            options.article_format,
        )
        return self._write(feed, item, path, (text, digest), existing, note=note)

    def _write(
        self,
        feed: UpstreamFeed,
        item: UpstreamItem,
        path: Path,
        rendered: tuple[str, str],
        existing: Imported | None,
        *,
        note: str | None,
    ) -> ItemResult:
        """New, updated, unchanged or conflict; ``note`` says what was dropped from the chain."""
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
        self.index.add(Imported(path, feed.key, item.key, item.link, new_hash))
        return ItemResult(
            action,
            item.key,
            item.title,
            shown,
            "dry run: not written" if self.options.dry_run else note,
        )


# --- sources and state -------------------------------------------------------------------


class ImportState:
    """ETag / Last-Modified per source URL (a digest per local file), kept in :data:`STATE_FILE`
    in the output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sources: dict[str, dict[str, str]] = {}
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("sources"), dict):
                self.sources = data["sources"]

    def validators(self, source: str) -> Validators | None:
        known = self.sources.get(source)
        if not isinstance(known, dict):
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
    result = SourceResult(
        source, items=[run.item(feed, item, source) for item in _select(feed, options.limit)]
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
