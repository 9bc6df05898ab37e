"""The benchmark scripts stay runnable: a 5-article synthetic site, generated and built.

Nothing here is timed (timing belongs to ``benchmarks/run.py``); these tests
only make sure the generator, both build modes and the header-only reading
used by ``pelican-newsroom check`` keep working.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pelican.settings import read_settings

from benchmarks import gen_site, run, spy_stages
from pelican_newsroom import cli
from pelican_newsroom.reader import NewsroomMarkdownReader


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gen_site.generate(5, tmp_path_factory.mktemp("bench") / "site", seed=3)


def test_generator_is_deterministic(small_site: Path, tmp_path: Path) -> None:
    again = gen_site.generate(5, tmp_path / "again", seed=3)
    files = sorted(p.relative_to(small_site) for p in small_site.rglob("*.md"))
    assert len(files) == 5
    assert files == sorted(p.relative_to(again) for p in again.rglob("*.md"))
    for relative in files:
        assert (small_site / relative).read_bytes() == (again / relative).read_bytes()


def test_both_modes_build_and_the_plugin_writes_every_feed(
    small_site: Path, tmp_path: Path
) -> None:
    for mode in run.MODES:
        sample = run.build_once(mode, small_site, 5, tmp_path / mode)
        assert sample.peak_mib > 0
    plain, plugin = tmp_path / "plain", tmp_path / "plugin"
    assert (plain / "feeds/all.atom.xml").is_file()
    assert not (plain / "feeds/all.json").exists()
    for name in ("all.atom.xml", "all.rss.xml", "all.json"):
        assert (plugin / "feeds" / name).is_file()
    sources = {p.name.split(".", 1)[1] for p in (plugin / "feeds/source").iterdir()}
    assert sources == {"rss.xml", "atom.xml", "json"}
    tag_feeds = {p.suffix for p in (plugin / "feeds/tag").iterdir()}
    assert tag_feeds == {".xml", ".json"}


def test_check_finds_no_problem_in_the_generated_site(
    small_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", str(small_site), "--format", "json"]) == cli.EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report == {"ok": True, "files": 5, "problems": []}


HEADERS = {
    "plain": "Title: A\nDate: 2020-03-23 07:54\n\nBody: not metadata\n",
    "continued": "Title: A\nVia: One <https://one.example/>\n    Two\nTags: x, y\n\nText.\n",
    "crlf and summary": "Title: A\r\nSummary: *short*\r\nDate: Mon, 03/23/2020 - 07:54\r\n\r\nText.\r\n",
    "blank first line": "\nTitle: A\nDate: 2020-03-23\n",
    "whitespace line ends it": "Title: A\n   \nDate: 2020-03-23\n",
    "bad date": "Title: A\nDate: Tue, 03/23/2020 - 07:54\n\nText.\n",
    "control character in body": "Title: A\nDate: 2020-03-23\n\nText \x0b here.\n",
    "no header": "Just text.\n",
    "empty": "",
    "yaml": "---\ntitle: A\ndate: 2020-03-23 07:54\nvia: [One, Two]\n---\n\nText.\n",
    "broken yaml": "---\ntitle: [A\n---\nText.\n",
}


@pytest.mark.parametrize("text", HEADERS.values(), ids=HEADERS.keys())
def test_header_only_metadata_equals_the_full_read(text: str, tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8", newline="")
    settings = read_settings(None, override={"TIMEZONE": "America/New_York"})
    reader = NewsroomMarkdownReader(settings)
    for _ in range(2):  # the second pass reuses the reader's header converter
        assert reader.read_metadata(str(path)) == reader.read(str(path))[1]


def test_spy_stages_attributes_samples_to_build_stages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "spy.txt"
    raw.write_text(
        "main (b.py:1);Pelican.run (p.py:9);Gen.generate_context (g.py:2);Readers.read_file (r.py:3);"
        "Markdown.convert (m.py:4) 30\n"
        "main (b.py:1);Pelican.run (p.py:9);Gen.generate_output (g.py:5);Gen.generate_feeds (g.py:6) 10\n"
        "main (b.py:1);<module> (x.py:1) 10\n",
        encoding="utf-8",
    )
    assert spy_stages.main([str(raw), "--rate", "10"]) == 0
    out = capsys.readouterr().out
    assert "50 samples, 5.0 s" in out
    assert "3.00 s  60.0 %  Gen.generate_context (g.py) > Readers.read_file (r.py)" in out
    assert "1.00 s  20.0 %  Gen.generate_output (g.py) > Gen.generate_feeds (g.py)" in out
    assert "1.00 s  20.0 %  (outside Pelican.run: start-up, imports)" in out
    assert "3.00 s  60.0 %  Markdown.convert (m.py)" in out
