"""``import`` on the shapes real feeds come in: FeedBurner links, no dates, no ids,
shared guids and links, whitespace before ``<?xml``, JSON Feed 1.0, RSS author forms,
Atom xhtml titles. Every feed here is written by the tests, in our own words."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_newsroom.chain import Hop
from pelican_newsroom.import_state import STATE_FILE
from pelican_newsroom.importer import run_import
from pelican_newsroom.upstream import person_name
from tests.import_support import articles, options, snapshot, write

ATOM = "http://www.w3.org/2005/Atom"


def rss_items(items: str, link: str = "https://blog.example/", title: str = "Blog") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{title}</title><link>{link}</link><description>d</description>"
        f"{items}</channel></rss>"
    )


FEEDBURNER = rss_items(
    "".join(
        f"<item><title>Post {n}</title>"
        f"<link>https://feedproxy.google.com/~r/blog{n}/~3/abc{n}/</link>"
        f"<guid isPermaLink='false'>tag:blog{n}.example,2020:{n}</guid>"
        f"<pubDate>Tue, 07 Apr 2020 1{n}:00:00 +0000</pubDate>"
        f"<description>Text {n}.</description></item>"
        for n in range(3)
    ),
    link="https://blog.example/",
    title="Tide Tables Blog",
)


def test_feedburner_links_never_name_the_outlet(tmp_path: Path) -> None:
    out = tmp_path / "out"
    [result] = run_import([write(tmp_path, "fb.xml", FEEDBURNER)], options(out))
    assert result.counts["new"] == 3
    for meta in articles(out).values():
        [hop] = meta["via"]
        assert (hop["name"], hop["url"]) == ("Tide Tables Blog", "https://blog.example/")
        assert meta["origin_url"].startswith("https://feedproxy.google.com/")  # the story
    # a redirector in an upstream chain is known by its name, not by the redirector's host
    assert Hop("ZeroHedge News", "https://ift.tt/2wtQXBC").identity == "zerohedge news"
    assert Hop("Other Blog", "https://ift.tt/zzz").identity == "other blog"


def test_whitespace_before_the_declaration_and_json_feed_1_0_are_accepted(tmp_path: Path) -> None:
    xml = write(tmp_path, "ws.xml", "\n\n  \ufeff".encode() + FEEDBURNER.encode())
    json_1_0 = write(
        tmp_path,
        "old.json",
        json.dumps(
            {
                "version": "http://jsonfeed.org/version/1",
                "title": "Old Json",
                "home_page_url": "https://old.example/",
                "items": [
                    {
                        "id": "1",
                        "title": "Hello",
                        "content_text": "Hi.",
                        "url": "https://old.example/1",
                    }
                ],
            }
        ),
    )
    results = run_import([xml, json_1_0], options(tmp_path / "out"))
    assert [r.error for r in results] == [None, None]
    assert [r.counts["new"] for r in results] == [3, 1]


def test_undated_and_unidentified_items_are_imported_and_stable(tmp_path: Path) -> None:
    feed = rss_items(
        "<item><title>No date, no link</title><description>First.</description></item>"
        "<item><description>Only text, nothing else at all.</description></item>"
        "<item><title>Dated</title><pubDate>Tue, 07 Apr 2020 11:00:00 +0000</pubDate></item>"
    )
    out = tmp_path / "out"
    source = write(tmp_path, "f.xml", feed)
    [first] = run_import([source], options(out))
    assert first.counts["new"] == 3 and first.ok, first.to_dict()
    assert sum("when first seen" in (item.message or "") for item in first.items) == 2
    before = snapshot(out)
    (out / STATE_FILE).unlink()  # with and without the state file: nothing changes
    [second] = run_import([source], options(out))
    assert second.counts["unchanged"] == 3
    assert snapshot(out) == before


def test_shared_guids_and_shared_links_never_overwrite_each_other(tmp_path: Path) -> None:
    feed = rss_items(
        # two stories under one guid (a CMS bug), twice the same item, and sponsor posts
        # with their own guids all linking to one page
        "<item><title>Ferry A</title><guid>same</guid><link>https://blog.example/a</link></item>"
        "<item><title>Ferry B</title><guid>same</guid><link>https://blog.example/b</link></item>"
        "<item><title>Ferry B</title><guid>same</guid><link>https://blog.example/b</link></item>"
        "<item><title>Sponsor 1</title><guid>s1</guid><link>https://blog.example/</link></item>"
        "<item><title>Sponsor 2</title><guid>s2</guid><link>https://blog.example/</link></item>"
    ).replace("</title><guid>", "</title><pubDate>Tue, 07 Apr 2020 11:00:00 +0000</pubDate><guid>")
    out = tmp_path / "out"
    source = write(tmp_path, "f.xml", feed)
    [first] = run_import([source], options(out))
    assert [i.action for i in first.items] == ["new", "new", "skipped", "new", "new"]
    assert set(articles(out)) == {"Ferry A", "Ferry B", "Sponsor 1", "Sponsor 2"}
    before = snapshot(out)
    (out / STATE_FILE).unlink()
    [second] = run_import([source], options(out))
    assert [i.action for i in second.items] == ["unchanged"] * 2 + ["skipped"] + ["unchanged"] * 2
    assert snapshot(out) == before


def test_author_forms_and_xhtml_titles(tmp_path: Path) -> None:
    rss = rss_items(
        "<item><title>One</title><guid>1</guid><pubDate>Tue, 07 Apr 2020 11:00:00 +0000</pubDate>"
        "<author>jonas@example.org (Jonas Große Sundrup)</author></item>"
        "<item><title>Two</title><guid>2</guid><pubDate>Tue, 07 Apr 2020 11:00:00 +0000</pubDate>"
        "<author>Simon St.Laurent (mailto:simon@example.com)</author></item>"
    )
    atom = (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}"><title>A</title>'
        "<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><updated>2020-04-07T11:00:00Z</updated>"
        '<link href="https://atom.example/"/><entry><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>'
        '<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Tides <i>rise</i></div></title>'
        "<updated>2020-04-07T11:00:00Z</updated><author><name>Ann Lee</name>"
        "<email>ann@example.org</email></author><content>Text.</content></entry></feed>"
    )
    out = tmp_path / "out"
    run_import([write(tmp_path, "r.xml", rss), write(tmp_path, "a.xml", atom)], options(out))
    found = articles(out)
    assert found["One"]["authors"] == ["Jonas Große Sundrup"]
    assert found["Two"]["authors"] == ["Simon St.Laurent"]
    assert found["Tides rise"]["authors"] == ["Ann Lee"]


def test_person_name_forms() -> None:
    assert person_name("Ann Lee <ann@example.org>") == "Ann Lee"
    assert person_name("mailto:bob@example.org") == "bob@example.org"
    assert person_name("a@b.example (Bo Ek)") == "Bo Ek"
    assert person_name("Desk (Night shift)") == "Desk (Night shift)"  # not an address
    assert person_name("   ") is None


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="<>()@"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip())


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES, st.sampled_from(["{email} ({name})", "{name} <{email}>", "{name} (mailto:{email})"]))
def test_every_rss_author_form_gives_back_the_name(name: str, form: str) -> None:
    written = form.format(name=name, email="desk@news.example")
    assert person_name(written) == " ".join(name.split())


def test_items_without_a_title_are_named_after_what_they_have(tmp_path: Path) -> None:
    feed = rss_items(
        "<item><link>https://blog.example/2020/04/tide-gauge%20notes/</link></item>"
        "<item><guid isPermaLink='false'>gauge-7</guid>"
        "<description>&lt;img src='https://blog.example/g.jpg' alt='Gauge at dawn'&gt;</description></item>"
        "<item><guid isPermaLink='false'>gauge-8</guid></item>"
        "<item><description>&lt;img src='https://blog.example/h.jpg'&gt;</description></item>"
        "<item><description>&lt;img src='https://blog.example/i.jpg'&gt;</description></item>"
        "<item><author>desk@blog.example (Desk)</author></item>"
    )
    out = tmp_path / "out"
    source = write(tmp_path, "f.xml", feed)
    [result] = run_import([source], options(out))
    assert [i.action for i in result.items] == ["new"] * 5 + ["failed"]
    assert "an empty item: no title, text, link or id" in (result.items[-1].message or "")
    assert [i.title for i in result.items[:5]] == [
        "blog.example/2020/04/tide-gauge notes",
        "Gauge at dawn",
        "Untitled",
        "Untitled",
        "Untitled",
    ]
    assert set(articles(out)) == {
        "blog.example/2020/04/tide-gauge notes",
        "Gauge at dawn",
        "Untitled",
    }
    assert len(list(out.glob("untitled*.md"))) == 3  # two image-only items stay apart
    before = snapshot(out)
    [again] = run_import([source], options(out))  # a run with a failed item is not remembered
    assert again.counts["unchanged"] == 5
    assert snapshot(out) == before


PODCAST = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    "<title>Harbour Hour</title><link>https://hour.example/</link><description>d</description>"
    "<itunes:author>Harbour Hour</itunes:author>"
    "<item><title>Episode 4: buoys</title><link>https://hour.example/4</link>"
    "<itunes:duration>31:07</itunes:duration>{extra}</item></channel></rss>"
)


def test_namespace_faults_are_forgiven_and_nothing_else(tmp_path: Path) -> None:
    ok = write(tmp_path, "ok.xml", PODCAST.format(extra=""))
    odd_uri = (
        PODCAST.format(extra="<x:tide>3</x:tide>")
        .replace("<rss ", '<rss xmlns:x="https://hour.example/ tides/" ', 1)
        .replace("hour.example/4", "hour.example/5")
    )
    broken = write(tmp_path, "broken.xml", PODCAST.format(extra="<b>"))
    entity = PODCAST.format(extra="<description>&e;</description>").replace(
        "<rss", '<!DOCTYPE rss [<!ENTITY e "x">]>\n<rss', 1
    )
    sources = [ok, write(tmp_path, "uri.xml", odd_uri), broken, write(tmp_path, "e.xml", entity)]
    results = run_import(sources, options(tmp_path / "out"))
    assert [r.error for r in results[:2]] == [None, None]
    assert [r.counts["new"] for r in results[:2]] == [1, 1]
    assert "not well-formed XML: Opening and ending tag mismatch: b" in (results[2].error or "")
    assert "declares XML entities (e)" in (results[3].error or "")


def test_the_feed_hop_is_dated_in_whole_seconds(tmp_path: Path) -> None:
    atom = (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}"><title>Gauges</title>'
        "<id>urn:uuid:3f0c-gauges</id><updated>2020-04-07T11:00:00Z</updated>"
        '<link href="https://gauges.example/"/><entry><id>urn:uuid:3f0c-1</id>'
        "<title>Reading at noon</title><published>2020-04-07T11:00:02.544-07:00</published>"
        "<updated>2020-04-07T11:00:02.544-07:00</updated><content>Level 3.1 m.</content>"
        "</entry></feed>"
    )
    out = tmp_path / "out"
    run_import([write(tmp_path, "g.xml", atom)], options(out))
    [meta] = articles(out).values()
    assert meta["date"] == "2020-04-07T11:00:02-07:00"
    assert [hop["date"] for hop in meta["via"]] == ["2020-04-07T11:00:02-07:00"]


def test_an_encoding_only_python_knows_is_read(tmp_path: Path) -> None:
    """libxml2 has no ``mac-cyrillic``; Python does: the feed is read, not refused."""
    title = "Паром отменён"  # "ferry cancelled", our own words
    feed = rss_items(
        f"<item><title>{title}</title><guid>c1</guid>"
        "<pubDate>Tue, 07 Apr 2020 11:00:00 +0000</pubDate></item>"
    ).replace('encoding="utf-8"', 'encoding="mac-cyrillic"')
    out = tmp_path / "out"
    [result] = run_import([write(tmp_path, "cyr.xml", feed.encode("mac-cyrillic"))], options(out))
    assert result.error is None and result.counts["new"] == 1
    assert list(articles(out)) == [title]
