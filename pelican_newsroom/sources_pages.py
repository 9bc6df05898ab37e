"""The Sources page (every outlet in the chains) and one listing page per source.

A small :class:`~pelican.generators.Generator` returned from the
``get_generators`` signal: Pelican runs every generator's ``generate_context``
before any ``generate_output``, so the sources are in the shared context
(``newsroom_sources``) in time for every page's navigation, and the pages are
written through Pelican's own Writer (relative URLs, output checks, no path
written twice).  Only published articles are counted (``context["articles"]``:
no drafts, hidden articles or translations).  The per-source feeds
(``feeds.py``) read the same ``newsroom_sources``: one collection per build,
so a page, its feeds and every link to them agree on the slug and on whether
they exist (``NEWSROOM_SOURCE_MIN_ARTICLES``).

Templates: ``sources.html`` and ``source.html`` from the site's theme, or the
bundled theme's (``!newsroom/…``) when the theme has none, so the pages work
with any theme whose ``base.html`` has a ``content`` block.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, Template, TemplateNotFound
from pelican.generators import Generator

from .settings import NewsroomSettings
from .sources import Sources, collect_sources


class SourcesGenerator(Generator):  # type: ignore[misc]  # pelican ships no type hints
    """Writes ``NEWSROOM_SOURCES_SAVE_AS``, and ``NEWSROOM_SOURCE_SAVE_AS`` for each source
    with pages of its own."""

    sources: Sources

    def generate_context(self) -> None:
        # Runs after ArticlesGenerator's generate_context (plugin generators come later).
        min_articles = NewsroomSettings.of(self.settings).source_min_articles
        self.sources = collect_sources(self.context.get("articles", ()), min_articles)
        self.context["newsroom_sources"] = self.sources

    def template(self, name: str) -> Template:
        """The theme's template, else the bundled theme's."""
        env: Environment = self.env
        try:
            return env.get_template(f"{name}.html")
        except TemplateNotFound:
            return env.get_template(f"!newsroom/{name}.html")

    def generate_output(self, writer: Any) -> None:
        relative = self.settings.get("RELATIVE_URLS", False)
        settings = NewsroomSettings.of(self.settings)
        index_as = settings.sources_save_as
        if index_as and self.sources:  # a site without chains gets no empty Sources page
            writer.write_file(
                index_as,
                self.template("sources"),
                self.context,
                relative_urls=relative,
                url=settings.sources_url,
                template_name="sources",
                sources=self.sources,
                page_name="sources",
            )
        source_as = settings.source_save_as
        if not source_as:
            return
        for source in self.sources:
            if not source.has_pages:
                continue
            writer.write_file(
                source_as.format(slug=source.slug),
                self.template("source"),
                self.context,
                relative_urls=relative,
                url=settings.source_url.format(slug=source.slug),
                template_name="source",
                source=source,
                articles=source.articles,
                page_name=f"sources/{source.slug}",
            )


def sources_generator(pelican: Any) -> type[SourcesGenerator]:
    """``get_generators`` receiver: add the Sources pages to every build."""
    return SourcesGenerator
