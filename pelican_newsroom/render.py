"""What themes get: the ``newsroom/`` partials and the filters they use.

Pelican's Jinja environment does not autoescape, and a site's own templates
must keep working as written; our templates (the partials and the bundled
theme) are autoescaped all the same (:func:`install_templates`), and these
filters return ``Markup`` built from escaped pieces only.  JSON-LD is built by
:func:`build_news_article` from plain values (testable without a build) and
serialized by :func:`json_script`, which makes JSON safe inside ``<script>``.

Absolute URLs (canonical link, ``og:url``, JSON-LD) are made against
``FEED_DOMAIN``, which Pelican sets to the configured ``SITEURL`` unless told
otherwise: with ``RELATIVE_URLS`` the template variable ``SITEURL`` is a
relative path and cannot serve.  Without an absolute ``http(s)`` base, fields
that must be absolute are left out and the canonical link stays relative.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    Template,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .chain import Hop
from .dates import html_datetime
from .images import site_image_size
from .model import Image, License
from .settings import NewsroomSettings
from .sources import Source, Sources
from .standards import Correction
from .urls import SAFE_SCHEMES, absolutize, escape_illegal, site_url


def _theme_path() -> Path:
    """The bundled theme: inside the package in a wheel, beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "theme"
    return packaged if packaged.is_dir() else here.parent / "theme"


#: The bundled news theme; use it with ``THEME = pelican_newsroom.THEME_PATH``.
THEME_PATH = str(_theme_path())
PARTIALS_PATH = str(Path(THEME_PATH) / "templates" / "newsroom")

_MARKER = "_newsroom_installed"
#: The template global holding the build's :class:`NewsroomSettings` (see :func:`install_templates`).
SETTINGS_GLOBAL = "newsroom_settings"


def settings_of(context: Context | Mapping[str, Any]) -> NewsroomSettings:
    """The build's settings: the template global, else from Pelican's settings (feeds pass them).

    A page's context is a copy of the settings taken before the build's object was
    made, so templates reach it through the global :func:`install_templates` sets.
    """
    built = context.get(SETTINGS_GLOBAL)
    if isinstance(built, NewsroomSettings):
        return built
    return NewsroomSettings.of(context.get_all() if isinstance(context, Context) else context)


@pass_context
def site_link(context: Context, url: str, base: str | None = None) -> str:
    """``href``/``src`` for a site path or URL: behind ``SITEURL`` (or ``base``), encoded.

    The one way our templates build a link into the site (:func:`pelican_newsroom.urls.site_url`).
    """
    return site_url(url, str(context.get("SITEURL", "") if base is None else base))


def plain_text(value: object) -> Markup:
    """Metadata that may hold markup (Pelican titles), as escaped plain text."""
    return escape(Markup(str(value)).striptags())


#: Separators dropped when nothing follows them in the footer (an empty ``{author}``).
_FOOTER_SEPARATORS = " \t\n·|,;–-"


def _link(url: str | None, text: str) -> Markup:
    if not url:
        return escape(text)
    return Markup('<a href="{}">{}</a>').format(escape_illegal(url), text)


@pass_context
def source_footer(context: Context, article: Any) -> Markup:
    """The ``newsroom_footer`` filter: :func:`footer_html` with the build's settings."""
    return footer_html(article, settings_of(context).footer)


def footer_html(article: Any, default: str) -> Markup:
    """The article's footer text (its ``footer`` key, else ``default``: ``NEWSROOM_FOOTER``)
    filled with escaped, linked pieces; empty for original reporting. Pages and feeds alike."""
    newsroom = getattr(article, "newsroom", None)
    source = newsroom.source if newsroom else None
    if source is None:
        return Markup("")
    authors = ", ".join(a.name for a in getattr(article, "authors", []) or [])
    pieces = {
        "source": _link(source.url, source.name),
        "url": _link(source.url, source.url) if source.url else Markup(""),
        "author": escape(authors),
    }
    out = Markup("")
    pending = ""  # literal text waiting for the next filled placeholder
    for literal, name, _spec, _conv in string.Formatter().parse(
        (newsroom.footer if newsroom else None) or default
    ):
        pending += literal
        piece = pieces.get(name, Markup("")) if name is not None else Markup("")
        if piece:
            out += escape(pending) + piece
            pending = ""
    if pending.strip(_FOOTER_SEPARATORS):  # keep closing words, drop a dangling " · "
        out += escape(pending)
    return Markup(re.sub(r"\s+", " ", str(out)).strip())


