"""OPML subscription lists (:mod:`pelican_newsroom.opml`), as ``import --opml`` reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pelican_newsroom.cli import main
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
