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
from pelican_newsroom.importer import read_header
from pelican_newsroom.reader import (
    ALIAS_REFUSED,
    YAMLAliasError,
    display_path,
    is_pelican_header,
    load_yaml,
    yaml_front_matter,
)
from pelican_newsroom.text import strip_xml_illegal_nested

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
    assert read_header("---\na: &x hello\nb: *x\n---\nBody.\n") == {}


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