#: What :func:`json_script` rewrites: ``</script>``, ``<!--`` and ``]]>`` cannot survive,
#: and U+2028/2029 (line breaks to old JavaScript parsers) are spelled out. Jinja's ``|tojson``
#: (``htmlsafe_json_dumps``) would also write every ``'`` as ``\u0027``, whatever its dump
#: function: the JSON-LD every page already carries would change for no reader's benefit.
_JSON_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def json_script(data: object) -> Markup:
    """``data`` as JSON that is safe as the whole body of a ``<script>`` element.

    Every JSON parser reads the escapes back as the original characters, so the
    data round-trips while no title or caption can end the element early.
    """
    text = json.dumps(data, ensure_ascii=False)
    for character, escaped in _JSON_SCRIPT_ESCAPES:  # str.replace: C loops, unlike translate
        text = text.replace(character, escaped)
    return Markup(text)


def absolute_base(context: Context | Mapping[str, Any]) -> str | None:
    """``FEED_DOMAIN`` (Pelican's copy of the configured ``SITEURL``) if it is absolute."""
    base = str(context.get("FEED_DOMAIN") or "")
    parts = urlsplit(base)
    return base.rstrip("/") if parts.scheme in SAFE_SCHEMES and parts.hostname else None


@pass_context
def absolute_url(context: Context, url: str | None) -> str:
    """A site path or URL as an absolute URL; "" when the site has no absolute base."""
    if not url:
        return ""
    if urlsplit(url).scheme:
        return escape_illegal(url)
    base = absolute_base(context)
    return escape_illegal(absolutize(url, base)) if base else ""


def _text_of(html: object) -> str:
    """Markup as plain (unescaped) text, for JSON and other non-HTML contexts."""
    return str(Markup(str(html)).striptags()) if html else ""


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _license(license: License | None) -> str | dict[str, Any] | None:
    """schema.org ``license`` is a URL or a CreativeWork: a licence known only by name is the latter."""
    if license is None:
        return None
    return license.url or {"@type": "CreativeWork", "name": license.name}


def _person(name: str | None, url: str | None = None) -> dict[str, Any] | None:
    return _drop_empty({"@type": "Person", "name": name, "url": url}) if name else None


def _image_object(image: Image, url: str | None) -> dict[str, Any]:
    # The credit usually names an agency or a group, so the creator is an Organization.
    creator = _drop_empty({"@type": "Organization", "name": image.credit, "url": image.credit_url})
    return _drop_empty(
        {
            "@type": "ImageObject",
            "url": url,
            "contentUrl": url,
            "caption": image.caption,
            "description": image.alt if image.alt != image.caption else None,
            "creditText": image.credit,
            "creator": creator if image.credit else None,
            "license": _license(image.license),
            "width": image.width,
            "height": image.height,
        }
    )


def _corrections(corrections: Iterable[Correction]) -> list[dict[str, Any]]:
    """Each note as a schema.org ``CorrectionComment`` (https://schema.org/correction)."""
    return [
        {"@type": "CorrectionComment", "datePublished": html_datetime(c.date), "text": c.text}
        for c in corrections
    ]


@dataclass(frozen=True)
class Logo:
    """The publisher's logo: absolute URL and, when known, its size in pixels."""

    url: str
    width: int | None = None
    height: int | None = None

    def to_jsonld(self) -> dict[str, Any]:
        return _drop_empty(
            {"@type": "ImageObject", "url": self.url, "width": self.width, "height": self.height}
        )


def _based_on(hops: Iterable[Hop], origin_url: str | None) -> list[dict[str, Any]]:
    """The chain as CreativeWorks in order (origin first), each published by its outlet."""
    works = []
    for position, hop in enumerate(hops, start=1):
        url = origin_url if position == 1 and origin_url else hop.url
        publisher = {
            "@type": "Organization",
            "name": hop.name,
            "url": hop.url if hop.url != url else None,
        }
        works.append(
            _drop_empty(
                {
                    "@type": "CreativeWork",
                    "position": position,
                    "url": url,
                    "publisher": _drop_empty(publisher),
                    "author": _person(hop.author),
                    "datePublished": html_datetime(hop.date) if hop.date else None,
                }
            )
        )
    return works


