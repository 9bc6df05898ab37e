"""The import run (:mod:`pelican_newsroom.importer`): items become credited articles, safely
and idempotently: one hop added, loops skipped, updates and local edits told apart.

Every feed here is written by the tests themselves (our own words); HTTP goes
to a server on 127.0.0.1 only.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from pelican_newsroom.chain import Hop, parse_chain
from pelican_newsroom.import_state import STATE_FILE, ImportState
from pelican_newsroom.importer import run_import
from pelican_newsroom.sources_file import Filter, SourceRules
from tests.conftest import Route, Server, run_build
from tests.import_support import (
    BROKEN_ITEMS_FEED,
    RSS091_FEED,
    RSS_FEED,
    SITE,
    articles,
    changed_bytes,
    front,
    hop_names,
    options,
    rss,
    snapshot,
    write,
)


def test_the_body_is_sanitized_and_absolute(tmp_path: Path, feeds: dict[str, str]) -> None:
    out = tmp_path / "imported"
    run_import([feeds["rss"]], options(out))
    text = (out / "ferry-timetable-changes-after-pier-inspection.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    for bad in ("<script", "onerror", 'href="javascript', "<iframe", "steal()</script"):
        assert bad not in body
    assert 'href="https://coastal-wire.example/notes/cracks"' in body
    assert 'src="https://coastal-wire.example/img/pile.jpg"' in body


@pytest.mark.parametrize("article_format", ["yaml", "md"])
def test_imported_articles_build_strictly(
    tmp_path: Path, feeds: dict[str, str], article_format: str
) -> None:
    content = tmp_path / "content"
    out = content / "imported"
    results = run_import(
        [feeds[k] for k in ("rss", "atom", "json", "rss1", "rss091")],
        options(out, article_format=article_format, category="Wire"),
    )
    assert all(r.ok for r in results)
    site = run_build(content, tmp_path / "output", NEWSROOM_STRICT=True)
    assert site.problems == []
    page = site.text("ferry-timetable-changes-after-pier-inspection.html")
    assert "Harbour Gazette" in page and "Coastal Wire" in page
    assert "<script>steal" not in page and 'href="javascript' not in page
    assert "*not emphasis* [not a link](javascript:steal())" in page  # Markdown left the body alone
    assert "Photo Desk Agency" in page
    assert (site.output / "category" / "wire.html").exists()


def test_broken_items_are_reported_and_the_rest_imported(
    tmp_path: Path, feeds: dict[str, str]
) -> None:
    out = tmp_path / "imported"
    [result] = run_import([feeds["broken"]], options(out))
    assert not result.ok
    assert result.counts == {
        "new": 4,
        "queued": 0,
        "updated": 0,
        "unchanged": 0,
        "conflict": 0,
        "filtered": 0,
        "duplicate": 0,
        "expired": 0,
        "skipped": 0,
        "failed": 2,
    }
    messages = {item.id: item.message for item in result.items if item.action == "failed"}
    assert "an empty item" in (messages["(item without id, link or title)"] or "")
    assert "chain cannot be read" in (messages["https://patchy.example/5"] or "")
    titles = {"Good item one", "Good item two", "No id and an unsafe link", "No date at all"}
    assert set(articles(out)) == titles
    # no id and no usable link: a digest of what the item says is its identity
    assert articles(out)["No id and an unsafe link"]["import_id"].startswith("digest:")
    [undated] = [item for item in result.items if item.id == "https://patchy.example/3"]
    assert "no date in the feed" in (undated.message or "")
    [again] = run_import([feeds["broken"]], options(out))  # a failed run is not remembered
    assert (again.counts["new"], again.counts["unchanged"]) == (0, 4)  # same ids, same dates


def test_importing_twice_changes_no_file(tmp_path: Path, feeds: dict[str, str]) -> None:
    out = tmp_path / "imported"
    sources = [feeds[k] for k in ("rss", "atom", "json")]
    run_import(sources, options(out))
    before = snapshot(out)
    again = run_import(sources, options(out))
    assert snapshot(out) == before
    # Unchanged local files are "not modified", like a 304: nothing is parsed or compared.
    assert all(r.not_modified and r.ok for r in again)
    # Same items, different bytes: every item is compared, and none is rewritten.
    for source in sources:
        changed_bytes(source)
    compared = run_import(sources, options(out))
    assert snapshot(out) == before
    assert not any(r.not_modified for r in compared)
    assert sum(r.counts["unchanged"] for r in compared) == 5
    assert sum(r.counts["new"] + r.counts["updated"] for r in compared) == 0
    # An option that shapes the articles makes an unchanged file count as changed.
    recategorized = run_import(sources, replace(options(out), category="Wire"))
    assert sum(r.counts["updated"] for r in recategorized) == 5


def test_updates_rewrite_untouched_files_and_spare_edited_ones(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    source = write(tmp_path, "feed.xml", RSS_FEED)
    run_import([source], options(out))
    ferry = out / "ferry-timetable-changes-after-pier-inspection.md"
    closures = out / "night-closures-extended-at-the-container-terminal.md"
    edited = ferry.read_text(encoding="utf-8").replace("Inspectors found", "Our inspectors found")
    ferry.write_text(edited, encoding="utf-8")
    write(
        tmp_path,
        "feed.xml",
        RSS_FEED.replace("two piles", "three piles").replace("through the month", "until May"),
    )
    [result] = run_import([source], options(out))
    assert result.counts["conflict"] == 1 and result.counts["updated"] == 1
    assert ferry.read_text(encoding="utf-8") == edited  # the local edit survives
    assert "until May" in closures.read_text(encoding="utf-8")
    conflict = next(i for i in result.items if i.action == "conflict")
    assert "edited here" in (conflict.message or "")
    assert result.ok  # a conflict is reported, not a failure


def test_ids_are_per_feed_and_a_story_from_two_feeds_is_imported_once(tmp_path: Path) -> None:
    one = BROKEN_ITEMS_FEED.replace(
        "<link>https://patchy.example/1</link>",
        "<guid>42</guid><link>https://patchy.example/1</link>",
    )
    other = RSS091_FEED.replace(
        "<link>https://crier.example/benches</link>",
        "<guid>42</guid><link>https://crier.example/benches</link>",
    ).replace(
        "</channel>",
        "<item><title>Same story, other feed</title><link>https://patchy.example/6</link></item></channel>",
    )
    out = tmp_path / "imported"
    first, second = run_import(
        [write(tmp_path, "one.xml", one), write(tmp_path, "two.xml", other)], options(out)
    )
    assert first.counts["new"] == 4
    assert second.counts["new"] == 1  # id 42 again, but from another feed: another story
    [duplicate] = [i for i in second.items if i.action == "duplicate"]
    one_path, two_path = str(tmp_path / "one.xml"), str(tmp_path / "two.xml")
    assert f"imported from {one_path}" in (duplicate.message or "")
    # a feed is who it was fetched from, not what its <link> claims
    assert front(out / "market-square-gets-new-benches.md")["import_feed"] == two_path


def test_syndication_loops_are_skipped(tmp_path: Path) -> None:
    feed = RSS_FEED.replace(
        "https://harbour-gazette.example/news/closures", f"{SITE}/closures.html"
    )
    source = write(tmp_path, "feed.xml", feed)
    out = tmp_path / "imported"
    [result] = run_import([source], options(out))
    skipped = [i for i in result.items if i.action == "skipped"]
    assert [i.id for i in skipped] == ["https://coastal-wire.example/stories/night-closures"]
    assert "news.example.org" in (skipped[0].message or "")
    [own] = run_import([source], options(out, siteurl="https://www.coastal-wire.example"))
    assert (
        own.counts["skipped"] == 2
    )  # a site's own feed comes back to it: skipped, never re-imported


def test_http_conditional_get(tmp_path: Path, server: Server) -> None:
    server.routes["/feed.xml"] = Route(
        RSS_FEED.encode(),
        headers={
            "ETag": '"v1"',
            "Last-Modified": "Wed, 08 Apr 2020 10:00:00 GMT",
            "Content-Type": "application/rss+xml",
        },
    )
    out = tmp_path / "imported"
    [first] = run_import([server.url("/feed.xml")], options(out))
    assert first.counts["new"] == 2
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["sources"][server.url("/feed.xml")] == {
        "etag": '"v1"',
        "last_modified": "Wed, 08 Apr 2020 10:00:00 GMT",
    }
    [second] = run_import([server.url("/feed.xml")], options(out))
    assert second.not_modified and second.ok
    assert server.seen[-1]["If-None-Match"] == '"v1"'
    assert server.seen[-1]["If-Modified-Since"] == "Wed, 08 Apr 2020 10:00:00 GMT"


def _chain(meta: dict[str, Any]) -> tuple[Hop, ...]:
    from zoneinfo import ZoneInfo

    hops, _warnings = parse_chain(meta.get("via", []), ZoneInfo("UTC"), "MDY", 50)
    return hops


def test_round_trip_through_our_own_feeds_adds_exactly_one_hop(
    tmp_path: Path, feeds: dict[str, str]
) -> None:
    content = tmp_path / "content"
    first = content / "imported"
    run_import([feeds[k] for k in ("rss", "atom", "json")], options(first))
    (content / "own.md").write_text(
        "---\ntitle: Our own reporting on tides\ndate: 2020-04-12T09:00:00-04:00\nauthor: Desk Editor\n---\n\nWe measured.\n",
        encoding="utf-8",
    )
    site = run_build(
        content, tmp_path / "output", NEWSROOM_STRICT=True, NEWSROOM_FEED_ALL_JSON="feeds/all.json"
    )
    assert site.problems == []
    before = {meta["title"]: _chain(meta) for meta in articles(first).values()}
    before["Our own reporting on tides"] = ()
    for feed in ("feeds/all.rss.xml", "feeds/all.atom.xml", "feeds/all.json"):
        second = tmp_path / "second" / feed.replace("/", "-")
        [result] = run_import(
            [str(site.output / feed)], options(second, siteurl="https://republisher.example")
        )
        assert result.ok, result.to_dict()
        after = {meta["title"]: (_chain(meta), meta) for meta in articles(second).values()}
        assert set(after) == set(before), feed
        for title, (hops, meta) in after.items():
            assert hops[:-1] == before[title], (feed, title)
            assert hops[-1].name == "Test Desk"
            assert hops[-1].url == SITE + "/"  # the feed's site
            assert meta["import_link"].startswith(SITE + "/")
        [looped] = run_import([str(site.output / feed)], options(tmp_path / "loop", siteurl=SITE))
        assert looped.counts["skipped"] == len(before) and looped.counts["new"] == 0


def test_a_chain_that_repeats_a_source_is_written_once_and_said_so(tmp_path: Path) -> None:
    feed = RSS_FEED.replace(
        "<newsroom:name>Harbour Gazette</newsroom:name>",
        "<newsroom:name>Port Bulletin again</newsroom:name>",
    ).replace(
        "https://harbour-gazette.example/news/closures", "https://port-bulletin.example/again"
    )
    [result] = run_import([write(tmp_path, "feed.xml", feed)], options(tmp_path / "out"))
    [item] = [i for i in result.items if i.id.endswith("night-closures")]
    assert item.action == "new" and "repeats a source" in (item.message or "")
    meta = front(tmp_path / "out" / "night-closures-extended-at-the-container-terminal.md")
    assert hop_names(meta) == ["Port Bulletin", "Coastal Wire"]


def test_the_feeds_own_hop_is_last_and_once_whatever_the_item_says(tmp_path: Path) -> None:
    """An upstream hop on the feed's own site (a <source> naming the feed, an origin there)
    is the same outlet: the feed's hop is neither dropped nor doubled."""
    feed = RSS_FEED.replace(
        "<newsroom:name>Port Bulletin</newsroom:name>",
        "<newsroom:name>Coastal Wire</newsroom:name>",
    ).replace("https://port-bulletin.example/closures", "https://coastal-wire.example/earlier")
    [result] = run_import([write(tmp_path, "feed.xml", feed)], options(tmp_path / "out"))
    assert result.ok
    meta = front(tmp_path / "out" / "night-closures-extended-at-the-container-terminal.md")
    assert hop_names(meta) == ["Harbour Gazette", "Coastal Wire"]
    assert meta["via"][-1]["url"] == "https://coastal-wire.example/"
    assert meta["via"][-1]["feed"] == "https://coastal-wire.example/feed.xml"


