"""The Google News sitemap: the last 48 hours, noindex left out, schema-valid, reproducible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from lxml import etree

from pelican_newsroom.news_sitemap import (
    MAX_URLS,
    NEWS_NS,
    SITEMAP_NS,
    NewsEntry,
    build_sitemap,
    news_language,
    recent,
    reference_time,
)
from pelican_newsroom.settings import NewsroomSettings, NewsroomSettingsError

FIXTURES = Path(__file__).parent / "fixtures"
NS = {"s": SITEMAP_NS, "news": NEWS_NS}
NEW_YORK = ZoneInfo("America/New_York")
#: The newest article of :func:`week`; the window reaches back 48 hours from it.
NEWEST = datetime(2024, 5, 7, 12, 0, tzinfo=NEW_YORK)


def week() -> dict[str, datetime]:
    """An article every 12 hours for a week, the last one at :data:`NEWEST` (slug -> date)."""
    return {f"story-{n:02d}": NEWEST - timedelta(hours=12 * n) for n in range(14)}


def week_files(**extra: str) -> dict[str, str]:
    files = {
        f"{slug}.md": f"Title: Story {slug[-2:]}\nSlug: {slug}\nDate: {date:%Y-%m-%d %H:%M}\n\nText.\n"
        for slug, date in week().items()
    }
    files.update(extra)
    return files


#: A repost inside the window: noindex when NEWSROOM_NOINDEX_SYNDICATED is on.
REPOST = (
    "Title: Repost\nSlug: repost\nDate: 2024-05-07 11:00\n"
    "Via: Wire <https://wire.example/story>\n\nText.\n"
)
DRAFT = "Title: Draft\nSlug: draft\nDate: 2024-05-07 10:00\nStatus: draft\n\nText.\n"
HIDDEN = "Title: Hidden\nSlug: hidden\nDate: 2024-05-07 10:00\nStatus: hidden\n\nText.\n"


def listed(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [loc.text for loc in root.iterfind("s:url/s:loc", NS)]


def schema() -> etree.XMLSchema:
    """The sitemap schema with the news schema imported, so ``news:news`` is checked strictly."""
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{SITEMAP_NS}" schemaLocation="{(FIXTURES / "sitemap.xsd").as_uri()}"/>
      <xsd:import namespace="{NEWS_NS}" schemaLocation="{(FIXTURES / "sitemap-news.xsd").as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def test_the_last_two_days_without_noindex_drafts_or_hidden(build_site):
    site = build_site(
        week_files(**{"repost.md": REPOST, "draft.md": DRAFT, "hidden.md": HIDDEN}),
        NEWSROOM_NEWS_SITEMAP="news-sitemap.xml",
        NEWSROOM_NOINDEX_SYNDICATED=True,
    )
    xml = (site.output / "news-sitemap.xml").read_bytes()
    expected = [
        f"https://news.example.org/{slug}.html"
        for slug, date in week().items()
        if date >= NEWEST - timedelta(hours=48)
    ]
    assert listed(xml) == expected  # newest first, the 48-hour boundary included
    assert len(expected) == 5
    assert "repost" in site.text("index.html")  # published, just not in the news sitemap


def test_every_entry_has_publication_language_date_and_title(build_site):
    site = build_site(
        week_files(
            **{
                "ü.md": "Title: Ünïcode\nSlug: grüße\nDate: 2024-05-07 07:00\n\nx\n",
                "fr.md": "Title: Grève <b>générale</b> & co\nSlug: greve\nLang: fr\nDate: 2024-05-07 08:00\n\nTexte.\n",
            }
        ),
        NEWSROOM_NEWS_SITEMAP="news-sitemap.xml",
        SITENAME="Test <em>Desk</em> & Co",
    )
    root = etree.fromstring((site.output / "news-sitemap.xml").read_bytes())
    schema().assertValid(root)
    urls = root.findall("s:url", NS)
    assert len(urls) == 7
    locs = [url.findtext("s:loc", namespaces=NS) for url in urls]
    assert "https://news.example.org/gr%C3%BC%C3%9Fe.html" in locs and all(map(str.isascii, locs))
    for url in urls:
        assert (
            url.findtext("news:news/news:publication/news:name", namespaces=NS) == "Test Desk & Co"
        )
    french = next(u for u in urls if "/greve" in u.findtext("s:loc", namespaces=NS))
    assert french.findtext("news:news/news:publication/news:language", namespaces=NS) == "fr"
    assert french.findtext("news:news/news:title", namespaces=NS) == "Grève générale & co"
    date = french.findtext("news:news/news:publication_date", namespaces=NS)
    assert date == "2024-05-07T08:00:00-04:00"  # W3C Datetime with the site's offset
    assert datetime.fromisoformat(date) == datetime(2024, 5, 7, 12, 0, tzinfo=UTC)


def test_the_schemas_reject_what_google_rejects():
    """The fixtures are not permissive: a bad language or a missing title fails them."""
    entry = NewsEntry("https://news.example.org/a.html", "A", NEWEST, "en")
    good = etree.fromstring(build_sitemap([entry], "Desk"))
    schema().assertValid(good)
    for bad in (
        build_sitemap([NewsEntry(entry.loc, "A", NEWEST, "english")], "Desk"),
        build_sitemap([entry], "Desk").replace(b"<news:title>A</news:title>", b""),
        build_sitemap([entry], "Desk").replace(b"<loc>https", b"<lastmod>x</lastmod><loc>https"),
    ):
        assert not schema().validate(etree.fromstring(bad))


def test_rebuilt_a_day_later_byte_identical(build_site):
    """The window is the content's, not the clock's: a clock-based window would differ here."""
    with freeze_time(NEWEST + timedelta(hours=1), tick=True):
        first = build_site(week_files(), NEWSROOM_NEWS_SITEMAP="news-sitemap.xml")
    with freeze_time(NEWEST + timedelta(hours=25), tick=True):
        second = build_site(week_files(), NEWSROOM_NEWS_SITEMAP="news-sitemap.xml")
    data = (first.output / "news-sitemap.xml").read_bytes()
    assert data == (second.output / "news-sitemap.xml").read_bytes()
    assert len(listed(data)) == 5


def test_source_date_epoch_is_the_reference(build_site, monkeypatch):
    """SOURCE_DATE_EPOCH two days before the newest article: the window moves back with it,
    and articles dated after it are kept (they are not older than two days)."""
    epoch = NEWEST - timedelta(hours=48)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch.timestamp())))
    with freeze_time(NEWEST + timedelta(days=3), tick=True):
        first = build_site(week_files(), NEWSROOM_NEWS_SITEMAP="news-sitemap.xml")
    with freeze_time(NEWEST + timedelta(days=4), tick=True):
        second = build_site(week_files(), NEWSROOM_NEWS_SITEMAP="news-sitemap.xml")
    data = (first.output / "news-sitemap.xml").read_bytes()
    assert data == (second.output / "news-sitemap.xml").read_bytes()
    expected = [
        f"https://news.example.org/{slug}.html"
        for slug, date in week().items()
        if date >= epoch - timedelta(hours=48)
    ]
    assert listed(data) == expected
    assert len(expected) == 9


def test_bad_source_date_epoch_names_it(monkeypatch):
    with pytest.raises(NewsroomSettingsError, match=r"SOURCE_DATE_EPOCH: '2024-05-07'.*seconds"):
        reference_time([NEWEST], {"SOURCE_DATE_EPOCH": "2024-05-07"})
    assert reference_time([], {}) is None
    assert reference_time([NEWEST], {"SOURCE_DATE_EPOCH": "0"}) == datetime(1970, 1, 1, tzinfo=UTC)


def test_at_most_google_limit_newest_kept(caplog):
    entries = [
        NewsEntry(f"https://news.example.org/{n}.html", str(n), NEWEST - timedelta(seconds=n), "en")
        for n in range(MAX_URLS + 5)
    ]
    kept = recent(reversed(entries), NEWEST)
    assert MAX_URLS == 1000
    assert kept == entries[:MAX_URLS]
    assert "at most 1000" in caplog.text


@pytest.mark.parametrize(
    ("lang", "code"),
    [
        ("en", "en"),
        ("pt_BR", "pt"),
        ("en-GB", "en"),
        ("FR", "fr"),
        ("haw", "haw"),
        ("zh", "zh-cn"),
        ("zh_CN", "zh-cn"),
        ("zh-TW", "zh-tw"),
        ("zh-Hant", "zh-tw"),
        ("english", None),
        ("e", None),
    ],
)
def test_languages_as_google_wants_them(lang, code):
    assert news_language(lang) == code


def test_an_unusable_language_leaves_the_article_out_with_a_warning(build_site):
    site = build_site(
        {
            "a.md": "Title: A\nSlug: a\nDate: 2024-05-07 08:00\n\nx\n",
            "b.md": "Title: B\nSlug: b\nLang: english\nDate: 2024-05-07 09:00\n\nx\n",
        },
        NEWSROOM_NEWS_SITEMAP="news-sitemap.xml",
    )
    assert listed((site.output / "news-sitemap.xml").read_bytes()) == [
        "https://news.example.org/a.html"
    ]
    [problem] = site.problems
    assert (problem.field, problem.value, problem.severity) == ("lang", "'english'", "warning")
    assert problem.file.endswith("b.md") and "ISO 639" in problem.expected


def test_off_by_default_and_never_without_an_absolute_siteurl(build_site, caplog):
    site = build_site(week_files())
    assert not list(site.output.rglob("*sitemap*"))
    site = build_site(week_files(), NEWSROOM_NEWS_SITEMAP="news-sitemap.xml", SITEURL="")
    assert not (site.output / "news-sitemap.xml").exists()
    assert "news sitemap not written" in caplog.text


@pytest.mark.parametrize("value", ["/srv/news.xml", "../news.xml", "a/../../news.xml", "", 3])
def test_bad_sitemap_paths_are_named(value):
    with pytest.raises(NewsroomSettingsError) as raised:
        NewsroomSettings.from_pelican({"NEWSROOM_NEWS_SITEMAP": value})
    assert "NEWSROOM_NEWS_SITEMAP" in str(raised.value) and repr(value) in str(raised.value)
    assert "inside OUTPUT_PATH" in str(raised.value)


def test_a_path_pelican_writes_fails_loudly(build_site):
    """Never two files at one path (getpelican/pelican#1105): our Writer records the sitemap."""
    from pelican.writers import FileOverwriteFailedError

    with pytest.raises(FileOverwriteFailedError, match=r"archives\.html"):
        build_site(week_files(), NEWSROOM_NEWS_SITEMAP="archives.html")
