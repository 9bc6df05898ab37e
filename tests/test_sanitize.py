"""Imported text made safe to store (:mod:`pelican_newsroom.sanitize`): bodies that Markdown
cannot reinterpret and Pelican cannot resolve, metadata any theme may print, and an imported
legacy article built into a valid page.

The repairs that make other sites' HTML valid are tested in ``test_repair.py``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG

from pelican_newsroom.article_file import BODY_CLASS
from pelican_newsroom.importer import ImportOptions, run_import
from pelican_newsroom.sanitize import (
    html_to_text,
    one_line,
    plain_name,
    sanitize_html,
    title_html,
)
from tests.conftest import Site, run_build
from tests.test_browser import nu_errors

BASE = "https://wire.example/story"
#: Pieces a hostile body is made of: markup that ends blocks early, Markdown syntax, Pelican
#: placeholders in both spellings, attribute-list syntax, entities.
PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<iframe src='https://video.example/e'>",
        "</iframe>",
        "<abbr title=\"src='{attach}/../../secret.txt'\">",
        "</abbr>",
        '<a href="{filename}/../x.md">',
        "</a>",
        "<pre><code>",
        "</code></pre>",
        "<img src='|static|../../etc/passwd'>",
        "\n\n",
        "\n    ",
        "[x](javascript:alert(1))",
        "{: onmouseover=alert(1) }",
        "*emph* _u_ `code`",
        "# heading",
        "> quote",
        "&amp; &lt; &#123;",
        "<!-- c -->",
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        "text",
        "ünïcode ✓",
        "|attach|",
        "{index}",
    ]
)
BODIES = st.lists(PIECES, max_size=25).map("".join)


def _markdown() -> Markdown:
    """Pelican's default Markdown configuration (extra, codehilite, meta, attr_list via extra)."""
    return Markdown(**DEFAULT_CONFIG["MARKDOWN"])


@settings(max_examples=150, deadline=None)
@given(BODIES, st.booleans())
def test_markdown_passes_a_sanitized_body_through_unchanged(body: str, iframes: bool) -> None:
    """Whatever the body, Markdown sees one raw-HTML block and changes nothing inside it."""
    clean = sanitize_html(body, BASE, allow_iframes=iframes)
    wrapped = f'<div class="{BODY_CLASS}">\n{clean}\n</div>'
    assert _markdown().convert(wrapped + "\n") == _normalized_whitespace(wrapped)


def _normalized_whitespace(text: str) -> str:
    """What Markdown's whitespace normalization does to any text (tabs expanded, blank
    lines emptied): the only change it may make to an imported body."""
    return re.sub(r"(?m)^[ ]+$", "", text.expandtabs(4))


@settings(max_examples=150, deadline=None)
@given(BODIES, st.booleans())
def test_no_placeholder_script_or_handler_survives(body: str, iframes: bool) -> None:
    clean = sanitize_html(body, BASE, allow_iframes=iframes)
    assert not set("{}|") & set(clean)  # Pelican's placeholder pattern needs one of them
    if not clean.strip():
        return
    tree = lxml.html.fragment_fromstring(clean, create_parent="div")
    for element in tree.iter():
        assert element.tag not in {"script", "style"}
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            assert not value.strip().lower().startswith("javascript:")
        if element.tag == "iframe":  # fallback text is never shown: none is kept
            assert not element.text and len(element) == 0


def test_iframe_text_cannot_end_the_block() -> None:
    """nh3 leaves an iframe's text raw; a ``</div>`` there once ended Markdown's HTML block."""
    body = (
        "<iframe src='https://video.example/e'></div>\n\n[x](javascript:alert(1))\n"
        "{: onmouseover=alert(1) }</iframe><p>after</p>"
    )
    clean = sanitize_html(body, BASE, allow_iframes=True)
    assert clean == '<iframe src="https://video.example/e"></iframe><p>after</p>'


def test_placeholders_become_character_references_that_read_the_same() -> None:
    clean = sanitize_html("<abbr title=\"src='{attach}/../x'\">a|b {static}</abbr>", BASE)
    assert "&#123;attach&#125;" in clean and "a&#124;b" in clean
    element = lxml.html.fragment_fromstring(clean)
    assert element.get("title") == "src='{attach}/../x'"  # what the browser shows
    assert element.text == "a|b {static}"


def test_metadata_values_are_one_line_and_markup_free() -> None:
    assert one_line("a\x1cb\u2028c\x85d\re\nf\x00g") == "a b c d e f g"
    assert plain_name('<script>"Ann" O\'Brien</script>') == "‹script›“Ann” O’Brien‹/script›"
    assert plain_name("`x` ('y')") == "‘x’ (‘y’)"
    assert title_html("A <b> & \"q\" 'x'\u2029y") == "A ‹b› &amp; “q” ‘x’ y"
    assert html.unescape(title_html("Q&A: &lt;i&gt;")) == "Q&A: &lt;i&gt;"