def build_news_article(
    *,
    headline: str,
    url: str | None,
    published: datetime,
    modified: datetime | None = None,
    authors: Iterable[tuple[str, str | None]] = (),
    publisher: tuple[str, str | None],
    description: str | None = None,
    image: Image | None = None,
    image_url: str | None = None,
    chain: Iterable[Hop] = (),
    origin_url: str | None = None,
    license: License | None = None,
    section: str | None = None,
    keywords: Iterable[str] = (),
    language: str | None = None,
    corrections: Iterable[Correction] = (),
    publishing_principles: str | None = None,
    logo: Logo | None = None,
) -> dict[str, Any]:
    """A schema.org ``NewsArticle`` as a dict, from plain values (no Pelican objects).

    ``authors`` and ``publisher`` are ``(name, url)`` pairs; URLs must already be
    absolute (or None, and are then left out). ``modified`` is the latest change,
    corrections included.
    """
    publisher_name, publisher_url = publisher
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": html_datetime(published),
            "dateModified": html_datetime(modified or published),
            "author": [p for name, link in authors if (p := _person(name, link))],
            "publisher": _drop_empty(
                {
                    "@type": "Organization",
                    "name": publisher_name,
                    "url": publisher_url,
                    "logo": logo.to_jsonld() if logo else None,
                }
            ),
            "description": description,
            "image": _image_object(image, image_url) if image else None,
            "isBasedOn": _based_on(chain, origin_url),
            "license": _license(license),
            "articleSection": section,
            "keywords": list(keywords),
            "inLanguage": language,
            "correction": _corrections(corrections),
            "publishingPrinciples": publishing_principles,
        }
    )


def publisher_logo(context: Context) -> Logo | None:
    """``NEWSROOM_PUBLISHER_LOGO``, absolute, with its size: the settings', else the file's."""
    settings = settings_of(context)
    src = settings.publisher_logo
    url = absolute_url(context, src) if src else ""
    if not src or not url:
        return None
    width, height = settings.publisher_logo_width, settings.publisher_logo_height
    if width is None or height is None:
        size = site_image_size(src, settings.content_path, settings.static_paths)
        if size:
            width, height = width or size[0], height or size[1]
    return Logo(url, width, height)


def _author_url(context: Context, author: Any) -> str | None:
    """The author's page, absolute; None when the site writes no author pages."""
    if not context.get("AUTHOR_SAVE_AS"):
        return None
    return absolute_url(context, author.url) or None


@dataclass(frozen=True)
class HeadPlan:
    """What the head partial writes itself (global ``newsroom_head``); another plugin the rest.

    Set per build from the settings and the plugins loaded
    (:func:`pelican_newsroom.neighbours.head_plan`), so no tag is written twice.
    """

    canonical: bool = True
    opengraph: bool = True  #: og:type, og:title, og:url, og:description, og:image(:alt)
    twitter_card: bool = True
    #: "article": the NewsArticle block; "chain": a WebPage block keeping what only we know
    #: (chain, image credit, licence) while another plugin writes the Article block; "": none.
    jsonld: str = "article"


def as_webpage(news_article: dict[str, Any]) -> dict[str, Any]:
    """The newsroom part of a ``NewsArticle`` as a schema.org ``WebPage``.

    For pages where another plugin writes the ``Article`` block: one article
    block per page, and the chain (``isBasedOn``) and the credited image are kept.
    """
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "url": news_article.get("url"),
            "name": news_article.get("headline"),
            "isBasedOn": news_article.get("isBasedOn"),
            "primaryImageOfPage": news_article.get("image"),
            "license": news_article.get("license"),
            "inLanguage": news_article.get("inLanguage"),
            "correction": news_article.get("correction"),
            "publishingPrinciples": news_article.get("publishingPrinciples"),
        }
    )


