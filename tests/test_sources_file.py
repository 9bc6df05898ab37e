"""The sources file: every rule read and typed, every mistake named with its line."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pelican_newsroom.errors import NewsroomError
from pelican_newsroom.sources_file import (
    Filter,
    SourcesFileError,
    load_sources_file,
    parse_duration,
)

FULL = """\
defaults:
  status: draft
  limit: 5
sources:
  - name: Coastal Wire
    url: https://coastal-wire.example/feed.xml
    category: Coast
    tags: {Ferries: transport, Sponsored: null}
    include: {any: [ferry, harbour]}
    exclude: {any: [sponsored]}
    limit: 20
    since: 2020-03-01
    content: summary
    status: published
    footer: "Source: {source} via {url}"
    iframes: false
    expire_after: 30d
  - name: Local file
    url: feeds/local.xml
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_rule_is_read_and_defaults_fill_in(tmp_path: Path) -> None:
    sources = load_sources_file(_write(tmp_path, FULL))
    wire, local = sources.sources
    assert wire.name == "Coastal Wire" and wire.category == "Coast"
    assert wire.tags == {"ferries": "transport", "sponsored": None}
    assert wire.include == Filter(any_words=("ferry", "harbour"))
    assert wire.exclude == Filter(any_words=("sponsored",))
    assert (wire.limit, wire.status, wire.content) == (20, "published", "summary")
    assert wire.since == datetime(2020, 3, 1)
    assert wire.footer == "Source: {source} via {url}" and wire.iframes is False
    assert wire.expire_after == timedelta(days=30)
    assert wire.where.endswith("sources.yaml:5")
    # the defaults, not overridden; a relative path is relative to the sources file
    assert (local.limit, local.status, local.content) == (5, "draft", "full")
    assert local.url == str(tmp_path / "feeds/local.xml")
    assert sources.named("coastal wire") is wire


def test_an_unknown_name_lists_the_names_there_are(tmp_path: Path) -> None:
    sources = load_sources_file(_write(tmp_path, FULL))
    with pytest.raises(KeyError, match="'Coastal Wire', 'Local file'"):
        sources.named("Harbour Post")


def test_every_mistake_is_named_with_file_line_and_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        sources:
          - name: One
            url: ftp://one.example/feed
            limitt: 3
          - name: Two
            url: https://two.example/feed
            content: everything
            expire_after: 30 days
          - name: one
            url: https://three.example/feed
          - url: https://four.example/feed
        """,
    )
    with pytest.raises(SourcesFileError) as raised:
        load_sources_file(path)
    found = {(p.file.rsplit(":", 1)[1], p.field) for p in raised.value.problems}
    assert found == {
        ("3", "url"),
        ("4", "limitt"),
        ("7", "content"),
        ("8", "expire_after"),
        ("9", "name"),
        ("11", "name"),
    }
    message = str(raised.value)
    assert f"{path}:4: limitt: one of the keys name, url, category" in message
    assert "'everything': full or summary" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources: [\n  - name: a\n", "valid YAML"),
        ("", "the file is empty"),
        ("feeds: []\n", "the keys defaults and sources"),
        ("sources: {name: a}\n", "a list of feeds"),
    ],
)
def test_a_file_that_is_not_a_sources_file_says_why(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(SourcesFileError, match=expected):
        load_sources_file(_write(tmp_path, text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match=r"sources\.yaml: file: a readable file"):
        load_sources_file(tmp_path / "sources.yaml")


@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(["d", "w", "D", "W"]))
def test_durations_in_days_and_weeks(number: int, unit: str) -> None:
    days = number * (7 if unit.lower() == "w" else 1)
    assert parse_duration(f"{number}{unit}") == timedelta(days=days)


@pytest.mark.parametrize("value", ["0d", "30", "1m", "d", 30, None, "-3d"])
def test_a_duration_that_is_not_one_is_refused(value: object) -> None:
    with pytest.raises(NewsroomError, match="30d or 2w"):
        parse_duration(value)


def test_filters_match_words_phrases_categories_and_authors() -> None:
    text = "Harbour ferries resume; the ferry to the isles sails at dawn."
    assert Filter(any_words=("ferry", "bus")).matches(text, [], [])
    assert not Filter(any_words=("fer",)).matches(text, [], [])  # whole words only
    assert Filter(any_words=("the isles",)).matches(text, [], [])  # a phrase as written
    assert not Filter(all_words=("ferry", "bus")).matches(text, [], [])
    assert Filter(categories=("transport",)).matches(text, ["Transport"], [])
    assert not Filter(authors=("Ana Ruiz",)).matches(text, [], ["Ben Ode"])
    # every criterion given must hold
    assert not Filter(any_words=("ferry",), categories=("sport",)).matches(text, ["news"], [])


def test_a_file_path_is_absolute_whatever_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, FULL)
    monkeypatch.chdir(tmp_path)
    local = load_sources_file(Path("sources.yaml")).named("Local file")
    assert local.url == str(tmp_path / "feeds" / "local.xml")
