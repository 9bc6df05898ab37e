"""The Google News sitemap (``NEWSROOM_NEWS_SITEMAP``): the articles of the last two days.

Google News reads only articles published in the last two days, and at most 1,000 ``<url>``
per news sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
"The last two days" is counted back from the newest article's date, or from
``SOURCE_DATE_EPOCH`` when it is set (https://reproducible-builds.org/specs/source-date-epoch/),
never from the build clock: the same content gives the same bytes a day later, so a rebuild
does not change the file (nor its ETag) and the output stays reproducible.

Articles whose model says ``noindex`` are left out (:attr:`~pelican_newsroom.model.Newsroom.noindex`
decides, nowhere else). The document is built with lxml, and written atomically.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree
from markupsafe import Markup
from pelican.generators import ArticlesGenerator
from pelican.utils import sanitised_join

from .compat import claim_output
from .errors import Problem, display_path, quote_value
from .feed_item import aware
from .feedgen_compat import xml_safe
from .files import write_atomically
from .settings import NewsroomSettings, NewsroomSettingsError
from .urls import absolutize, encode_url

logger = logging.getLogger("pelican_newsroom")

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
#: How far back from the reference time an article is still news for Google.
WINDOW = timedelta(hours=48)
#: Google's limit of ``<url>`` entries in one news sitemap.
MAX_URLS = 1000
#: What ``news:language`` accepts (the news sitemap schema): ISO 639, or zh-cn / zh-tw.
_GOOGLE_LANGUAGE_RE = re.compile(r"^(?:zh-cn|zh-tw|[a-z]{2,3})$")
_TRADITIONAL_CHINESE = {"tw", "hk", "mo", "hant"}


@dataclass(frozen=True)
class NewsEntry:
    """One ``<url>`` of the news sitemap, as plain values."""

    loc: str
    title: str
    published: datetime
    language: str


def news_language(lang: str) -> str | None:
    """Pelican's ``lang`` (``en``, ``pt_BR``, ``zh-Hant-TW``) as Google wants it, or None.

    Google takes the ISO 639 code alone, except for Chinese: ``zh-cn`` or ``zh-tw``.
    """
    subtags = lang.strip().lower().replace("_", "-").split("-")
    if subtags[0] == "zh":
        return "zh-tw" if _TRADITIONAL_CHINESE.intersection(subtags[1:]) else "zh-cn"
    return subtags[0] if _GOOGLE_LANGUAGE_RE.match(subtags[0]) else None


def reference_time(dates: Iterable[datetime], environ: Mapping[str, str]) -> datetime | None:
    """``SOURCE_DATE_EPOCH`` when set, else the newest of ``dates`` (None: no article)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise NewsroomSettingsError(
                "SOURCE_DATE_EPOCH", epoch, "a whole number of seconds since 1970-01-01 UTC"
            )
        return datetime.fromtimestamp(int(epoch), UTC)
    return max(dates, default=None)


def recent(entries: Iterable[NewsEntry], reference: datetime) -> list[NewsEntry]:
    """The entries dated at most :data:`WINDOW` before ``reference``, newest first, capped.

    Articles dated after ``reference`` (after ``SOURCE_DATE_EPOCH``) are kept: they are not
    older than two days, and leaving out the newest story would defeat the sitemap.
    """
    kept = [entry for entry in entries if entry.published >= reference - WINDOW]
    kept.sort(key=lambda entry: (-entry.published.timestamp(), entry.loc))
    if len(kept) > MAX_URLS:
        logger.warning(
            "news sitemap: %d articles in the last 48 hours; Google reads at most %d per news "
            "sitemap, so only the %d newest are listed",
            len(kept),
            MAX_URLS,
            MAX_URLS,
        )
    return kept[:MAX_URLS]


def build_sitemap(entries: Sequence[NewsEntry], publication: str) -> bytes:
    """The ``<urlset>`` document: one ``<url>`` with ``<news:news>`` per entry."""
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for entry in entries:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = xml_safe(entry.loc)
        news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication_element = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        etree.SubElement(publication_element, f"{{{NEWS_NS}}}name").text = xml_safe(publication)
        etree.SubElement(publication_element, f"{{{NEWS_NS}}}language").text = entry.language
        date = entry.published.isoformat(timespec="seconds")  # W3C Datetime, with its offset
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = date
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = xml_safe(entry.title)
    data: bytes = etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _language(article: Any, settings: Mapping[str, Any]) -> tuple[str, str | None]:
    """The article's ``lang`` (else ``DEFAULT_LANG``), and its code for Google (or None)."""
    lang = str(getattr(article, "lang", None) or settings.get("DEFAULT_LANG") or "en")
    return lang, news_language(lang)


def language_problems(articles: Iterable[Any], settings: Mapping[str, Any]) -> list[Problem]:
    """A warning for each published article the sitemap must leave out for its ``lang``."""
    if not NewsroomSettings.of(settings).news_sitemap:
        return []
    problems = []
    for article in articles:
        lang, code = _language(article, settings)
        if code is None:
            problems.append(
                Problem(
                    display_path(article.source_path),
                    "lang",
                    quote_value(lang),
                    "an ISO 639 language code such as 'en' (Google News sitemap); left out of it",
                    "warning",
                )
            )
    return problems


def news_entries(articles: Iterable[Any], settings: Mapping[str, Any]) -> list[NewsEntry]:
    """The sitemap's candidates: every article given but ``noindex`` ones and those without a
    language code for Google (reported by :func:`language_problems`)."""
    ours = NewsroomSettings.of(settings)
    entries = []
    for article in articles:
        newsroom = getattr(article, "newsroom", None)
        _lang, language = _language(article, settings)
        if (newsroom is not None and newsroom.noindex) or language is None:
            continue
        entries.append(
            NewsEntry(
                loc=encode_url(absolutize(article.url, ours.siteurl)),  # sitemaps want ASCII URLs
                title=str(Markup(article.title).striptags()),
                published=aware(article.date, ours.timezone),
                language=language,
            )
        )
    return entries


def write_news_sitemap(generator: Any, writer: Any) -> None:
    """``article_writer_finalized`` receiver: write the news sitemap if it is asked for."""
    if not isinstance(generator, ArticlesGenerator):
        return
    settings = generator.settings
    ours = NewsroomSettings.of(settings)
    path = ours.news_sitemap
    if not path:
        return
    if not ours.siteurl.startswith(("http://", "https://")):
        logger.warning(
            "news sitemap not written: it needs absolute URLs, and SITEURL is %r", ours.siteurl
        )
        return
    articles = [*generator.articles, *generator.translations]
    tz = ours.timezone
    # The newest published article, noindex or not: the site's "now".
    reference = reference_time((aware(a.date, tz) for a in articles), os.environ)
    listed = recent(news_entries(articles, settings), reference) if reference else []
    publication = str(Markup(settings.get("SITENAME", "")).striptags())
    target = sanitised_join(generator.output_path, path)
    # Our Writer records the path, so a page or feed written there later fails loudly.
    if claim_output(writer, target, False):
        write_atomically(target, build_sitemap(listed, publication))
        logger.info('Writing "%s" (%d articles)', target, len(listed))
