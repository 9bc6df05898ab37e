"""The sources file (``sources.yaml``): the feeds a republisher imports, and a rule set for each.

One entry per feed: where it is, and how its items come in: category, tag
mapping, include/exclude filters, limit, since, full text or summary,
published or waiting for review, footer, iframes, expiry.  ``defaults`` hold
rules every source shares; a source's own value wins.

The file is read with PyYAML's node API rather than ``safe_load``, so every
problem names the file, the line and the key, and *every* problem is listed
at once: a republisher fixing a typo at 6 a.m. should not run the command
five times.  Nothing is imported from a file with an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import NewsroomError, Problem, quote_value
from .standards import parse_footer
from .urls import parse_absolute_url

Status = Literal["published", "draft"]
ContentMode = Literal["full", "summary"]

_DURATION_RE = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)
_DURATION_UNITS = {"d": 1, "w": 7}
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Filter:
    """What an item must match: every criterion given (keywords any/all, categories, authors).

    Keywords are matched in the title and the text, case-insensitively, as
    whole words; categories and authors as the feed names them, case-insensitively.
    """

    any_words: tuple[str, ...] = ()
    all_words: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    def matches(self, text: str, categories: Iterable[str], authors: Iterable[str]) -> bool:
        words = set(re.findall(r"\w+", text.casefold()))
        if self.any_words and not any(_has(words, text, k) for k in self.any_words):
            return False
        if self.all_words and not all(_has(words, text, k) for k in self.all_words):
            return False
        if self.categories and not {c.casefold() for c in categories} & {
            c.casefold() for c in self.categories
        }:
            return False
        return not (
            self.authors
            and not {a.casefold() for a in authors} & {a.casefold() for a in self.authors}
        )


def _has(words: set[str], text: str, keyword: str) -> bool:
    """A one-word keyword is a whole word; a phrase is found as written (any case)."""
    folded = keyword.casefold()
    return folded in words if re.fullmatch(r"\w+", folded) else folded in text.casefold()


@dataclass(frozen=True)
class SourceRules:
    """One feed of the sources file, with the defaults applied."""

    name: str
    url: str
    category: str | None = None
    #: The feed's category or tag (case-folded) -> our tag; None drops it.
    tags: Mapping[str, str | None] = field(default_factory=dict)
    include: Filter | None = None
    exclude: Filter | None = None
    limit: int | None = None
    since: datetime | None = None
    content: ContentMode = "full"
    status: Status = "published"
    footer: str | None = None
    iframes: bool | None = None
    expire_after: timedelta | None = None
    #: Where the entry is (``sources.yaml:12``), for messages.
    where: str = ""


@dataclass(frozen=True)
class SourcesFile:
    path: Path
    sources: tuple[SourceRules, ...]

    def named(self, name: str) -> SourceRules:
        """The source called ``name`` (case-insensitive); KeyError lists the names there are."""
        for source in self.sources:
            if source.name.casefold() == name.casefold():
                return source
        names = ", ".join(repr(s.name) for s in self.sources) or "none"
        raise KeyError(f"no source named {name!r} in {self.path} (there are: {names})")


class SourcesFileError(Exception):
    """Every problem of a sources file; the message lists them, one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- values --------------------------------------------------------------------------------


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise NewsroomError(value, "text")
    return value.strip()


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise NewsroomError(value, "true or false")
    return value


