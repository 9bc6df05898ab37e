"""Build-level guarantees: nothing lost to slug or guid clashes, drafts and hidden articles
kept out of feeds and Sources, relative URLs on and off.

Caches and rebuilds in one process are tested with the signal wiring, in ``test_plugin.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican_newsroom.errors import NewsroomBuildError

ARTICLES = {
    "news/a.md": "Title: Harbour story\nDate: Mon, 03/23/2020 – 07:54\nVia: Wire <https://wire.example/a>\nGuid: same-id\n\nFirst.\n",
    "news/b.md": "Title: Harbour story\nDate: Tue, 03/24/2020 – 08:00\nGuid: same-id\n\nSecond.\n",
    "news/c.md": "---\ntitle: Yaml story\ndate: 2020-03-25 09:00\nvia: [Origin <https://origin.example/>, Wire <https://wire.example/c>]\nimage: images/x.svg\nimage_credit: Agency\n---\nThird.\n",
}


def test_same_slug_and_same_guid_lose_nothing(build_site):
    with pytest.raises(NewsroomBuildError) as raised:
        build_site(ARTICLES)
    fields = sorted((Path(p.file).name, p.field) for p in raised.value.problems)
    assert fields == [("b.md", "guid"), ("b.md", "slug")]
    assert "a.md is also written to harbour-story.html" in str(raised.value)

    site = build_site(ARTICLES, NEWSROOM_STRICT=False)
    assert "First." in site.text("harbour-story.html")
    assert "Second." in site.text("harbour-story-2.html")


def test_drafts_and_hidden_never_reach_feeds_or_sources_and_translations_get_their_feed(build_site):
    secret = "Secret Outlet <https://secret.example/>"
    site = build_site(
        {
            "pub.md": "Title: Published story\nDate: 2020-03-23 07:54\nVia: Public Wire <https://public.example/>\nSlug: story\n\nPublic.\n",
            "pub-fr.md": "Title: Article publié\nDate: 2020-03-23 07:54\nLang: fr\nSlug: story\nVia: Agence <https://agence.example/>\n\nPublic en français.\n",
            "draft.md": f"Title: Draft story\nDate: 2020-03-24 07:54\nStatus: draft\nVia: {secret}\n\nDraft.\n",
            "hidden.md": f"Title: Hidden story\nDate: 2020-03-25 07:54\nStatus: hidden\nVia: {secret}\n\nHidden.\n",
        },
        TRANSLATION_FEED_ATOM="feeds/all-{lang}.atom.xml",
        NEWSROOM_TRANSLATION_FEED_JSON="feeds/all-{lang}.json",
    )
    assert site.problems == []
    feeds = {
        p.relative_to(site.output).as_posix(): p.read_text(encoding="utf-8")
        for p in (site.output / "feeds").rglob("*")
        if p.is_file()
    }
    assert "feeds/all-fr.atom.xml" in feeds and "feeds/all-fr.json" in feeds
    assert (
        "Agence" in feeds["feeds/all-fr.atom.xml"]
        and "Public Wire" not in feeds["feeds/all-fr.atom.xml"]
    )
    for name, text in feeds.items():
        assert (
            "secret.example" not in text
            and "Draft story" not in text
            and "Hidden story" not in text
        ), name
    assert not any("secret" in name for name in feeds)
    sources_page = site.text("sources.html")
    assert "Public Wire" in sources_page and "Secret Outlet" not in sources_page
    assert (site.output / "drafts" / "draft-story.html").exists()
    assert (site.output / "hidden-story.html").exists()


@pytest.mark.parametrize("relative", [False, True])
def test_relative_urls_on_and_off(build_site, relative):
    site = build_site(
        {
            "news/a.md": "Title: Story\nDate: 2020-03-23 07:54\nVia: Wire <https://wire.example/>\nImage: images/x.svg\n\nBody.\n",
            "images/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
        RELATIVE_URLS=relative,
        STATIC_PATHS=["images"],
    )
    page = site.text("story.html")
    expected = "./images/x.svg" if relative else "https://news.example.org/images/x.svg"
    assert f'src="{expected}"' in page
    assert '<link rel="canonical" href="https://news.example.org/story.html">' in page
    assert 'href="https://news.example.org/story.html"' in site.text("feeds/all.atom.xml")
