"""``pelican-newsroom``: the command line (``check`` content; ``import`` feeds; ``ping`` hubs).

:func:`main` returns an exit status instead of calling ``sys.exit`` so tests
can call it.  Only usage errors (:class:`CliError`, a settings file or setting
that cannot be read, a missing content folder) are turned into a message and
status 2; anything else is a bug and keeps its traceback.  The work is done by
library modules: :mod:`~pelican_newsroom.check`, :mod:`~pelican_newsroom.importer`,
:mod:`~pelican_newsroom.websub`; this module parses arguments and prints.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from . import __version__, check, desk, importer, websub
from .dates import parse_timestamp
from .errors import NewsroomError, Report
from .import_index import ArticleIndex, Imported
from .import_report import Reporter
from .import_state import STATE_FILE, ImportState, StateError
from .opml import as_sources_file, opml_feeds, read_opml
from .settings import (
    NewsroomSettings,
    NewsroomSettingsError,
    SettingsFileError,
    load_pelican_settings,
)
from .sources_file import (
    SourceRules,
    SourcesFile,
    SourcesFileError,
    load_sources_file,
    sources_file_location,
)
from .upstream import FeedError

EXIT_OK = 0  #: no errors (warnings allowed)
EXIT_PROBLEMS = 1  #: content errors found (check), or some items failed (import)
EXIT_USAGE = 2  #: bad arguments, unreadable settings, missing folder


class CliError(Exception):
    """A problem with the command line itself: printed without a traceback, exit status 2."""


def run_check(args: argparse.Namespace) -> int:
    settings = check.check_settings(args.settings, args.content)
    report, files = check.check_content(settings)
    report.extend(check.sources_file_problems(args.settings, settings))
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


def _site(args: argparse.Namespace) -> tuple[NewsroomSettings, Path, Path]:
    """The settings (``-s``), the content folder, and the import folder (``--output``)."""
    with _quiet_pelican_settings(not args.settings):
        settings = load_pelican_settings(args.settings)
    newsroom = NewsroomSettings.of(settings)
    content = Path(settings["PATH"]) if args.settings else Path("content")
    output = Path(args.output) if args.output else content / newsroom.import_path
    return newsroom, content, output


def sources_file_path(args: argparse.Namespace, newsroom: NewsroomSettings) -> Path:
    """``--sources-file``, else ``NEWSROOM_SOURCES_FILE`` beside the settings file."""
    if args.sources_file:
        return Path(args.sources_file)
    return sources_file_location(args.settings, newsroom.sources_file)


def _load_sources(path: Path) -> SourcesFile:
    try:
        return load_sources_file(path)
    except SourcesFileError as error:
        raise CliError(f"nothing imported; fix the sources file:\n{error}") from None


def chosen_sources(args: argparse.Namespace, newsroom: NewsroomSettings) -> list[SourceRules]:
    """The sources-file entries this run imports: all of them, or ``--source NAME``."""
    sources = _load_sources(sources_file_path(args, newsroom))
    if not args.source:
        return list(sources.sources)
    try:
        return [sources.named(name) for name in args.source]
    except KeyError as error:
        raise CliError(str(error.args[0])) from None


def import_options(
    args: argparse.Namespace, newsroom: NewsroomSettings, content: Path, output: Path
) -> importer.ImportOptions:
    """The run's options: the command line first, then the settings (``-s``), then defaults."""
    since = None
    if args.since:
        try:
            since = parse_timestamp(args.since, newsroom.timezone, newsroom.date_order)
        except NewsroomError as error:
            raise CliError(f"--since {args.since!r}: {error.expected}") from None
    return importer.ImportOptions(
        output=output,
        article_format=args.format,
        siteurl=newsroom.siteurl,
        timezone=newsroom.timezone,
        max_hops=newsroom.max_hops,
        category=args.category,
        limit=args.limit,
        since=since,
        dry_run=args.dry_run,
        allow_iframes=newsroom.import_iframes,
        timeout=newsroom.import_timeout,
        max_bytes=newsroom.import_max_bytes,
        max_body=newsroom.import_max_body,
        content=content,
        reimport=args.reimport,
    )


