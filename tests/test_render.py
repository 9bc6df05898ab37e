"""render.py: the filters, the JSON-LD builder and the escaping our templates get.

Plain values and a bare Jinja environment: no build needed.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from lxml import html as lxml_html
from markupsafe import Markup

from pelican_newsroom.chain import Hop
from pelican_newsroom.model import Image, License
from pelican_newsroom.render import (
    build_news_article,
    footer_html,
    install_templates,
    json_script,
    plain_text,
    settings_of,
)
from pelican_newsroom.settings import SETTINGS_KEY, NewsroomSettings


def test_build_news_article_from_plain_values():
    tz = ZoneInfo("Asia/Tokyo")
    data = build_news_article(
        headline="Headline",
        url="https://site.example/a.html",
        published=datetime(2020, 3, 23, 7, 54, tzinfo=tz),
        authors=[("Ana", None)],
        publisher=("Site", "https://site.example"),
        image=Image(
            src="a.jpg", alt="Alt", credit="Agency", license=License("All rights reserved")
        ),
        image_url="https://site.example/a.jpg",
        chain=[Hop("Origin", "https://origin.example/"), Hop("Wire")],
        origin_url="https://origin.example/story",
    )
    assert data["datePublished"] == data["dateModified"] == "2020-03-23T07:54:00+09:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana"}]
    assert data["image"]["license"] == {"@type": "CreativeWork", "name": "All rights reserved"}
    assert data["isBasedOn"] == [
        {
            "@type": "CreativeWork",
            "position": 1,
            "url": "https://origin.example/story",
            "publisher": {
                "@type": "Organization",
                "name": "Origin",
                "url": "https://origin.example/",
            },
        },
        {
            "@type": "CreativeWork",
            "position": 2,
            "publisher": {"@type": "Organization", "name": "Wire"},
        },
    ]
    assert "keywords" not in data and "license" not in data  # empty values are left out


@given(
    st.recursive(
        st.text() | st.integers() | st.none(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_json_script_round_trips_and_cannot_close_the_script(value):
    body = str(json_script(value))
    assert json.loads(body) == value
    assert not {"<", ">", "&", "\u2028", "\u2029"} & set(body)


_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")))


@given(_XML_TEXT)
def test_plain_text_never_makes_an_element(value):
    fragment = lxml_html.fragment_fromstring(f"<p>{plain_text(value)}</p>")
    assert len(fragment) == 0
    assert fragment.text_content() == Markup(value).striptags()


# --- the environment install_templates prepares ------------------------------------------

LICENSED = SimpleNamespace(newsroom=SimpleNamespace(license=License("<b>CC</b> & co")))


def _env(tmp_path: Path, templates: dict[str, str], **settings: object) -> Environment:
    """A site theme holding ``templates``, with the partials installed as a build does."""
    for name, text in templates.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)))
    install_templates(env, NewsroomSettings.from_pelican(settings))
    return env


def _license(env: Environment, template: str = "newsroom/license.html") -> str:
    labels = {"license": "Licence <i>"}
    return env.get_template(template).render(
        article=LICENSED, NEWSROOM_SHOW_LICENSE=True, NEWSROOM_LABELS=labels, value="<b>"
    )


def test_our_partials_are_autoescaped(tmp_path):
    out = _license(_env(tmp_path, {}))
    assert "Licence &lt;i&gt;: &lt;b&gt;CC&lt;/b&gt; &amp; co" in out


def test_a_site_template_keeps_its_own_escaping_even_including_ours(tmp_path):
    env = _env(tmp_path, {"page.html": '{{ value }}|{% include "newsroom/license.html" %}'})
    out = _license(env, "page.html")
    assert out.startswith("<b>|")  # the site's own output: not escaped, as it was written
    assert "&lt;b&gt;CC&lt;/b&gt; &amp; co" in out  # the partial it includes: escaped


def test_a_partial_the_site_overrides_is_the_sites_and_not_autoescaped(tmp_path):
    env = _env(tmp_path, {"newsroom/license.html": "{{ article.newsroom.license.name }}"})
    assert _license(env) == "<b>CC</b> & co"


def test_site_urls_are_built_one_way(tmp_path):
    env = _env(
        tmp_path, {"links.html": '{{ "a b.html"|newsroom_url }} {{ "/f.xml"|newsroom_url(base) }}'}
    )
    out = env.get_template("links.html").render(SITEURL="..", base="https://feeds.example")
    assert out == "../a%20b.html https://feeds.example/f.xml"


def test_filters_read_the_builds_settings_object(tmp_path):
    """The global set by install_templates in a page; Pelican's settings when feeds call."""
    env = _env(tmp_path, {}, NEWSROOM_FOOTER="From {source}.")
    assert settings_of(env.globals).footer == "From {source}."
    built = NewsroomSettings.from_pelican({"NEWSROOM_FOOTER": "Via {source}!"})
    assert settings_of({SETTINGS_KEY: built, "NEWSROOM_FOOTER": "ignored"}) is built
    newsroom = SimpleNamespace(source=Hop("Wire <1>"), footer=None)
    repost = SimpleNamespace(newsroom=newsroom, authors=[])
    assert footer_html(repost, built.footer) == Markup("Via Wire &lt;1&gt;!")
    newsroom.footer = "Reported by {source}."  # the article's own footer wins
    assert footer_html(repost, built.footer) == Markup("Reported by Wire &lt;1&gt;.")
