"""Every ``NEWSROOM_*`` setting, its default, and its validation: read once per build.

The README's settings table is checked against :data:`DEFAULTS` by a test, so
a setting cannot be added here without being documented there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican.settings import read_settings

from .dates import DateOrder
from .errors import NewsroomError
from .urls import parse_absolute_url, parse_site_url

DEFAULTS: dict[str, Any] = {
    # True: a build with content errors fails listing them all; False: warn, publish anyway.
    "NEWSROOM_STRICT": True,
    # How to read slash dates such as 03/04/2020: "MDY" (March 4) or "DMY" (3 April).
    "NEWSROOM_DATE_ORDER": "MDY",
    # strftime format of timestamps shown on pages (inside <time datetime="…">).
    "NEWSROOM_TIMESTAMP_FORMAT": "%a, %m/%d/%Y – %H:%M",
    # The source footer; placeholders {source} (linked name), {url} (link), {author}.
    "NEWSROOM_FOOTER": "via {source} {url} · {author}",
    # Longest chain kept; longer ones keep the origin and the newest hops, with a warning.
    "NEWSROOM_MAX_HOPS": 50,
    # "self": <link rel=canonical> is the page itself; "origin": the article's origin_url.
    # An article's own `canonical` key (self, origin or a URL) overrides it.
    "NEWSROOM_CANONICAL": "self",
    # True: reposts (articles with a via chain) get <meta name="robots" content="noindex">;
    # "googlebot-news": <meta name="Googlebot-News" content="noindex"> instead (out of Google
    # News, still in web search). An article's own `robots` key overrides it.
    "NEWSROOM_NOINDEX_SYNDICATED": False,
    # JSON Feed 1.1 siblings of Pelican's feed families; None writes none. Like every feed below,
    # written only once an article uses our keys, and only for a family (or format) the site
    # writes in Atom/RSS (feeds.planned_feeds). Each path also takes a *_URL setting.
    "NEWSROOM_FEED_ALL_JSON": "feeds/all.json",
    # JSON Feed per category ({slug}), like CATEGORY_FEED_ATOM.
    "NEWSROOM_CATEGORY_FEED_JSON": "feeds/{slug}.json",
    # JSON Feed per author ({slug}), like AUTHOR_FEED_ATOM; off by default.
    "NEWSROOM_AUTHOR_FEED_JSON": None,
    # JSON Feed per tag ({slug}), like TAG_FEED_ATOM; off by default.
    "NEWSROOM_TAG_FEED_JSON": None,
    # JSON Feed per language ({lang}), like TRANSLATION_FEED_ATOM; off by default.
    "NEWSROOM_TRANSLATION_FEED_JSON": None,
    # Google News sitemap path (e.g. "news-sitemap.xml"), None: none. Lists the published articles
    # dated at most 48 hours before the newest one (or before SOURCE_DATE_EPOCH, when set),
    # noindex ones left out, the newest 1,000 at most (Google's limit); never the build clock.
    "NEWSROOM_NEWS_SITEMAP": None,
    # WebSub hub URLs: <atom:link rel="hub"> in every RSS/Atom feed, "hubs" in JSON Feed;
    # `pelican-newsroom ping` tells each hub about every feed the build wrote.
    "NEWSROOM_WEBSUB_HUBS": [],
    # RSS feed of each source (any hop of any published chain), by the source's {slug}.
    "NEWSROOM_SOURCE_FEED_RSS": "feeds/source/{slug}.rss.xml",
    # Atom feed of each source.
    "NEWSROOM_SOURCE_FEED_ATOM": "feeds/source/{slug}.atom.xml",
    # JSON Feed of each source.
    "NEWSROOM_SOURCE_FEED_JSON": "feeds/source/{slug}.json",
    # Fewest published articles through a source for it to get its own page and feeds; the
    # others are still listed on the Sources page and credited in chains, unlinked. Raise it
    # when importing feeds you do not control: each new outlet is otherwise a page + 3 feeds.
    "NEWSROOM_SOURCE_MIN_ARTICLES": 1,
    # Words the partials and theme print; override any of them (e.g. to translate).
    "NEWSROOM_LABELS": {
        "by": "By",
        "published": "Published",
        "updated": "Updated",
        "chain": "Sources",
        "chain_intro": "This story came to us through:",
        "origin": "Original story",
        "photo": "Photo",
        "license": "Licence",
        "repost": "Via",
        "permalink": "Permalink",
        "skip": "Skip to content",
        "sources": "Sources",
        "sources_intro": "Every outlet our stories came through, with the number of our articles that passed through it.",
        "source": "Source",
        "articles": "Articles",
        "website": "Website",
        "feeds": "Feeds",
        "their_feed": "Their feed",
        "our_feed": "Our feed",
        "source_intro": "Our stories that came through this outlet:",
        "lead": "Top story",
        "latest": "Latest",
        "newer": "Newer",
        "older": "Older",
        "page": "Page",
        "pagination": "Pages",
        "navigation": "Site",
        "home": "Home",
        "archives": "Archives",
        "categories": "Categories",
        "category": "Category",
        "tags": "Tags",
        "tag": "Tag",
        "authors": "Authors",
        "author": "Author",
        "corrections": "Corrections",
    },
    # Show the byline partial (authors as h-card links); False hides it everywhere.
    "NEWSROOM_SHOW_BYLINE": True,
    # Show the timestamp partial (published, and updated when it differs).
    "NEWSROOM_SHOW_TIMESTAMP": True,
    # Show the figure partial (lead image with caption, credit and licence).
    "NEWSROOM_SHOW_FIGURE": True,
    # Show the attribution partial (the whole chain, origin first).
    "NEWSROOM_SHOW_ATTRIBUTION": True,
    # Show the source footer partial (NEWSROOM_FOOTER) on reposts.
    "NEWSROOM_SHOW_SOURCE_FOOTER": True,
    # Show the license partial (the article's licence, from the `license` key).
    "NEWSROOM_SHOW_LICENSE": True,
    # Listing pages (index, category, tag, author, archives, source) mark reposts "Via <source>".
    "NEWSROOM_SHOW_REPOST_MARK": True,
    # The head partial's OpenGraph and Twitter card tags (those pelican-seo writes are left to it).
    "NEWSROOM_SHOW_OPENGRAPH": True,
    # The head partial's JSON-LD NewsArticle block (a WebPage with the chain when pelican-seo
    # writes the Article block).
    "NEWSROOM_SHOW_JSONLD": True,
    # Where the Sources page is written; "" writes none.
    "NEWSROOM_SOURCES_SAVE_AS": "sources.html",
    # The Sources page's URL, for links to it.
    "NEWSROOM_SOURCES_URL": "sources.html",
    # Where each source's listing page is written ({slug}: the source's slug); "" writes none.
    "NEWSROOM_SOURCE_SAVE_AS": "sources/{slug}.html",
    # A source's listing page URL, for links to it.
    "NEWSROOM_SOURCE_URL": "sources/{slug}.html",
    # `pelican-newsroom import`: default output folder, relative to the content PATH.
    "NEWSROOM_IMPORT_PATH": "imported",
    # `import`: seconds allowed per source (connecting and downloading).
    "NEWSROOM_IMPORT_TIMEOUT": 20,
    # `import`: largest feed accepted, in bytes; a bigger source fails.
    "NEWSROOM_IMPORT_MAX_BYTES": 10_000_000,
    # `import`: True keeps <iframe> (http(s) src only) in imported bodies; False strips them.
    "NEWSROOM_IMPORT_IFRAMES": False,
    # `import`: longest imported body, in characters of sanitized HTML; a longer one is
    # imported as an excerpt of its text (a body is repeated in every feed it appears in).
    "NEWSROOM_IMPORT_MAX_BODY": 200_000,
    # `import` with no SOURCE: the sources file (feeds and their rules), relative to the
    # folder of the settings file (the working folder without -s).
    "NEWSROOM_SOURCES_FILE": "sources.yaml",
    # --- publisher data and corrections ---
    # URL (or site path) of the page stating the corrections policy: JSON-LD
    # publishingPrinciples on every article. None: not written.
    "NEWSROOM_CORRECTIONS_POLICY": None,
    # The publisher's logo (site path or URL): JSON-LD publisher.logo. None: no logo.
    "NEWSROOM_PUBLISHER_LOGO": None,
    # Its width in pixels; None: read from the file when the logo is one of the site's images.
    "NEWSROOM_PUBLISHER_LOGO_WIDTH": None,
    # Its height in pixels; None: read from the file, as the width.
    "NEWSROOM_PUBLISHER_LOGO_HEIGHT": None,
}

_CHOICES: dict[str, tuple[object, ...]] = {
    "NEWSROOM_DATE_ORDER": ("MDY", "DMY"),
    "NEWSROOM_CANONICAL": ("self", "origin"),
    "NEWSROOM_NOINDEX_SYNDICATED": (False, True, "googlebot-news"),
}
#: Settings that are None or a URL / site path (checked as the metadata URLs are).
_OPTIONAL_URLS = ("NEWSROOM_CORRECTIONS_POLICY", "NEWSROOM_PUBLISHER_LOGO")
#: Settings that are None or a size in pixels.
_OPTIONAL_SIZES = ("NEWSROOM_PUBLISHER_LOGO_WIDTH", "NEWSROOM_PUBLISHER_LOGO_HEIGHT")


def _is_choice(value: object, choices: tuple[object, ...]) -> bool:
    """``value`` is one of ``choices`` and of the same type (``1`` is not ``True``)."""
    return any(type(value) is type(choice) and value == choice for choice in choices)


def _check_optional(key: str, value: object) -> None:
    """The settings whose default is None: a URL or a size when given."""
    if value is None:
        return
    if key in _OPTIONAL_SIZES:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise NewsroomSettingsError(key, value, "None or a whole number of pixels (at least 1)")
        return
    try:
        parse_site_url(value)
    except NewsroomError as error:
        raise NewsroomSettingsError(key, value, f"None or {error.expected}") from None


class NewsroomSettingsError(ValueError):
    """A ``NEWSROOM_*`` setting with a value of the wrong kind; names key, value and expectation."""

    def __init__(self, key: str, value: object, expected: str) -> None:
        super().__init__(f"settings: {key}: {value!r}: expected {expected}")


def _output_path(key: str, value: object) -> None:
    """A path inside OUTPUT_PATH (or None: off)."""
    if value is None:
        return
    parts = value.replace("\\", "/").split("/") if isinstance(value, str) else []
    if not isinstance(value, str) or not value.strip() or value.startswith("/") or ".." in parts:
        raise NewsroomSettingsError(
            key, value, "None or a path inside OUTPUT_PATH such as 'news-sitemap.xml'"
        )


def _hub_urls(key: str, value: object) -> None:
    """A list of absolute http(s) URLs (WebSub hubs)."""
    if not isinstance(value, list | tuple):
        raise NewsroomSettingsError(
            key, value, "a list of hub URLs such as ['https://hub.example/']"
        )
    for url in value:
        try:
            parse_absolute_url(url)
        except NewsroomError as error:
            raise NewsroomSettingsError(key, url, error.expected) from None


#: Settings whose values no default's type describes.
_SPECIAL = {"NEWSROOM_NEWS_SITEMAP": _output_path, "NEWSROOM_WEBSUB_HUBS": _hub_urls}


def _check(key: str, value: object) -> None:
    default = DEFAULTS[key]
    if key in _SPECIAL:
        _SPECIAL[key](key, value)
        return
    if "_FEED_" in key and value in (None, ""):  # a feed path: None (or "") writes no feed
        return
    if key in _CHOICES:
        if not _is_choice(value, _CHOICES[key]):
            raise NewsroomSettingsError(key, value, " or ".join(repr(c) for c in _CHOICES[key]))
        return
    if key in _OPTIONAL_URLS or key in _OPTIONAL_SIZES:
        _check_optional(key, value)
        return
    if isinstance(default, bool) and not isinstance(value, bool):
        raise NewsroomSettingsError(key, value, "True or False")
    whole = isinstance(value, int) and not isinstance(value, bool) and value >= 1
    if isinstance(default, int) and not isinstance(default, bool) and not whole:
        raise NewsroomSettingsError(key, value, "a whole number of at least 1")
    if isinstance(default, dict) and not isinstance(value, Mapping):
        raise NewsroomSettingsError(key, value, "a dict of label names to text")
    if isinstance(default, str) and not isinstance(value, str):
        raise NewsroomSettingsError(key, value, "text")


def merged(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``DEFAULTS`` overlaid with the user's ``NEWSROOM_*`` values, each validated."""
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key, value in values.items():
        _check(key, value)
    # Labels are merged key by key, so overriding one word keeps the others.
    values["NEWSROOM_LABELS"] = {**DEFAULTS["NEWSROOM_LABELS"], **values["NEWSROOM_LABELS"]}
    values["NEWSROOM_WEBSUB_HUBS"] = [parse_absolute_url(u) for u in values["NEWSROOM_WEBSUB_HUBS"]]
    return values


