"""News publishing standards in metadata: ``canonical``, ``robots`` and ``corrections``.

Parsers only (text in, value out or :class:`~pelican_newsroom.errors.NewsroomError`);
:mod:`pelican_newsroom.model` decides, per article, what the site settings
(``NEWSROOM_CANONICAL``, ``NEWSROOM_NOINDEX_SYNDICATED``) give when a key is absent.

Robots directives are the ones Google documents for ``<meta name="robots">``
(https://developers.google.com/search/docs/crawling-indexing/robots-meta-tag);
an unknown word is refused rather than passed on, since a typo (``no-index``)
would silently leave a page indexed.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from .dates import DateOrder, parse_timestamp
from .errors import NewsroomError
from .text import clean_text
from .urls import parse_absolute_url

CANONICAL_CHOICES = ("self", "origin")

#: Directives without a value.
ROBOTS_WORDS = frozenset(
    {
        "all",
        "index",
        "follow",
        "noindex",
        "nofollow",
        "none",
        "noarchive",
        "nocache",
        "nosnippet",
        "notranslate",
        "noimageindex",
        "indexifembedded",
    }
)
#: Directives with a value (``name:value``), and the values each takes.
_ROBOTS_VALUED: dict[str, re.Pattern[str]] = {
    "max-snippet": re.compile(r"-1|\d+"),
    "max-video-preview": re.compile(r"-1|\d+"),
    "max-image-preview": re.compile(r"none|standard|large"),
    "unavailable_after": re.compile(r"\S.*"),
}
#: What ``max-image-preview`` is set to on indexable articles (Google's advice for news).
LARGE_IMAGE_PREVIEW = "max-image-preview:large"

CORRECTION_EXPECTED = (
    "a correction as 'DATE — TEXT' (em dash, en dash or '--' between them; DATE in any "
    "form 'date' accepts, e.g. '2020-03-24T10:00-04:00'), or in YAML {date: …, text: …}"
)
#: Where a correction line's date may end: an em or en dash, or ``--`` between spaces.
_CORRECTION_SEPARATOR_RE = re.compile(r"\s*[—–]\s*|\s+--\s+")


def parse_canonical(value: object) -> str:
    """``self``, ``origin`` (either case) or an absolute http(s) URL."""
    if isinstance(value, str) and value.strip().lower() in CANONICAL_CHOICES:
        return value.strip().lower()
    try:
        return parse_absolute_url(value)
    except NewsroomError as error:
        raise NewsroomError(
            value, f"'self', 'origin' or {error.expected.removeprefix('an ')}", error.severity
        ) from None


def parse_robots(value: object) -> tuple[str, ...]:
    """``noindex, nofollow`` (or a list of directives): lower-cased, in order, no repeats."""
    items = value if isinstance(value, list | tuple) else [value]
    if not all(isinstance(item, str) for item in items):
        raise NewsroomError(value, "robots directives as text, e.g. 'noindex, nofollow'")
    directives: list[str] = []
    for item in items:
        for word in (w.strip().lower() for w in str(item).split(",")):
            if word and word not in directives:
                directives.append(_robots_directive(word, value))
    if not directives:
        raise NewsroomError(value, "robots directives, e.g. 'noindex', got an empty value")
    return tuple(directives)


def _robots_directive(word: str, original: object) -> str:
    if word in ROBOTS_WORDS:
        return word
    name, _colon, setting = word.partition(":")
    pattern = _ROBOTS_VALUED.get(name.strip())
    if pattern is not None and pattern.fullmatch(setting.strip()):
        return f"{name.strip()}:{setting.strip()}"
    known = ", ".join(sorted(ROBOTS_WORDS)) + ", " + ", ".join(f"{n}:…" for n in _ROBOTS_VALUED)
    raise NewsroomError(original, f"robots directives; '{word}' is not one of {known}")


@dataclass(frozen=True)
class Correction:
    """One correction note: when it was made, and what it says (plain text)."""

    date: datetime
    text: str


def parse_correction_line(line: str, tz: tzinfo, order: DateOrder = "MDY") -> Correction:
    """``DATE — TEXT``; the date may hold a dash itself (``Mon, 03/23/2020 – 07:54``).

    Every separator is tried, the last first: the longest start that is a date wins,
    so a date with a dash in it is read whole and a dash in the text stays text.
    """
    text = clean_text(line)
    error: NewsroomError | None = None
    for match in reversed(list(_CORRECTION_SEPARATOR_RE.finditer(text))):
        if match.start() == 0:
            continue
        try:
            when = parse_timestamp(text[: match.start()], tz, order)
        except NewsroomError as failed:
            error = failed
            continue
        note = text[match.end() :].strip()
        if not note:
            raise NewsroomError(line, f"{CORRECTION_EXPECTED}; the text is empty")
        return Correction(when, note)
    why = f"; the date: {error.expected}" if error else ""
    raise NewsroomError(line, f"{CORRECTION_EXPECTED}{why}")


def _parse_mapping(item: Mapping[object, object], tz: tzinfo, order: DateOrder) -> Correction:
    unknown = sorted(str(key) for key in item if key not in {"date", "text"})
    if unknown or "date" not in item or not isinstance(item.get("text"), str | int | float):
        why = f"; unknown keys {unknown}" if unknown else ""
        raise NewsroomError(dict(item), f"{CORRECTION_EXPECTED}{why}")
    try:
        when = parse_timestamp(item["date"], tz, order)
    except NewsroomError as error:
        raise NewsroomError(
            dict(item), f"{CORRECTION_EXPECTED}; the date: {error.expected}"
        ) from None
    note = clean_text(str(item["text"]))
    if not note:
        raise NewsroomError(dict(item), f"{CORRECTION_EXPECTED}; the text is empty")
    return Correction(when, note)


def parse_corrections(
    value: object, tz: tzinfo, order: DateOrder = "MDY"
) -> tuple[tuple[Correction, ...], list[NewsroomError]]:
    """Every correction of ``corrections`` (oldest first), and an error for each bad one.

    ``value``: a Markdown header's line or lines, YAML text (one note per line), or a
    YAML list of ``{date, text}`` mappings or lines. A bad note is left out and reported
    on its own, so the others are still shown.
    """
    if isinstance(value, str):
        items: list[object] = [line for line in value.splitlines() if line.strip()]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = [value]
    corrections: list[Correction] = []
    errors: list[NewsroomError] = []
    for item in items:
        try:
            if isinstance(item, Mapping):
                corrections.append(_parse_mapping(item, tz, order))
            elif isinstance(item, str):
                corrections.append(parse_correction_line(item, tz, order))
            else:
                raise NewsroomError(item, CORRECTION_EXPECTED)
        except NewsroomError as error:
            errors.append(error)
    if not corrections and not errors:
        errors.append(NewsroomError(value, f"{CORRECTION_EXPECTED}, got an empty value"))
    return tuple(sorted(corrections, key=lambda c: c.date)), errors


#: The placeholders of a source footer (``NEWSROOM_FOOTER``, a source's ``footer``).
FOOTER_FIELDS = frozenset({"source", "url", "author"})


def parse_footer(value: object) -> str:
    """A source footer: text whose only placeholders are ``{source}``, ``{url}``, ``{author}``."""
    if not isinstance(value, str) or not value.strip():
        raise NewsroomError(value, "text such as 'Source: {source} via {url}'")
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name}
    except ValueError:
        raise NewsroomError(value, "text with {source}, {url} or {author} placeholders") from None
    if names - FOOTER_FIELDS:
        raise NewsroomError(value, "placeholders {source}, {url} and {author} only")
    return value.strip()
