"""The partials in themes that are not ours, with the README's own recipes.

The recipes are read from README.md (the ``<!-- recipe: THEMES: PATH -->`` blocks) and
written, unchanged, into a ``THEME_TEMPLATES_OVERRIDES`` folder: what the README tells theme
authors to do is exactly what is built here. Pelican's ``notmyidea`` and ``simple`` ship with
Pelican; ``reflex`` is the PyPI theme ``pelican-theme-reflex`` (a fork of Flex).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from pelican.settings import DEFAULT_CONFIG

from tests.conftest import REPO, Site, run_build, write_files
from tests.test_browser import Served, axe_violations, nu_errors
from tests.test_theme import NEWS_FILES

THEMES = ("notmyidea", "simple", "reflex")
REPOST = "ferry-timetable-changes-for-the-winter.html"
LICENSED = "harbour-crane-returns-to-service.html"
#: Every kind of page a theme writes: article, page, index, category, tag, author, archives.
PAGE_KINDS = (
    REPOST,
    "library-opens-on-sundays.html",
    "pages/about-us.html",
    "index.html",
    "category/transport.html",
    "tag/ferries.html",
    "author/ana-ruiz.html",
    "archives.html",
    "sources.html",
)

#: NEWS_FILES (a repost with a chain and a credited image, an original, a page) plus a licensed
#: repost whose source has a name too long to fit a phone's width without wrapping.
THEME_FILES: dict[str, str | bytes] = {
    **NEWS_FILES,
    "news/licensed.md": """
        Title: Harbour crane returns to service
        Date: Thu, 03/26/2020 – 08:15
        Author: Ana Ruiz
        Category: Transport
        Tags: harbour
        Via: Coastal Engineering and Maritime Infrastructure Weekly <https://coastal-engineering.example/news/cranes/2020/03/harbour-crane-returns>
            Harbour Wire <https://harbour-wire.example/>
        License: https://creativecommons.org/licenses/by/4.0/

        The crane is back after repairs.
        """,
}

#: What each theme itself needs (not the recipe): reflex's footer fails without CC_LICENSE.
THEME_SETTINGS: dict[str, dict[str, Any]] = {
    "reflex": {
        "CC_LICENSE": {"name": "Creative Commons Attribution", "version": "4.0", "slug": "by"},
        "USE_GOOGLE_FONTS": False,
    },
}

_RECIPE = re.compile(
    r"<!-- recipe: (?P<themes>[^:]+): (?P<path>\S+) -->\n```jinja\n(?P<body>.*?)```", re.S
)


def readme_recipes() -> dict[str, dict[str, str]]:
    """theme -> {template path: text}, from the README's recipe blocks."""
    recipes: dict[str, dict[str, str]] = {theme: {} for theme in THEMES}
    for match in _RECIPE.finditer((REPO / "README.md").read_text(encoding="utf-8")):
        for theme in match["themes"].split():
            recipes[theme][match["path"]] = match["body"]
    return recipes


def theme_path(name: str) -> str:
    if name == "reflex":
        import pelican.themes.reflex  # the test extra installs pelican-theme-reflex

        return str(pelican.themes.reflex.path())
    return str(Path(DEFAULT_CONFIG["THEME"]).parent / name)


def build_with_theme(root: Path, theme: str, recipe: bool, **settings: Any) -> Site:
    """THEME_FILES built with ``theme``, with the README's recipe for it or without any."""
    write_files(root / "content", THEME_FILES)
    if recipe:
        overrides = root / "newsroom-templates"
        for path, text in readme_recipes()[theme].items():
            target = overrides / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        settings["THEME_TEMPLATES_OVERRIDES"] = [str(overrides)]
    settings = {**THEME_SETTINGS.get(theme, {}), **settings}
    return run_build(root / "content", root / "output", THEME=theme_path(theme), **settings)


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory):
    """``themed(theme, recipe=True)``: that build, made once per module."""
    built: dict[tuple[str, bool], Site] = {}

    def get(theme: str, recipe: bool = True) -> Site:
        if (theme, recipe) not in built:
            root = tmp_path_factory.mktemp(f"{theme}-{'recipe' if recipe else 'alone'}")
            built[theme, recipe] = build_with_theme(root, theme, recipe)
        return built[theme, recipe]

    return get


def _doc(site: Site, relative: str):
    return lxml.html.fromstring((site.output / relative).read_bytes())


def test_the_readme_has_a_recipe_for_each_theme():
    recipes = readme_recipes()
    assert set(recipes["notmyidea"]) == {"base.html", "article.html"}
    assert set(recipes["simple"]) == {"base.html", "article.html"}
    assert set(recipes["reflex"]) == {"partial/neighbors.html", "partial/ga.html"}
    assert recipes["notmyidea"]["base.html"] == recipes["simple"]["base.html"]
    assert '{% include "newsroom/head.html" %}' in recipes["simple"]["base.html"]


@pytest.mark.parametrize("theme", THEMES)
def test_recipe_shows_chain_image_credit_and_licence(themed, theme):
    site = themed(theme)
    repost = _doc(site, REPOST)
    chain = repost.xpath("//section[@class='nr-attribution']//li[contains(@class, 'h-cite')]")
    assert [li.xpath("string(.//*[contains(@class, 'p-name')])") for li in chain] == [
        "Island Post",
        "Harbour Wire",
    ]
    assert repost.xpath("string(//*[@class='nr-credit'])").strip() == "Photo: Harbour Photo Agency"
    assert repost.xpath("//aside[contains(@class, 'nr-')]") == []
    licence = _doc(site, LICENSED).xpath("//p[@class='nr-article-license']")
    assert [p.text_content() for p in licence] == ["Licence: CC BY 4.0"]
    assert licence[0].xpath("a/@rel") == ["license"]
    assert _doc(site, REPOST).xpath("//p[@class='nr-article-license']") == []  # none given


