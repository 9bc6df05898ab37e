"""Errors: one per file; strict builds list them all, non-strict publishes everything, `check` agrees."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pelican_newsroom.cli import main
from pelican_newsroom.errors import NewsroomBuildError, display_path
from tests.conftest import REPO, run_build, write_files

BAD_FILES = {
    "weekday.md": ("date", "Title: Wrong weekday\nDate: Tue, 03/23/2020 – 07:54\n\nBody.\n"),
    "dst-gap.md": ("date", "Title: Skipped hour\nDate: Sun, 03/08/2020 – 02:30\n\nBody.\n"),
    "dst-overlap.md": ("date", "Title: Repeated hour\nDate: Sun, 11/01/2020 – 01:30\n\nBody.\n"),
    "garbage.md": ("date", "Title: Garbage date\nDate: the other day, roughly\n\nBody.\n"),
    "month13.md": ("date", "Title: Month thirteen\nDate: 13/01/2020 – 10:00\n\nBody.\n"),
    "empty-hop.md": (
        "via",
        "---\ntitle: Empty hop\ndate: 2020-03-23 07:54\nvia:\n  - Good Outlet <https://good.example/>\n  - ''\n---\nBody.\n",
    ),
    "bad-url.md": (
        "origin_url",
        "Title: Relative origin\nDate: 2020-03-23 07:54\nOrigin_url: /not/absolute\n\nBody.\n",
    ),
    "no-date.md": ("date", "Title: No date at all\n\nBody.\n"),
    "bad-yaml.md": ("front matter", "---\ntitle: [unclosed\n---\nBody.\n"),
}
GOOD_FILE = {
    "fine.md": "Title: Fine story\nDate: Mon, 03/23/2020 – 07:54\nVia: Good Outlet <https://good.example/>\n\nBody.\n"
}


def _expected_pairs(root) -> set[tuple[str, str]]:
    return {(display_path(str(root / name)), field) for name, (field, _) in BAD_FILES.items()}


def _files() -> dict[str, str]:
    return {**{name: body for name, (_, body) in BAD_FILES.items()}, **GOOD_FILE}


def test_strict_build_fails_naming_every_file_and_field(build_site, tmp_path, caplog):
    with pytest.raises(NewsroomBuildError) as raised:
        build_site(_files())
    error = raised.value
    content = tmp_path / "site0" / "content"
    assert {(p.file, p.field) for p in error.problems} == _expected_pairs(content)
    message = str(error)
    for name, (field, _) in BAD_FILES.items():
        assert f"{name}: {field}:" in message
    assert "weekday 'Tue' does not match 2020-03-23 (a Monday)" in message
    assert "does not exist in America/New_York" in message
    assert "is ambiguous in America/New_York" in message
    assert "month 13 is not between 1 and 12" in message
    assert error.exitcode == 1
    assert not (tmp_path / "site0" / "output" / "fine-story.html").exists(), (
        "strict failure writes no pages"
    )


def test_non_strict_build_publishes_every_article(build_site, caplog):
    with caplog.at_level(logging.WARNING):
        site = build_site(_files(), NEWSROOM_STRICT=False)
    assert all(p.severity == "warning" for p in site.problems)
    assert {(os.path.basename(p.file), p.field) for p in site.problems} == {
        (n, f) for n, (f, _) in BAD_FILES.items()
    }
    articles = [
        p
        for p in site.output.glob("*.html")
        if '<article class="h-entry">' in p.read_text(encoding="utf-8")
    ]
    assert len(articles) == len(BAD_FILES) + len(GOOD_FILE), sorted(p.name for p in articles)
    # the bad field is left out, the rest of the article is kept
    assert "Relative origin" in site.text("relative-origin.html")
    assert "/not/absolute" not in site.text("relative-origin.html")
    empty_hop = site.text("empty-hop.html")
    assert "Body." in empty_hop and "u-repost-of" not in empty_hop
    assert "bad-yaml" in site.text("bad-yaml.html")  # titled after its file
    assert any("weekday 'Tue'" in r.getMessage() for r in caplog.records)


def test_check_agrees_with_the_build(build_site, tmp_path, capsys):
    with pytest.raises(NewsroomBuildError) as raised:
        build_site(_files())
    content = tmp_path / "site0" / "content"
    settings = tmp_path / "conf.py"
    settings.write_text("TIMEZONE = 'America/New_York'\n", encoding="utf-8")
    status = main(["check", str(content), "-s", str(settings), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["ok"] is False
    assert report["files"] == len(BAD_FILES) + len(GOOD_FILE)
    assert {(p["file"], p["field"]) for p in report["problems"]} == {
        (p.file, p.field) for p in raised.value.problems
    }
    assert set(report["problems"][0]) == {"file", "field", "value", "message", "severity"}


def test_check_text_output_and_clean_exit(tmp_path, capsys):
    (tmp_path / "ok.md").write_text(GOOD_FILE["fine.md"], encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0
    assert "1 files checked: 0 error(s), 0 warning(s)" in capsys.readouterr().out
    (tmp_path / "bad.md").write_text(BAD_FILES["weekday.md"][1], encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "bad.md: date: 'Tue, 03/23/2020 – 07:54': weekday 'Tue' does not match" in out


def test_check_usage_errors_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing")]) == 2
    assert "content folder not found" in capsys.readouterr().err
    settings = tmp_path / "conf.py"
    settings.write_text("NEWSROOM_DATE_ORDER = 'YMD'\n", encoding="utf-8")
    assert main(["check", str(tmp_path), "-s", str(settings)]) == 2
    assert "NEWSROOM_DATE_ORDER: 'YMD': expected 'MDY' or 'DMY'" in capsys.readouterr().err


def test_hostile_values_do_not_crash_the_build(build_site):
    site = build_site(
        {
            "hostile.md": (
                '---\ntitle: "<script>alert(1)</script>\\u0007 title"\ndate: 2020-03-23 07:54\n'
                'via:\n  - \'javascript:alert(1)\'\n  - "Evil <javascript:alert(2)>"\n  - "Fine \\"quoted\\" <https://fine.example/?a=1&b=2>"\n'
                "image: 'javascript:alert(3)'\nimage_credit: '\"><img src=x onerror=alert(4)>'\n---\nBody.\n"
            )
        },
        NEWSROOM_STRICT=False,
    )
    page = site.text("alert1-title.html")
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page
    assert "onerror=alert(4)>" not in page
    assert "\x07" not in page
    assert 'href="https://fine.example/?a=1&amp;b=2"' in page
    assert {p.field for p in site.problems} >= {"via", "image"}


def test_pelican_command_prints_each_problem_once_without_traceback(tmp_path):
    """``pelican content`` on bad content: the list once, exit status 1, no Python traceback."""
    write_files(tmp_path / "content", _files())
    (tmp_path / "pelicanconf.py").write_text(
        "TIMEZONE = 'America/New_York'\nPLUGINS = ['pelican_newsroom']\nOUTPUT_PATH = 'output'\n"
        "SITEURL = 'https://news.example.org'\n",
        encoding="utf-8",
    )
    pelican = Path(sys.executable).with_name("pelican")
    environment = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "400", "NO_COLOR": "1"}
    result = subprocess.run(
        [str(pelican), "content", "-s", "pelicanconf.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert output.count("pelican-newsroom found") == 1
    for name, (field, _) in BAD_FILES.items():
        assert output.count(f"content/{name}: {field}:") == 1, (name, output)
    assert not (tmp_path / "output" / "fine-story.html").exists()


def test_library_callers_still_get_the_problem_list_as_the_exception(tmp_path):
    write_files(tmp_path / "content", _files())
    with pytest.raises(NewsroomBuildError) as raised:
        run_build(tmp_path / "content", tmp_path / "output")
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("pelican-newsroom found 9 problems")
    assert lines[1:] == [f"  {problem}" for problem in raised.value.problems]
