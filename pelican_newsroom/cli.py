"""``pelican-newsroom``: the command line (``check`` content; ``import`` feeds; ``ping`` hubs).

:func:`main` returns an exit status instead of calling ``sys.exit`` so tests
can call it.  Only :class:`CliError` (and the settings errors it wraps) are
turned into a message and status 2; anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pelican import DEFAULT_CONFIG_NAME
from pelican.generators import Generator
from pelican.readers import Readers
from pelican.settings import read_settings

from . import __version__, importer, websub
from .compat import load_plugins
from .dates import parse_timestamp
from .errors import NewsroomError, Problem, Report, display_path
from .import_report import Reporter
from .import_state import StateError
from .ingest import FeedError
from .model import build_newsroom
from .neighbours import dropped_problem, foreign_readers, take_over_instances
from .reader import NewsroomMarkdownReader, NewsroomRstReader, missing_date_problem
from .settings import NewsroomSettings, NewsroomSettingsError, merged

EXIT_OK = 0  #: no errors (warnings allowed)
EXIT_PROBLEMS = 1  #: content errors found (check), or some items failed (import)
EXIT_USAGE = 2  #: bad arguments, unreadable settings, missing folder

#: Where ``check`` looks for content when neither ``CONTENT_DIR`` nor ``PATH`` says.
DEFAULT_CONTENT = "content"

MARKDOWN_EXTENSIONS = frozenset(NewsroomMarkdownReader.file_extensions)
RST_EXTENSIONS = frozenset(NewsroomRstReader.file_extensions)


class CliError(Exception):
    """A problem with the command line itself: printed without a traceback, exit status 2."""


def load_settings(path: str | None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican's own settings loading, so ``TIMEZONE``, ``PATH`` and ``NEWSROOM_*`` mean the same."""
    if path and not Path(path).is_file():
        raise CliError(f"settings file not found: {path}")
    try:
        settings: dict[str, Any] = read_settings(path, override=overrides or {})
    except Exception as error:  # a settings file is user code; report, don't trace
        raise CliError(f"cannot read settings {path}: {error}") from error
    return settings


def content_files(settings: dict[str, Any]) -> Iterator[tuple[Path, bool]]:
    """``(path, is_article)`` for every Markdown/rST file the build reads, in path order.

    The files are found by Pelican's own ``Generator.get_files``, as its article and
    page generators call it: ``ARTICLE_PATHS``/``PAGE_PATHS`` under ``PATH``, minus
    ``ARTICLE_EXCLUDES``/``PAGE_EXCLUDES`` (each kind excludes the other's paths) and
    whatever an ``IGNORE_FILES`` glob matches, files or folders.  A Markdown file under
    ``STATIC_PATHS`` is an article to Pelican too, so it is checked.
    """
    finder = Generator(
        context={},
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=settings["OUTPUT_PATH"],
    )
    ours = (MARKDOWN_EXTENSIONS | RST_EXTENSIONS) & set(finder.readers.extensions)
    found: dict[str, bool] = {}
    for kind, is_article in (("PAGE", False), ("ARTICLE", True)):
        files = finder.get_files(
            settings[f"{kind}_PATHS"], exclude=settings[f"{kind}_EXCLUDES"], extensions=ours
        )
        found.update(dict.fromkeys(map(os.path.normpath, files), is_article))
    for relative in sorted(found):
        yield Path(settings["PATH"], relative), found[relative]


class HeaderReaders:
    """One reader per format for the whole check, reading headers only (not Markdown bodies).

    A format the build would read with another plugin's reader (see
    :mod:`~pelican_newsroom.neighbours`) is read with that reader, whole, so that
    a file the build would leave out is reported here too.
    """

    def __init__(self, settings: dict[str, Any]) -> None:
        self.markdown = NewsroomMarkdownReader(settings)
        self.rst = NewsroomRstReader(settings)
        self.foreign = foreign_readers(build_readers(settings))

    def metadata(self, path: Path) -> dict[str, Any] | Problem:
        """The file's metadata, or the problem of a file the build would leave out."""
        ext = path.suffix.lstrip(".")
        foreign = self.foreign.get(ext)
        if foreign is not None:
            try:
                metadata: dict[str, Any] = foreign.read(str(path))[1]
            except Exception:  # any reader error: the build leaves the file out
                return dropped_problem(str(path), foreign)
            return metadata if metadata.get("title") else dropped_problem(str(path), foreign)
        reader = self.markdown if ext in MARKDOWN_EXTENSIONS else self.rst
        return reader.read_metadata(str(path))


def build_readers(settings: dict[str, Any]) -> Readers:
    """Pelican's readers as a build makes them: plugins registered, ``READERS``, our take-over."""
    for plugin in load_plugins(settings):
        try:
            plugin.register()
        except Exception as error:  # Pelican logs and goes on; so does check
            print(f"cannot register plugin {plugin}: {error}", file=sys.stderr)
    readers = Readers(settings)
    take_over_instances(readers)
    return readers


