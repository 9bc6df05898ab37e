"""Reading upstream feeds (:mod:`pelican_newsroom.upstream`): every format, its chains and
images, and the hardened XML gate that refuses what is not a feed we can read safely.

Every feed here is written by the tests themselves (our own words).
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_newsroom.importer import run_import
from pelican_newsroom.upstream import FeedError, parse_feed
from tests.import_support import (
    HTML_PAGE,
    NS,
    RSS_FEED,
    SECRET,
    articles,
    billion_laughs,
    hop_names,
    options,
    write,
    xxe_feed,
)


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
    body = RSS_FEED.encode()[:cut] + noise
    try:
        feed = parse_feed(body, "feed.xml", UTC)
    except FeedError as error:
        assert str(error)
    else:
        assert feed.title
