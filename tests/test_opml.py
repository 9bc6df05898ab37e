"""OPML subscription lists (:mod:`pelican_newsroom.opml`), as ``import --opml`` reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pelican_newsroom.cli import main
from pelican_newsroom.sources_file import load_sources_file
from tests.conftest import Route, Server
from tests.import_support import (
    JSON_FEED,
    RSS_FEED,
    write,
)


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


def test_an_opml_list_becomes_a_sources_file_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = write(
        tmp_path,
        "subs.opml",
        """<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
<outline text="Wires"><outline text="Coastal Wire" type="rss" xmlUrl="https://coastal.example/feed"/>
<outline title="Coastal Wire" type="rss" xmlUrl="https://other.example/rss"/>
<outline type="rss" xmlUrl="https://untitled.example/feed.xml"/>
<outline text="again" xmlUrl="https://coastal.example/feed"/></outline></body></opml>""",
    )
    assert main(["sources", "--from-opml", opml]) == 0
    path = tmp_path / "sources.yaml"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    loaded = load_sources_file(path)
    assert [(s.name, s.url) for s in loaded.sources] == [
        ("Coastal Wire", "https://coastal.example/feed"),
        ("Coastal Wire (2)", "https://other.example/rss"),
        ("untitled.example", "https://untitled.example/feed.xml"),
    ]
    assert main(["sources", "--from-opml", str(tmp_path / "missing.opml")]) == 2
