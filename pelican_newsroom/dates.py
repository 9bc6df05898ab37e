"""Newsroom timestamps: ``Mon, 03/23/2020 – 07:54`` and friends, on top of Pelican's own.

Pelican hands ``date`` to dateutil, which cannot read the en dash of a
newsroom stamp, guesses at slash dates and ignores a contradicting weekday; a
failure makes Pelican drop the article ("Could not process").  Here the
newsroom forms, RFC 2822 and ISO 8601 are parsed explicitly, and anything else
goes to Pelican's ``get_date``, so every date a site built with before gives
the same moment.  The result is always timezone-aware, and anything doubtful
(wrong weekday, a wall-clock time that DST skips or repeats, month 13) raises
:class:`~pelican_newsroom.errors.NewsroomError`, whichever parser read it."""

from __future__ import annotations

import email.utils
import html
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.parser import parserinfo
from pelican.utils import get_date

from .errors import NewsroomError

DateOrder = Literal["MDY", "DMY"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

EXAMPLE = "'Mon, 03/23/2020 – 07:54', 'Mon, 23 Mar 2020 07:54:00 +0000' or '2020-03-23T07:54-04:00'"

_SEPARATORS = r"(?:–|—|-|&ndash;|&mdash;|&\#8211;|&\#8212;|&\#x2013;|&\#x2014;)"
_ZONE = r"(?P<zone>Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)+)"
NEWSROOM_RE = re.compile(
    rf"""^(?:(?P<weekday>[A-Za-z]{{2,9}})\.?,?\s+)?
    (?P<first>\d{{1,2}})/(?P<second>\d{{1,2}})/(?P<year>\d{{2}}|\d{{4}})
    \s*(?:{_SEPARATORS}|,|\s)\s*
    (?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second_of_minute>\d{{2}}))?
    (?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?(?![A-Za-z]))?
    (?:\s*{_ZONE})?$""",
    re.VERBOSE,
)
SLASH_DATE_RE = re.compile(
    r"^(?:(?P<weekday>[A-Za-z]{2,9})\.?,?\s+)?(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{2}|\d{4})$"
)
RFC2822_RE = re.compile(r"^(?:(?P<weekday>[A-Za-z]{3}),\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]|$)")
UNKNOWN_ZONE_RE = re.compile(r"\s-0000$")
#: A ``d/m/y`` or ``m/d/y`` date inside a longer value (``03/02/2024 10am``).
EMBEDDED_SLASH_DATE_RE = re.compile(
    r"(?<![\d/])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\d/])"
)
#: dateutil's word lists: which words it takes for weekdays.
_DATEUTIL_INFO = parserinfo()


def html_datetime(value: datetime) -> str:
    """``value`` for a page (``<time datetime>``, Open Graph, JSON-LD): ISO 8601 to the second.

    HTML allows at most three digits of a second's fraction, and a first-seen
    time or a feed's timestamp may carry six; no reader needs them on a page.
    Feeds keep the full value (RFC 3339 allows any fraction).
    """
    return value.isoformat(timespec="seconds")


def parse_timezone(name: str) -> tzinfo:
    """``UTC``, ``GMT``, ``Z``, ``+0200``, ``-04:00`` or an IANA name such as ``Asia/Tokyo``."""
    if name.upper() in {"UTC", "GMT", "Z"}:
        return UTC
    offset = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", name)
    if offset:
        sign, hours, minutes = offset.groups()
        if int(hours) > 23 or int(minutes) > 59:
            raise NewsroomError(name, "a UTC offset between -23:59 and +23:59")
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise NewsroomError(
            name, "a UTC offset or an IANA time zone such as 'Asia/Tokyo'"
        ) from None


def localize(naive: datetime, tz: tzinfo, original: object) -> datetime:
    """Attach ``tz`` to a wall-clock time, refusing times DST skips or repeats."""
    if isinstance(tz, timezone):  # fixed offsets have no DST
        return naive.replace(tzinfo=tz)
    first = naive.replace(tzinfo=tz, fold=0)
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise NewsroomError(
            original,
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz} (clocks skip it for daylight "
            "saving time); give the time with an offset",
        )
    if first.utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset():
        raise NewsroomError(
            original,
            f"{naive:%Y-%m-%d %H:%M} is ambiguous in {tz} (it happens twice when daylight "
            "saving time ends); give the time with an offset",
        )
    return first


def _weekday_index(word: str, original: object) -> int:
    """``Mon``, ``Monday``, ``Tues``, ``Thurs``…: any prefix of two letters or more."""
    word = word.lower()
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 2 and name.startswith(word):
            return index
    raise NewsroomError(original, f"'{word}' is not a weekday name")


def check_weekday(word: str | None, day: date, original: object) -> None:
    """A stated weekday must agree with the date: a mismatch means a typo somewhere."""
    if not word:
        return
    if _weekday_index(word, original) != day.weekday():
        raise NewsroomError(
            original,
            f"weekday '{word}' does not match {day.isoformat()} (a {WEEKDAYS[day.weekday()].title()})",
        )


def _slash_date(match: re.Match[str], order: DateOrder, original: object) -> date:
    first, second = int(match["first"]), int(match["second"])
    month, day = (first, second) if order == "MDY" else (second, first)
    year = int(match["year"])
    if len(match["year"]) == 2:
        year += 1900 if year >= 69 else 2000
    if not 1 <= month <= 12:
        hint = " (NEWSROOM_DATE_ORDER is 'MDY': month first)" if order == "MDY" else ""
        raise NewsroomError(original, f"month {month} is not between 1 and 12{hint}")
    try:
        return date(year, month, day)
    except ValueError:
        raise NewsroomError(original, f"day {day} does not exist in {year}-{month:02d}") from None


def _clock(match: re.Match[str], original: object) -> tuple[int, int, int]:
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second_of_minute"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise NewsroomError(original, f"hour {hour} is not between 1 and 12 with AM/PM")
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise NewsroomError(original, f"{hour}:{minute:02d}:{second:02d} is not a time of day")
    return hour, minute, second


def _newsroom(match: re.Match[str], tz: tzinfo, order: DateOrder, original: object) -> datetime:
    day = _slash_date(match, order, original)
    check_weekday(match["weekday"], day, original)
    naive = datetime(day.year, day.month, day.day, *_clock(match, original))
    zone = parse_timezone(match["zone"]) if match["zone"] else tz
    return localize(naive, zone, original)


def _rfc2822(text: str, tz: tzinfo, original: object) -> datetime | None:
    """An RFC 2822 date, or ``None`` when ``text`` only starts like one (Pelican may read it)."""
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    match = RFC2822_RE.match(text)
    check_weekday(match["weekday"] if match else None, parsed.date(), original)
    if parsed.tzinfo is not None:
        return parsed
    if UNKNOWN_ZONE_RE.search(text):  # "-0000": the RFC's "zone unknown"; UTC, as dateutil reads it
        return parsed.replace(tzinfo=UTC)
    return localize(parsed, tz, original)  # no zone at all: the site's, as Pelican does


def _iso(text: str, tz: tzinfo, original: object) -> datetime | None:
    """An ISO 8601 date, or ``None`` when Python cannot read it as one (Pelican may)."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else localize(parsed, tz, original)


def _slash_dates_in_order(text: str, order: DateOrder, original: object) -> str:
    """``text`` with each ``d/m/y`` date rewritten as ``yyyy-mm-dd``, read in ``order``.

    dateutil would read every slash date month first; the site's order wins.
    Year-first dates (``2024/03/02``) are not ambiguous and are left to dateutil.
    """

    def iso(match: re.Match[str]) -> str:
        return _slash_date(match, order, original).isoformat()

    return EMBEDDED_SLASH_DATE_RE.sub(iso, text)


def _check_weekday_words(text: str, day: date, original: object) -> None:
    """Every word dateutil takes for a weekday must agree with the date (dateutil ignores them)."""
    for word in re.findall(r"[A-Za-z]+", text):
        if _DATEUTIL_INFO.weekday(word) is not None:
            check_weekday(word, day, original)


def _pelican(text: str, tz: tzinfo, order: DateOrder, original: object, expected: str) -> datetime:
    """What Pelican itself makes of ``text`` (dateutil), with the newsroom rules on top.

    Pelican's result is kept, so a date that built without the plugin builds to
    the same moment with it; only what the newsroom rules refuse (a weekday that
    contradicts the date, a time DST skips or repeats) and slash dates (read in
    ``NEWSROOM_DATE_ORDER``) differ.  A naive result is in ``tz``, as Pelican puts it.
    """
    readable = _slash_dates_in_order(text, order, original)
    try:
        parsed = get_date(readable)
    except (ValueError, OverflowError):
        try:  # "2024-03-02_10:00": a file-name style separator Pelican does not read
            parsed = get_date(readable.replace("_", " "))
        except (ValueError, OverflowError):
            raise NewsroomError(original, expected) from None
    _check_weekday_words(readable, parsed.date(), original)
    return parsed if parsed.tzinfo else localize(parsed, tz, original)


def parse_timestamp(value: object, tz: tzinfo, order: DateOrder = "MDY") -> datetime:
    """Turn a ``date``/``modified`` value into an aware datetime, or raise.

    ``value`` is text from a Markdown header or rST field, or what YAML gives
    (a ``datetime`` or ``date``).  Times without a zone are in ``tz`` (the
    site's ``TIMEZONE``); ``order`` says how to read slash dates.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else localize(value, tz, value)
    if isinstance(value, date):
        return localize(datetime(value.year, value.month, value.day), tz, value)
    if not isinstance(value, str):
        raise NewsroomError(value, f"a date as text; expected {EXAMPLE}")
    text = " ".join(html.unescape(value).split())
    if not text:
        raise NewsroomError(value, f"a date, got an empty value; expected {EXAMPLE}")
    match = NEWSROOM_RE.match(text)
    if match:
        return _newsroom(match, tz, order, value)
    match = SLASH_DATE_RE.match(text)
    if match:
        day = _slash_date(match, order, value)
        check_weekday(match["weekday"], day, value)
        return localize(datetime(day.year, day.month, day.day), tz, value)
    expected = f"not a date; expected {EXAMPLE}"
    if RFC2822_RE.match(text + " "):
        parsed = _rfc2822(text, tz, value)
        expected = f"not a valid RFC 2822 date; expected {EXAMPLE}"
    elif ISO_RE.match(text):
        parsed = _iso(text, tz, value)
        expected = f"not a valid ISO 8601 date; expected {EXAMPLE}"
    else:
        parsed = None
    return parsed or _pelican(text, tz, order, value, expected)