def check_file(
    path: Path, is_article: bool, readers: HeaderReaders, model_settings: NewsroomSettings
) -> list[Problem]:
    """The problems a build would report for this file."""
    metadata = readers.metadata(path)
    if isinstance(metadata, Problem):
        return [metadata]
    file = display_path(str(path))
    extra = [missing_date_problem(metadata, file)] if is_article and "date" not in metadata else []
    return list(build_newsroom(metadata, file, model_settings, [p for p in extra if p]).problems)


def check_settings(settings_file: str | None, content: str | None) -> dict[str, Any]:
    """The settings ``pelican`` would build with: ``-s``, else ``./pelicanconf.py`` if present.

    The content folder is ``CONTENT_DIR`` when given, else the settings' ``PATH``, else
    ``content`` (Pelican's default ``PATH``, the current folder, would take a project's
    README for an article).
    """
    if content and not Path(content).is_dir():
        raise CliError(f"content folder not found: {content}")
    if settings_file is None and Path(DEFAULT_CONFIG_NAME).is_file():
        settings_file = DEFAULT_CONFIG_NAME
    overrides = {"PATH": os.path.abspath(content)} if content else {}
    settings = load_settings(settings_file, overrides)
    if settings["PATH"] == os.curdir:  # not set (read_settings makes a set PATH absolute)
        if not Path(DEFAULT_CONTENT).is_dir():
            raise CliError(
                f"content folder not found: {DEFAULT_CONTENT} (give CONTENT_DIR, or PATH in "
                f"{settings_file or DEFAULT_CONFIG_NAME})"
            )
        settings["PATH"] = os.path.abspath(DEFAULT_CONTENT)
    return settings


def run_check(args: argparse.Namespace) -> int:
    settings = check_settings(args.settings, args.content)
    model_settings = NewsroomSettings.from_pelican(settings)
    report = Report(strict=model_settings.strict)
    files = 0
    readers = HeaderReaders(settings)
    for path, is_article in content_files(settings):
        files += 1
        report.extend(check_file(path, is_article, readers, model_settings))
    print_report(report, files, args.format)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def print_report(report: Report, files: int, fmt: str) -> None:
    problems = list(report)
    if fmt == "json":
        payload = {"ok": report.ok, "files": files, "problems": [p.to_dict() for p in problems]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for problem in problems:
        print(f"{problem} [{problem.severity}]")
    errors = len(report.errors)
    warnings = len(problems) - errors
    print(f"{files} files checked: {errors} error(s), {warnings} warning(s)")


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, got {value!r}")
    return int(value)


@contextlib.contextmanager
def _quiet_pelican_settings(quiet: bool) -> Iterator[None]:
    """Pelican's own warnings about missing settings ("Feeds generated without SITEURL…",
    "No timezone information…") speak of building feeds; ``import`` says once, in its own
    words, what a missing ``-s`` costs it."""
    logger = logging.getLogger("pelican.settings")
    level = logger.level
    if quiet:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def import_options(args: argparse.Namespace) -> importer.ImportOptions:
    """The run's options: the command line first, then the settings (``-s``), then defaults."""
    with _quiet_pelican_settings(not args.settings):
        settings = load_settings(args.settings)
    values = merged(settings)
    model = NewsroomSettings.from_pelican(settings)
    content = Path(settings["PATH"]) if args.settings else Path("content")
    since = None
    if args.since:
        try:
            since = parse_timestamp(args.since, model.timezone, model.date_order)
        except NewsroomError as error:
            raise CliError(f"--since {args.since!r}: {error.expected}") from None
    return importer.ImportOptions(
        output=Path(args.output) if args.output else content / values["NEWSROOM_IMPORT_PATH"],
        article_format=args.format,
        siteurl=model.siteurl,
        timezone=model.timezone,
        max_hops=model.max_hops,
        category=args.category,
        limit=args.limit,
        since=since,
        dry_run=args.dry_run,
        allow_iframes=values["NEWSROOM_IMPORT_IFRAMES"],
        timeout=float(values["NEWSROOM_IMPORT_TIMEOUT"]),
        max_bytes=values["NEWSROOM_IMPORT_MAX_BYTES"],
        max_body=values["NEWSROOM_IMPORT_MAX_BODY"],
        content=content,
    )


def run_import(args: argparse.Namespace) -> int:
    options = import_options(args)
    try:
        opml = importer.read_opml(args.opml) if args.opml else []
    except FeedError as error:
        raise CliError(f"--opml {args.opml}: {error}") from None
    if not args.sources and not opml:
        raise CliError("give at least one SOURCE (a feed file or http(s) URL) or --opml FILE")
    reporter = Reporter(options, json_output=args.output_format == "json")
    if not options.siteurl and not reporter.json_output:
        print(
            "note: no SITEURL (give -s pelicanconf.py): syndication loops cannot be detected, "
            "and dates without a zone are read as UTC",
            file=sys.stderr,
        )
    try:
        with reporter.running(len(args.sources) + len(opml)):
            results = importer.run_import(args.sources, options, opml, reporter.source_done)
    except StateError as error:
        raise CliError(str(error)) from None
    reporter.finish(results)
    return EXIT_OK if all(result.ok for result in results) else EXIT_PROBLEMS


def add_import_parser(commands: Any) -> None:
    """``import SOURCE… [-s SETTINGS] [--output DIR] [--opml FILE] [--limit N] [--since DATE] …``."""
    command = commands.add_parser(
        "import",
        help="turn other sites' feeds into credited articles",
        description="Import RSS, Atom and JSON Feed items (files or http(s) URLs) as articles "
        "whose via chain is the item's chain plus the feed itself. Re-running is safe: "
        "nothing is duplicated and locally edited files are never overwritten. Exit status "
        "1 when a source or an item failed (the good items are still written).",
    )
    command.add_argument("sources", nargs="*", metavar="SOURCE", help="feed file or http(s) URL")
    command.add_argument(
        "-s", "--settings", metavar="SETTINGS", help="Pelican settings (SITEURL, TIMEZONE, PATH)"
    )
    command.add_argument(
        "--output", metavar="DIR", help="where articles go (default: PATH/NEWSROOM_IMPORT_PATH)"
    )
    command.add_argument("--opml", metavar="FILE", help="also import every feed of this OPML list")
    command.add_argument(
        "--limit", type=_positive, metavar="N", help="at most N items per feed (its first N)"
    )
    command.add_argument(
        "--since", metavar="DATE", help="skip items published before DATE (e.g. 2020-03-23)"
    )
    command.add_argument("--dry-run", action="store_true", help="report changes, write nothing")
    command.add_argument("--category", metavar="NAME", help="category of the imported articles")
    command.add_argument(
        "--format",
        choices=("yaml", "md"),
        default="yaml",
        help="article header: YAML front matter (default; keeps each hop's feed, author, date) "
        "or a Markdown 'Key: value' header (hops as 'Name <URL>' only)",
    )
    command.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="report format (default: text; json for scripts)",
    )
    command.set_defaults(run=run_import)


