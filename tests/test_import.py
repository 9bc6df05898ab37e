"""``pelican-newsroom import``: feeds in, credited articles out, safely and idempotently.

Every feed here is written by the tests themselves (our own words); HTTP goes
to a server on 127.0.0.1 only.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_newsroom.chain import Hop, parse_chain
from pelican_newsroom.cli import main
from pelican_newsroom.import_state import STATE_FILE
from pelican_newsroom.importer import ImportOptions, run_import
from pelican_newsroom.newsroom_ns import NEWSROOM_NS
from pelican_newsroom.reader import split_front_matter
from pelican_newsroom.sanitize import sanitize_html
from tests.conftest import Route, Server, run_build

SITE = "https://news.example.org"
SECRET = "root:x:0:0:NEWSROOM-TEST-SECRET"
NS = f'xmlns:newsroom="{NEWSROOM_NS}" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'

RSS_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" {NS}>
<channel>
  <title>Coastal Wire</title>
  <link>https://coastal-wire.example/</link>
  <description>Harbour and shipping news</description>
  <atom:link rel="self" href="https://coastal-wire.example/feed.xml"/>
  <item>
    <title>Ferry timetable changes after pier inspection</title>
    <link>https://coastal-wire.example/stories/ferry-timetable</link>
    <guid isPermaLink="false">coastal-wire-1001</guid>
    <pubDate>Tue, 07 Apr 2020 11:00:00 +0100</pubDate>
    <dc:creator>Ella Brandt</dc:creator>
    <category>Transport</category>
    <source url="https://harbour-gazette.example/rss.xml">Harbour Gazette</source>
    <dc:source>https://harbour-gazette.example/news/pier-inspection</dc:source>
    <media:content url="https://coastal-wire.example/img/pier.jpg" medium="image" type="image/jpeg">
      <media:title>The north pier at low tide</media:title>
      <media:credit>Photo Desk Agency</media:credit>
      <media:license href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</media:license>
    </media:content>
    <description><![CDATA[<p>Inspectors found <a href="/notes/cracks">cracks</a> in two piles.</p>
<p><img src="../img/pile.jpg" alt="pile" onerror="steal()"><script>steal()</script>
<a href="javascript:steal()">click</a> <iframe src="https://video.example/embed/1"></iframe></p>
<p>*not emphasis* [not a link](javascript:steal())</p>]]></description>
  </item>
  <item>
    <title>Night closures extended at the container terminal</title>
    <link>https://coastal-wire.example/stories/night-closures</link>
    <guid isPermaLink="true">https://coastal-wire.example/stories/night-closures</guid>
    <pubDate>Wed, 08 Apr 2020 09:30:00 +0100</pubDate>
    <newsroom:chain>
      <newsroom:hop>
        <newsroom:name>Port Bulletin</newsroom:name>
        <newsroom:url>https://port-bulletin.example/closures</newsroom:url>
        <newsroom:author>Ravi Oduya</newsroom:author>
        <newsroom:date>2020-04-07T18:00:00-04:00</newsroom:date>
      </newsroom:hop>
      <newsroom:hop>
        <newsroom:name>Harbour Gazette</newsroom:name>
        <newsroom:url>https://harbour-gazette.example/news/closures</newsroom:url>
        <newsroom:feedUrl>https://harbour-gazette.example/rss.xml</newsroom:feedUrl>
      </newsroom:hop>
    </newsroom:chain>
    <description>Crane work continues through the month.</description>
    <enclosure url="https://coastal-wire.example/img/cranes.png" type="image/png" length="1234"/>
  </item>
</channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://briefing.example/">
  <title>Continental Briefing</title>
  <link href="https://briefing.example/"/>
  <link rel="self" href="https://briefing.example/feed.atom"/>
  <id>urn:uuid:7e1bd7a0-briefing</id>
  <updated>2020-04-09T08:00:00+02:00</updated>
  <entry>
    <title type="html">Rail freight &lt;em&gt;rebounds&lt;/em&gt; in spring</title>
    <id>tag:briefing.example,2020:rail-freight</id>
    <link href="europe/rail-freight"/>
    <link rel="via" href="https://transport-notes.example/rail" title="Transport Notes"/>
    <published>2020-04-09T08:00:00+02:00</published>
    <updated>2020-04-09T10:15:00+02:00</updated>
    <author><name>Mara Quint</name></author>
    <author><name>Jonas Weller</name></author>
    <source>
      <id>https://rail-weekly.example/atom</id>
      <title>Rail Weekly</title>
      <link href="https://rail-weekly.example/"/>
      <link rel="self" href="https://rail-weekly.example/atom"/>
    </source>
    <content type="html">&lt;p&gt;Volumes are &lt;a href="charts/1"&gt;up&lt;/a&gt; again.&lt;/p&gt;</content>
  </entry>
</feed>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "River Post",
    "home_page_url": "https://river-post.example/",
    "feed_url": "https://river-post.example/feed.json",
    "items": [
        {
            "id": "river-77",
            "url": "https://river-post.example/2020/levee",
            "title": "Levee repairs finish ahead of schedule",
            "content_html": "<p>Crews closed the last gap on Friday.</p>",
            "date_published": "2020-04-10T16:45:00-05:00",
            "authors": [{"name": "Ines Achterberg"}],
            "tags": ["Floods"],
            "image": "https://river-post.example/img/levee.jpg",
            "_newsroom": {
                "chain": [{"name": "Delta Radio", "url": "https://delta-radio.example/levee"}],
                "origin_url": "https://delta-radio.example/levee",
                "image": {
                    "url": "https://river-post.example/img/levee.jpg",
                    "caption": "Sandbags on the east bank",
                    "credit": "Delta Radio",
                },
            },
        },
        {
            "id": "river-78",
            "url": "https://river-post.example/2020/bridge",
            "title": "Bridge reopens to cyclists",
            "content_text": "Cyclists may use the bridge again <from Monday>.",
            "date_published": "2020-04-11T07:00:00-05:00",
        },
    ],
}

RSS1_FEED = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://almanac.example/"><title>Almanac</title><link>https://almanac.example/</link><description>d</description></channel>
  <item rdf:about="https://almanac.example/frost"><title>First frost arrives late</title><link>https://almanac.example/frost</link><dc:date>2020-11-02T06:00:00+01:00</dc:date></item>
</rdf:RDF>
"""