@pass_context
def article_jsonld(context: Context, article: Any) -> Markup:
    """The ``<script type="application/ld+json">`` body for one article (see :class:`HeadPlan`)."""
    newsroom = getattr(article, "newsroom", None)
    image = newsroom.image if newsroom else None
    base = absolute_base(context)
    data = build_news_article(
        headline=_text_of(article.title),
        url=absolute_url(context, article.url) or None,
        published=newsroom.published if newsroom and newsroom.published else article.date,
        modified=(newsroom.updated if newsroom else None) or getattr(article, "modified", None),
        authors=[(str(a.name), _author_url(context, a)) for a in getattr(article, "authors", [])],
        publisher=(_text_of(context.get("SITENAME")), base),
        description=_text_of(getattr(article, "summary", "")) or None,
        image=image,
        image_url=absolute_url(context, image.src) or None if image else None,
        chain=newsroom.hops if newsroom else (),
        origin_url=newsroom.origin_url if newsroom else None,
        license=newsroom.license if newsroom else None,
        section=str(article.category) if getattr(article, "category", None) else None,
        keywords=[str(tag) for tag in getattr(article, "tags", [])],
        language=getattr(article, "lang", None),
        corrections=newsroom.corrections if newsroom else (),
        publishing_principles=absolute_url(context, settings_of(context).corrections_policy)
        or None,
        logo=publisher_logo(context),
    )
    plan = context.get("newsroom_head")
    return json_script(as_webpage(data) if getattr(plan, "jsonld", "") == "chain" else data)


@pass_context
def source_of(context: Context, value: Hop | Source | None) -> Source | None:
    """The collected :class:`Source` of a hop (or the source itself); None when there is none.

    Templates reach a source's slug and ``has_pages`` only through this, never
    from the hop: two hops can share a slug before :func:`collect_sources` makes
    it unique, and a source below ``NEWSROOM_SOURCE_MIN_ARTICLES`` has no pages.
    """
    if value is None or isinstance(value, Source):
        return value
    sources = context.get("newsroom_sources")
    return sources.of(value) if isinstance(sources, Sources) else None


@pass_context
def source_page_url(context: Context, value: Hop | Source | None) -> str:
    """Site-relative URL of a hop's or source's listing page; "" when it has none written."""
    source = source_of(context, value)
    settings = settings_of(context)
    if source is None or not source.has_pages or not settings.source_save_as:
        return ""
    return settings.source_url.format(slug=source.slug)


class _OurTemplatesEscaped(BaseLoader):
    """The site's loader, with the bundled theme's templates compiled and run autoescaped.

    Pelican's environment does not autoescape, and a site's own templates were
    written for that; ours are handed to an overlay of the environment with
    ``autoescape`` on (same loader, filters and globals). A template is ours
    when its file is in the bundled theme: a partial the site's theme
    overrides is the site's, and keeps the site's escaping.
    """

    def __init__(self, inner: BaseLoader, env: Environment) -> None:
        self.inner = inner
        self.site = env
        self.ours = env.overlay(autoescape=True, loader=self)
        self.theme = Path(THEME_PATH, "templates")

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        source, filename, uptodate = self.inner.get_source(environment, name)
        ours = filename is not None and Path(filename).resolve().is_relative_to(self.theme)
        env = self.ours if ours else self.site
        code = env.compile(source, name, filename)
        return env.template_class.from_code(env, code, env.make_globals(globals), uptodate)


def install_templates(env: Environment, settings: NewsroomSettings) -> None:
    """Add the partials after the theme's own templates (a theme may override any of them).

    ``!newsroom/<template>`` reaches the bundled theme's full templates, which
    the Sources pages fall back to when the site's theme has none of its own.
    Our templates are autoescaped (:class:`_OurTemplatesEscaped`); the filters
    read the build's settings from the ``newsroom_settings`` global.
    """
    env.globals.setdefault("newsroom_head", HeadPlan())
    env.globals[SETTINGS_GLOBAL] = settings
    if getattr(env, _MARKER, False):
        return
    partials = PrefixLoader(
        {
            "newsroom": FileSystemLoader(PARTIALS_PATH),
            "!newsroom": FileSystemLoader(str(Path(THEME_PATH) / "templates")),
        }
    )
    loader = ChoiceLoader([env.loader, partials]) if env.loader else partials
    env.loader = _OurTemplatesEscaped(loader, env)
    env.filters.update(
        newsroom_url=site_link,
        newsroom_datetime=html_datetime,
        newsroom_text=plain_text,
        newsroom_footer=source_footer,
        newsroom_absolute=absolute_url,
        newsroom_jsonld=article_jsonld,
        newsroom_source=source_of,
        newsroom_source_url=source_page_url,
    )
    setattr(env, _MARKER, True)
