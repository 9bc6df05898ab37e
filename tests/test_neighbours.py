"""Next to other plugins: pelican-yaml-metadata, pelican-seo, and any other Markdown reader.

The PyPI plugins run in a virtualenv of their own (``neighbour_venv``): they are
namespace plugins, auto-discovered wherever ``PLUGINS`` is unset, so installing them
into the test environment would change every other build.  Sites are built there with
its ``pelican`` and checked with its ``pelican-newsroom``, in subprocesses, with
``PLUGINS`` unset as on a real blog that just ran ``pip install``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from pelican.readers import MarkdownReader

from pelican_newsroom import cli
from pelican_newsroom.errors import NewsroomBuildError
from pelican_newsroom.neighbours import head_plan
from pelican_newsroom.render import HeadPlan
from tests.conftest import REPO, REQUIRE_BROWSER, write_files

#: What the neighbours' virtualenv holds besides this package (its cache key).
NEIGHBOURS = ("pelican-seo", "pelican-yaml-metadata", "hatchling>=1.21")
#: Package sources: reinstalled into the cached virtualenv when any of them changes.
PACKAGE_DIRS = ("pelican_newsroom", "pelican", "theme")
#: pip output that means the index cannot be reached (the only reason to skip).
UNREACHABLE = re.compile(
    r"NewConnectionError|Failed to establish|Temporary failure in name resolution|"
    r"Network is unreachable|No matching distribution found|ProxyError|ConnectTimeout",
)

NEWSROOM_STAMP = "Mon, 03/23/2020 – 07:54"

YAML_REPOST = f"""\
    ---
    title: Ferries resume after the strike
    date: "{NEWSROOM_STAMP}"
    author: Tyler Durden
    via:
      - name: AlmasdarNews
        url: https://almasdar.example/ferries
      - ZeroHedge News <https://zerohedge.example/ferries>
    origin_url: https://almasdar.example/ferries
    summary: The ferries run again.
    ---
    The ferries run again, the port says.
    """
HEADER_REPOST = f"""\
    Title: Harbour reopens
    Date: {NEWSROOM_STAMP}
    Author: Tyler Durden
    Via: Coastal Wire <https://coastal-wire.example/harbour>
    Origin_url: https://coastal-wire.example/harbour

    The harbour reopened at dawn.
    """
YAML_PLAIN = """\
    ---
    title: Council meets
    date: 2020-03-22 10:00
    author: Desk
    ---
    The council met.
    """
BAD_WEEKDAY = """\
    ---
    title: Wrong weekday
    date: "Tue, 03/23/2020 – 07:54"
    author: Desk
    ---
    Body.
    """

SITE_FILES = {
    "news/repost.md": YAML_REPOST,
    "news/harbour.md": HEADER_REPOST,
    "news/plain.md": YAML_PLAIN,
}


# --- the neighbours' virtualenv ------------------------------------------------------


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _package_files() -> list[Path]:
    files = [REPO / "pyproject.toml", REPO / "README.md"]
    for folder in PACKAGE_DIRS:
        files += [
            p for p in (REPO / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ]
    return files


def _pip(python: Path, *args: str) -> None:
    command = [str(python), "-m", "pip", "--disable-pip-version-check", "-q", *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode == 0:
        return
    output = result.stdout + result.stderr
    if UNREACHABLE.search(output) and not REQUIRE_BROWSER:
        pytest.skip(
            f"the package index cannot be reached, so no neighbour plugins: {output[-300:]}"
        )
    pytest.fail(f"pip {' '.join(args)} failed:\n{output[-2000:]}")


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def run(self, tool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["COLUMNS"] = "400"  # rich wraps log lines at the terminal width
        env["PYTHONUTF8"] = "1"  # file names and messages are UTF-8 whatever the locale
        return subprocess.run(
            [str(self.bin / tool), *args],
            cwd=cwd,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            check=False,
            timeout=300,
        )


@pytest.fixture(scope="session")
def neighbour_venv() -> Venv:
    """A virtualenv with pelican, this package, pelican-seo and pelican-yaml-metadata.

    Cached under ``.venv/neighbours-<hash of NEIGHBOURS and pyproject.toml>`` (a new
    dependency makes a new venv); this package is reinstalled (without dependencies,
    from the source tree) only when its files change.
    """
    requirements = "\n".join(NEIGHBOURS) + (REPO / "pyproject.toml").read_text(encoding="utf-8")
    key = hashlib.sha256(requirements.encode()).hexdigest()[:12]
    root = REPO / ".venv" / f"neighbours-{key}"
    python = root / "bin" / "python"
    base_stamp = root / ".installed-base"
    if not base_stamp.is_file():
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
        _pip(python, "install", str(REPO), *NEIGHBOURS)
        base_stamp.touch()
    package_stamp = root / ".installed-package"
    digest = _digest(_package_files())
    if not package_stamp.is_file() or package_stamp.read_text() != digest:
        _pip(python, "install", "--no-deps", "--no-build-isolation", "--force-reinstall", str(REPO))
        package_stamp.write_text(digest)
    return Venv(root)


@dataclass
class Built:
    root: Path
    result: subprocess.CompletedProcess[str]

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def log(self) -> str:
        return self.result.stdout + self.result.stderr

    def problems(self) -> set[tuple[str, str]]:
        """``(file, field)`` of every problem the build listed."""
        return {
            (m["file"], m["field"])
            for m in re.finditer(r"^\s+(?P<file>content/\S+): (?P<field>[\w ]+): ", self.log, re.M)
        }

    def html(self, relative: str) -> Any:
        return lxml.html.fromstring((self.output / relative).read_bytes())


def build_in(venv: Venv, tmp: Path, files: dict[str, str], **settings: Any) -> Built:
    """Write a site whose settings leave ``PLUGINS`` unset, build it with the venv's pelican."""
    write_files(tmp / "content", files)
    lines = [
        "import pelican_newsroom",
        "SITENAME = 'Relay Desk'",
        "SITEURL = 'https://relay.example'",
        "AUTHOR = 'Desk'",
        "TIMEZONE = 'America/New_York'",
        "THEME = pelican_newsroom.THEME_PATH",
        "PATH = 'content'",
        "ARTICLE_PATHS = ['news']",
        "FEED_ALL_ATOM = 'feeds/all.atom.xml'",
        "LOAD_CONTENT_CACHE = False",
        "SEO_REPORT = False",
        *(f"{key} = {value!r}" for key, value in settings.items()),
    ]
    (tmp / "pelicanconf.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = venv.run("pelican", "content", "-s", "pelicanconf.py", "-o", "output", cwd=tmp)
    return Built(tmp, result)


def check_in(venv: Venv, tmp: Path) -> dict[str, Any]:
    result = venv.run(
        "pelican-newsroom", "check", "content", "-s", "pelicanconf.py", "--format", "json", cwd=tmp
    )
    document: dict[str, Any] = json.loads(result.stdout)
    assert result.returncode == (0 if document["ok"] else 1), result.stderr
    return document


# --- pelican-yaml-metadata -----------------------------------------------------------


def test_yaml_metadata_active_no_article_is_dropped_and_check_agrees(neighbour_venv, tmp_path):
    built = build_in(neighbour_venv, tmp_path, SITE_FILES)
    assert built.result.returncode == 0, built.log
    assert "Processed 3 articles" in built.log, built.log
    assert "Could not process" not in built.log
    page = built.html("ferries-resume-after-the-strike.html")
    assert page.xpath("//time/@datetime")[0] == "2020-03-23T07:54:00-04:00"
    hops = page.xpath("//*[contains(@class, 'u-repost-of')]/a[contains(@class, 'p-name')]")
    assert [a.text_content().strip() for a in hops] == ["AlmasdarNews", "ZeroHedge News"]
    assert "Coastal Wire" in (built.output / "harbour-reopens.html").read_text("utf-8")
    report = check_in(neighbour_venv, tmp_path)
    assert report["ok"] and report["files"] == 3 and not report["problems"], report


def test_yaml_metadata_active_bad_date_fails_build_and_check_alike(neighbour_venv, tmp_path):
    built = build_in(neighbour_venv, tmp_path, {**SITE_FILES, "news/wrong.md": BAD_WEEKDAY})
    assert built.result.returncode != 0, built.log
    assert built.problems() == {("content/news/wrong.md", "date")}, built.log
    report = check_in(neighbour_venv, tmp_path)
    assert {(p["file"], p["field"]) for p in report["problems"]} == built.problems()


# --- pelican-seo ---------------------------------------------------------------------

SEO_ON = {"SEO_ENHANCER": True, "SEO_ENHANCER_OPEN_GRAPH": True, "SEO_ENHANCER_TWITTER_CARDS": True}


def _head_counts(page: Any) -> tuple[list[str], Counter[str], list[dict[str, Any]]]:
    canonicals = page.xpath("//link[@rel='canonical']/@href")
    properties = Counter(
        page.xpath("//meta[starts-with(@property, 'og:')]/@property")
        + page.xpath("//meta[starts-with(@name, 'twitter:')]/@name")
    )
    blocks = [json.loads(s) for s in page.xpath("//script[@type='application/ld+json']/text()")]
    return canonicals, properties, blocks


ARTICLE_TYPES = {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle"}


@pytest.mark.parametrize(
    "settings",
    [SEO_ON, {**SEO_ON, "NEWSROOM_CANONICAL": "origin"}, {"SEO_ENHANCER": True}],
    ids=["seo-all", "seo-all-origin", "seo-enhancer-only"],
)
def test_seo_active_every_head_tag_once(neighbour_venv, tmp_path, settings):
    built = build_in(neighbour_venv, tmp_path, SITE_FILES, **settings)
    assert built.result.returncode == 0, built.log
    pages = sorted(built.output.glob("*.html"))
    articles = [
        p
        for p in pages
        if p.name
        in {"ferries-resume-after-the-strike.html", "harbour-reopens.html", "council-meets.html"}
    ]
    assert len(articles) == 3
    for path in articles:
        canonicals, properties, blocks = _head_counts(lxml.html.fromstring(path.read_bytes()))
        assert len(canonicals) == 1, (path.name, canonicals)
        assert not [p for p, n in properties.items() if n > 1], (path.name, properties)
        article_blocks = [b for b in blocks if b.get("@type") in ARTICLE_TYPES]
        assert len(article_blocks) == 1, (path.name, blocks)
    repost = lxml.html.fromstring(
        (built.output / "ferries-resume-after-the-strike.html").read_bytes()
    )
    _, properties, blocks = _head_counts(repost)
    chain = [b for b in blocks if b.get("isBasedOn")]
    assert [w["publisher"]["name"] for w in chain[0]["isBasedOn"]] == [
        "AlmasdarNews",
        "ZeroHedge News",
    ]
    if settings.get("SEO_ENHANCER_OPEN_GRAPH"):
        assert properties["og:title"] == 1 and properties["twitter:card"] == 1
    else:  # pelican-seo writes no OpenGraph: ours is there
        assert properties["og:title"] == 1 and properties["og:image"] == 0


def test_seo_canonical_follows_newsroom_canonical_origin_when_it_can(neighbour_venv, tmp_path):
    built = build_in(
        neighbour_venv, tmp_path, SITE_FILES, SEO_ENHANCER=True, NEWSROOM_CANONICAL="origin"
    )
    assert built.result.returncode == 0, built.log
    page = built.html("ferries-resume-after-the-strike.html")
    assert page.xpath("//link[@rel='canonical']/@href") == ["https://almasdar.example/ferries"]


def test_seo_open_graph_and_canonical_origin_is_a_warning_naming_the_file(neighbour_venv, tmp_path):
    built = build_in(neighbour_venv, tmp_path, SITE_FILES, NEWSROOM_CANONICAL="origin", **SEO_ON)
    assert built.result.returncode == 0, built.log
    assert re.search(r"content/news/repost\.md: canonical: .*SEO_ENHANCER_OPEN_GRAPH", built.log)


def test_seo_without_enhancer_leaves_our_head_alone(neighbour_venv, tmp_path):
    built = build_in(neighbour_venv, tmp_path, SITE_FILES)
    canonicals, properties, blocks = _head_counts(
        built.html("ferries-resume-after-the-strike.html")
    )
    assert len(canonicals) == 1 and properties["og:title"] == 1
    assert [b["@type"] for b in blocks] == ["NewsArticle"]


# --- any other Markdown reader (in this process) ---------------------------------------


class PlainMarkdownReader(MarkdownReader):  # type: ignore[misc]
    """A reader of another plugin: Pelican's date parser, so newsroom timestamps raise."""


def test_a_reader_that_drops_an_article_fails_the_build_and_check_names_it(
    build_site: Callable[..., Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with pytest.raises(NewsroomBuildError) as raised:
        build_site({"repost.md": HEADER_REPOST}, READERS={"md": PlainMarkdownReader})
    [problem] = raised.value.problems
    assert problem.file.endswith("repost.md") and problem.field == "file"
    assert "PlainMarkdownReader" in problem.expected and "ValueError" in problem.value
    # check reads with the same reader, so it reports the same file
    content = tmp_path / "check" / "content"
    write_files(content, {"repost.md": HEADER_REPOST})
    settings = tmp_path / "check" / "pelicanconf.py"
    settings.write_text(
        "from pelican.readers import MarkdownReader\n"
        "class PlainMarkdownReader(MarkdownReader):\n    pass\n"
        "READERS = {'md': PlainMarkdownReader}\nPLUGINS = ['pelican_newsroom']\n",
        encoding="utf-8",
    )
    assert cli.main(["check", str(content), "-s", str(settings), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(Path(p["file"]).name, p["field"]) for p in report["problems"]] == [
        ("repost.md", "file")
    ]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, HeadPlan()),
        ({"PLUGINS": ["pelican.plugins.seo"]}, HeadPlan()),  # enhancer off: seo writes no tag
        (
            {"PLUGINS": ["pelican.plugins.seo"], "SEO_ENHANCER": True},
            HeadPlan(canonical=False, jsonld="chain"),
        ),
        (
            {"PLUGINS": ["seo"], **SEO_ON, "NEWSROOM_SHOW_JSONLD": False},
            HeadPlan(canonical=False, opengraph=False, twitter_card=False, jsonld=""),
        ),
        (
            {"PLUGINS": ["seo"], "SEO_ENHANCER": True, "SEO_ENHANCER_TWITTER_CARDS": True},
            HeadPlan(canonical=False, jsonld="chain"),  # seo ignores cards without OpenGraph
        ),
        ({"NEWSROOM_SHOW_OPENGRAPH": False}, HeadPlan(opengraph=False, twitter_card=False)),
    ],
)
def test_head_plan_leaves_to_pelican_seo_exactly_what_it_writes(settings, expected):
    assert head_plan(settings) == expected
