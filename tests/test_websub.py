"""WebSub: hub links in every feed, and ``pelican-newsroom ping`` notifying the hubs."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
from lxml import etree

from pelican_newsroom.cli import main
from pelican_newsroom.fetch import USER_AGENT
from pelican_newsroom.settings import NewsroomSettings, NewsroomSettingsError
from pelican_newsroom.websub import FeedFile, feed_files
from tests.conftest import Route

ATOM = "http://www.w3.org/2005/Atom"
HUBS = ["https://hub.example.org/", "https://push.example.net/publish?site=1"]
#: Articles using our keys, so the JSON and per-source feeds are written too.
FILES = {
    "a.md": "Title: A\nDate: 2024-05-07 10:00\nCategory: World\nTags: war\n"
    "Via: Wire <https://wire.example/a>\n\nx\n",
    "b.md": "Title: B\nDate: 2024-05-06 10:00\nCategory: Sport\n\ny\n",
}
FEED_SETTINGS = {
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "TAG_FEED_RSS": "feeds/tag/{slug}.rss.xml",
}


def written_feeds(output: Path) -> list[Path]:
    return sorted(p for p in (output / "feeds").rglob("*") if p.is_file())


def xml_hubs(path: Path) -> list[str]:
    root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
    if root.tag == "rss":
        return root.xpath("channel/atom:link[@rel='hub']/@href", namespaces={"atom": ATOM})
    return root.xpath("atom:link[@rel='hub']/@href", namespaces={"atom": ATOM})


def test_every_feed_names_the_hubs(build_site):
    site = build_site(FILES, NEWSROOM_WEBSUB_HUBS=HUBS, **FEED_SETTINGS)
    feeds = written_feeds(site.output)
    kinds = {p.name.split(".", 1)[1] for p in feeds}
    assert kinds == {"atom.xml", "rss.xml", "json"}
    assert any("source" in p.parts for p in feeds) and any("tag" in p.parts for p in feeds)
    for path in feeds:
        if path.suffix == ".json":
            document = json.loads(path.read_text(encoding="utf-8"))
            assert document["hubs"] == [{"type": "WebSub", "url": hub} for hub in HUBS], path
            assert document["items"]
            continue
        assert xml_hubs(path) == HUBS, path  # a strict lxml parse, then the links
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert [link.href for link in parsed.feed.links if link.rel == "hub"] == HUBS
        assert parsed.entries
        self_link = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_link == [f"https://news.example.org/{path.relative_to(site.output).as_posix()}"]


def test_no_hubs_no_links(build_site):
    """Nothing changes for a site without hubs (the plugin installed is invisible)."""
    site = build_site(FILES, **FEED_SETTINGS)
    for path in written_feeds(site.output):
        data = path.read_bytes()
        assert b'rel="hub"' not in data and b'"hubs"' not in data, path


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://hub.example.org/", "a list of hub URLs"),
        (["javascript:alert(1)"], "not allowed"),
        (["/hub"], "absolute http(s) URL"),
    ],
)
def test_bad_hubs_are_named(value, message):
    with pytest.raises(NewsroomSettingsError) as raised:
        NewsroomSettings.from_pelican({"NEWSROOM_WEBSUB_HUBS": value})
    text = str(raised.value)
    assert "NEWSROOM_WEBSUB_HUBS" in text and message in text


# --- ping ---------------------------------------------------------------------------


def settings_file(
    root: Path, output: Path, hubs: list[str], siteurl: str = "https://news.example.org"
) -> Path:
    path = root / "publishconf.py"
    path.write_text(
        f"SITEURL = {siteurl!r}\nOUTPUT_PATH = {str(output)!r}\nNEWSROOM_WEBSUB_HUBS = {hubs!r}\n"
        + "".join(f"{key} = {value!r}\n" for key, value in FEED_SETTINGS.items()),
        encoding="utf-8",
    )
    return path


def posted(server, path: str) -> list[dict[str, list[str]]]:
    return [parse_qs(seen["body"]) for seen in server.seen if seen["path"] == path]


def test_ping_posts_every_written_feed_to_every_hub(build_site, server, tmp_path, capsys):
    server.routes["/hub"] = Route(b"", 204)
    server.routes["/other"] = Route(b"accepted", 202)
    site = build_site(FILES, **FEED_SETTINGS)
    hubs = [server.url("/hub"), server.url("/other")]
    assert main(["ping", "-s", str(settings_file(tmp_path, site.output, hubs))]) == 0
    expected = sorted(
        f"https://news.example.org/{p.relative_to(site.output).as_posix()}"
        for p in written_feeds(site.output)
    )
    assert len(expected) >= 10  # all, categories, tags, JSON, per source
    for hub in ("/hub", "/other"):
        bodies = posted(server, hub)
        assert sorted(body["hub.url"][0] for body in bodies) == expected
        assert all(body["hub.mode"] == ["publish"] and len(body) == 2 for body in bodies)
    request = next(seen for seen in server.seen if seen["path"] == "/hub")
    assert request["Content-Type"] == "application/x-www-form-urlencoded"
    assert request["User-Agent"] == USER_AGENT
    assert f"{len(expected)} feed(s), 2 hub(s): 2 hub(s) notified" in capsys.readouterr().out


def test_a_failing_hub_is_named_with_its_status(build_site, server, tmp_path, capsys):
    server.routes["/broken"] = Route(b"oops", 500)
    server.routes["/fine"] = Route(b"", 204)
    site = build_site(FILES, **FEED_SETTINGS)
    hubs = [server.url("/broken"), server.url("/fine")]
    assert main(["ping", "-s", str(settings_file(tmp_path, site.output, hubs))]) == 1
    err = capsys.readouterr().err
    assert f"{server.url('/broken')}: HTTP 500" in err
    assert "Traceback" not in err and server.url("/fine") not in err
    assert len(posted(server, "/broken")) == 1  # it stops at the first failure of a hub…
    assert len(posted(server, "/fine")) == len(written_feeds(site.output))  # …not the others


def test_an_unreachable_hub_and_a_redirect_are_failures(build_site, server, tmp_path, capsys):
    server.routes["/moved"] = Route(b"", 301, {"Location": server.url("/elsewhere")})
    site = build_site(FILES, **FEED_SETTINGS)
    dead = "http://127.0.0.1:9/hub"  # discard port: connection refused
    hubs = [dead, server.url("/moved")]
    assert (
        main(["ping", "-s", str(settings_file(tmp_path, site.output, hubs)), "--timeout", "5"]) == 1
    )
    err = capsys.readouterr().err
    assert f"{dead}: " in err and "refused" in err.lower()
    assert f"{server.url('/moved')}: HTTP 301" in err and server.url("/elsewhere") in err
    assert not [seen for seen in server.seen if seen["path"] == "/elsewhere"]
    assert "Traceback" not in err


def test_ping_usage_errors(tmp_path, capsys, build_site):
    site = build_site(FILES, **FEED_SETTINGS)
    assert main(["ping", "-s", str(settings_file(tmp_path, site.output, []))]) == 2
    assert "NEWSROOM_WEBSUB_HUBS is empty" in capsys.readouterr().err
    conf = settings_file(tmp_path, site.output, ["http://127.0.0.1:9/"], siteurl="")
    assert main(["ping", "-s", str(conf)]) == 2
    assert "SITEURL" in capsys.readouterr().err
    conf = settings_file(tmp_path, tmp_path / "never-built", ["http://127.0.0.1:9/"])
    assert main(["ping", "-s", str(conf)]) == 2
    assert "no feed files under" in capsys.readouterr().err
    assert main(["ping", "-s", str(tmp_path / "missing.py")]) == 2


def test_feed_files_follow_url_settings_and_fixed_paths_first(tmp_path):
    output = tmp_path / "out"
    for relative in (
        "feeds/all.atom.xml",
        "feeds/world.atom.xml",
        "feeds/all-fr.rss.xml",
        "feeds/notes.txt",
    ):
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_text("x")
    settings = {
        "OUTPUT_PATH": str(output),
        "SITEURL": "https://news.example.org",
        "FEED_DOMAIN": "https://feeds.example.org",
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
        "CATEGORY_FEED_ATOM_URL": "category/{slug}/feed",
        "TRANSLATION_FEED_RSS": "feeds/all-{lang}.rss.xml",
    }
    assert feed_files(settings) == [
        FeedFile(output / "feeds/world.atom.xml", "https://feeds.example.org/category/world/feed"),
        FeedFile(output / "feeds/all-fr.rss.xml", "https://feeds.example.org/feeds/all-fr.rss.xml"),
        FeedFile(output / "feeds/all.atom.xml", "https://feeds.example.org/feeds/all.atom.xml"),
    ]  # sorted by URL; all.atom.xml keeps its own URL, not the category pattern's


def test_ping_and_its_options_are_documented_in_the_readme():
    from pelican_newsroom.cli import build_parser
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `pelican-newsroom ping`", 1)[1].split("\n## ", 1)[0]
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    parser = commands.choices["ping"]  # type: ignore[attr-defined]
    options = {o for action in parser._actions for o in action.option_strings if o != "--help"}
    assert options - {"-h"} == {"-s", "--settings", "--timeout"}
    assert all(f"{o} " in section or f"[{o}" in section for o in ("-s", "--timeout"))
    assert "hub.mode=publish&hub.url=" in section and "Exit status 0" in section
