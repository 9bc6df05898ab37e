"""The reader's hygiene: YAML aliases refused, control characters removed at any depth."""

from __future__ import annotations

import itertools
import json
import re
import time
from pathlib import Path

import pytest

from pelican_newsroom.cli import main
from pelican_newsroom.errors import NewsroomBuildError
from pelican_newsroom.reader import (
    ALIAS_REFUSED,
    YAMLAliasError,
    display_path,
    header_values,
    is_pelican_header,
    load_yaml,
    yaml_front_matter,
)
from pelican_newsroom.text import strip_xml_illegal_nested
from tests.conftest import Site, run_build, write_files

#: The brief's budget for refusing a bomb, build or check (it took over a minute before).
BOMB_SECONDS = 2.0
FINE = "Title: Fine story\nDate: 2020-03-23 07:54\n\nBody.\n"


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """~450 bytes of front matter whose ``tags`` stand for ``width ** levels`` strings."""
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(['"x"'] * width) + "]"]
    for previous, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    header = "\n".join(["title: Bomb", "date: 2020-03-23 07:54", *lines, f"tags: *{names[-1]}"])
    return f"---\n{header}\n---\nBody.\n"


def test_load_yaml_refuses_aliases_and_keeps_everything_else():
    assert load_yaml("a: &x 1\nb: '*'\nc: 5* hotel\nd: [a*b]\n") == {
        "a": 1,
        "b": "*",
        "c": "5* hotel",
        "d": ["a*b"],
    }
    for text, line in [("a: &x [1]\nb: *x\n", 1), ("base: &b {k: 1}\nother:\n  <<: *b\n", 2)]:
        with pytest.raises(YAMLAliasError) as raised:
            load_yaml(text)
        assert raised.value.problem == ALIAS_REFUSED
        assert raised.value.problem_mark is not None
        assert raised.value.problem_mark.line == line


def test_importer_read_back_reads_no_alias():
    assert header_values("---\na: &x hello\nb: *x\n---\nBody.\n") == {}


def test_alias_bomb_fails_a_strict_build_quickly_naming_file_line_and_rule(build_site, tmp_path):
    start = time.perf_counter()
    with pytest.raises(NewsroomBuildError) as raised:
        build_site({"bomb.md": alias_bomb(), "fine.md": FINE})
    elapsed = time.perf_counter() - start
    assert elapsed < BOMB_SECONDS, f"{elapsed:.2f} s"
    [problem] = raised.value.problems
    assert problem.file == display_path(str(tmp_path / "site0" / "content" / "bomb.md"))
    assert problem.field == "front matter"
    assert problem.value.startswith("'title: Bomb")
    # the first alias: line 5 of the file ("b: &b [*a, …"), column 8
    assert problem.expected == f"valid YAML (line 5, column 8): {ALIAS_REFUSED}"
    assert "bomb.md: front matter: 'title: Bomb" in str(raised.value)


def test_alias_bomb_non_strict_publishes_the_article_without_its_header(build_site):
    site = build_site({"bomb.md": alias_bomb(), "fine.md": FINE}, NEWSROOM_STRICT=False)
    assert [(Path(p.file).name, p.field, p.severity) for p in site.problems] == [
        ("bomb.md", "front matter", "warning")
    ]
    page = site.text("bomb.html")  # titled after its file, as for any broken front matter
    assert "Body." in page and 'rel="tag"' not in page
    assert "Fine story" in site.text("fine-story.html")


def test_check_refuses_the_bomb_quickly(tmp_path, capsys):
    (tmp_path / "bomb.md").write_text(alias_bomb(), encoding="utf-8")
    start = time.perf_counter()
    status = main(["check", str(tmp_path), "--format", "json"])
    elapsed = time.perf_counter() - start
    assert elapsed < BOMB_SECONDS, f"{elapsed:.2f} s"
    assert status == 1
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert problem["file"] == display_path(str(tmp_path / "bomb.md"))
    assert problem["field"] == "front matter"
    assert problem["message"].endswith(f"valid YAML (line 5, column 8): {ALIAS_REFUSED}")


def test_nested_strings_are_cleaned_in_place_even_deep_or_shared():
    shared = ["s\x01"]
    value = {"k\x00": ["a\x00b", {"name": "c\x1fd"}, shared, shared], "fine": "x"}
    cleaned, first = strip_xml_illegal_nested(value)
    assert cleaned == {"k": ["ab", {"name": "cd"}, ["s"], ["s"]], "fine": "x"}
    assert first is not None and "\x00" in first
    deep: list[object] = ["z\x00"]
    for _ in range(5000):  # deeper than Python's recursion limit
        deep = [deep]
    assert strip_xml_illegal_nested(deep)[1] == "z\x00"
    assert strip_xml_illegal_nested(["clean", {"a": "b"}]) == (["clean", {"a": "b"}], None)
    assert strip_xml_illegal_nested("a\x00") == ("a", "a\x00")


