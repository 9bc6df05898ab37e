"""Living next to other plugins: whose reader reads ``.md``, who writes the head tags.

Readers.  Pelican picks one reader class per file extension: its own, then
the ``READERS`` setting, then every ``readers_init`` receiver in plugin order
(auto-discovered plugins load alphabetically, so ``yaml_metadata`` comes after
``newsroom``).  A reader that parses ``date`` with Pelican's parser raises on
a newsroom timestamp, and Pelican then leaves the article out with one log
line and exit status 0.  So ours is put back *after* every receiver ran (on
``generator_init``) wherever the reader in place is Pelican's own or one that
only reads the same ``---`` YAML front matter ours reads; any other reader is
kept, and every file Pelican could not read becomes a :class:`Problem`
(:func:`dropped_files`), in the build and in ``check`` alike.

SEO plugins.  pelican-seo post-processes every written page: with
``SEO_ENHANCER`` it always adds a canonical link, an ``Article`` JSON-LD block
and a breadcrumb, with ``SEO_ENHANCER_OPEN_GRAPH`` ``og:url/type/title/
description/image/locale``, with ``SEO_ENHANCER_TWITTER_CARDS``
``twitter:card``.  :class:`HeadPlan` tells the head partial which of those it
leaves to that plugin, so no tag is written twice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader, RstReader

from .errors import Problem, display_path, quote_value
from .reader import NewsroomMarkdownReader, NewsroomRstReader
from .render import HeadPlan
from .settings import NewsroomSettings

logger = logging.getLogger("pelican_newsroom")

#: Readers of other plugins that ours replaces: they read the same ``---`` YAML front
#: matter, but parse dates with Pelican's parser (newsroom timestamps make them raise).
SAME_FRONT_MATTER_READERS = frozenset(
    {"pelican.plugins.yaml_metadata.yaml_metadata.YAMLMetadataReader"}
)

#: Plugin names (as Pelican lists them in ``PLUGINS`` once loaded) of pelican-seo.
SEO_PLUGIN_NAMES = frozenset({"pelican.plugins.seo", "seo"})


def class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def newsroom_reader_for(cls: type | None) -> type | None:
    """Our reader for a format read by ``cls``, or None when ``cls`` is to be kept."""
    if cls is None:
        return None
    if cls is MarkdownReader or class_name(cls) in SAME_FRONT_MATTER_READERS:
        return NewsroomMarkdownReader
    if cls is RstReader:
        return NewsroomRstReader
    return None


def take_over_classes(readers: Any) -> None:
    """``readers_init``: our classes where Pelican's (or a same-front-matter reader) are set."""
    for fmt, cls in list(readers.reader_classes.items()):
        ours = newsroom_reader_for(cls)
        if ours is not None:
            readers.reader_classes[fmt] = ours


def take_over_instances(readers: Any) -> None:
    """The same after every ``readers_init`` receiver ran: a later plugin may have set its own."""
    take_over_classes(readers)
    for fmt, cls in readers.reader_classes.items():
        current = readers.readers.get(fmt)
        if cls is None or current is None or type(current) is cls:
            continue
        logger.info(
            "pelican_newsroom reads .%s files (YAML front matter too) in place of %s",
            fmt,
            class_name(type(current)),
        )
        readers.readers[fmt] = cls(readers.settings)


def foreign_readers(readers: Any) -> dict[str, Any]:
    """Extensions Pelican's ``Readers`` reads with another plugin's reader, and that reader."""
    ours = (NewsroomMarkdownReader, NewsroomRstReader)
    return {
        fmt: reader
        for fmt, reader in readers.readers.items()
        if isinstance(reader, MarkdownReader | RstReader) and not isinstance(reader, ours)
    }


def dropped_problem(path: str, reader: Any) -> Problem:
    """The problem of a file Pelican left out: names the reader and, if it raised, why."""
    try:
        reader.read(path)
        reason = "it has no title, or a bad save_as or status"
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
    return Problem(
        display_path(path),
        "file",
        quote_value(reason),
        f"a file {class_name(type(reader))} can read; Pelican left it out of the site. "
        "Fix the file, or let pelican_newsroom read it (README: Other plugins)",
    )


def _failed_paths(generator: Any) -> Iterator[str]:
    for relative, content in generator.context.get("generated_content", {}).items():
        if content is None:
            yield os.path.join(generator.path, relative)


def dropped_files(generators: Iterable[Any]) -> list[Problem]:
    """Every article or page file Pelican could not read or publish (it only logs them)."""
    problems: dict[str, Problem] = {}
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator | PagesGenerator):
            continue
        for path in _failed_paths(generator):
            ext = os.path.splitext(path)[1].lstrip(".")
            reader = generator.readers.readers.get(ext)
            if path not in problems and reader is not None:
                problems[path] = dropped_problem(path, reader)
    return list(problems.values())


# --- SEO plugins ---------------------------------------------------------------------


def seo_active(settings: Mapping[str, Any]) -> bool:
    """pelican-seo registered (Pelican lists loaded plugins by name) with its HTML enhancer on."""
    names = {getattr(p, "__name__", p) for p in settings.get("PLUGINS") or ()}
    return bool(names & SEO_PLUGIN_NAMES) and bool(settings.get("SEO_ENHANCER"))


def head_plan(settings: Mapping[str, Any]) -> HeadPlan:
    """The head partial's share, from our settings and what pelican-seo will add."""
    ours = NewsroomSettings.of(settings)
    show_og = ours.show_opengraph
    jsonld = "article" if ours.show_jsonld else ""
    if not seo_active(settings):
        return HeadPlan(opengraph=show_og, twitter_card=show_og, jsonld=jsonld)
    seo_og = bool(settings.get("SEO_ENHANCER_OPEN_GRAPH"))
    seo_twitter = seo_og and bool(settings.get("SEO_ENHANCER_TWITTER_CARDS"))
    return HeadPlan(
        canonical=False,
        opengraph=show_og and not seo_og,
        twitter_card=show_og and not seo_twitter,
        jsonld="chain" if jsonld else "",
    )


def seo_canonical(content: Any, settings: Mapping[str, Any]) -> Problem | None:
    """Point pelican-seo's canonical link where ours would point; else say why not.

    The target is the model's ``canonical_url`` (the article's ``canonical`` key,
    else ``NEWSROOM_CANONICAL = "origin"``).  pelican-seo takes the metadata key
    ``external_canonical`` as the canonical URL, but then fails on ``og:url`` when
    its OpenGraph is on: only then the canonical stays the page itself, with a warning.
    """
    newsroom = getattr(content, "newsroom", None)
    target = newsroom.canonical_url if newsroom else None
    if not target or not seo_active(settings):
        return None
    if not settings.get("SEO_ENHANCER_OPEN_GRAPH"):
        content.metadata.setdefault("external_canonical", target)
        return None
    return Problem(
        display_path(content.source_path),
        "canonical",
        quote_value(target),
        "the canonical link (the article's 'canonical' key or NEWSROOM_CANONICAL = 'origin'); "
        "pelican-seo writes it, to the page itself, since SEO_ENHANCER_OPEN_GRAPH = True. Set "
        "SEO_ENHANCER_OPEN_GRAPH = False (pelican_newsroom writes OpenGraph) to point it there",
        "warning",
    )
