"""Timestamp parsing (SPEC §4): every accepted form, every refusal, and property tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_page_dates_have_no_fraction_html_would_refuse() -> None:
    """HTML's ``datetime`` takes one to three fraction digits; pages show whole seconds."""
    moment = datetime(2020, 4, 7, 11, 0, 31, 364000, tzinfo=timezone(timedelta(hours=-4)))
    assert html_datetime(moment) == "2020-04-07T11:00:31-04:00"
    assert html_datetime(moment.replace(microsecond=0, second=0)) == "2020-04-07T11:00:00-04:00"