def _positive(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NewsroomError(value, "a whole number of at least 1")
    return value


def _choice(*choices: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if not isinstance(value, str) or value not in choices:
            raise NewsroomError(value, " or ".join(choices))
        return value

    return parse


def _since(value: object) -> datetime:
    """A date (midnight) or a date and time, as YAML reads ``2020-03-01`` / ``2020-03-01 08:00``."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    raise NewsroomError(value, "a date such as 2020-03-01 (or 2020-03-01 08:00)")


def parse_duration(value: object) -> timedelta:
    """``30d`` or ``2w``: how long an imported article stays."""
    match = _DURATION_RE.match(value) if isinstance(value, str) else None
    if match is None or int(match[1]) < 1:
        raise NewsroomError(value, "a duration in days or weeks such as 30d or 2w")
    return timedelta(days=int(match[1]) * _DURATION_UNITS[match[2].lower()])


def _url(value: object) -> str:
    """An ``http(s)`` URL, or a file path (relative to the sources file)."""
    text = _text(value)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return parse_absolute_url(text)
    return text


def _tags(value: object) -> dict[str, str | None]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise NewsroomError(
            value, "a mapping of their category to our tag, e.g. {ferries: transport}"
        )
    mapped: dict[str, str | None] = {}
    for key, tag in value.items():
        if tag is not None and (not isinstance(tag, str) or not tag.strip()):
            raise NewsroomError(tag, f"our tag for {key!r} (text), or null to drop it")
        mapped[key.strip().casefold()] = tag.strip() if isinstance(tag, str) else None
    return mapped


_FILTER_KEYS = ("any", "all", "categories", "authors")
_FILTER_FIELDS = {"any": "any_words", "all": "all_words"}


def _filter(value: object) -> Filter:
    expected = (
        "a mapping of any/all (keywords), categories or authors to lists, e.g. {any: [ferry]}"
    )
    if not isinstance(value, dict) or not value or set(value) - set(_FILTER_KEYS):
        raise NewsroomError(value, expected)
    lists: dict[str, tuple[str, ...]] = {}
    for key, given in value.items():
        items = [given] if isinstance(given, str) else given
        if not isinstance(items, list) or not items:
            raise NewsroomError(value, expected)
        lists[_FILTER_FIELDS.get(key) or key] = tuple(_text(item) for item in items)
    return Filter(**lists)


#: Every rule a source (or ``defaults``) may give, and how its value is read.
RULES: dict[str, Callable[[object], Any]] = {
    "category": _text,
    "tags": _tags,
    "include": _filter,
    "exclude": _filter,
    "limit": _positive,
    "since": _since,
    "content": _choice("full", "summary"),
    "status": _choice("published", "draft"),
    "footer": parse_footer,
    "iframes": _bool,
    "expire_after": parse_duration,
}
_SOURCE_KEYS = ("name", "url", *RULES)


# --- the file --------------------------------------------------------------------------------


class _Reader:
    """Walks the YAML node tree, collecting problems with their line numbers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.constructor = _SAFE_LOADER("")

    def problem(self, node: yaml.Node | None, key: str, value: object, expected: str) -> None:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        shown = quote_value(value) if value is not None else ""
        self.problems.append(Problem(f"{self.path}{line}", key, shown, expected))

    def value(self, node: yaml.Node) -> object:
        return self.constructor.construct_object(node, deep=True)

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, what, None, "a mapping of keys to values")
            return {}
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                self.problem(key_node, what, key, "text keys")
            elif key in entries:
                self.problem(key_node, key, None, f"each key once in {what}")
            else:
                entries[key] = (key_node, value_node)
        return entries

    def rules(
        self, entries: Mapping[str, tuple[yaml.Node, yaml.Node]], allowed: Iterable[str]
    ) -> dict[str, Any]:
        allowed = tuple(allowed)
        values: dict[str, Any] = {}
        for key, (key_node, value_node) in entries.items():
            if key not in allowed:
                self.problem(key_node, key, None, f"one of the keys {', '.join(allowed)}")
                continue
            raw = self.value(value_node)
            parse = RULES.get(key, _url if key == "url" else _text)
            try:
                values[key] = parse(raw)
            except NewsroomError as error:
                self.problem(value_node, key, error.value, error.expected)
        return values


def sources_file_location(settings_file: str | None, name: str) -> Path:
    """Where ``NEWSROOM_SOURCES_FILE`` (``name``) is: beside the settings file, else here."""
    return (Path(settings_file).parent if settings_file else Path()) / name


def load_sources_file(path: Path) -> SourcesFile:
    """The sources file at ``path``, validated; :class:`SourcesFileError` lists every problem."""
    reader = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=_SAFE_LOADER)
    except OSError as error:
        raise SourcesFileError(
            [Problem(str(path), "file", "", f"a readable file ({error.strerror})")]
        ) from None
    except UnicodeDecodeError:
        raise SourcesFileError([Problem(str(path), "file", "", "UTF-8 text")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or "valid YAML"
        raise SourcesFileError([Problem(where, "YAML", "", f"valid YAML ({problem})")]) from None
    if root is None:
        raise SourcesFileError(
            [Problem(str(path), "sources", "", "a 'sources:' list (the file is empty)")]
        )
    top = reader.mapping(root, "the file")
    for key, (key_node, _value) in top.items():
        if key not in ("defaults", "sources"):
            reader.problem(key_node, key, None, "the keys defaults and sources")
    defaults = (
        reader.rules(reader.mapping(top["defaults"][1], "defaults"), RULES)
        if "defaults" in top
        else {}
    )
    sources = _sources(reader, top, defaults)
    if reader.problems:
        raise SourcesFileError(reader.problems)
    return SourcesFile(path=path, sources=tuple(sources))


def _sources(
    reader: _Reader, top: Mapping[str, tuple[yaml.Node, yaml.Node]], defaults: Mapping[str, Any]
) -> list[SourceRules]:
    if "sources" not in top:
        reader.problem(None, "sources", None, "a 'sources:' list of feeds")
        return []
    node = top["sources"][1]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.problem(node, "sources", None, "a list of feeds, each with a name and a url")
        return []
    sources: list[SourceRules] = []
    seen: dict[str, str] = {}
    for item in node.value:
        where = f"{reader.path}:{item.start_mark.line + 1}"
        entries = reader.mapping(item, "a source")
        values = reader.rules(entries, _SOURCE_KEYS)
        for key in ("name", "url"):
            if key not in entries and isinstance(item, yaml.MappingNode):
                reader.problem(item, key, None, f"a {key} for every source")
        name = values.get("name")
        if name is not None and name.casefold() in seen:
            other = seen[name.casefold()]
            reader.problem(item, "name", name, f"a name no other source has ({other} has it)")
            continue
        if name is not None:
            seen[name.casefold()] = where
        if name is None or "url" not in values:
            continue
        url = values["url"]
        if "://" not in url and not Path(url).is_absolute():
            url = os.path.abspath(reader.path.parent / url)  # the same feed from any folder
        sources.append(SourceRules(**{**defaults, **values, "url": url, "where": where}))
    return sources