@given(st.text())
def test_stored_metadata_is_inert_in_text_attributes_and_after_striptags(value: str) -> None:
    """What Pelican themes do with a title: print it raw, or ``|striptags`` into an attribute."""
    for stored in (title_html(value), plain_name(value)):
        for shown in (stored, str(Markup(stored).striptags())):
            assert not set("<>\"'`") & set(shown)
            assert "\n" not in shown and "\r" not in shown
    assert html_to_text("<p>One</p><p>two &amp; <b>three</b></p>") == "One two & three"


# --- an imported legacy article, end to end ---------------------------------------------


LEGACY_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Old Town Courier</title><link href="https://courier.example/"/>
<id>tag:courier.example,2020:feed</id><updated>2020-04-07T11:00:31.364512+00:00</updated>
<entry>
  <title>Harbour bridge reopens</title>
  <link href="https://courier.example/news/bridge reopens.html"/>
  <id>tag:courier.example,2020:1</id>
  <published>2020-04-07T11:00:31.364512+00:00</published>
  <updated>2020-04-07T12:30:05.5+00:00</updated>
  <content type="html"><![CDATA[<center><font face="Arial" size="2"><a name="top"></a><b>HARBOUR</b>
  &ndash; The bridge <big>reopened</big> on <tt>Monday</tt>.</font></center>
  <table border="1" width="100%" align="center" summary="times" cellpadding="2">
  <tr><td align="right" colspan="3">Hours</td></tr><tr><td>7</td><td>19</td></tr></table>
  <p><img src="/photos/bridge at dusk.jpg" width="100%" border="0"><br clear="all">
  <figcaption>The bridge at dusk</figcaption>
  <a href="javascript:void(0)">Share</a> <a href="/archive/100%.html">Archive</a>
  <li>Lanes: two</li><li>Tolls: <strike>1.50</strike> none</li>
  <p id="top"><acronym title="Department of Transport">DoT</acronym> notes</p>
  <b><p>Bold paragraph</p></b><h2><div>Heading block</div></h2>]]></content>
</entry>
</feed>
"""


def _imported_site(tmp_path: Path) -> Site:
    feed = tmp_path / "courier.xml"
    feed.write_text(LEGACY_FEED, encoding="utf-8")
    content = tmp_path / "content"
    results = run_import([str(feed)], ImportOptions(output=content / "imported"))
    assert [item.action for result in results for item in result.items] == ["new"]
    return run_build(content, tmp_path / "output", NEWSROOM_STRICT=True)


def test_an_imported_legacy_article_builds_with_page_dates_html_accepts(tmp_path: Path) -> None:
    """Feed dates to the microsecond are imported to the second, and pages show every date
    to the second (HTML allows at most three digits of a fraction)."""
    site = _imported_site(tmp_path)
    page = site.text("harbour-bridge-reopens.html")
    assert re.search(
        r"^date: '2020-04-07T11:00:31\+00:00'$",
        (tmp_path / "content/imported")
        .joinpath("harbour-bridge-reopens.md")
        .read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    stamps = re.findall(r'datetime="([^"]+)"', page) + re.findall(r'"date\w+": "([^"]+)"', page)
    assert stamps and all(re.fullmatch(r"[\d-]{10}T[\d:]{8}[+-]\d\d:\d\d", s) for s in stamps)
    body = page.split('class="newsroom-import"', 1)[1]
    for obsolete in ("<center", "<font", "<big", "<tt", "<strike", "<acronym", "align=", "border="):
        assert obsolete not in body
    assert 'src="https://courier.example/photos/bridge%20at%20dusk.jpg" alt=""' in body
    assert 'href="https://courier.example/archive/100%25.html"' in body
    assert 'id="harbour-bridge-reopens-top"' in body and "Share" in body


@pytest.mark.browser
def test_an_imported_legacy_article_page_is_valid(java_path: str, tmp_path: Path) -> None:
    site = _imported_site(tmp_path)
    assert nu_errors(java_path, site.pages()) == []


def test_iframes_only_when_allowed() -> None:
    html = '<p>x</p><iframe src="https://video.example/e" onload="x()"></iframe><iframe src="javascript:x()"></iframe>'
    assert "<iframe" not in sanitize_html(html, "https://a.example/")
    allowed = sanitize_html(html, "https://a.example/", allow_iframes=True)
    assert '<iframe src="https://video.example/e"></iframe>' in allowed
    assert "javascript" not in allowed and "onload" not in allowed
    assert sanitize_html("a\x00b\x1fc\ufffe", None) == "abc"  # XML-illegal characters removed
    assert sanitize_html('<a href="/x">x</a>', None) == "x"  # no base: link dropped, text kept
