"""Timestamp parsing: every accepted form, every refusal, and property tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.settings import read_settings
from pelican.utils import get_date

from pelican_newsroom.check import HeaderReaders
from pelican_newsroom.cli import main
from pelican_newsroom.dates import html_datetime, parse_timestamp
from pelican_newsroom.errors import NewsroomError

NEW_YORK = ZoneInfo("America/New_York")
EXPECTED = datetime(2020, 3, 23, 7, 54, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    "text",
    [
        "Mon, 03/23/2020 – 07:54",  # en dash, the reference stamp
        "Mon, 03/23/2020 — 07:54",  # em dash
        "Mon, 03/23/2020 - 07:54",  # hyphen
        "Mon, 03/23/2020 &ndash; 07:54",
        "Mon, 03/23/2020 &#8211; 07:54",
        "Monday, 03/23/2020 – 7:54 AM",
        "Mon 03/23/2020 – 07:54 am",
        "03/23/2020 – 07:54",
        "Mon, 03/23/20 – 07:54",
        "Mon, 03/23/2020 – 07:54 America/New_York",
        "Mon, 03/23/2020 – 07:54 -04:00",
        "Mon, 03/23/2020 – 07:54 -0400",
        "Mon, 23 Mar 2020 11:54:00 +0000",
        "Mon, 23 Mar 2020 07:54:00 -0400",
        "2020-03-23T07:54:00-04:00",
        "2020-03-23T11:54:00Z",
        "2020-03-23 07:54",
        "March 23, 2020 07:54",
    ],
)
def test_every_accepted_form_gives_the_same_instant(text):
    parsed = parse_timestamp(text, NEW_YORK)
    assert parsed.tzinfo is not None
    assert parsed == EXPECTED


def test_zone_of_the_value_wins_over_site_timezone():
    assert parse_timestamp("Mon, 03/23/2020 – 07:54 Asia/Tokyo", NEW_YORK).utcoffset() == timedelta(
        hours=9
    )
    assert parse_timestamp("Mon, 03/23/2020 – 07:54 UTC", NEW_YORK).utcoffset() == timedelta(0)
    assert parse_timestamp("Mon, 03/23/2020 – 07:54 GMT", NEW_YORK).utcoffset() == timedelta(0)
    assert parse_timestamp("Mon, 03/23/2020 – 07:54 +0200", NEW_YORK).utcoffset() == timedelta(
        hours=2
    )


def test_pm_and_midnight():
    assert parse_timestamp("Mon, 03/23/2020 – 7:54 PM", NEW_YORK).hour == 19
    assert parse_timestamp("Mon, 03/23/2020 – 12:05 AM", NEW_YORK).hour == 0
    assert parse_timestamp("Mon, 03/23/2020 – 12:05 PM", NEW_YORK).hour == 12


def test_day_first_order():
    parsed = parse_timestamp("Mon, 23/03/2020 – 07:54", NEW_YORK, "DMY")
    assert parsed == EXPECTED
    with pytest.raises(NewsroomError, match="month 23"):
        parse_timestamp("Mon, 03/23/2020 – 07:54", NEW_YORK, "DMY")


def test_yaml_values():
    assert parse_timestamp(datetime(2020, 3, 23, 7, 54), NEW_YORK) == EXPECTED
    assert parse_timestamp(datetime(2020, 3, 23, 11, 54, tzinfo=UTC), NEW_YORK) == EXPECTED


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tue, 03/23/2020 – 07:54", r"weekday 'Tue' does not match 2020-03-23 \(a Monday\)"),
        ("Tue, 23 Mar 2020 07:54:00 +0000", "weekday 'Tue' does not match"),
        ("Sun, 03/08/2020 – 02:30", "does not exist in America/New_York"),
        ("Sun, 11/01/2020 – 01:30", "is ambiguous in America/New_York"),
        ("2020-03-08 02:30", "does not exist"),
        ("13/23/2020 – 07:54", "month 13 is not between 1 and 12"),
        ("02/30/2020 – 07:54", "day 30 does not exist"),
        ("Mon, 03/23/2020 – 25:54", "not a time of day"),
        ("Mon, 03/23/2020 – 13:54 PM", "between 1 and 12 with AM/PM"),
        ("Mon, 03/23/2020 – 07:54 Mars/Olympus", "IANA time zone"),
        ("2020-13-01", "ISO 8601"),
        ("yesterday-ish", "not a date"),
        ("", "empty"),
        ("Xyz, 03/23/2020 – 07:54", "not a weekday"),
    ],
)
def test_refusals_say_what_was_expected(text, message):
    with pytest.raises(NewsroomError, match=message) as raised:
        parse_timestamp(text, NEW_YORK)
    assert raised.value.severity == "error"


def test_fixed_offset_times_are_never_dst_errors():
    # 02:30 does not exist in New York that night, but with an explicit offset it is a real instant.
    parsed = parse_timestamp("Sun, 03/08/2020 – 02:30 -05:00", NEW_YORK)
    assert parsed == datetime(2020, 3, 8, 7, 30, tzinfo=UTC)


ZONES = st.sampled_from(
    [
        "UTC",
        "America/New_York",
        "Europe/Berlin",
        "Asia/Tokyo",
        "Australia/Lord_Howe",
        "America/Sao_Paulo",
    ]
)
SEPARATORS = st.sampled_from(["–", "—", "-", "&ndash;", "&#8211;"])


def _exists_once(naive: datetime, zone: ZoneInfo) -> bool:
    first = naive.replace(tzinfo=zone, fold=0)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return back == naive and first.utcoffset() == naive.replace(tzinfo=zone, fold=1).utcoffset()


@given(
    moment=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    zone_name=ZONES,
    separator=SEPARATORS,
    twelve_hour=st.booleans(),
    in_value=st.booleans(),
    order=st.sampled_from(["MDY", "DMY"]),
)
def test_newsroom_format_round_trip(moment, zone_name, separator, twelve_hour, in_value, order):
    """Any wall-clock time that exists once in its zone, formatted newsroom-style, parses back exactly."""
    zone = ZoneInfo(zone_name)
    slash = "%m/%d/%Y" if order == "MDY" else "%d/%m/%Y"
    clock = "%I:%M %p" if twelve_hour else "%H:%M"
    text = moment.strftime(f"%a, {slash} {separator} {clock}") + (
        f" {zone_name}" if in_value else ""
    )
    site_zone = UTC if in_value else zone
    if not _exists_once(moment, zone):
        with pytest.raises(NewsroomError):
            parse_timestamp(text, site_zone, order)
        return
    parsed = parse_timestamp(text, site_zone, order)
    assert parsed.replace(tzinfo=None) == moment
    assert parsed.utcoffset() == moment.replace(tzinfo=zone).utcoffset()


@given(
    moment=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
    ).map(lambda d: d.replace(microsecond=0)),
    minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_rfc2822_and_iso_round_trip(moment, minutes):
    aware = moment.astimezone(timezone(timedelta(minutes=minutes)))
    rfc = aware.strftime("%a, %d %b %Y %H:%M:%S %z")
    assert parse_timestamp(rfc, UTC) == aware
    assert parse_timestamp(aware.isoformat(), UTC) == aware


@given(
    st.text(max_size=60)
    | st.from_regex(r"\A[A-Za-z]{0,9},? ?\d{1,3}/\d{1,3}/\d{1,5} ?[–-]? ?\d{1,3}:\d{1,3}.{0,12}\Z")
)
def test_never_raises_anything_but_our_error(text):
    try:
        parsed = parse_timestamp(text, NEW_YORK)
    except NewsroomError:
        return
    assert parsed.tzinfo is not None


# --- every date Pelican accepts builds to the same moment with the plugin -------------------

#: Forms plain Pelican (``pelican.utils.get_date``) reads, none of them depending on today's
#: date.  Each is published, with and without the plugin, as the same moment.
PELICAN_FORMS = (
    "2024/03/02",
    "2024/03/02 10:00",
    "2024-03-02 10am",
    "March 2, 2024",
    "2 Mar 2024",
    "2024-03-02T10:00",
    "20240302",
    "20240302T1000",
    "2024-03-02",
    "2024-3-2",
    "2024.03.02",
    "2024-03-02 10:00:00.5",
    "2024-03-02T10:00:00+05:30",
    "2024-03-02T10:00:00 -0500",
    "2024-03-02 10:00 UTC",
    "2024-03-02T10:00Z",
    "Mar 2 2024 10:00",
    "2 March 2024 10:00 PM",
    "Saturday, March 2, 2024",
    "March 2nd, 2024",
    "2nd of March 2024",
    "02-Mar-2024",
    "2024 March 2",
    "10:00 2024-03-02",
    "2024-03-02 10h00",
    "2 Mar 2024 10:00",
    "Sat, 2 Mar 2024 10:00:00",
    "Sat, 02 Mar 2024 10:00:00 GMT",
    "2 Mar 2024 10:00:00 -0000",
    "3/2/2024",
    "03/02/2024 10am",
)


def _published(site, count: int) -> list[str]:
    """The ``<time datetime>`` of each article ``a0`` … ``a<count-1>`` (the ``simple`` theme)."""
    moments = []
    for number in range(count):
        page = lxml.html.fromstring(site.text(f"a{number}.html"))
        moments.append(page.xpath("//time/@datetime")[0])
    return moments


def test_every_date_pelican_accepts_builds_to_the_same_moment(build_site, tmp_path):
    for text in PELICAN_FORMS:
        get_date(text)  # raises if plain Pelican would not read it: then it does not belong here
    files = {
        f"a{number}.md": f"Title: Form {number}\nSlug: a{number}\nDate: {text}\n\nBody.\n"
        for number, text in enumerate(PELICAN_FORMS)
    }
    theme = {"THEME": "simple", "FEED_ALL_RSS": None, "FEED_ALL_ATOM": None}
    plain = build_site(files, PLUGINS=[], **theme)
    with_plugin = build_site(files, **theme)
    assert with_plugin.problems == []
    expected = _published(plain, len(PELICAN_FORMS))
    assert dict(zip(PELICAN_FORMS, _published(with_plugin, len(PELICAN_FORMS)), strict=True)) == (
        dict(zip(PELICAN_FORMS, expected, strict=True))
    )
    # check reads each date the same way and finds nothing wrong
    readers = HeaderReaders(read_settings(None, override={"TIMEZONE": "America/New_York"}))
    for number, moment in enumerate(expected):
        assert readers.metadata(with_plugin.content / f"a{number}.md")["date"].isoformat() == moment
    assert main(["check", str(with_plugin.content)]) == 0


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("03/02/2024 10am", "DMY", "2024-02-03T10:00:00-05:00"),  # the site's order, not dateutil's
        ("2024/03/02", "DMY", "2024-03-02T00:00:00-05:00"),  # year first: never ambiguous
        ("2 Mar 2024 10:00", "MDY", "2024-03-02T10:00:00-05:00"),  # no zone: the site's
        ("2 Mar 2024 10:00:00 -0000", "MDY", "2024-03-02T10:00:00+00:00"),
    ],
)
def test_pelican_forms_with_newsroom_rules(text, order, expected):
    assert parse_timestamp(text, NEW_YORK, order).isoformat() == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Friday, March 2, 2024", "weekday 'Friday' does not match 2024-03-02 (a Saturday)"),
        ("Fri 2024/03/02 10:00", "weekday 'Fri' does not match"),
        ("2024-03-10 2:30am", "does not exist in America/New_York"),
        ("2024/11/03 1:30", "is ambiguous in America/New_York"),
        ("13/02/2024 10am", "month 13 is not between 1 and 12"),
    ],
)
def test_pelican_forms_keep_the_newsroom_refusals(text, message):
    get_date(text.replace("13/02", "12/02"))  # a form Pelican reads (month 13 aside)
    with pytest.raises(NewsroomError, match=re.escape(message)):
        parse_timestamp(text, NEW_YORK)


def test_article_timezone_is_honoured_as_pelican_does(build_site):
    files = {
        "tokyo.md": "Title: Tokyo\nSlug: a0\nTimezone: Asia/Tokyo\nDate: 2024-03-02 10:00\n\nBody.\n",
        "offset.md": "Title: Offset\nSlug: a1\nTimezone: Asia/Tokyo\nDate: 2024-03-02T10:00+01:00\n\nB.\n",
        "yaml.md": "---\ntitle: YAML\nslug: a2\ntimezone: Asia/Tokyo\ndate: 2024-03-02 10:00\n---\nB.\n",
    }
    theme = {"THEME": "simple", "FEED_ALL_RSS": None, "FEED_ALL_ATOM": None}
    plain = _published(build_site(files, PLUGINS=[], **theme), 3)
    assert plain[0] == "2024-03-02T10:00:00+09:00"
    assert _published(build_site(files, **theme), 3) == plain


def test_page_dates_have_no_fraction_html_would_refuse() -> None:
    """HTML's ``datetime`` takes one to three fraction digits; pages show whole seconds."""
    moment = datetime(2020, 4, 7, 11, 0, 31, 364000, tzinfo=timezone(timedelta(hours=-4)))
    assert html_datetime(moment) == "2020-04-07T11:00:31-04:00"
    assert html_datetime(moment.replace(microsecond=0, second=0)) == "2020-04-07T11:00:00-04:00"
