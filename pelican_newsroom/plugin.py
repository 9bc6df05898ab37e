"""Signal wiring: every ``connect`` in :func:`register`, receivers at module level.

Receivers are module-level functions, not closures: blinker holds receivers
weakly (getpelican/pelican#1386), and connecting the same function twice is a
no-op, so loading the plugin twice (as ``pelican_newsroom`` and as
``pelican.plugins.newsroom``) cannot run a handler twice (getpelican/pelican#2817).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from pelican.contents import Article, Content, Page
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.plugins import signals

from .collisions import separate_same_guids, separate_same_slugs, shorten_long_slugs
from .errors import WITHOUT_TRACEBACK, Report, display_path
from .feeds import plan_feeds, write_extra_feeds, writer_class
from .model import build_newsroom
from .neighbours import (
    dropped_files,
    head_plan,
    seo_canonical,
    take_over_classes,
    take_over_instances,
)
from .news_sitemap import language_problems, write_news_sitemap
from .reader import give_fallback_date
from .render import install_templates
from .settings import SETTINGS_KEY, NewsroomSettings, merged
from .sources_pages import sources_generator

#: Every list of content a generator keeps, published or not: problems are reported for all.
_CONTENT_LISTS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


@dataclass
class BuildState:
    """What one build knows; replaced at the start of every build (autoreload safe)."""

    report: Report = field(default_factory=Report)


STATE = BuildState()


def apply_defaults(pelican: Any) -> None:
    """Put every ``NEWSROOM_*`` default into the settings, so templates can read them."""
    pelican.settings.update(merged(pelican.settings))  # validates: fails early, naming the setting


def start_build(pelican: Any) -> None:
    """Hooked on ``get_generators``, the one signal sent at the start of every run."""
    global STATE  # noqa: PLW0603 - one build's state, replaced as a whole
    settings = NewsroomSettings.from_pelican(pelican.settings)
    pelican.settings[SETTINGS_KEY] = settings  # every stage reads it through NewsroomSettings.of
    STATE = BuildState(report=Report(strict=settings.strict))


def build_model(content: Content) -> None:
    """``content.newsroom``: built once per content object, from its metadata."""
    if not isinstance(content, Article | Page):
        return
    settings = NewsroomSettings.of(content.settings)
    file = display_path(content.source_path)
    problem = None
    if isinstance(content, Article) and not hasattr(content, "date"):
        problem = give_fallback_date(content, file)
    content.newsroom = build_newsroom(
        content.metadata, file, settings, extra=[problem] if problem else []
    )


def plan_added_feeds(generator: Generator) -> None:
    """Sent once the articles are read, before any page is written (pages link the feeds)."""
    if isinstance(generator, ArticlesGenerator):
        plan_feeds(generator.context, chain(generator.articles, generator.translations))


def prepare_generator(generator: Generator) -> None:
    """Partials and filters for any theme; our readers back after every ``readers_init`` receiver.

    ``generator_init`` is sent once the generator's readers exist, so a plugin
    whose ``readers_init`` receiver ran after ours (pelican-yaml-metadata) is
    seen here; ``newsroom_head`` tells the head partial what another plugin writes.
    """
    if not isinstance(generator, Generator):
        return
    install_templates(generator.env, NewsroomSettings.of(generator.settings))
    generator.env.globals["newsroom_head"] = head_plan(generator.settings)
    readers = getattr(generator, "readers", None)
    if readers is not None:
        take_over_instances(readers)


def _all_content(generators: Iterable[Any]) -> Iterator[Content]:
    for generator in generators:
        if isinstance(generator, ArticlesGenerator | PagesGenerator):
            for name in _CONTENT_LISTS:
                yield from getattr(generator, name, ())


def report_problems(generators: Iterable[Any]) -> None:
    """Log warnings; in a strict build, stop before writing and list every error."""
    report = STATE.report
    contents = list(_all_content(generators))
    for content in contents:
        newsroom = getattr(content, "newsroom", None)
        if newsroom is not None:
            report.extend(newsroom.problems)
    report.extend(shorten_long_slugs(contents))
    report.extend(separate_same_slugs(contents))
    report.extend(separate_same_guids(contents))
    report.extend(dropped_files(generators))  # Pelican only logs a file it cannot read
    for generator in generators:  # the news sitemap leaves out a lang Google cannot read
        if isinstance(generator, ArticlesGenerator):
            published = chain(generator.articles, generator.translations)
            report.extend(language_problems(published, generator.settings))
    for content in contents:
        problem = seo_canonical(content, content.settings)
        if problem is not None:
            report.extend([problem])
    report.log_warnings()
    report.raise_for_errors()


def register() -> None:
    signals.initialized.connect(apply_defaults)
    # get_generators is sent at the start of every run, autoreload included (as pelican-plugins/sitemap does).
    signals.get_generators.connect(start_build)
    signals.get_generators.connect(sources_generator)  # the Sources page and per-source pages
    signals.readers_init.connect(take_over_classes)
    signals.content_object_init.connect(build_model)
    signals.generator_init.connect(prepare_generator)
    signals.all_generators_finalized.connect(report_problems)
    # A strict failure is raised out of report_problems; `pelican` logs it as the problem list only.
    logging.getLogger("pelican").addFilter(WITHOUT_TRACEBACK)
    # Every feed is written by our Writer with feedgen; Pelican's feed settings still say which and where.
    signals.get_writer.connect(writer_class)
    # Feeds Pelican never writes (JSON, per source) only once an article uses our keys.
    signals.article_generator_finalized.connect(plan_added_feeds)
    signals.article_writer_finalized.connect(
        write_extra_feeds
    )  # JSON Feed siblings, per-source feeds
    signals.article_writer_finalized.connect(write_news_sitemap)  # NEWSROOM_NEWS_SITEMAP