# --- per-source rules, memory and duplicates -----------------------------------------------

DESK_ITEMS = [
    {
        "title": "Ferry service resumes",
        "category": "Transport",
        "description": "<p>The ferry sails.</p>",
    },
    {"title": "Sponsored: buy a boat", "category": "Ads", "description": "<p>Boats for sale.</p>"},
    {"title": "Council meets", "category": "Politics", "description": "<p>The council met.</p>"},
]


def _rules(source: str, **rules: object) -> SourceRules:
    return SourceRules(name="Wire", url=source, **rules)  # type: ignore[arg-type]


def test_rules_filter_map_tags_and_queue_drafts(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    source = write(tmp_path, "wire.xml", rss(DESK_ITEMS))
    rules = _rules(
        source,
        category="Coast",
        tags={"transport": "ferries", "politics": None},
        exclude=Filter(any_words=("sponsored",)),
        status="draft",
    )
    [result] = run_import([rules], options(out))
    counts = result.counts
    assert (counts["queued"], counts["filtered"], counts["new"]) == (2, 1, 0)
    [filtered] = [i for i in result.items if i.action == "filtered"]
    assert filtered.title == "Sponsored: buy a boat" and "exclude" in (filtered.message or "")
    found = articles(out)
    assert found["Ferry service resumes"]["tags"] == ["ferries"]
    assert "tags" not in found["Council meets"]  # mapped to null: dropped
    assert {meta["status"] for meta in found.values()} == {"draft"}
    assert {meta["category"] for meta in found.values()} == {"Coast"}


def test_include_keeps_only_matching_items_and_summary_mode_keeps_an_excerpt(
    tmp_path: Path,
) -> None:
    out = tmp_path / "imported"
    long_text = "<p>" + "The ferry timetable changes again. " * 60 + "</p>"
    items = [{**DESK_ITEMS[0], "description": long_text}, DESK_ITEMS[2]]
    source = write(tmp_path, "wire.xml", rss(items))
    rules = _rules(source, include=Filter(any_words=("ferry",)), content="summary")
    [result] = run_import([rules], options(out))
    assert result.counts["new"] == 1 and result.counts["filtered"] == 1
    [path] = out.glob("*.md")
    body = path.read_text(encoding="utf-8").split("---\n\n", 1)[1]
    assert len(body) < 900 and 'href="https://wire.example/story/1">…</a>' in body


def test_a_deleted_article_stays_deleted_unless_reimported(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    source = write(tmp_path, "wire.xml", rss(DESK_ITEMS[:2]))
    run_import([source], options(out))
    victim = out / "ferry-service-resumes.md"
    victim.unlink()
    Path(source).write_text(rss(DESK_ITEMS[:2]) + "\n", encoding="utf-8")  # the feed changes
    [again] = run_import([source], options(out))
    assert not victim.exists()
    [skipped] = [i for i in again.items if i.action == "skipped"]
    assert "deleted here" in (skipped.message or "") and "--reimport" in (skipped.message or "")
    assert ImportState(out / STATE_FILE).tombstone(source, skipped.id) is not None
    [back] = run_import([source], options(out, reimport=True))
    assert victim.exists() and back.counts["new"] == 1
    assert ImportState(out / STATE_FILE).tombstone(source, skipped.id) is None


def test_the_same_story_through_another_feed_with_trackers_is_a_duplicate(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    first = write(tmp_path, "one.xml", rss(DESK_ITEMS[:1], "https://wire.example/"))
    second_items = [
        {
            **DESK_ITEMS[0],
            "guid": "other-1",
            "link": "http://www.wire.example/story/1/?utm_source=rss&fbclid=x",
        }
    ]
    second = write(tmp_path, "two.xml", rss(second_items, "https://aggregator.example/"))
    run_import([first], options(out))
    [result] = run_import([second], options(out))
    [item] = result.items
    assert item.action == "duplicate" and "ferry-service-resumes.md" in (item.message or "")
    assert len(list(out.glob("*.md"))) == 1


def test_expire_after_removes_old_unedited_articles_and_keeps_edited_ones(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    source = write(tmp_path, "wire.xml", rss(DESK_ITEMS[:2]))  # dated 2020
    run_import([source], options(out))
    edited = out / "sponsored-buy-a-boat.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nA note from our desk.\n", encoding="utf-8"
    )
    [result] = run_import([_rules(source, expire_after=timedelta(days=30))], options(out))
    expired = [i for i in result.items if i.action == "expired"]
    kept = [i for i in result.items if "edited here: kept" in (i.message or "")]
    assert [i.title for i in expired] == ["Ferry service resumes"]
    assert len(kept) == 1 and edited.exists()
    assert not (out / "ferry-service-resumes.md").exists()
    stone = ImportState(out / STATE_FILE).tombstone(source, expired[0].id)
    assert stone is not None and stone.reason == "expired"


@pytest.mark.parametrize("article_format", ["yaml", "md"])
def test_a_source_footer_reaches_the_page_and_the_feed(tmp_path: Path, article_format: str) -> None:
    content = tmp_path / "content"
    source = write(tmp_path, "wire.xml", rss(DESK_ITEMS[:1]))
    rules = _rules(source, footer="Reported by {source} ({url}) & friends")
    run_import([rules], options(content / "imported", article_format=article_format))
    site = run_build(content, tmp_path / "output", NEWSROOM_STRICT=True)
    assert site.problems == []
    page = lxml.html.fromstring(site.text("ferry-service-resumes.html"))
    [footer] = page.xpath('//p[@class="nr-source-footer"]')
    assert footer.text_content() == "Reported by Wire (https://wire.example/) & friends"
    assert footer.xpath("a/@href") == ["https://wire.example/", "https://wire.example/"]
    assert "Reported by" in site.text("feeds/all.atom.xml")
