"""``article.newsroom``: the one read model, built once from metadata."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pelican_newsroom.chain import Hop
from pelican_newsroom.model import build_newsroom
from pelican_newsroom.settings import NewsroomSettings

SETTINGS = NewsroomSettings.of({"TIMEZONE": "America/New_York", "SITEURL": "https://desk.example"})
NEW_YORK = ZoneInfo("America/New_York")


def test_dates_are_aware_in_the_site_zone() -> None:
    metadata = {"date": datetime(2020, 3, 23, 7, 54), "modified": datetime(2020, 3, 24, 9, 0)}
    newsroom = build_newsroom(metadata, "a.md", SETTINGS)
    assert newsroom.published == datetime(2020, 3, 23, 7, 54, tzinfo=NEW_YORK)
    assert newsroom.modified == datetime(2020, 3, 24, 9, 0, tzinfo=NEW_YORK)
    assert newsroom.updated == newsroom.modified


def test_a_date_with_an_offset_keeps_it() -> None:
    utc = datetime(2020, 3, 23, 11, 54, tzinfo=ZoneInfo("UTC"))
    newsroom = build_newsroom({"date": utc}, "a.md", SETTINGS)
    assert newsroom.published is not None and newsroom.published.utcoffset().total_seconds() == 0
    assert newsroom.modified is None and newsroom.updated == utc


def test_a_correction_after_the_last_edit_is_the_update() -> None:
    metadata = {
        "date": datetime(2020, 3, 23, 7, 54),
        "corrections": "03/25/2020 10:00 — The mayor's name was misspelt.",
    }
    newsroom = build_newsroom(metadata, "a.md", SETTINGS)
    assert newsroom.updated == datetime(2020, 3, 25, 10, 0, tzinfo=NEW_YORK)
    assert newsroom.problems == ()


def test_the_chain_names_origin_and_source() -> None:
    metadata = {"via": ["Origin Daily <https://origin.example/a>", "Wire <https://wire.example/b>"]}
    newsroom = build_newsroom(metadata, "a.md", SETTINGS)
    assert newsroom.origin == Hop(name="Origin Daily", url="https://origin.example/a")
    assert newsroom.source is not None and newsroom.source.name == "Wire"
    assert newsroom.is_repost and newsroom.uses_keys


def test_plain_pelican_metadata_uses_none_of_our_keys() -> None:
    newsroom = build_newsroom({"title": "Plain", "author": "Ana"}, "a.md", SETTINGS)
    assert not newsroom.uses_keys and not newsroom.is_repost
    assert newsroom.authors == ("Ana",)
