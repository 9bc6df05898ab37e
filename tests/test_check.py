"""``check`` (:mod:`pelican_newsroom.check`) finds the files ``pelican`` builds, with
``pelican``'s defaults, and reports what a build would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

from pelican_newsroom.check import check_settings, content_files
from pelican_newsroom.cli import main
from tests.conftest import write_files

BAD_DATE = "Title: {name}\nSlug: {slug}\nDate: Tue, 03/23/2020 – 07:54\n\nNever read.\n"
GOOD = "Title: {name}\nSlug: {slug}\nDate: Mon, 03/23/2020 – 07:54\n\nBody.\n"
PAGE = "Title: {name}\nSlug: {slug}\n\nA page has no date.\n"
#: (path under content, template): what a ``pelican`` build must read, and what it must not.
READ = {
    "first.md": GOOD,
    "news/second.md": GOOD,
    "story.rst": "Story\n#####\n\n:date: 2020-03-23 07:54\n:slug: {slug}\n\nBody.\n",
    "images/notes.md": GOOD,  # under STATIC_PATHS, still an article to Pelican
    "pages/about.md": PAGE,
    "pages/team/staff.md": PAGE,
}
NOT_READ = {
    "draft.tmp.md": BAD_DATE,  # IGNORE_FILES glob on a file name
    "_private/secret.md": BAD_DATE,  # IGNORE_FILES glob on a folder
    ".hidden.md": BAD_DATE,  # IGNORE_FILES ".*" (Pelican's default "**/.*" needs a "/")
    "archive/old.md": BAD_DATE,  # ARTICLE_EXCLUDES
    "pages/legacy/old-page.md": BAD_DATE,  # PAGE_EXCLUDES
}
SETTINGS = """\
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "America/New_York"
SITEURL = "https://news.example.org"
PLUGINS = ["pelican_newsroom"]
IGNORE_FILES = [".*", "*.tmp.md", "_private"]
ARTICLE_EXCLUDES = ["archive"]
PAGE_EXCLUDES = ["pages/legacy"]
STATIC_PATHS = ["images"]
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


def _slug(relative: str) -> str:
    return relative.replace("/", "-").replace(".", "-")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Pelican project: pelicanconf.py and a README at the top, content below; cwd is it."""
    files = {
        f"content/{relative}": template.format(name=relative, slug=_slug(relative))
        for relative, template in {**READ, **NOT_READ}.items()
    }
    files["README.md"] = "# My news site\n\nNot an article: no title, no date.\n"
    files["pelicanconf.py"] = SETTINGS
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_uses_pelicanconf_and_pelicans_file_discovery(project, capsys):
    assert main(["check", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"ok": True, "files": len(READ), "problems": []}


def test_check_reads_the_files_the_build_reads_as_the_build_does(project):
    settings = check_settings(None, None)
    checked = {
        str(path.relative_to(project / "content")): is_article
        for path, is_article in content_files(settings)
    }
    Pelican(read_settings("pelicanconf.py")).run()  # strict: a file it should not read fails it
    output = project / "output"
    built = {}
    for relative in {**READ, **NOT_READ}:
        if (output / f"{_slug(relative)}.html").is_file():
            built[relative] = True
        if (output / "pages" / f"{_slug(relative)}.html").is_file():
            built[relative] = False
    assert checked == built
    assert checked == {
        "first.md": True,
        "news/second.md": True,
        "story.rst": True,
        "images/notes.md": True,
        "pages/about.md": False,
        "pages/team/staff.md": False,
    }


def test_check_reports_what_an_excluded_file_would_say_once_included(project, capsys):
    (project / "pelicanconf.py").write_text(
        SETTINGS.replace('ARTICLE_EXCLUDES = ["archive"]', "ARTICLE_EXCLUDES = []"),
        encoding="utf-8",
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "archive/old.md: date: 'Tue, 03/23/2020 – 07:54': weekday 'Tue'" in out
    assert out.count("[error]") == 1


def test_without_settings_check_reads_content_not_the_project_folder(project, capsys):
    (project / "pelicanconf.py").unlink()
    main(["check", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    files = {Path(p["file"]).as_posix() for p in report["problems"]}
    assert "README.md" not in files
    # Pelican's defaults: nothing ignored ("**/.*" matches no file name), no excludes
    assert files == {f"content/{name}" for name in NOT_READ}
    assert report["files"] == len(READ) + len(NOT_READ)


def test_explicit_settings_and_content_dir_still_win(project, tmp_path, capsys):
    other = tmp_path / "elsewhere"
    write_files(other, {"only.md": GOOD.format(name="Only", slug="only")})
    assert main(["check", str(other), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == 1
    (project / "pelicanconf.py").rename(project / "site.py")
    assert main(["check", "-s", "site.py", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == len(READ)


def test_no_content_folder_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "content folder not found: content" in capsys.readouterr().err


def test_check_lints_the_sources_file_beside_the_settings(project, capsys):
    (project / "sources.yaml").write_text(
        "sources:\n  - name: Wire\n    url: https://wire.example/feed\n    status: maybe\n",
        encoding="utf-8",
    )
    assert main(["check", "--format", "json"]) == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert problem["file"].endswith("sources.yaml:4") and problem["field"] == "status"
    assert "published or draft" in problem["message"]
    (project / "sources.yaml").write_text(
        "sources:\n  - name: Wire\n    url: https://wire.example/feed\n", encoding="utf-8"
    )
    assert main(["check"]) == 0
