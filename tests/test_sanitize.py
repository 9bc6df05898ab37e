"""Imported text made safe to store: bodies that Markdown cannot reinterpret and Pelican
cannot resolve, metadata any theme may print."""

from __future__ import annotations

import html
import re

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markupsafe import Markup
from pelican.settings import DEFAULT_CONFIG

from pelican_newsroom.importer import BODY_CLASS
from pelican_newsroom.sanitize import (
    html_to_text,
    one_line,
    plain_name,
    sanitize_html,
    title_html,
)

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