#: What XML forbids (text.XML_ILLEGAL_RE) plus DEL: nothing of it may reach a built file.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def test_control_characters_in_lists_and_mappings_never_reach_the_output(build_site):
    yaml_article = (
        "---\n"
        "title: Controls in lists\n"
        "date: 2020-03-23 07:54\n"
        'tags: ["a\\0b", "c\\x01d"]\n'
        'authors: ["Ann\\x0b Lee", "Bo"]\n'
        "via:\n"
        '  - {name: "Out\\x1flet", url: "https://outlet.example/", author: "Hop\\x08 Writer"}\n'
        "---\nBody.\n"
    )
    header_article = "Title: Header controls\nDate: 2020-03-23 07:54\nTags: e\x01f, g\n\nBody.\n"
    site = build_site({"lists.md": yaml_article, "header.md": header_article})
    built = [p for p in site.output.rglob("*") if p.suffix in {".html", ".xml", ".json"}]
    assert any(p.name == "all.json" for p in built) and any(p.name == "all.rss.xml" for p in built)
    for path in built:
        assert not CONTROL_RE.search(path.read_text(encoding="utf-8")), path
    page = site.text("controls-in-lists.html")
    assert ">ab</a>" in page and ">cd</a>" in page and "Ann Lee" in page and "Outlet" in page
    warnings = {(Path(p.file).name, p.field, p.value) for p in site.problems}
    assert warnings == {
        ("lists.md", "tags", repr("a\x00b")),
        ("lists.md", "authors", repr("Ann\x0b Lee")),
        ("lists.md", "via", repr("Out\x1flet")),
        ("header.md", "tags", repr("e\x01f, g")),
    }
    assert all(
        p.severity == "warning" and p.expected == "text without control characters (removed)"
        for p in site.problems
    )


@pytest.mark.parametrize(
    ("header", "pelican"),
    [
        ("Title: Tips: part 2\nDate: 2021-04-20\n", True),  # not YAML's "mapping values" error
        (
            "Title: Yes\nSummary: one\n    two\n",
            True,
        ),  # a continuation, as Python-Markdown reads it
        ("title: A\ntags: [a, b]\n", False),  # a flow list: YAML
        ("title: 'Quoted: yes'\n", False),
        ("title: A\nauthors:\n  - B\n", False),  # nested lines
        ("title: A\nvia:\n    - name: X\n", False),  # a key without a value, even 4-space nested
        ("title: A\nsummary: |\n    text\n", False),
        ("title: A\n\nmore: b\n", False),  # a blank line ends a Pelican header
        ("", False),
    ],
)
def test_a_fenced_header_is_pelicans_unless_it_uses_yaml(header, pelican):
    assert is_pelican_header(header) is pelican
    text = f"---\n{header}---\nBody.\n"
    assert (yaml_front_matter(text) is None) is pelican


def test_a_fenced_pelican_header_builds_as_plain_pelican_reads_it(build_site):
    site = build_site(
        {"tips.md": "---\nTitle: Tips: part 2\nDate: 2021-04-20 10:00\nTags: Yes\n---\nBody.\n"}
    )
    assert site.problems == []
    page = site.text("tips-part-2.html")
    assert "Tips: part 2" in page and "---" not in page  # the fences are the header's
    assert (site.output / "tag" / "yes.html").is_file()  # YAML would have made it True


# --- every field, every format: nothing forbidden reaches a page -----------------------------

#: Characters pages and feeds may not hold: C0 controls, DEL, C1 controls, noncharacters
#: (also beyond the BMP). Written out independently of ``text.XML_ILLEGAL_RE``.
FORBIDDEN = "\x01\x08\x0b\x1b\x1f\x7f\x80\x85\x9f\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff"
#: For rST, without what ``str.splitlines`` (docutils) takes for a line break: those break
#: the file for Pelican itself, before any metadata is read.
FORBIDDEN_RST = "".join(c for c in FORBIDDEN if len(f"a{c}b".splitlines()) == 1)
#: The same characters as numeric references, which HTML fields (title, summary, body) can hold.
REFERENCES = "&#1;&#x7F;&#x85;&#xFDD0;&#xFFFE;&#65535;&#x1FFFE;"
FORBIDDEN_OUT_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]"
)
#: The references, in markup (in JSON, ``&#1;`` is only text).
REFERENCES_OUT_RE = re.compile(
    "&#(?:0*1|[xX]0*(?:7[fF]|85|[fF][dD][dD]0|[fF]{3}[eE]|1[fF]{3}[eE]));|&#65535;"
)
HEADER_FIELDS = (
    "title",
    "author",
    "tags",
    "category",
    "summary",
    "via",
    "image_caption",
    "image_credit",
    "image_alt",
    "license",
    "guid",
)


