"""``pelican-newsroom import``: the run that turns other sites' feed items into credited articles.

Each item becomes one article file (:mod:`pelican_newsroom.article_file`) with the keys
of the README's "Article metadata": the chain the item carried (``via``, origin first)
plus **one hop for the feed itself** (its title, site and feed URL), ``origin_url``, the
image and its credit, authors, tags; the body made safe and valid by
:mod:`pelican_newsroom.sanitize`.

This module decides, per item: its identity (the feed is where it was fetched from;
the item its id, else link, else a digest), whether it bounces back to this site (a
syndication loop: skipped), its dates (far-future or missing dates become the time it
was first seen), and whether a file is new, updated, unchanged or a conflict
(:mod:`pelican_newsroom.import_index` knows what earlier runs wrote,
:mod:`pelican_newsroom.import_state` what the servers said last time).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from .article_file import (
    APPROVED_KEY,
    ArticleFormat,
    render_article,
    stored_hash_matches,
    write_atomic,
)
from .chain import Hop, bound_hops, dedupe_hops
from .errors import display_path
from .fetch import FetchError, Validators, fetch, is_url
from .import_index import ArticleIndex, Imported
from .import_state import STATE_FILE, ImportState, Remembered, Tombstone
from .newsroom_ns import hop_to_json
from .sanitize import (
    IMPORT_ID_KEY,
    html_to_text,
    neutralize_placeholders,
    one_line_values,
    plain_name,
    sanitize_html,
    title_html,
)
from .sources_file import SourceRules
from .upstream import BrokenItem, FeedError, UpstreamFeed, UpstreamItem, parse_feed
from .urls import SAFE_SCHEMES, host_of, link_key

Action = Literal[
    "new",
    "queued",
    "updated",
    "unchanged",
    "conflict",
    "filtered",
    "duplicate",
    "expired",
    "skipped",
    "failed",
]
#: What can happen to an item: written (``new``; ``queued`` as a draft for review), rewritten,
#: left alone, left out by a rule (``filtered``), the same story as another feed's
#: (``duplicate``), removed by ``expire_after`` (``expired``), skipped for another reason, failed.
ACTIONS: tuple[Action, ...] = get_args(Action)

#: How far ahead of the run an item's date may be (time zones, clock skew) before it is clamped.
FUTURE_TOLERANCE = timedelta(days=1)


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
    #: True: tombstones do not keep items out (and are lifted when an item comes back);
    #: an id: only that item's.
    reimport: bool | str = False

    def rules_for(self, source: str) -> SourceRules:
        """A command-line ``SOURCE``: its rules are the command line's (``--category`` …)."""
        return SourceRules(
            name=source, url=source, category=self.category, limit=self.limit, since=self.since
        )


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
    #: The source's name in the sources file (the source itself on the command line).
    name: str = ""
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
            "name": self.name or self.source,
            "ok": self.ok,
            "error": self.error,
            "not_modified": self.not_modified,
            "counts": self.counts,
            "items": [item.to_dict() for item in self.items],
        }


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


def mapped_tags(tags: Iterable[str], mapping: Mapping[str, str | None]) -> list[str]:
    """The feed's categories as our tags: renamed or dropped (None) by the source's ``tags``."""
    mapped = (mapping.get(tag.casefold(), tag) for tag in tags)
    return list(dict.fromkeys(tag for tag in mapped if tag))


def article_metadata(
    feed_key: str,
    item: UpstreamItem,
    hops: Sequence[Hop],
    path: Path,
    rules: SourceRules,
    *,
    dates: tuple[datetime, datetime | None],
    status: str | None = None,
    approved: str | None = None,
) -> dict[str, Any]:
    """The article's metadata plus the import bookkeeping keys, in a stable order, each value
    safe for any theme (see :mod:`pelican_newsroom.sanitize`)."""
    image = item.image
    published, updated = dates
    values: dict[str, Any] = {
        "title": title_html(item.title),
        "date": published.isoformat(),
        "modified": updated.isoformat() if updated else None,
        "status": status,
        "authors": _names(item.authors),
        "category": _name(rules.category),
        "tags": _names(mapped_tags(item.tags, rules.tags)),
        "slug": path.stem,
        "via": [hop_to_json(hop) for hop in hops],
        "origin_url": item.origin_url or (item.link if len(hops) == 1 else None),
        "image": image.src if image else None,
        "image_caption": _name(image.caption) if image else None,
        "image_credit": _name(image.credit) if image else None,
        "image_credit_url": image.credit_url if image else None,
        "image_license": image.license.name if image and image.license else None,
        "import_feed": feed_key,
        IMPORT_ID_KEY: item.key,
        "footer": rules.footer,
        "import_link": item.link,
        APPROVED_KEY: approved,
    }
    return {
        key: one_line_values(value) for key, value in values.items() if value not in (None, "", [])
    }


