"""Installing the plugin never changes a blog that uses none of its keys.

The same plain blog (articles, pages, categories, tags, authors, a translation) is built
with plain Pelican (``PLUGINS = []``: no auto-discovery), with the plugin auto-discovered
(``PLUGINS`` unset) and with the plugin listed, under Pelican's default theme, and the
outputs are compared: the same files, every non-feed file byte for byte, and in every feed
the feed id, and each entry's id, link and dates.

Each build runs in a fresh interpreter: Pelican's signals are process-wide (blinker), so a
plugin registered by an earlier build in this process would still run in a "plain" one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
import pytest
from pelican.settings import DEFAULT_CONFIG

from pelican_newsroom.feeds import JSON_FAMILIES, planned_feeds
from pelican_newsroom.settings import merged
from tests.conftest import REPO, write_files

SITEURL = "https://blog.example.com"

#: A Pelican blog as people write them: no newsroom key anywhere.
PLAIN_BLOG: dict[str, str | bytes] = {
    "first-post.md": """\
        Title: Hello, world
        Date: 2021-01-04 09:30
        Category: Notes
        Tags: meta, welcome
        Author: Ada Lovelace
        Summary: The first post of this blog.

        Welcome to *the blog*. See [about](/pages/about.html) and ![a dot](/images/dot.png).
        """,
    "python/generators.md": """\
        Title: Generators & iterators
        Date: 2021-02-10 18:00
        Modified: 2021-03-01 08:15
        Category: Python
        Tags: python, tips
        Author: Grace Hopper

        A *generator* yields; see [the first post]({filename}/first-post.md).
        """,
    "python/typing.rst": """\
        Typing in practice
        ##################

        :date: 2021-03-15 12:00
        :category: Python
        :tags: python
        :authors: Ada Lovelace, Grace Hopper
        :slug: typing-in-practice

        Annotations help **readers**.
        """,
    "travel/lisbon.md": """\
        Title: A week in Lisbon
        Date: 2021-04-02 07:45
        Category: Travel
        Tags: travel, welcome
        Author: Ada Lovelace
        Slug: lisbon
        Lang: en

        Trams, hills and *pastéis*.
        """,
    "travel/lisbon-fr.md": """\
        Title: Une semaine à Lisbonne
        Date: 2021-04-03 07:45
        Category: Travel
        Tags: travel
        Author: Ada Lovelace
        Slug: lisbon
        Lang: fr

        Des trams, des collines et des *pastéis*.
        """,
    # Python-Markdown's meta block may sit between --- lines: still Pelican metadata.
    "notes/fenced.md": """\
        ---
        Title: Fenced metadata: still plain
        Date: 2021-04-20T16:05:00+02:00
        Category: Notes
        Tags: meta
        Author: Grace Hopper
        Summary: A summary
            on two lines.
        ---
        Text with a [link](https://example.org/?a=1&b=2).
        """,
    "drafts/later.md": """\
        Title: Not yet
        Date: 2021-05-01 10:00
        Category: Notes
        Status: draft

        Soon.
        """,
    "pages/about.md": """\
        Title: About
        Author: Ada Lovelace

        Who writes here.
        """,
    "pages/contact.md": """\
        Title: Contact
        Status: hidden

        Write to us.
        """,
    # A 1x1 PNG: static files go through the plugin-free path too.
    "images/dot.png": bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    ),
}

COMMON: dict[str, Any] = {
    "SITENAME": "A Plain Blog",
    "SITEURL": SITEURL,
    "FEED_DOMAIN": SITEURL,
    "TIMEZONE": "Europe/Lisbon",
    "DEFAULT_LANG": "en",
    "LOCALE": ["C"],
    "STATIC_PATHS": ["images"],
    "DELETE_OUTPUT_DIRECTORY": True,
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
}

#: Pelican's feed settings as they come (FEED_ALL_ATOM, CATEGORY_FEED_ATOM, AUTHOR_FEED_*,
#: TRANSLATION_FEED_ATOM on); ``pelican-quickstart``'s development config (every feed off);
#: and a site with RSS, tag and translation RSS families, ``?ref=feed`` links and relative URLs.
CONFIGS: dict[str, dict[str, Any]] = {
    "pelican-defaults": {},
    "quickstart-dev": {
        "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
        "TRANSLATION_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "RELATIVE_URLS": True,
    },
    "every-family": {
        "FEED_ALL_RSS": "feeds/all.rss.xml",
        "CATEGORY_FEED_RSS": "feeds/{slug}.rss.xml",
        "TAG_FEED_ATOM": "feeds/tag-{slug}.atom.xml",
        "TAG_FEED_RSS": "feeds/tag-{slug}.rss.xml",
        "TRANSLATION_FEED_RSS": "feeds/all-{lang}.rss.xml",
        "FEED_APPEND_REF": True,
        "RSS_FEED_SUMMARY_ONLY": False,
        "RELATIVE_URLS": True,
    },
}

#: PLUGINS = [] turns auto-discovery off: plain Pelican, in the same virtualenv.
MODES: dict[str, dict[str, Any]] = {
    "plain": {"PLUGINS": []},
    "discovered": {},
    "listed": {"PLUGINS": ["pelican_newsroom"]},
}

_BUILD = """
import json, sys
from pelican import Pelican
from pelican.settings import read_settings
pelican = Pelican(read_settings(path=None, override=json.loads(sys.argv[1])))
pelican.run()
module = sys.modules.get("pelican_newsroom")
print(json.dumps({"plugins": pelican.settings["PLUGINS"], "module": getattr(module, "__file__", None)}))
"""


def build_isolated(content: Path, output: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """Build ``content`` into ``output`` in a fresh interpreter; which plugins it ran."""
    override = {
        **settings,
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(output.parent / "cache"),
    }
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [sys.executable, "-c", _BUILD, json.dumps(override)],
        cwd=output.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every (config, mode) build of the plain blog; its output folder."""
    root = tmp_path_factory.mktemp("adoption")
    content = root / "content"
    write_files(content, PLAIN_BLOG)
    outputs = {}
    for config, feed_settings in CONFIGS.items():
        for mode, plugins in MODES.items():
            output = root / f"{config}-{mode}" / "output"
            output.parent.mkdir()
            report = build_isolated(content, output, {**COMMON, **feed_settings, **plugins})
            if mode == "plain":  # imported by Pelican's discovery all the same, not registered
                assert report["plugins"] == []
            else:  # the plugin really ran, from this worktree
                assert any("newsroom" in name for name in report["plugins"]), report
                assert report["module"] == str(REPO / "pelican_newsroom" / "__init__.py")
            outputs[config, mode] = output
    return outputs


def _files(output: Path) -> set[str]:
    return {str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()}


def _is_feed(relative: str) -> bool:
    return relative.startswith("feeds/") or relative.endswith((".xml", ".json"))


def feed_ids(path: Path) -> dict[str, Any]:
    """What a subscriber's reader keys on: the feed id, and each entry's id, link and dates."""
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return {
        "feed_id": parsed.feed.get("id"),
        "feed_link": parsed.feed.get("link"),
        "feed_updated": parsed.feed.get("updated_parsed"),
        "entries": [
            {
                "id": entry.get("id"),
                "link": entry.get("link"),
                "published": entry.get("published_parsed"),
                "updated": entry.get("updated_parsed"),
            }
            for entry in parsed.entries
        ],
    }


PLUGIN_MODES = [mode for mode in MODES if mode != "plain"]
CASES = [(config, mode) for config in CONFIGS for mode in PLUGIN_MODES]


@pytest.mark.parametrize(("config", "mode"), CASES)
def test_same_files_as_plain_pelican(builds, config, mode):
    assert _files(builds[config, mode]) == _files(builds[config, "plain"])


@pytest.mark.parametrize(("config", "mode"), CASES)
def test_pages_byte_identical_to_plain_pelican(builds, config, mode):
    plain, ours = builds[config, "plain"], builds[config, mode]
    compared = sorted(f for f in _files(plain) if not _is_feed(f) and (ours / f).is_file())
    assert any(f.endswith(".html") for f in compared)
    different = [f for f in compared if (plain / f).read_bytes() != (ours / f).read_bytes()]
    assert different == []


@pytest.mark.parametrize(("config", "mode"), CASES)
def test_feeds_keep_pelican_ids_links_and_dates(builds, config, mode):
    plain, ours = builds[config, "plain"], builds[config, mode]
    feeds = sorted(f for f in _files(plain) if f.endswith(".xml"))
    if config == "quickstart-dev":
        assert feeds == []
    else:
        assert "feeds/all.atom.xml" in feeds
    for feed in feeds:
        expected = feed_ids(plain / feed)
        assert expected["entries"], feed
        assert feed_ids(ours / feed) == expected, feed
        # Written by the plugin (feedgen), not by Pelican's feedgenerator.
        assert (
            b"python-feedgen" in (ours / feed).read_bytes()
            or b"pelican-newsroom" in (ours / feed).read_bytes()
        )


# --- what a site that uses our keys gets ----------------------------------------------

#: Pelican's default feeds (over conftest's BASE_SETTINGS), and quickstart's dev config.
_PELICAN_DEFAULT_ON = (
    "FEED_ALL_ATOM",
    "CATEGORY_FEED_ATOM",
    "AUTHOR_FEED_ATOM",
    "AUTHOR_FEED_RSS",
    "TRANSLATION_FEED_ATOM",
)
PELICAN_FEEDS = {key: DEFAULT_CONFIG[key] for key in _PELICAN_DEFAULT_ON} | {"FEED_ALL_RSS": None}
QUICKSTART_DEV = dict.fromkeys(PELICAN_FEEDS)
NONE_ADDED = dict.fromkeys(
    [
        *JSON_FAMILIES,
        "NEWSROOM_SOURCE_FEED_RSS",
        "NEWSROOM_SOURCE_FEED_ATOM",
        "NEWSROOM_SOURCE_FEED_JSON",
    ]
)


@pytest.mark.parametrize(
    ("overrides", "uses_keys", "expected"),
    [
        ({}, False, {}),  # a plain blog: nothing added, whatever its feeds
        ({"FEED_ALL_RSS": "feeds/all.rss.xml", "TAG_FEED_ATOM": "t/{slug}"}, False, {}),
        (
            {},
            True,
            {
                "NEWSROOM_FEED_ALL_JSON": "feeds/all.json",
                "NEWSROOM_CATEGORY_FEED_JSON": "feeds/{slug}.json",
                "NEWSROOM_SOURCE_FEED_ATOM": "feeds/source/{slug}.atom.xml",
                "NEWSROOM_SOURCE_FEED_RSS": "feeds/source/{slug}.rss.xml",  # AUTHOR_FEED_RSS
                "NEWSROOM_SOURCE_FEED_JSON": "feeds/source/{slug}.json",
            },
        ),
        (QUICKSTART_DEV, True, {}),  # no Pelican feed, so no sibling and no source feed
        (
            {**QUICKSTART_DEV, "FEED_RSS": "rss.xml", "NEWSROOM_TAG_FEED_JSON": "t/{slug}.json"},
            True,
            {
                "NEWSROOM_FEED_ALL_JSON": "feeds/all.json",
                "NEWSROOM_SOURCE_FEED_RSS": "feeds/source/{slug}.rss.xml",
                "NEWSROOM_SOURCE_FEED_JSON": "feeds/source/{slug}.json",
            },
        ),
        (  # a family the site writes, with its JSON sibling switched off: none
            {"NEWSROOM_FEED_ALL_JSON": None, "NEWSROOM_CATEGORY_FEED_JSON": ""},
            True,
            {
                "NEWSROOM_SOURCE_FEED_ATOM": "feeds/source/{slug}.atom.xml",
                "NEWSROOM_SOURCE_FEED_RSS": "feeds/source/{slug}.rss.xml",
            },
        ),
    ],
)
def test_planned_feeds(overrides, uses_keys, expected):
    settings = {**DEFAULT_CONFIG, **merged({}), **overrides}
    assert planned_feeds(settings, uses_keys) == {**NONE_ADDED, **expected}


REPOST = """\
    Title: Ferry service resumes
    Date: 2021-06-01 08:00
    Category: Harbour
    Author: Ada Lovelace
    Via: Harbour Gazette <https://gazette.example/ferry>

    The ferry runs again.
    """
LICENSED = """\
    Title: Our own photo essay
    Date: 2021-06-02 08:00
    Category: Harbour
    License: CC BY 4.0

    Our pictures.
    """


def test_a_site_using_our_keys_gets_json_sources_and_source_feeds(build_site):
    site = build_site(
        {**PLAIN_BLOG, "harbour/ferry.md": REPOST},
        THEME=DEFAULT_CONFIG["THEME"],
        STATIC_PATHS=["images"],
        **PELICAN_FEEDS,
    )
    files = _files(site.output)
    assert {"sources.html", "feeds/all.json", "feeds/harbour.json", "feeds/python.json"} <= files
    source_feeds = {f for f in files if f.startswith("feeds/source/")}
    assert source_feeds == {
        f"feeds/source/gazette-example.{ext}" for ext in ("atom.xml", "rss.xml", "json")
    }
    # Pelican's feeds keep Pelican's feed id; a feed only we write is identified by its URL.
    assert feedparser.parse(site.text("feeds/all.atom.xml")).feed.id == "https://news.example.org/"
    own = "https://news.example.org/feeds/source/gazette-example.atom.xml"
    assert feedparser.parse(site.text("feeds/source/gazette-example.atom.xml")).feed.id == own


def test_development_config_gets_no_added_feed(build_site):
    site = build_site({**PLAIN_BLOG, "harbour/ferry.md": REPOST}, **QUICKSTART_DEV)
    files = _files(site.output)
    assert "sources.html" in files  # a page, not a feed: the chains are there to list
    assert not any(f.startswith("feeds/") for f in files)
    assert "application/feed+json" not in site.text("index.html")  # nothing advertised either


def test_keys_without_a_chain_add_json_but_no_sources_page(build_site):
    site = build_site({**PLAIN_BLOG, "harbour/essay.md": LICENSED}, STATIC_PATHS=["images"])
    files = _files(site.output)
    assert "feeds/all.json" in files
    assert "sources.html" not in files and "sources" not in {f.split("/")[0] for f in files}
    assert not any(f.startswith("feeds/source/") for f in files)


def test_bundled_theme_advertises_only_feeds_that_exist(build_site):
    site = build_site(
        PLAIN_BLOG, STATIC_PATHS=["images"], CATEGORY_FEED_ATOM="feeds/{slug}.atom.xml"
    )
    files = _files(site.output)
    assert "feeds/all.json" not in files and "sources.html" not in files
    index = site.text("index.html")
    assert 'type="application/atom+xml"' in index and "application/feed+json" not in index
    assert "sources.html" not in index
    assert site.dead_links("https://news.example.org") == []