def site_timezone(settings: Mapping[str, Any]) -> tzinfo:
    """Pelican's ``TIMEZONE`` (UTC when unset, as Pelican does)."""
    name = settings.get("TIMEZONE") or "UTC"
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise NewsroomSettingsError(
            "TIMEZONE", name, "an IANA time zone such as 'America/New_York'"
        ) from None


#: The key under which a build keeps its :class:`NewsroomSettings` in Pelican's settings.
#: Pelican hands the same settings dict to every generator, writer and template context,
#: so the object built at the start of a build reaches every stage without a global.
SETTINGS_KEY = "NEWSROOM"


@dataclass(frozen=True)
class NewsroomSettings:
    """Every ``NEWSROOM_*`` setting, validated and typed, plus the Pelican settings we read.

    Built once per build (:meth:`of`); code reads these fields, never a raw
    ``NEWSROOM_*`` key.  Field names are the setting names without the prefix.
    """

    strict: bool
    date_order: DateOrder
    timestamp_format: str
    footer: str
    max_hops: int
    canonical: str
    #: False, True, or "googlebot-news" (noindex for Google News only).
    noindex_syndicated: bool | str
    source_min_articles: int
    timezone: tzinfo
    siteurl: str
    #: The content folder and Pelican's STATIC_PATHS in it: where the site's own images are.
    content_path: str = ""
    static_paths: tuple[str, ...] = ()
    #: Feed paths by setting name (``NEWSROOM_FEED_ALL_JSON`` …, ``NEWSROOM_SOURCE_FEED_RSS`` …);
    #: None: that feed is not written.
    feed_paths: Mapping[str, str | None] = field(default_factory=dict)
    news_sitemap: str | None = None
    websub_hubs: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULTS["NEWSROOM_LABELS"]))
    #: The partials' switches; the partials read them from the template context.
    show_byline: bool = True
    show_timestamp: bool = True
    show_figure: bool = True
    show_attribution: bool = True
    show_source_footer: bool = True
    show_license: bool = True
    show_repost_mark: bool = True
    show_opengraph: bool = True
    show_jsonld: bool = True
    sources_save_as: str = DEFAULTS["NEWSROOM_SOURCES_SAVE_AS"]
    sources_url: str = DEFAULTS["NEWSROOM_SOURCES_URL"]
    source_save_as: str = DEFAULTS["NEWSROOM_SOURCE_SAVE_AS"]
    source_url: str = DEFAULTS["NEWSROOM_SOURCE_URL"]
    import_path: str = DEFAULTS["NEWSROOM_IMPORT_PATH"]
    import_timeout: float = DEFAULTS["NEWSROOM_IMPORT_TIMEOUT"]
    import_max_bytes: int = DEFAULTS["NEWSROOM_IMPORT_MAX_BYTES"]
    import_iframes: bool = DEFAULTS["NEWSROOM_IMPORT_IFRAMES"]
    import_max_body: int = DEFAULTS["NEWSROOM_IMPORT_MAX_BODY"]
    sources_file: str = DEFAULTS["NEWSROOM_SOURCES_FILE"]
    corrections_policy: str | None = None
    publisher_logo: str | None = None
    publisher_logo_width: int | None = None
    publisher_logo_height: int | None = None

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> NewsroomSettings:
        """Validate and type the settings (raises :class:`NewsroomSettingsError`)."""
        values = merged(settings)
        derived: dict[str, Any] = {
            "timezone": site_timezone(settings),
            "siteurl": str(settings.get("SITEURL") or ""),
            "content_path": str(settings.get("PATH") or ""),
            "static_paths": tuple(str(p) for p in settings.get("STATIC_PATHS") or ()),
            "feed_paths": {k: v or None for k, v in values.items() if "_FEED_" in k},
            "websub_hubs": tuple(values["NEWSROOM_WEBSUB_HUBS"]),
            "import_timeout": float(values["NEWSROOM_IMPORT_TIMEOUT"]),
        }
        # Every other field is its setting, validated: NEWSROOM_ + the field's name.
        named = {
            f.name: values[key]
            for f in fields(cls)
            if f.name not in derived and (key := f"NEWSROOM_{f.name.upper()}") in values
        }
        return cls(**named, **derived)

    @classmethod
    def of(cls, settings: Mapping[str, Any]) -> NewsroomSettings:
        """The build's object when the plugin put one there, else built now (CLI, tests)."""
        built = settings.get(SETTINGS_KEY)
        return built if isinstance(built, cls) else cls.from_pelican(settings)


class SettingsFileError(Exception):
    """A Pelican settings file that is missing or cannot be run; the message says which."""


def load_pelican_settings(
    path: str | None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Pelican's own settings loading, so ``TIMEZONE``, ``PATH`` and ``NEWSROOM_*`` mean to
    the command line what they mean to ``pelican``."""
    if path and not Path(path).is_file():
        raise SettingsFileError(f"settings file not found: {path}")
    try:
        settings: dict[str, Any] = read_settings(path, override=dict(overrides or {}))
    except Exception as error:  # a settings file is user code; report, don't trace
        raise SettingsFileError(f"cannot read settings {path}: {error}") from error
    return settings