RSS091_FEED = """<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old Town Crier</title><link>https://crier.example/</link>
<description>d</description><pubDate>Mon, 02 Mar 2020 12:00:00 GMT</pubDate>
<item><title>Market square gets new benches</title><link>https://crier.example/benches</link></item>
</channel></rss>
"""

BROKEN_ITEMS_FEED = f"""<?xml version="1.0"?>
<rss version="2.0" {NS}><channel><title>Patchy Feed</title><link>https://patchy.example/</link><description>d</description>
<item><title>Good item one</title><link>https://patchy.example/1</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate></item>
<item><title>No id and an unsafe link</title><link>javascript:alert(1)</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate></item>
<item><title>No date at all</title><link>https://patchy.example/3</link></item>
<item><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate><author>desk@patchy.example (Desk)</author></item>
<item><title>Bad chain</title><link>https://patchy.example/5</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate>
  <newsroom:chain><newsroom:hop><newsroom:url>not a url</newsroom:url></newsroom:hop></newsroom:chain></item>
<item><title>Good item two</title><link>https://patchy.example/6</link><pubDate>Mon, 06 Apr 2020 11:00:00 +0000</pubDate></item>
</channel></rss>
"""


def xxe_feed(secret_path: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret_path}">]>
<rss version="2.0"><channel><title>Leaky</title><link>https://leaky.example/</link><description>d</description>
<item><title>Hello &leak;</title><link>https://leaky.example/1</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate>
<description>&leak;</description></item></channel></rss>
"""


def billion_laughs() -> str:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rss [", '<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    lines += [
        "]>",
        '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        "<link>https://lol.example/1</link></item></channel></rss>",
    ]
    return "\n".join(lines)


HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Not a feed</p></body></html>\n"
)


def options(output: Path, **overrides: Any) -> ImportOptions:
    return ImportOptions(output=output, **{"siteurl": SITE, **overrides})


def write(tmp: Path, name: str, text: str | bytes) -> str:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def front(path: Path) -> dict[str, Any]:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    assert parts is not None, path
    data: dict[str, Any] = yaml.safe_load(parts[0])
    return data


def articles(output: Path) -> dict[str, dict[str, Any]]:
    """Imported articles by title."""
    return {front(p)["title"]: front(p) for p in sorted(output.glob("*.md"))}


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(output.glob("*.md"))}


def changed_bytes(source: str) -> None:
    """The same feed with one more byte (a newline): the items are unchanged."""
    Path(source).write_bytes(Path(source).read_bytes() + b"\n")


def hop_names(meta: dict[str, Any]) -> list[str]:
    return [hop["name"] for hop in meta["via"]]


@pytest.fixture
def feeds(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "feeds"
    folder.mkdir()
    return {
        "rss": write(folder, "coastal.xml", RSS_FEED),
        "atom": write(folder, "briefing.atom", ATOM_FEED),
        "json": write(folder, "river.json", json.dumps(JSON_FEED)),
        "rss1": write(folder, "almanac.rdf", RSS1_FEED),
        "rss091": write(folder, "crier.xml", RSS091_FEED),
        "broken": write(folder, "patchy.xml", BROKEN_ITEMS_FEED),
    }


# --- formats, chains and images -----------------------------------------------------------


def test_every_format_gives_the_right_articles_and_chains(
    tmp_path: Path, feeds: dict[str, str]
) -> None:
    out = tmp_path / "imported"
    results = run_import(
        [feeds[k] for k in ("rss", "atom", "json", "rss1", "rss091")], options(out)
    )
    assert [r.counts["new"] for r in results] == [2, 1, 2, 1, 1]
    assert all(r.ok for r in results)
    found = articles(out)
    assert len(found) == 7

    ferry = found["Ferry timetable changes after pier inspection"]
    assert hop_names(ferry) == ["Harbour Gazette", "Coastal Wire"]
    assert ferry["via"][0] == {
        "name": "Harbour Gazette",
        "url": "https://harbour-gazette.example/news/pier-inspection",
        "feed": "https://harbour-gazette.example/rss.xml",
    }
    assert ferry["via"][-1] == {
        "name": "Coastal Wire",
        "url": "https://coastal-wire.example/",  # the feed's hop is the feed: its site
        "feed": "https://coastal-wire.example/feed.xml",
        "author": "Ella Brandt",
        "date": "2020-04-07T11:00:00+01:00",
    }
    assert ferry["date"] == "2020-04-07T11:00:00+01:00"  # the offset is kept
    assert ferry["origin_url"] == "https://harbour-gazette.example/news/pier-inspection"
    assert ferry["image"] == "https://coastal-wire.example/img/pier.jpg"
    assert ferry["image_caption"] == "The north pier at low tide"
    assert ferry["image_credit"] == "Photo Desk Agency"
    assert ferry["image_license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ferry["tags"] == ["Transport"]
    assert ferry["import_id"] == "coastal-wire-1001"
    assert "guid" not in ferry  # our feed id is ours, never the upstream's

    closures = found["Night closures extended at the container terminal"]
    assert hop_names(closures) == ["Port Bulletin", "Harbour Gazette", "Coastal Wire"]
    assert closures["via"][0]["author"] == "Ravi Oduya"
    assert closures["via"][0]["date"] == "2020-04-07T18:00:00-04:00"
    assert closures["image"] == "https://coastal-wire.example/img/cranes.png"  # from the enclosure

    rail = found["Rail freight rebounds in spring"]  # an HTML title becomes text
    assert hop_names(rail) == ["Rail Weekly", "Transport Notes", "Continental Briefing"]
    assert rail["via"][0]["feed"] == "https://rail-weekly.example/atom"
    assert rail["via"][-1]["url"] == "https://briefing.example/"  # the feed's site
    assert rail["import_link"] == "https://briefing.example/europe/rail-freight"
    assert rail["authors"] == ["Mara Quint", "Jonas Weller"]
    assert rail["modified"] == "2020-04-09T10:15:00+02:00"

    levee = found["Levee repairs finish ahead of schedule"]
    assert hop_names(levee) == ["Delta Radio", "River Post"]
    assert levee["origin_url"] == "https://delta-radio.example/levee"
    assert (levee["image_caption"], levee["image_credit"]) == (
        "Sandbags on the east bank",
        "Delta Radio",
    )
    bridge = found["Bridge reopens to cyclists"]
    assert (
        bridge["origin_url"] == "https://river-post.example/2020/bridge"
    )  # no chain: the feed is the origin
    body = (out / "bridge-reopens-to-cyclists.md").read_text(encoding="utf-8")
    assert "&lt;from Monday&gt;" in body  # content_text is text, escaped

    assert hop_names(found["First frost arrives late"]) == ["Almanac"]
    benches = found["Market square gets new benches"]  # RSS 0.91: no item date, the channel's
    assert benches["date"] == "2020-03-02T12:00:00+00:00"


def test_the_body_is_sanitized_and_absolute(tmp_path: Path, feeds: dict[str, str]) -> None:
    out = tmp_path / "imported"
    run_import([feeds["rss"]], options(out))
    text = (out / "ferry-timetable-changes-after-pier-inspection.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    for bad in ("<script", "onerror", 'href="javascript', "<iframe", "steal()</script"):
        assert bad not in body
    assert 'href="https://coastal-wire.example/notes/cracks"' in body
    assert 'src="https://coastal-wire.example/img/pile.jpg"' in body


def test_iframes_only_when_allowed() -> None:
    html = '<p>x</p><iframe src="https://video.example/e" onload="x()"></iframe><iframe src="javascript:x()"></iframe>'
    assert "<iframe" not in sanitize_html(html, "https://a.example/")
    allowed = sanitize_html(html, "https://a.example/", allow_iframes=True)
    assert '<iframe src="https://video.example/e"></iframe>' in allowed
    assert "javascript" not in allowed and "onload" not in allowed
    assert sanitize_html("a\x00b\x1fc\ufffe", None) == "abc"  # XML-illegal characters removed
    assert sanitize_html('<a href="/x">x</a>', None) == "x"  # no base: link dropped, text kept


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


# --- hostile and broken sources -------------------------------------------------------------


def test_broken_items_are_reported_and_the_rest_imported(
    tmp_path: Path, feeds: dict[str, str]
) -> None:
    out = tmp_path / "imported"
    [result] = run_import([feeds["broken"]], options(out))
    assert not result.ok
    assert result.counts == {
        "new": 4,
        "updated": 0,
        "unchanged": 0,
        "conflict": 0,
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


def test_external_entities_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    source = write(tmp_path, "xxe.xml", xxe_feed(secret))
    parsed = feedparser.parse(Path(source).read_bytes())  # feedparser by itself does not expand it
    assert SECRET not in json.dumps(parsed, default=str)
    out = tmp_path / "imported"
    [result] = run_import([source], options(out))
    assert result.error and "declares XML entities" in result.error
    assert SECRET not in result.error
    assert not out.exists() or not list(out.glob("*.md"))


def test_entity_bombs_fail_fast_with_an_error(tmp_path: Path) -> None:
    source = write(tmp_path, "lol.xml", billion_laughs())
    parsed = feedparser.parse(Path(source).read_bytes())
    assert "lol" * 1000 not in json.dumps(parsed, default=str)
    [result] = run_import([source], options(tmp_path / "imported"))
    assert result.error
    assert not (tmp_path / "imported").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HTML_PAGE, "HTML page, not a feed"),
        (RSS_FEED[: len(RSS_FEED) // 2], "not well-formed XML"),
        ("", "empty"),
        ('{"version": "https://jsonfeed.org/version/1.1", "items": [', "not valid JSON"),
        ('{"hello": "world"}', "not a JSON Feed"),
        (
            "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>",
            "not an RSS or Atom feed",
        ),
    ],
)
def test_bad_sources_fail_clearly_without_partial_files(
    tmp_path: Path, text: str, expected: str
) -> None:
    source = write(tmp_path, "bad.xml", text)
    out = tmp_path / "imported"
    [result] = run_import([source], options(out))
    assert result.error and expected in result.error
    assert not out.exists()


# --- idempotence, updates, conflicts ------------------------------------------------------


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


def test_same_title_gets_a_second_file_and_ids_fall_back_to_links(tmp_path: Path) -> None:
    feed = RSS091_FEED.replace(
        "</channel>",
        "<item><title>Market square gets new benches</title><link>https://crier.example/benches-2</link></item></channel>",
    )
    out = tmp_path / "imported"
    [result] = run_import([write(tmp_path, "crier.xml", feed)], options(out))
    assert sorted(p.name for p in out.glob("*.md")) == [
        "market-square-gets-new-benches-2.md",
        "market-square-gets-new-benches.md",
    ]
    assert {item.id for item in result.items} == {
        "https://crier.example/benches",
        "https://crier.example/benches-2",
    }
    assert (
        front(out / "market-square-gets-new-benches-2.md")["slug"]
        == "market-square-gets-new-benches-2"
    )


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
    [skipped] = [i for i in second.items if i.action == "skipped"]
    one_path, two_path = str(tmp_path / "one.xml"), str(tmp_path / "two.xml")
    assert f"already imported from another feed ({one_path})" in (skipped.message or "")
    # a feed is who it was fetched from, not what its <link> claims
    assert front(out / "market-square-gets-new-benches.md")["import_feed"] == two_path


def test_dry_run_writes_nothing(
    tmp_path: Path, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported"
    status = main(["import", feeds["rss"], "--output", str(out), "--dry-run"])
    assert status == 0
    assert not out.exists()
    printed = capsys.readouterr().out
    assert "would be new" in printed and "dry run: nothing was written" in printed


# --- loops ------------------------------------------------------------------------------------


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


# --- command line -----------------------------------------------------------------------------


def test_cli_json_report_has_a_fixed_shape(
    tmp_path: Path, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported"
    status = main(
        [
            "import",
            feeds["broken"],
            feeds["json"],
            str(tmp_path / "missing.xml"),
            "--output",
            str(out),
            "--output-format",
            "json",
            "--limit",
            "5",
        ]
    )
    assert status == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"ok", "dry_run", "output", "totals", "sources"}
    assert set(report["sources"][0]) == {"source", "ok", "error", "not_modified", "counts", "items"}
    assert set(report["sources"][0]["items"][0]) == {"action", "id", "title", "file", "message"}
    assert report["ok"] is False
    assert report["totals"]["failed_sources"] == 1
    assert len(report["sources"][0]["items"]) == 5  # --limit
    assert "cannot read file" in report["sources"][2]["error"]


def test_cli_settings_give_output_folder_and_since(
    tmp_path: Path, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        f'PATH = "content"\nSITEURL = "{SITE}"\nTIMEZONE = "Europe/Berlin"\nNEWSROOM_IMPORT_PATH = "wire"\n',
        encoding="utf-8",
    )
    status = main(
        ["import", feeds["rss"], "-s", str(conf), "--since", "2020-04-08", "--format", "md"]
    )
    assert status == 0
    [written] = (content / "wire").glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("title: Night closures extended at the container terminal\n")
    assert (
        "via: Port Bulletin <https://port-bulletin.example/closures>\n    Harbour Gazette <" in text
    )
    assert "older than --since" in capsys.readouterr().out
    assert main(["import", feeds["rss"], "-s", str(conf), "--since", "someday"]) == 2
    assert main(["import", "-s", str(conf)]) == 2


# --- HTTP ----------------------------------------------------------------------------------


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


def test_http_failures_are_clear(tmp_path: Path, server: Server) -> None:
    server.routes["/slow.xml"] = Route(RSS_FEED.encode(), delay=2.0)
    server.routes["/drip.xml"] = Route(RSS_FEED.encode(), drip=0.05)
    server.routes["/big.xml"] = Route(b"<rss>" + b" " * 5000 + b"</rss>")
    server.routes["/to-file"] = Route(status=302, headers={"Location": "file:///etc/passwd"})
    server.routes["/to-ftp"] = Route(
        status=302, headers={"Location": "ftp://files.example/feed.xml"}
    )
    server.routes["/to-feed"] = Route(status=301, headers={"Location": server.url("/feed.xml")})
    server.routes["/feed.xml"] = Route(RSS_FEED.encode())
    server.routes["/gone"] = Route(b"", 410)
    out = tmp_path / "imported"
    results = run_import(
        [
            server.url(p)
            for p in (
                "/slow.xml",
                "/big.xml",
                "/to-file",
                "/gone",
                "/to-feed",
                "/to-ftp",
                "/drip.xml",
            )
        ],
        options(out, timeout=0.3, max_bytes=4000),
    )
    errors = [r.error for r in results]
    assert "timed out" in (errors[0] or "")
    assert "larger than 4000 bytes" in (errors[1] or "")
    assert "'file:///etc/passwd' is not allowed" in (errors[2] or "")  # urllib's own check
    assert "redirected to a 'ftp:' URL" in (errors[5] or "")  # ours (urllib would follow ftp)
    assert "timed out" in (errors[6] or "")  # each byte is in time, the whole is not
    assert "HTTP 410" in (errors[3] or "")
    assert errors[4] is None and results[4].counts["new"] == 2  # http(s) redirects are followed


def test_opml_lists_http_feeds_only(
    tmp_path: Path, server: Server, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    server.routes["/a.xml"] = Route(RSS_FEED.encode())
    server.routes["/b.json"] = Route(json.dumps(JSON_FEED).encode())
    opml = write(
        tmp_path,
        "subs.opml",
        f"""<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