def run_import(args: argparse.Namespace) -> int:
    newsroom, content, output = _site(args)
    options = import_options(args, newsroom, content, output)
    if args.forget:
        return forget(args, newsroom, options)
    try:
        opml = read_opml(args.opml) if args.opml else []
    except FeedError as error:
        raise CliError(f"--opml {args.opml}: {error}") from None
    sources: list[str | SourceRules] = list(args.sources)
    if args.source or (not sources and not opml):
        sources += chosen_sources(args, newsroom)
    reporter = Reporter(options, json_output=args.output_format == "json")
    if not options.siteurl and not reporter.json_output:
        print(
            "note: no SITEURL (give -s pelicanconf.py): syndication loops cannot be detected, "
            "and dates without a zone are read as UTC",
            file=sys.stderr,
        )
    try:
        with reporter.running(len(sources) + len(opml)):
            results = importer.run_import(sources, options, opml, reporter.source_done)
    except StateError as error:
        raise CliError(str(error)) from None
    reporter.finish(results)
    return EXIT_OK if all(result.ok for result in results) else EXIT_PROBLEMS


def forget(
    args: argparse.Namespace, newsroom: NewsroomSettings, options: importer.ImportOptions
) -> int:
    """``--forget NAME``: drop what the state remembers of a source (validators, items,
    tombstones); its deleted and rejected items may come back on the next run."""
    state = _state(options.output)
    path = sources_file_path(args, newsroom)
    known = _load_sources(path) if path.is_file() else None
    for name in args.forget:
        try:
            url = known.named(name).url if known else name
        except KeyError:
            url = name  # not a name of the sources file: a feed URL or file as given
        dropped = state.forget(url, importer.feed_identity(url))
        print(f"forgot {name}: {dropped} item(s) and tombstone(s)")
    if not options.dry_run:
        state.save()
    return EXIT_OK


def _state(output: Path) -> ImportState:
    try:
        return ImportState(output / STATE_FILE)
    except StateError as error:
        raise CliError(str(error)) from None


# --- the review queue ----------------------------------------------------------------------


def _waiting(args: argparse.Namespace) -> tuple[NewsroomSettings, Path, list[Imported]]:
    """The drafts waiting in the import folder (of ``--source NAME`` only, when given)."""
    newsroom, _content, output = _site(args)
    feeds = None
    if args.source:
        chosen = chosen_sources(args, newsroom)
        feeds = [importer.feed_identity(rules.url) for rules in chosen]
    return newsroom, output, desk.drafts(ArticleIndex(output), feeds)


def run_review(args: argparse.Namespace) -> int:
    """List the drafts waiting: title, source, date, file."""
    _newsroom, _output, waiting = _waiting(args)
    rows = [
        {
            "title": i.title,
            "feed": i.import_feed,
            "id": i.import_id,
            "date": i.date,
            "file": str(i.path),
        }
        for i in waiting
    ]
    if args.output_format == "json":
        print(json.dumps({"waiting": rows}, ensure_ascii=False, indent=2))
        return EXIT_OK
    for row in rows:
        print(f"{row['date'] or '':<25} {row['title']}\n    {row['file']}  ({row['feed']})")
    print(f"{len(rows)} draft(s) waiting for review")
    return EXIT_OK


def run_decision(args: argparse.Namespace) -> int:
    """``approve`` / ``reject`` the drafts named (or ``--all`` of ``--source NAME``)."""
    newsroom, output, waiting = _waiting(args)
    if args.all and not args.source:
        raise CliError("--all needs --source NAME (approving every source at once is refused)")
    if args.all == bool(args.targets):
        raise CliError("give the drafts (file or import id), or --all --source NAME")
    try:
        chosen = waiting if args.all else desk.select(waiting, args.targets)
    except desk.DeskError as error:
        raise CliError(str(error)) from None
    now = datetime.now(newsroom.timezone)
    state = _state(output)
    for imported in chosen:
        if args.command == "approve":
            decision = desk.approve(imported, now, new_date=args.now)
        else:
            decision = desk.reject(imported, state, now)
        print(f"{decision.action:<9} {decision.file}")
    state.save()
    done = "approved" if args.command == "approve" else "rejected"
    print(f"{len(chosen)} draft(s) {done}")
    return EXIT_OK