def forbidden_corpus() -> dict[str, str]:
    """An article per format and a page, with forbidden characters in every field."""
    c, r = FORBIDDEN, FORBIDDEN_RST
    markdown = (
        f"Title: Header {c} title {REFERENCES}\nDate: 2024-03-02 10:00\nAuthor: Ann {c} Lee\n"
        f"Tags: t{c}1, t2\nCategory: Cat{c}\nSummary: Sum {c} *x* {REFERENCES}\n"
        f"Via: Hop {c} One <https://one.example/>\n    Two{c} <https://two.example/>\n"
        f"Image: https://img.example/a.jpg\nImage_caption: Cap{c}\nImage_credit: Cred{c}\n"
        f"Image_alt: Alt{c}\nLicense: Lic{c}\nGuid: g{c}\nSlug: header\n\n"
        f"Body {c} text {REFERENCES}.\n"
    )
    escaped = "".join(f"\\U{ord(ch):08X}" for ch in c)  # YAML's escapes: raw ones are refused
    yaml_article = (
        f'---\ntitle: "YAML {escaped} title"\ndate: 2024-03-02 10:00\n'
        f'authors: ["A{escaped}a", "B{escaped}b"]\ntags: ["y{escaped}1", "y2"]\n'
        f'category: "Y{escaped}cat"\nsummary: "YS{escaped}"\nslug: yaml\n'
        f'via:\n  - {{name: "H{escaped}op", url: "https://h.example/", author: "W{escaped}r"}}\n'
        f'  - "T{escaped}wo <https://t.example/>"\nimage: https://img.example/b.jpg\n'
        f'image_caption: "C{escaped}"\nimage_credit: "K{escaped}"\n---\nBody {c}.\n'
    )
    rst = (
        f"R {r} title {REFERENCES}\n{'#' * 80}\n\n:date: 2024-03-02 10:00\n:author: Rs{r}t\n"
        f":tags: r{r}1, r2\n:category: Rc{r}\n:summary: Rs{r}um\n"
        f":via: Rh{r}op <https://rh.example/>\n:image: https://img.example/c.jpg\n"
        f":image_credit: Rk{r}\n:slug: rst\n\nBody {r} x {REFERENCES}.\n"
    )
    page = f"Title: Page {c}\nAuthor: P{c}a\n\nPage body {c} {REFERENCES}.\n"
    return {"header.md": markdown, "yaml.md": yaml_article, "r.rst": rst, "pages/p.md": page}


@pytest.fixture(scope="module")
def forbidden_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("forbidden")
    write_files(root / "content", forbidden_corpus())
    return run_build(root / "content", root / "output", NEWSROOM_STRICT=False)


def test_forbidden_characters_in_every_field_never_reach_the_output(forbidden_site):
    site = forbidden_site
    built = [p for p in site.output.rglob("*") if p.suffix in {".html", ".xml", ".json"}]
    assert {"header.html", "yaml.html", "rst.html", "page.html"} <= {p.name for p in built}
    for path in built:
        text = path.read_text(encoding="utf-8")
        found = FORBIDDEN_OUT_RE.search(text)
        if path.suffix != ".json":
            found = found or REFERENCES_OUT_RE.search(text)
        assert found is None, (path, found)
    assert "Ann  Lee" in site.text("header.html") or "Ann Lee" in site.text("header.html")
    removed = {
        (Path(p.file).name, p.field)
        for p in site.problems
        if p.expected == "text without control characters (removed)"
    }
    assert {("header.md", field) for field in HEADER_FIELDS} <= removed
    assert {("header.md", "body"), ("p.md", "body"), ("r.rst", "body")} <= removed
    yaml_fields = {"title", "authors", "tags", "category", "summary", "via", "image_caption"}
    assert {("yaml.md", field) for field in yaml_fields} <= removed
    rst_fields = {"title", "author", "tags", "category", "summary", "via", "image_credit"}
    assert {("r.rst", field) for field in rst_fields} <= removed
    assert {("p.md", "title"), ("p.md", "author")} <= removed
    rst_title = next(p for p in site.problems if p.file.endswith("r.rst") and p.field == "title")
    assert "R " in rst_title.value and "\\ufffe" in rst_title.value  # names the value


@pytest.mark.browser
def test_nu_checker_finds_no_forbidden_code_point(forbidden_site, java_path):
    from tests.test_browser import nu_errors

    pages = forbidden_site.pages()
    assert len(pages) > 15
    assert nu_errors(java_path, pages) == []
