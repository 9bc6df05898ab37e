"""Readers that own ``date``/``modified`` and understand YAML front matter.

Pelican parses ``date`` with dateutil inside the reader and drops the whole
article when that fails.  These subclasses of Pelican's Markdown and rST
readers parse timestamps with :func:`~pelican_newsroom.dates.parse_timestamp`
instead, and a bad value becomes a problem stored in the metadata (so it
survives Pelican's reader cache) rather than an exception.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from markdown import Markdown
from markdown.extensions.meta import META_MORE_RE, META_RE, MetaPreprocessor
from markdown.util import ETX, STX
from pelican.readers import MarkdownReader, RstReader

from .compat import DISCARD, parse_markdown_metadata
from .dates import DateOrder, parse_timestamp
from .errors import NewsroomError, Problem, display_path
from .sanitize import IMPORT_ID_KEY, neutralize_placeholders
from .settings import NewsroomSettings
from .text import first_illegal, strip_illegal_html, strip_xml_illegal, strip_xml_illegal_nested

DATE_KEYS = ("date", "modified")
#: Metadata key under which the reader leaves the problems it found (dates, YAML) for the model.
READER_PROBLEMS_KEY = "newsroom_problems"
#: Where ``markdown.extensions.meta`` registers its preprocessor (its documented priority).
_META_PRIORITY = 27
#: Pelican keys whose processors expect text (or a list of text) rather than YAML's types.
_PELICAN_TEXT_KEYS = (
    "title",
    "slug",
    "category",
    "author",
    "authors",
    "tags",
    "status",
    "lang",
    "summary",
)


#: PyYAML's safe loader, in C (libyaml) when PyYAML was built with it: ~10x faster, same results.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ALIAS_REFUSED = "aliases (*name) are not allowed in front matter"


class YAMLAliasError(yaml.MarkedYAMLError):
    """Front matter that uses an alias (``*name``); its mark is where the alias is."""


def load_yaml(text: str) -> object:
    """``yaml.safe_load``, with libyaml when available, refusing aliases; raises ``yaml.YAMLError``.

    Aliases let a few hundred bytes stand for millions of strings (nested
    ``&a``/``*a`` lists, a "billion laughs"): loading is quick, as the lists
    are shared, but every use of the value (Pelican's tags, our checks) walks
    them all.  Front matter never needs them, so they are refused here, the one
    place the reader, ``check`` and the importer's read-back load YAML.  An
    alias always starts with ``*``: text without one (nearly all front matter)
    is loaded in one pass; otherwise libyaml's parser events are scanned first.
    """
    if "*" in text:
        for event in yaml.parse(text, Loader=_SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                # libyaml's Mark: not PyYAML's class, but the same name/line/column
                mark = event.start_mark
                raise YAMLAliasError(problem=ALIAS_REFUSED, problem_mark=mark)  # type: ignore[arg-type]
    return yaml.load(text, Loader=_SAFE_LOADER)


def split_front_matter(text: str) -> tuple[str, str] | None:
    """``(yaml, body)`` when ``text`` opens with a ``---`` … ``---`` (or ``...``) block."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in {"---", "..."}:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    return None


#: How a value that only YAML understands starts: flow collections, quotes, block scalars,
#: anchors, aliases, tags.
_YAML_ONLY_STARTS = ("[", "{", '"', "'", "|", ">", "&", "*", "!")


def is_pelican_header(header: str) -> bool:
    """Whether a ``---`` block is read as plain Pelican reads it, rather than as YAML.

    Python-Markdown's ``meta`` extension accepts ``---`` fences around its
    ``Key: value`` lines, so a plain Pelican blog may open its files with one;
    installing the plugin must not change how those are read (a colon in a title
    is not YAML's error, ``Yes`` is not ``True``, a continuation line is not
    folded).  So a block made only of ``Key: value`` lines and 4-space
    continuations is Pelican's, unless it uses what only YAML has: a key
    without a value (then nested lines), or a value that opens a flow list or
    mapping, a quote, a block scalar, an anchor, an alias or a tag.  Such a
    block is YAML, and its YAML errors are reported.
    """
    lines = header.splitlines()
    if not lines or not META_RE.match(lines[0]):
        return False
    if not all(META_RE.match(line) or META_MORE_RE.match(line) for line in lines):
        return False
    values = [match["value"] for match in map(META_RE.match, lines) if match]
    return all(value and not value.startswith(_YAML_ONLY_STARTS) for value in values)


def yaml_front_matter(text: str) -> tuple[str, str] | None:
    """``(yaml, body)`` of YAML front matter; None for a Pelican header, fenced or not."""
    front = split_front_matter(text)
    return None if front is None or is_pelican_header(front[0]) else front


class NewsroomReaderMixin:
    """Date handling shared by the Markdown and rST readers."""

    settings: dict[str, Any]
    _newsroom_file: str | None = None
    _newsroom_problems: list[Problem]
    #: ``date``/``modified`` as read, for :meth:`_apply_article_timezone`.
    _raw_dates: dict[str, Any]
    #: ``(TIMEZONE, NEWSROOM_DATE_ORDER)``, read from the settings on the first date.
    _date_settings: tuple[tzinfo, DateOrder] | None = None

    def _start(self, source_path: str) -> None:
        self._newsroom_file = display_path(source_path)
        self._newsroom_problems = []
        self._raw_dates = {}

    def _finish(self, content: str, metadata: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        content = self._strip_illegal(content)
        self._strip_illegal_late(metadata)
        self._apply_article_timezone(metadata)
        if metadata.get(IMPORT_ID_KEY):
            # Another site's text: Pelican must never resolve {attach}/{static}/… in it, even
            # in a file an older importer wrote or one edited by hand.
            content = neutralize_placeholders(content)
        broken_header = any(p.field == "front matter" for p in self._newsroom_problems)
        if not metadata.get("title"):  # Pelican would skip the file: name it after the file
            title = os.path.splitext(os.path.basename(self._newsroom_file or ""))[0]
            metadata["title"] = strip_xml_illegal(title.replace("-", " ").replace("_", " "))
            if not broken_header:
                self.add_problem(
                    "title",
                    NewsroomError("", f"a title; missing, published as '{metadata['title']}'"),
                )
        if self._newsroom_problems:
            metadata[READER_PROBLEMS_KEY] = tuple(self._newsroom_problems)
        self._newsroom_file = None
        return content, metadata

    def _apply_article_timezone(self, metadata: dict[str, Any]) -> None:
        """Read times without a zone in the article's own ``timezone``, as Pelican does.

        Pelican puts a naive ``date`` in the article's ``timezone`` metadata when
        it has one, else in ``TIMEZONE``; the dates were parsed before every key
        was known, so they are parsed again in that zone (an offset in the value still wins).
        """
        name = metadata.get("timezone")
        if not isinstance(name, str) or not self._raw_dates or self._date_settings is None:
            return
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return  # Pelican itself refuses the name, when it builds the article
        order = self._date_settings[1]
        for key, raw in self._raw_dates.items():
            if isinstance(metadata.get(key), datetime):
                try:
                    metadata[key] = parse_timestamp(raw, zone, order)
                except NewsroomError as error:
                    self.add_problem(key, error)
                    del metadata[key]

    def _strip_illegal(self, content: str) -> str:
        """The body without characters pages and feeds forbid, written out or as ``&#…;``.

        Metadata is cleaned as it is read, in :meth:`process_metadata`.
        """
        cleaned = strip_illegal_html(content) if content else content
        if cleaned != content:
            self._illegal_removed("body", first_illegal(content))
        return cleaned

    def _strip_illegal_late(self, metadata: dict[str, Any]) -> None:
        """The HTML fields once more: references such as ``&#xFFFE;`` are as invalid there
        as the character itself, and Pelican's rST reader sets ``title`` from the document
        title without :meth:`process_metadata`. Every other value was cleaned there."""
        html_keys = {"title", *(key.lower() for key in self.settings["FORMATTED_FIELDS"])}
        for key in html_keys & metadata.keys():
            value = metadata[key]
            if isinstance(value, str) and (cleaned := strip_illegal_html(value)) != value:
                metadata[key] = cleaned
                self._illegal_removed(key, value)

    def _illegal_removed(self, field: str, value: str) -> None:
        self.add_problem(
            field, NewsroomError(value, "text without control characters (removed)", "warning")
        )

    def add_problem(self, field: str, error: NewsroomError) -> None:
        self._newsroom_problems.append(Problem.from_error(self._newsroom_file or "?", field, error))

    def process_metadata(self, name: str, value: Any) -> Any:
        """Pelican's processing, after removing XML-illegal characters at any depth.

        Every metadata value of every format passes here as read (text, or YAML
        lists and mappings), before Pelican turns tags and authors into objects.
        Values Pelican adds from settings or file names pass here too, outside
        :meth:`read`; they are cleaned without a problem (there is no file to name).
        """
        value, removed_from = strip_xml_illegal_nested(value)
        if removed_from is not None and self._newsroom_file is not None:
            self._illegal_removed(name, removed_from)
        if name not in DATE_KEYS:
            return super().process_metadata(name, value)  # type: ignore[misc]
        if (
            self._date_settings is None
        ):  # once per reader: validating every setting per date is slow
            ours = NewsroomSettings.of(self.settings)
            self._date_settings = (ours.timezone, ours.date_order)
        if self._newsroom_file is not None:
            self._raw_dates[name] = value
        try:
            return parse_timestamp(value, *self._date_settings)
        except NewsroomError as error:
            if self._newsroom_file is None:  # a date from the file name: not ours to judge
                raise ValueError(str(error)) from None
            self.add_problem(name, error)
            return DISCARD


class NewsroomRstReader(NewsroomReaderMixin, RstReader):  # type: ignore[misc]
    """Pelican's rST reader with newsroom dates."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        self._start(source_path)
        content, metadata = super().read(source_path)
        return self._finish(content, metadata)

    def read_metadata(self, source_path: str) -> dict[str, Any]:
        """The metadata only; rST fields belong to the document, so docutils reads it whole."""
        return self.read(source_path)[1]


class NewsroomMarkdownReader(NewsroomReaderMixin, MarkdownReader):  # type: ignore[misc]
    """Pelican's Markdown reader, plus YAML front matter and newsroom dates."""

    _header_md: Markdown | None = None

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        self._start(source_path)
        text = self._read_text(source_path)
        front = yaml_front_matter(text)
        if front is None:
            md = Markdown(**self.settings["MARKDOWN"])
            content = md.convert(text)
            metadata = parse_markdown_metadata(self, md, source_path, getattr(md, "Meta", {}))
        else:
            content = self._markdown().convert(front[1])
            metadata = self._yaml_metadata(self._yaml_data(front[0]))
        return self._finish(content, metadata)

    def read_metadata(self, source_path: str) -> dict[str, Any]:
        """The metadata :meth:`read` gives, without converting the body: ``check``'s fast path.

        Only the header is parsed: the YAML front matter, or the ``Key: value``
        block up to the first blank line, run through the same Markdown
        preprocessors (whitespace normalization, then ``meta``) as in
        :meth:`read`.  The body is only searched for XML-illegal characters,
        so the same warnings come out.
        """
        self._start(source_path)
        text = self._read_text(source_path)
        front = yaml_front_matter(text)
        if front is None:
            md = self._header_markdown()
            raw, body = markdown_header_meta(text, md)
            metadata = parse_markdown_metadata(self, md, source_path, raw)
        else:
            body = front[1]
            metadata = self._yaml_metadata(self._yaml_data(front[0]))
        return self._finish(body.replace(STX, "").replace(ETX, ""), metadata)[1]

    def _header_markdown(self) -> Markdown:
        """One converter per reader for headers: making one costs more than reading a header.

        Pelican's ``_parse_metadata`` deregisters ``meta`` from the converter
        it is given (so that formatted fields are not read as metadata); it is
        registered again here, at the meta extension's documented priority.
        """
        md = self._header_md
        if md is None:
            md = self._header_md = Markdown(**self.settings["MARKDOWN"])
        elif "meta" not in md.preprocessors:
            md.preprocessors.register(MetaPreprocessor(md), "meta", _META_PRIORITY)
        md.reset()
        return md

    def _read_text(self, source_path: str) -> str:
        with open(source_path, "rb") as handle:
            raw = handle.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.add_problem(
                "file",
                NewsroomError(
                    raw[error.start : error.start + 8],
                    f"UTF-8 text; byte {error.start} is not (replaced)",
                ),
            )
            return raw.decode("utf-8-sig", errors="replace")

    def _markdown(self) -> Markdown:
        """A Markdown converter that will not eat ``Key: value`` lines of the body as metadata."""
        md = Markdown(**self.settings["MARKDOWN"])
        if "meta" in md.preprocessors:
            md.preprocessors.deregister("meta")
        return md

    def _yaml_data(self, header: str) -> Mapping[Any, Any]:
        """The front matter as a mapping; a problem (and no keys) when it is not one."""
        try:
            data = load_yaml(header)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 2}, column {mark.column + 1})" if mark else ""
            problem = getattr(error, "problem", None) or "invalid YAML"
            self.add_problem(
                "front matter", NewsroomError(header.strip()[:80], f"valid YAML{where}: {problem}")
            )
            data = {}
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            self.add_problem(
                "front matter", NewsroomError(data, "a YAML mapping of keys to values")
            )
            data = {}
        return data

    def _yaml_metadata(self, data: Mapping[Any, Any]) -> dict[str, Any]:
        formatted = self.settings["FORMATTED_FIELDS"]
        output: dict[str, Any] = {}
        for raw_key, raw_value in data.items():
            key = str(raw_key).lower()
            if raw_value is None:
                continue
            value = raw_value
            if key in formatted:
                value = self._markdown().convert(_as_text(raw_value))
            elif key in _PELICAN_TEXT_KEYS:
                value = (
                    [str(v) for v in raw_value]
                    if isinstance(raw_value, list)
                    else _as_text(raw_value)
                )
            if key == "author" and isinstance(value, list):
                key = "authors"
            output[key] = self.process_metadata(key, value)
        return output