def add_desk_parsers(commands: Any) -> None:
    """``review``, ``approve TARGET…``, ``reject TARGET…``."""

    def common(command: argparse.ArgumentParser) -> None:
        command.add_argument("-s", "--settings", metavar="SETTINGS", help="Pelican settings")
        command.add_argument(
            "--output", metavar="DIR", help="the import folder (default: PATH/NEWSROOM_IMPORT_PATH)"
        )
        command.add_argument(
            "--source", action="append", metavar="NAME", help="only this source of the sources file"
        )
        command.add_argument("--sources-file", metavar="FILE", help="the sources file")

    review = commands.add_parser(
        "review",
        help="list the imported drafts waiting for review",
        description="List the drafts that sources with 'status: draft' imported: date, title, "
        "file and feed, newest first.",
    )
    common(review)
    review.add_argument("--output-format", choices=("text", "json"), default="text")
    review.set_defaults(run=run_review)
    for name, verb in (("approve", "publish"), ("reject", "delete and never import again")):
        command = commands.add_parser(
            name,
            help=f"{verb} imported drafts",
            description=f"{verb.capitalize()} the drafts named by file path or import id, or "
            "--all drafts of --source NAME.",
        )
        command.add_argument("targets", nargs="*", metavar="TARGET", help="file or import id")
        command.add_argument("--all", action="store_true", help="every draft of --source NAME")
        common(command)
        if name == "approve":
            command.add_argument(
                "--now", action="store_true", help="date the article now (default: keep its date)"
            )
        command.set_defaults(run=run_decision)


def run_sources(args: argparse.Namespace) -> int:
    """``sources --from-opml FILE``: the OPML list as a sources file, on stdout."""
    try:
        print(as_sources_file(opml_feeds(args.from_opml)), end="")
    except FeedError as error:
        raise CliError(f"--from-opml {args.from_opml}: {error}") from None
    return EXIT_OK


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
    command.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="feed file or http(s) URL (none: every source of the sources file)",
    )
    command.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="import this source of the sources file (repeatable)",
    )
    command.add_argument(
        "--sources-file",
        metavar="FILE",
        help="the sources file (default: NEWSROOM_SOURCES_FILE beside the settings file)",
    )
    command.add_argument(
        "--reimport",
        nargs="?",
        const=True,
        default=False,
        metavar="ID",
        help="bring back deleted, rejected or expired items (all of the sources run, or one id)",
    )
    command.add_argument(
        "--forget",
        action="append",
        metavar="NAME",
        help="drop what the state remembers of this source (name, URL or file) and stop",
    )
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
    settings = load_pelican_settings(args.settings)
    newsroom = NewsroomSettings.of(settings)
    hubs = list(newsroom.websub_hubs)
    if not hubs:
        raise CliError("no hubs to ping: NEWSROOM_WEBSUB_HUBS is empty (give -s SETTINGS)")
    base = str(settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "")
    if not base.startswith(("http://", "https://")):
        raise CliError(
            f"feed URLs must be absolute: SITEURL (or FEED_DOMAIN) is {base!r}; "
            "give the settings you publish with (-s publishconf.py)"
        )
    # Our feed paths with their defaults, next to Pelican's own feed settings.
    feeds = websub.feed_files({**settings, **newsroom.feed_paths})
    if not feeds:
        raise CliError(f"no feed files under {settings.get('OUTPUT_PATH')}: build the site first")
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
    add_desk_parsers(commands)
    sources = commands.add_parser(
        "sources",
        help="start a sources file from an OPML subscription list",
        description="Print the feeds of an OPML list as a sources file (name and url of each), "
        "to save as sources.yaml and give rules to.",
    )
    sources.add_argument("--from-opml", required=True, metavar="FILE", help="OPML file")
    sources.set_defaults(run=run_sources)
    add_ping_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except (CliError, check.CheckError, SettingsFileError, NewsroomSettingsError) as error:
        print(f"pelican-newsroom {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    return status


if __name__ == "__main__":  # pragma: no cover - python -m pelican_newsroom.cli
    sys.exit(main())