@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_head_from_base_html_renders_on_every_kind_of_page(themed, theme):
    site = themed(theme)
    for relative in PAGE_KINDS:
        doc = _doc(site, relative)
        canonical = doc.xpath("//head/link[@rel='canonical']/@href")
        assert len(canonical) == 1, relative
        assert canonical[0].startswith("https://news.example.org/"), relative
        assert len(doc.xpath("//head/meta[@name='description']")) <= 1, relative
        assert len(doc.xpath("//head/style[contains(., '.nr-visually-hidden')]")) == 1, relative
    assert _doc(site, "index.html").xpath("//head/link[@rel='canonical']/@href") == [
        "https://news.example.org/"
    ]
    assert _doc(site, "category/transport.html").xpath("//meta[@property='og:title']/@content") == [
        "Transport"
    ]
    article = _doc(site, REPOST)
    assert article.xpath("//meta[@property='og:type']/@content") == ["article"]
    assert article.xpath("//script[@type='application/ld+json']")
    page = _doc(site, "pages/about-us.html")
    assert page.xpath("//meta[@property='og:type']/@content") == ["website"]
    assert page.xpath("//script[@type='application/ld+json']") == []


def test_notmyidea_writes_the_only_description(themed):
    """notmyidea writes the article's description itself; head.html must not add a second."""
    doc = _doc(themed("notmyidea"), REPOST)
    assert doc.xpath("//head/meta[@name='description']/@content") == [
        "The winter timetable starts next week."
    ]


# --- in a browser and the Nu HTML checker -------------------------------------------------

SITEURL = "https://news.example.org"


def _served(browser, site: Site, width: int):
    return Served(browser, site, SITEURL, viewport={"width": width, "height": 900})


def _screenshot(page, tmp_path: Path, name: str) -> None:
    """Kept in NEWSROOM_SCREENSHOT_DIR when set, for a person to look at."""
    target = tmp_path / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    if os.environ.get("NEWSROOM_SCREENSHOT_DIR"):
        out = Path(os.environ["NEWSROOM_SCREENSHOT_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, out / target.name)


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_nu_html_checker_finds_no_errors_with_the_recipe(java_path, themed, theme):
    pages = themed(theme).pages()
    assert {p.name for p in pages} >= {Path(r).name for r in PAGE_KINDS}
    assert nu_errors(java_path, pages) == []


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_axe_finds_nothing_the_theme_alone_does_not(browser, themed, theme):
    """Rules axe finds broken with the recipe are a subset of those broken by the theme alone."""
    broken: dict[bool, dict[str, set[str]]] = {True: {}, False: {}}
    for recipe in (True, False):
        served = _served(browser, themed(theme, recipe), 1280)
        try:
            for relative in (REPOST, LICENSED, "pages/about-us.html", "index.html", "sources.html"):
                found = axe_violations(served.open(relative))
                broken[recipe][relative] = {str(v["id"]) for v in found}
        finally:
            served.close()
    for relative, rules in broken[True].items():
        assert rules <= broken[False][relative], relative


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_screen_reader_text_is_not_shown(browser, themed, theme):
    served = _served(browser, themed(theme), 1280)
    try:
        page = served.open("sources.html")
        hidden = page.locator(".nr-visually-hidden")
        assert hidden.count() >= 3  # our per-source feed links: "Atom: <source>"…
        boxes = [hidden.nth(i).bounding_box() for i in range(hidden.count())]
        texts = hidden.all_text_contents()
    finally:
        served.close()
    assert all(box and box["width"] <= 1 and box["height"] <= 1 for box in boxes), boxes
    assert all(text.startswith(": ") for text in texts)  # still there for screen readers


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_reflex_keeps_the_chain_inside_the_article_column(browser, themed, tmp_path, width):
    site = themed("reflex")
    served = _served(browser, site, width)
    try:
        for relative in (REPOST, LICENSED):
            page = served.open(relative)
            article = page.locator("article.single").bounding_box()
            chain = page.locator(".nr-attribution").bounding_box()
            sidebar = page.locator("body > aside").bounding_box()
            position = page.evaluate(
                "getComputedStyle(document.querySelector('.nr-attribution')).position"
            )
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            _screenshot(page, tmp_path, f"reflex-{width}-{Path(relative).stem[:24]}")
            assert article and chain and sidebar
            assert position == "static", relative
            assert article["x"] - 0.5 <= chain["x"], relative
            assert chain["x"] + chain["width"] <= article["x"] + article["width"] + 0.5, relative
            assert chain["y"] >= article["y"] - 0.5, relative
            assert chain["y"] + chain["height"] <= article["y"] + article["height"] + 0.5, relative
            beside = chain["x"] >= sidebar["x"] + sidebar["width"] - 0.5
            below = chain["y"] >= sidebar["y"] + sidebar["height"] - 0.5
            assert beside or below, f"{relative}: the chain covers the sidebar at {width}px"
            assert overflow <= 0, f"{relative} scrolls sideways at {width}px"
    finally:
        served.close()


@pytest.mark.browser
@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_with_the_recipe(browser, themed, tmp_path, theme, width):
    served = _served(browser, themed(theme), width)
    try:
        page = served.open(REPOST)
        _screenshot(page, tmp_path, f"{theme}-{width}-repost")
        chain = page.locator(".nr-attribution").bounding_box()
    finally:
        served.close()
    assert chain and chain["x"] >= 0 and chain["x"] + chain["width"] <= width
