"""Settings: every default documented in the README, and bad values named clearly."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from pelican_newsroom.settings import DEFAULTS, NewsroomSettings, NewsroomSettingsError, merged
from tests.conftest import REPO


def _readme_settings() -> set[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(NEWSROOM_[A-Z_]+)` \|", readme, flags=re.MULTILINE))


def test_readme_documents_every_setting_and_nothing_else():
    assert _readme_settings() == set(DEFAULTS)


def test_every_default_has_a_comment():
    source = (REPO / "pelican_newsroom" / "settings.py").read_text(encoding="utf-8")
    for key in DEFAULTS:
        assert re.search(rf'    # .+\n(    # .+\n)*    "{key}":', source), f"{key} has no comment"


def test_defaults_are_valid_and_labels_merge_key_by_key():
    values = merged({"NEWSROOM_LABELS": {"by": "Von"}})
    assert values["NEWSROOM_LABELS"]["by"] == "Von"
    assert values["NEWSROOM_LABELS"]["photo"] == DEFAULTS["NEWSROOM_LABELS"]["photo"]
    assert NewsroomSettings.from_pelican({"TIMEZONE": "Asia/Tokyo"}).timezone.key == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("NEWSROOM_STRICT", "yes", "True or False"),
        ("NEWSROOM_DATE_ORDER", "YMD", "'MDY' or 'DMY'"),
        ("NEWSROOM_MAX_HOPS", 0, "at least 1"),
        ("NEWSROOM_CANONICAL", "elsewhere", "'self' or 'origin'"),
        ("NEWSROOM_SOURCE_MIN_ARTICLES", 0, "a whole number of at least 1"),
        ("NEWSROOM_SOURCE_MIN_ARTICLES", "2", "a whole number of at least 1"),
        ("NEWSROOM_SOURCE_MIN_ARTICLES", True, "a whole number of at least 1"),
        ("NEWSROOM_LABELS", ["by"], "dict"),
        ("TIMEZONE", "Mars/Olympus", "IANA time zone"),
    ],
)
def test_bad_settings_name_key_value_and_expectation(key, value, message):
    with pytest.raises(NewsroomSettingsError) as raised:
        NewsroomSettings.from_pelican({key: value})
    text = str(raised.value)
    assert key in text and repr(value) in text and message in text


def test_a_bad_source_threshold_stops_the_build(build_site):
    with pytest.raises(NewsroomSettingsError, match=r"NEWSROOM_SOURCE_MIN_ARTICLES: 2\.5"):
        build_site({"a.md": "Title: A\nDate: 2020-01-01\n\nx\n"}, NEWSROOM_SOURCE_MIN_ARTICLES=2.5)
    assert (
        NewsroomSettings.from_pelican({"NEWSROOM_SOURCE_MIN_ARTICLES": 3}).source_min_articles == 3
    )


def test_every_setting_reaches_the_settings_object() -> None:
    """A new setting in DEFAULTS must be a field too (feed paths are in ``feed_paths``)."""
    built = NewsroomSettings.of({"NEWSROOM_SHOW_LICENSE": False, "NEWSROOM_MAX_HOPS": 7})
    names = {f.name for f in fields(NewsroomSettings)}
    for key in DEFAULTS:
        if "_FEED_" in key:
            assert key in built.feed_paths
        else:
            assert key.removeprefix("NEWSROOM_").lower() in names, key
    assert (built.show_license, built.max_hops, built.show_byline) == (False, 7, True)