<outline text="Wires"><outline text="A" type="rss" xmlUrl="{server.url("/a.xml")}"/>
<outline text="B" type="rss" xmlUrl="{server.url("/b.json")}"/></outline>
<outline text="local" type="rss" xmlUrl="{feeds["atom"]}"/></body></opml>""",
    )
    status = main(
        [
            "import",
            "--opml",
            opml,
            "--output",
            str(tmp_path / "imported"),
            "--output-format",
            "json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [s["counts"]["new"] for s in report["sources"]] == [2, 2, 0]
    assert "must be http(s)" in report["sources"][2]["error"]


# --- round trip through this site's own feeds ------------------------------------------------


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


_names = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_hosts = st.from_regex(r"[a-z]{1,12}\.example", fullmatch=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chain=st.lists(
        st.tuples(_names, _hosts), min_size=0, max_size=6, unique_by=lambda pair: pair[1]
    )
)
def test_any_chain_in_our_namespace_comes_back_plus_one_hop(
    tmp_path_factory: pytest.TempPathFactory, chain: list[tuple[str, str]]
) -> None:
    from xml.sax.saxutils import escape

    hops = "".join(
        f"<newsroom:hop><newsroom:name>{escape(name)}</newsroom:name><newsroom:url>https://{host}/s</newsroom:url></newsroom:hop>"
        for name, host in chain
    )
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {NS}><channel><title>Hub</title>
<link>https://hub.invalid/</link><description>d</description><item><title>T</title><guid>g-1</guid>
<link>https://hub.invalid/t</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate>
<newsroom:chain>{hops}</newsroom:chain></item></channel></rss>"""
    tmp = tmp_path_factory.mktemp("chain")
    [result] = run_import([write(tmp, "f.xml", feed)], options(tmp / "out"))
    assert result.counts["new"] == 1, result.to_dict()
    [meta] = articles(tmp / "out").values()
    got = [(hop["name"], hop.get("url")) for hop in meta["via"]]
    assert got == [
        *((" ".join(n.split()), f"https://{h}/s") for n, h in chain),
        ("Hub", "https://hub.invalid/"),
    ]


