"""The article file an import writes (:mod:`pelican_newsroom.article_file`): any text
survives the round trip through it, and builds as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_newsroom.importer import run_import
from tests.conftest import run_build
from tests.import_support import (
    changed_bytes,
    options,
    write,
)


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
