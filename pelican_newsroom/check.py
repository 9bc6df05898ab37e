"""``pelican-newsroom check`` as a library: the problems a build would report, without building.

The files are the ones ``pelican`` reads, found by Pelican's own file discovery
(:func:`content_files`); each is read by the reader the build would use
(:class:`HeaderReaders`: ours, headers only, or another plugin's) and its model
built as in a build (:func:`pelican_newsroom.model.build_newsroom`). The command
line (:mod:`pelican_newsroom.cli`) only parses arguments and prints the report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pelican import DEFAULT_CONFIG_NAME
from pelican.generators import Generator
from pelican.readers import Readers

from .compat import load_plugins
from .errors import Problem, Report, display_path
from .model import build_newsroom
from .neighbours import dropped_problem, foreign_readers, take_over_instances
from .reader import NewsroomMarkdownReader, NewsroomRstReader, missing_date_problem
from .settings import NewsroomSettings, load_pelican_settings
from .sources_file import SourcesFileError, load_sources_file, sources_file_location

#: Where ``check`` looks for content when neither ``CONTENT_DIR`` nor ``PATH`` says.
DEFAULT_CONTENT = "content"

MARKDOWN_EXTENSIONS = frozenset(NewsroomMarkdownReader.file_extensions)
RST_EXTENSIONS = frozenset(NewsroomRstReader.file_extensions)


class CheckError(Exception):
    """No content folder to check; the message says which one was looked for."""


def check_settings(settings_file: str | None, content: str | None) -> dict[str, Any]:
    """The settings ``pelican`` would build with: ``-s``, else ``./pelicanconf.py`` if present.

    The content folder is ``CONTENT_DIR`` when given, else the settings' ``PATH``, else
    ``content`` (Pelican's default ``PATH``, the current folder, would take a project's
    README for an article).
    """
    if content and not Path(content).is_dir():
        raise CheckError(f"content folder not found: {content}")
    if settings_file is None and Path(DEFAULT_CONFIG_NAME).is_file():
        settings_file = DEFAULT_CONFIG_NAME
    overrides = {"PATH": os.path.abspath(content)} if content else {}
    settings = load_pelican_settings(settings_file, overrides)
    if settings["PATH"] == os.curdir:  # not set (read_settings makes a set PATH absolute)
        if not Path(DEFAULT_CONTENT).is_dir():
            raise CheckError(
                f"content folder not found: {DEFAULT_CONTENT} (give CONTENT_DIR, or PATH in "
                f"{settings_file or DEFAULT_CONFIG_NAME})"
            )
        settings["PATH"] = os.path.abspath(DEFAULT_CONTENT)
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
    path: Path, is_article: bool, readers: HeaderReaders, newsroom: NewsroomSettings
) -> list[Problem]:
    """The problems a build would report for this file."""
    metadata = readers.metadata(path)
    if isinstance(metadata, Problem):
        return [metadata]
    file = display_path(str(path))
    extra = [missing_date_problem(metadata, file)] if is_article and "date" not in metadata else []
    return list(build_newsroom(metadata, file, newsroom, [p for p in extra if p]).problems)


def sources_file_problems(settings_file: str | None, settings: dict[str, Any]) -> list[Problem]:
    """The sources file's mistakes (none when there is no sources file): what ``import``
    would refuse to start with, found before the cron job runs."""
    path = sources_file_location(settings_file, NewsroomSettings.of(settings).sources_file)
    if not path.is_file():
        return []
    try:
        load_sources_file(path)
    except SourcesFileError as error:
        return error.problems
    return []


def check_content(settings: dict[str, Any]) -> tuple[Report, int]:
    """Every problem of every file the build reads (``NEWSROOM_STRICT`` decides what is an
    error), and how many files were checked."""
    newsroom = NewsroomSettings.of(settings)
    report = Report(strict=newsroom.strict)
    readers = HeaderReaders(settings)
    files = 0
    for path, is_article in content_files(settings):
        files += 1
        report.extend(check_file(path, is_article, readers, newsroom))
    return report, files