@settings(max_examples=60, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(RSS_FEED)),
    noise=st.binary(max_size=40),
)
def test_any_damaged_feed_fails_cleanly_or_parses(cut: int, noise: bytes) -> None:
    from datetime import UTC

    from pelican_newsroom.ingest import FeedError, parse_feed

    body = RSS_FEED.encode()[:cut] + noise
    try:
        feed = parse_feed(body, "feed.xml", UTC)
    except FeedError as error:
        assert str(error)
    else:
        assert feed.title


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(max_size=60).map(lambda t: "S " + t), text=st.text(max_size=200))
def test_hostile_text_becomes_articles_that_read_back(
    tmp_path_factory: pytest.TempPathFactory, title: str, text: str
) -> None:
    item = {
        "id": "x",
        "url": "https://hub.invalid/x",
        "title": title,
        "content_text": text,
        "date_published": "2020-04-06T10:00:00Z",
    }
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": title or "Hub", "items": [item]}
    tmp = tmp_path_factory.mktemp("hostile")
    source = write(tmp, "f.json", json.dumps(feed))
    for article_format in ("yaml", "md"):
        out = tmp / article_format
        [result] = run_import([source], options(out, article_format=article_format))
        assert result.ok, result.to_dict()
        [path] = out.glob("*.md")
        changed_bytes(source)  # else the unchanged file is "not modified" and not compared
        again = run_import([source], options(out, article_format=article_format))
        assert again[0].counts["unchanged"] == 1, (article_format, path.read_text(encoding="utf-8"))


