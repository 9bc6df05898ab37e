"""The import's memory: validators, items and tombstones survive a save, and a tampered file is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pelican_newsroom.fetch import Validators
from pelican_newsroom.import_state import (
    REASONS,
    STATE_FILE,
    ImportState,
    Remembered,
    StateError,
    Tombstone,
)

_TEXT = st.text(min_size=1, max_size=20)


@given(
    st.dictionaries(
        _TEXT,
        st.dictionaries(_TEXT, st.builds(Remembered, _TEXT, st.none() | _TEXT), max_size=3),
        max_size=3,
    ),
    st.dictionaries(
        _TEXT,
        st.dictionaries(
            _TEXT,
            st.builds(Tombstone, st.sampled_from(REASONS), _TEXT, st.none() | _TEXT),
            max_size=3,
        ),
        max_size=3,
    ),
)
def test_what_is_saved_is_read_back(
    tmp_path_factory: pytest.TempPathFactory, items, stones
) -> None:
    path = tmp_path_factory.mktemp("state") / STATE_FILE
    state = ImportState(path)
    state.remember("https://wire.example/feed", Validators('"v1"', None))
    for feed, remembered in items.items():
        for key, item in remembered.items():
            state.remember_item(feed, key, item)
    for feed, buried in stones.items():
        for key, stone in buried.items():
            state.tombstones.setdefault(feed, {})[key] = stone
    state.save()
    again = ImportState(path)
    assert again.validators("https://wire.example/feed") == Validators('"v1"', None)
    assert again.items == {feed: found for feed, found in items.items() if found}
    assert again.tombstones == {feed: found for feed, found in stones.items() if found}


def test_a_first_version_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / STATE_FILE
    path.write_text(json.dumps({"version": 1, "sources": {"feed.xml": {"etag": "sha256:1"}}}))
    state = ImportState(path)
    assert state.validators("feed.xml") == Validators("sha256:1", None)
    assert state.items == {} and state.tombstones == {}


def test_burying_an_item_forgets_it_and_forget_drops_a_whole_source(tmp_path: Path) -> None:
    state = ImportState(tmp_path / STATE_FILE)
    state.remember("https://wire.example/feed", Validators("e", None))
    state.remember_item("https://wire.example/feed", "id-1", Remembered("a.md"))
    state.remember_item("https://wire.example/feed", "id-2", Remembered("b.md"))
    state.bury(
        "https://wire.example/feed",
        "id-1",
        Tombstone("rejected", "2020-03-23T07:54:00+00:00", "a.md"),
    )
    assert state.tombstone("https://wire.example/feed", "id-1") is not None
    assert list(state.items["https://wire.example/feed"]) == ["id-2"]
    assert state.forget("https://wire.example/feed", "https://wire.example/feed") == 2
    assert state.validators("https://wire.example/feed") is None
    assert state.tombstone("https://wire.example/feed", "id-1") is None


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"items": {"f": {"id": {"file": 3}}}}, "items['f']['id']"),
        ({"items": {"f": {"id": {"file": "a.md", "extra": 1}}}}, "items['f']['id']"),
        ({"tombstones": {"f": {"id": {"reason": "bored", "at": "x"}}}}, "tombstones['f']['id']"),
        ({"tombstones": {"f": []}}, "tombstones['f']"),
        ({"sources": {"f": {"etag": 1}}}, "sources['f'].etag"),
        ([], "the file"),
    ],
)
def test_a_tampered_file_names_the_key(tmp_path: Path, data: object, where: str) -> None:
    path = tmp_path / STATE_FILE
    path.write_text(json.dumps(data))
    with pytest.raises(StateError) as raised:
        ImportState(path)
    assert str(path) in str(raised.value) and where in str(raised.value)