def excerpt(body: str, link: str | None, max_chars: int) -> str:
    """A paragraph of ``body``'s text, cut at a word after at most ``max_chars``, then a
    link to the story (an ellipsis when there is no link)."""
    text = html_to_text(body)
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
    more = f' <a href="{html.escape(link)}">…</a>' if link else " …"
    return f"<p>{neutralize_placeholders(html.escape(text))}{neutralize_placeholders(more)}</p>"


#: ``content: summary`` when the feed gives no summary: this many characters of the text.
SUMMARY_CHARS = 600


def bounded_body(body: str, link: str | None, max_chars: int) -> tuple[str, str | None]:
    """``body``, or an excerpt of its text when longer than ``max_chars``; and a note saying so.

    A feed's size limit bounds one download, not what a build makes of it: a
    body repeated in every feed an article is in is what multiplies output.
    """
    if len(body) <= max_chars:
        return body, None
    note = (
        f"body of {len(body)} characters is over NEWSROOM_IMPORT_MAX_BODY ({max_chars}): "
        "imported as an excerpt of its text"
    )
    return excerpt(body, link, max(max_chars // 2, 1)), note


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
    state: ImportState
    started: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @cached_property
    def index(self) -> ArticleIndex:
        """Read on first use: a run whose sources are all unchanged reads no article file.

        The story links the state remembers are added: a story first imported
        through a redirect (FeedBurner) is still known by its real link.
        """
        index = ArticleIndex(self.options.output, self.options.content)
        for feed, items in self.state.items.items():
            for key, remembered in items.items():
                found = index.by_id.get((feed, key))
                if found is not None and remembered.link:
                    index.add_link(remembered.link, found)
        return index

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
        rules: SourceRules,
        claimed: frozenset[str] = frozenset(),
    ) -> ItemResult:
        """Import one item of ``rules``' feed; ``claimed`` are the ids of every item of the feed."""
        if isinstance(item, BrokenItem):
            return ItemResult("failed", item.key, message=item.message)
        options = self.options
        source = rules.url
        own = feed_hop(feed, item, source)
        # The feed's hop is always the last one, once: an upstream hop naming the feed
        # itself (a <source> pointing back at it) is the same outlet, not another hop.
        chain = [*(hop for hop in item.hops if hop.identity != own.identity), own]
        feed_key = feed_identity(source)
        feeds = (feed_key, *legacy_identities(source))
        existing = self.index.find(feeds, item, claimed)
        refused = self.refusal(chain, item, rules, existing, feeds)
        if refused is not None:
            return refused
        hops, repeats = dedupe_hops(chain)
        hops, bounded = bound_hops(hops, options.max_hops)
        notes = [warning.expected for warning in [*repeats, *bounded]]
        path = existing.path if existing else self.index.new_path(item.title, item.key)
        dates, future = self.dates(item, existing)
        iframes = options.allow_iframes if rules.iframes is None else rules.iframes
        base = item.link or feed.link
        body = sanitize_html(item.body, base, iframes, id_prefix=f"{path.stem}-")
        if rules.content == "summary":
            summary = sanitize_html(item.summary, base, iframes, id_prefix=f"{path.stem}-")
            body = summary or excerpt(body, item.link, SUMMARY_CHARS)
        body, cut = bounded_body(body, item.link, options.max_body)
        approved = existing is not None and existing.approved is not None
        status = "draft" if rules.status == "draft" and not approved else None
        if approved and existing is not None and existing.date:
            dates = (_stored_date(existing) or dates[0], dates[1])
        text, digest = render_article(
            article_metadata(
                feed_key,
                item,
                hops,
                path,
                rules,
                dates=dates,
                status=status,
                approved=existing.approved if existing else None,
            ),
            body,
            options.article_format,
        )
        note = "; ".join(n for n in [*notes, future, cut] if n) or None
        result = self._write(feed_key, item, path, (text, digest), existing, note=note)
        if result.action == "new" and status == "draft":
            result = replace(result, action="queued")
        if result.action in {"new", "queued", "updated", "unchanged", "conflict"}:
            story = item.story_link or item.link
            relative = os.path.relpath(path, options.output)
            self.state.remember_item(
                feed_key, item.key, Remembered(relative, story and link_key(story))
            )
        return result

    def refusal(
        self,
        chain: Sequence[Hop],
        item: UpstreamItem,
        rules: SourceRules,
        existing: Imported | None,
        feeds: Sequence[str],
    ) -> ItemResult | None:
        """Why the item is not written, if it is not: a loop, a rule, a tombstone, a duplicate."""
        reason = loop_reason(chain, item, self.site_host)
        if reason:
            return ItemResult("skipped", item.key, item.title, message=reason)
        since = rules.since and (
            rules.since if rules.since.tzinfo else rules.since.replace(tzinfo=self.options.timezone)
        )
        if since and item.published and item.published < since:
            return ItemResult(
                "skipped", item.key, item.title, message=f"older than since {since.isoformat()}"
            )
        expire = rules.expire_after
        if expire and item.published and item.published < self.started - expire:
            return ItemResult(
                "skipped",
                item.key,
                item.title,
                message=f"older than expire_after ({expire.days} days)",
            )
        filtered = rule_filter(item, rules)
        if filtered:
            return ItemResult("filtered", item.key, item.title, message=filtered)
        stone = self.state.tombstone(feeds[0], item.key)
        if stone is not None and self.options.reimport not in (True, item.key):
            message = (
                f"{stone.reason} here ({stone.at[:10]}); it stays out "
                "unless imported again with --reimport"
            )
            return ItemResult("skipped", item.key, item.title, stone.file, message)
        if stone is not None:
            self.state.unbury(feeds[0], item.key)
        if existing and existing.import_feed not in feeds:
            message = (
                f"the same story as {existing.path.name}, imported from {existing.import_feed}"
            )
            return ItemResult("duplicate", item.key, item.title, message=message)
        return None

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
        shown = display_path(str(path))
        text, new_hash = rendered
        if existing is None:
            action: Action = "new"
        elif existing.import_hash == new_hash:
            return ItemResult("unchanged", item.key, item.title, shown)
        elif not _unedited(existing):
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

    def forget_deleted(self, feed_key: str) -> None:
        """Items of this feed imported before whose file is gone: deleted here, to stay out."""
        for key, remembered in list(self.state.items.get(feed_key, {}).items()):
            if (feed_key, key) not in self.index.by_id:
                stone = Tombstone("deleted", self.started.isoformat(), remembered.file)
                self.state.bury(feed_key, key, stone)

    def expire(self, rules: SourceRules) -> list[ItemResult]:
        """Remove this feed's unedited articles dated before ``expire_after``; keep edited ones."""
        if rules.expire_after is None:
            return []
        cutoff = self.started - rules.expire_after
        feed_key = feed_identity(rules.url)
        feeds = {feed_key, *legacy_identities(rules.url)}
        results = []
        for (feed, key), imported in list(self.index.by_id.items()):
            date = _stored_date(imported)
            if feed not in feeds or date is None or date >= cutoff or not imported.path.exists():
                continue
            if not _unedited(imported):
                message = f"older than expire_after ({rules.expire_after.days} days), but edited here: kept"
                results.append(
                    ItemResult(
                        "skipped", key, imported.title, display_path(str(imported.path)), message
                    )
                )
                continue
            if not self.options.dry_run:
                imported.path.unlink()
            stone = Tombstone("expired", self.started.isoformat(), display_path(str(imported.path)))
            self.state.bury(feed_key, key, stone)
            del self.index.by_id[(feed, key)]
            results.append(
                ItemResult("expired", key, imported.title, display_path(str(imported.path)))
            )
        return results


def _unedited(imported: Imported) -> bool:
    """The file is exactly as the importer wrote it (its ``import_hash`` still matches)."""
    if not imported.import_hash:
        return False
    text = imported.path.read_text(encoding="utf-8", errors="replace")
    return stored_hash_matches(text, imported.import_hash)


def rule_filter(item: UpstreamItem, rules: SourceRules) -> str | None:
    """Why the source's ``include``/``exclude`` leave the item out, if they do."""
    if rules.include is None and rules.exclude is None:
        return None
    text = f"{item.title}\n{html_to_text(item.body)}"
    if rules.include and not rules.include.matches(text, item.tags, item.authors):
        return "not matched by the source's include rule"
    if rules.exclude and rules.exclude.matches(text, item.tags, item.authors):
        return "matched by the source's exclude rule"
    return None


# --- sources and state -------------------------------------------------------------------


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


def import_source(run: _Run, rules: SourceRules, remote_only: bool = False) -> SourceResult:
    """Fetch, parse and import one source; a bad source fails whole, before any file is written.

    Expiry runs whatever the feed says (an unchanged feed still has articles that age).
    """
    options, state, source = run.options, run.state, rules.url
    name = rules.name
    if remote_only and not (is_url(source) and urlsplit(source).scheme.lower() in SAFE_SCHEMES):
        return SourceResult(source, error="OPML entries must be http(s) URLs; not read", name=name)
    try:
        fetched = fetch(source, state.validators(source), options.timeout, options.max_bytes)
        if fetched.body is not None and not is_url(source):
            fetched = replace(fetched, validators=file_validators(fetched.body, options, rules))
            if state.validators(source) == fetched.validators and not options.reimport:
                fetched = replace(fetched, body=None)
        if fetched.body is None:
            return SourceResult(source, not_modified=True, name=name, items=run.expire(rules))
        feed = parse_feed(fetched.body, fetched.location, options.timezone)
    except (FetchError, FeedError) as error:
        return SourceResult(source, error=str(error), name=name)
    run.forget_deleted(feed_identity(source))
    items = distinct_keys(_select(feed, rules.limit))
    claimed = frozenset(item.key for item in items if isinstance(item, UpstreamItem))
    results = [
        item if isinstance(item, ItemResult) else run.item(feed, item, rules, claimed)
        for item in items
    ]
    result = SourceResult(source, name=name, items=[*results, *run.expire(rules)])
    if result.ok:
        state.remember(source, fetched.validators)
    return result


def file_validators(body: bytes, options: ImportOptions, rules: SourceRules) -> Validators:
    """A local feed's conditional-GET stand-in: a digest of its bytes and of every option
    and rule that shapes the articles. Equal to last run's, the feed is "not modified",
    like a 304: a cron job re-reading an unchanged 10,000-item file parses nothing."""
    shaping = (
        options.article_format,
        options.siteurl,
        str(options.timezone),
        options.max_hops,
        options.allow_iframes,
        replace(rules, name="", where=""),
    )
    digest = hashlib.sha256(repr(shaping).encode("utf-8") + b"\0" + body).hexdigest()
    return Validators(etag=f"sha256:{digest}")


def run_import(
    sources: Sequence[str | SourceRules],
    options: ImportOptions,
    opml_sources: Sequence[str] = (),
    progress: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Import every source (a command-line source or a sources-file entry; OPML entries must
    be http(s)); the state is saved unless dry-run."""
    site_url = options.siteurl
    state = ImportState(options.output / STATE_FILE)
    run = _Run(options, host_of(site_url) if is_url(site_url) else "", state)
    given = [options.rules_for(s) if isinstance(s, str) else s for s in sources]
    results = []
    for rules, remote_only in [
        *((r, False) for r in given),
        *((options.rules_for(s), True) for s in opml_sources),
    ]:
        result = import_source(run, rules, remote_only)
        results.append(result)
        if progress:
            progress(result)
    if not options.dry_run and (state.sources or state.items or state.tombstones):
        state.save()
    return results