def markdown_header_meta(text: str, md: Markdown) -> tuple[dict[str, list[str]], str]:
    """``(Meta, body)``: a Markdown file's ``Key: value`` header exactly as ``md.convert`` reads it.

    The header lines go through ``md``'s preprocessors in priority order (whitespace
    normalization, then ``meta``), so the build, ``check`` and the importer (which reads
    its own files back with this) agree on what is a key and where a value ends.
    """
    header, body = _markdown_header(text)
    for preprocessor in md.preprocessors:
        header = preprocessor.run(header)
        if preprocessor is md.preprocessors["meta"]:
            break
    meta: dict[str, list[str]] = getattr(md, "Meta", {})
    return meta, body


def _markdown_header(text: str) -> tuple[list[str], str]:
    """``(header lines, body)`` of a Markdown file: the header ends at the first blank line.

    The ``meta`` preprocessor stops at the first blank line (after line ends
    and whitespace-only lines are normalized), so nothing after it can be
    metadata; cutting there never cuts earlier than ``Markdown.convert`` would.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            return lines[:index], "\n".join(lines[index + 1 :])
    return lines, ""


def _as_text(value: object) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def missing_date_problem(metadata: Mapping[str, Any], file: str) -> Problem | None:
    """The problem of an article without a usable date, unless the reader already reported a bad one."""
    if any(p.field in {"date", "front matter"} for p in metadata.get(READER_PROBLEMS_KEY, ())):
        return None
    return Problem(file, "date", "", "a date; missing, published with the file's modification time")


def give_fallback_date(content: Any, file: str) -> Problem | None:
    """Date an article that has no usable date with its file's modification time.

    Pelican skips articles without a date; this plugin never drops one.  In a
    strict build the problem is an error, so nothing is published with this
    date unless the user chose non-strict mode.
    """
    moment = datetime.fromtimestamp(os.stat(content.source_path).st_mtime, tz=UTC)
    content.date = content.metadata["date"] = moment
    content.locale_date = moment.strftime(content.date_format)
    return missing_date_problem(content.metadata, file)


@functools.cache
def _header_only_markdown() -> Markdown:
    """The converter :func:`header_values` reuses: making one costs more than reading a header."""
    return Markdown(extensions=["meta"])


def header_values(text: str) -> dict[str, str]:
    """The one-line scalar values of a Markdown file's header, keys lowercased.

    YAML front matter or ``Key: value`` lines, told apart and parsed by this
    module's functions, as the build reads them: the importer reads the files it
    wrote (and the site's other files, for their slugs) back with this, so an
    injected line means the same to it as to Pelican. Front matter that is not a
    YAML mapping gives no keys.
    """
    front = yaml_front_matter(text)
    if front is not None:
        try:
            data = load_yaml(front[0])
        except yaml.YAMLError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k).lower(): str(v) for k, v in data.items() if isinstance(v, str | int | float)}
    md = _header_only_markdown()
    md.reset()
    meta, _body = markdown_header_meta(text, md)
    return {key: "\n".join(lines).strip() for key, lines in meta.items() if len(lines) == 1}