def run_ping(args: argparse.Namespace) -> int:
    """Notify every ``NEWSROOM_WEBSUB_HUBS`` hub of every feed file the build wrote."""
    settings = load_settings(args.settings)
    values = {**settings, **merged(settings)}  # the plugin's defaults, validated
    hubs = values["NEWSROOM_WEBSUB_HUBS"]
    if not hubs:
        raise CliError("no hubs to ping: NEWSROOM_WEBSUB_HUBS is empty (give -s SETTINGS)")
    base = str(values.get("FEED_DOMAIN") or values.get("SITEURL") or "")
    if not base.startswith(("http://", "https://")):
        raise CliError(
            f"feed URLs must be absolute: SITEURL (or FEED_DOMAIN) is {base!r}; "
            "give the settings you publish with (-s publishconf.py)"
        )
    feeds = websub.feed_files(values)
    if not feeds:
        raise CliError(f"no feed files under {values.get('OUTPUT_PATH')}: build the site first")
    failures = websub.ping_hubs(hubs, feeds, args.timeout)
    for failure in failures:
        print(f"pelican-newsroom ping: {failure}", file=sys.stderr)
    print(f"{len(feeds)} feed(s), {len(hubs)} hub(s): {len(hubs) - len(failures)} hub(s) notified")
    return EXIT_PROBLEMS if failures else EXIT_OK


def add_ping_parser(commands: Any) -> None:
    """``ping [-s SETTINGS] [--timeout SECONDS]``."""
    command = commands.add_parser(
        "ping",
        help="tell the WebSub hubs that the feeds changed (after publishing)",
        description="POST hub.mode=publish&hub.url=FEED_URL to every NEWSROOM_WEBSUB_HUBS hub, "
        "once per feed file the build wrote under OUTPUT_PATH. Exit status 1 when a hub "
        "did not answer 2xx (named, with its HTTP status), 2 on a usage or settings error.",
    )
    command.add_argument(
        "-s", "--settings", metavar="SETTINGS", help="Pelican settings (e.g. publishconf.py)"
    )
    command.add_argument(
        "--timeout",
        type=_positive,
        default=20,
        metavar="SECONDS",
        help="seconds allowed per request (default: 20)",
    )
    command.set_defaults(run=run_ping)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pelican-newsroom",
        description="News metadata tools for Pelican sites: lint content, import feeds, ping hubs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="validate every article's news metadata without building",
        description="Validate every article's metadata (dates, via chain, image, URLs) as the "
        "build would, without building. Exit status 0 only when there is no error.",
    )
    check.add_argument(
        "content",
        nargs="?",
        metavar="CONTENT_DIR",
        help="content folder (default: the settings' PATH, else ./content)",
    )
    check.add_argument(
        "-s",
        "--settings",
        metavar="SETTINGS",
        help="Pelican settings file (default: ./pelicanconf.py when present, as for pelican)",
    )
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    check.set_defaults(run=run_check)
    add_import_parser(commands)
    add_ping_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except (CliError, NewsroomSettingsError) as error:
        print(f"pelican-newsroom {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    return status


if __name__ == "__main__":  # pragma: no cover - python -m pelican_newsroom.cli
    sys.exit(main())