HOSTILE_TITLES = [
    '<script>alert("t")</script> headline',
    "Fish & chips: a 'quoted' \"story\"",
    "---",
    "title: not a key\nslug: evil",
    "# not a heading *nor emphasis*",
    "Nul\x00and\x1fcontrols\ufffe",
    "Right-to-left \u202e txet",
    "{static}/../../etc/passwd",
    "   ",
]


@pytest.mark.parametrize("article_format", ["yaml", "md"])
def test_hostile_titles_build_strictly_and_show_as_text(
    tmp_path: Path, article_format: str
) -> None:
    items = [
        {
            "id": f"h{n}",
            "url": f"https://hub.invalid/{n}",
            "title": title,
            "content_html": f"<p>Body {n}</p>",
            "date_published": "2020-04-06T10:00:00Z",
            "authors": [{"name": "Smith, Jo"}, {"name": "<b>Lee</b>"}],
            "tags": ["a,b", "c;d"],
        }
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    source = write(
        tmp_path,
        "f.json",
        json.dumps(
            {"version": "https://jsonfeed.org/version/1.1", "title": "Hub <Desk>", "items": items}
        ),
    )
    content = tmp_path / "content"
    [result] = run_import([source], options(content / "imported", article_format=article_format))
    assert result.ok and result.counts["new"] == len(HOSTILE_TITLES)
    site = run_build(content, tmp_path / "output", NEWSROOM_STRICT=True)
    assert site.problems == []
    pages = "".join(p.read_text(encoding="utf-8") for p in site.pages("*.html"))
    assert "<script>alert" not in pages
    assert "‹script›alert(“t”)‹/script› headline" in pages  # stored with stand-ins, shown
    assert "Fish &amp; chips: a ‘quoted’ “story”" in pages


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


def test_every_import_option_is_documented_in_the_readme() -> None:
    from pelican_newsroom.cli import build_parser
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Importing feeds", 1)[1].split("\n## ", 1)[0]
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    parser = commands.choices["import"]  # type: ignore[attr-defined]
    options_shown = {
        o for action in parser._actions for o in action.option_strings if o.startswith("--")
    }
    assert options_shown - {"--help"} <= {o for o in options_shown if o in section}
