"""Imported text made safe to store: bodies that Markdown cannot reinterpret and Pelican
cannot resolve, metadata any theme may print."""

from __future__ import annotations

import html
import re
from pathlib import Path

import lxml.etree
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


# --- valid HTML: what the Nu HTML checker would refuse is repaired ----------------------------

#: Pieces of real-world legacy markup: layout tables, font soup, anchors, misplaced parts.
LEGACY_PIECES = st.sampled_from(
    [
        "<font face='Arial' size=2 color=red>",
        "</font>",
        "<center>",
        "</center>",
        "<big>",
        "<tt>",
        "</tt>",
        "<strike>",
        "<acronym title='North Atlantic'>",
        "</acronym>",
        "<table border=1 width='100%' align=center summary='layout' cellpadding=2>",
        "<tr valign=top>",
        "<td align=right width=50 colspan=3 rowspan=9 headers=h1>",
        "<th scope=sideways>",
        "</td>",
        "</tr>",
        "</table>",
        "<caption>",
        "<thead>",
        "<tfoot>",
        "<colgroup span=0><col span=2 align=left>",
        "<a href='https://x.example/a story.html'>",
        "<a href='javascript:alert(1)'>",
        "<a href='/100%.html'>",
        "<a href='http://bad host/'>",
        "<a name='sec 1'>",
        "<a id='dup'>",
        "<a href='#dup' name='n'>",
        "</a>",
        "<figure>",
        "</figure>",
        "<figcaption>",
        "</figcaption>",
        "<img src='/photo of pier.jpg' width='100%' align=left border=0>",
        "<img alt='no source'>",
        "<img src='x.jpg'>",
        "<ul>",
        "</ul>",
        "<ol start=x>",
        "<li>",
        "</li>",
        "<dl>",
        "<dt>",
        "<dd>",
        "<p>",
        "</p>",
        "<div id='dup'>",
        "</div>",
        "<span>",
        "<b>",
        "</b>",
        "<h2>",
        "</h2>",
        "<pre>",
        "<blockquote cite='notes on it'>",
        "</blockquote>",
        "<hr align=center size=2 width=50%>",
        "<br clear=all>",
        "<details>",
        "<summary>",
        "<ruby>",
        "<rt>",
        "<rp>",
        "</ruby>",
        "<rtc>",
        "<time>",
        "<data>",
        "<bdo>",
        "<bdo dir=RTL>",
        "<map name=m><area href=x alt=a>",
        "<header>",
        "<footer>",
        "<hgroup>",
        "<ins datetime='2020-01-01'>",
        "<del datetime='yesterday'>",
        "<q cite='x y'>",
        "<p lang='english'>",
        "<p lang='en-GB'>",
        "<iframe src='https://video.example/e f' width=100% frameborder=0>",
        "</iframe>",
        "<wbr>",
        "text ",
        " more text ",
        "\x85\x9f",
        "100%",
    ]
)
LEGACY_BODIES = st.lists(LEGACY_PIECES, min_size=1, max_size=30).map("".join)
LEGACY_BASE = "https://wire.example/story"
#: What each content model allows as a parent (the structural checks below).
PARENTS = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "figcaption": {"figure"},
    "summary": {"details"},
    "rt": {"ruby"},
    "tr": {"thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
}
OBSOLETE_TAGS = {"center", "font", "big", "tt", "strike", "acronym", "rtc", "hgroup", "map"}
OBSOLETE_ATTRIBUTES = {"align", "border", "char", "charoff", "valign", "headers", "name"}
PHRASING_ONLY = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "b", "q", "abbr"}


def _legacy(body: str) -> str:
    return sanitize_html(body, LEGACY_BASE, allow_iframes=True, id_prefix="story-")


def _structure_problems(clean: str) -> list[str]:
    """What the Nu checker would refuse, checked on the tree (no Java needed)."""
    if not clean.strip():
        return []
    tree = lxml.html.fragment_fromstring(clean, create_parent="div")
    problems, ids = [], []
    for element in tree.iter(lxml.etree.Element):
        tag, parent = element.tag, element.getparent()
        where = lxml.html.tostring(element, encoding="unicode")[:80]
        if tag in OBSOLETE_TAGS or OBSOLETE_ATTRIBUTES & set(element.attrib):
            problems.append(f"obsolete: {where}")
        if tag in PARENTS and (parent is None or parent.tag not in PARENTS[tag]):
            problems.append(f"outside its parent: {where}")
        if tag in PHRASING_ONLY and any(
            inner.tag in {"div", "p", "ul", "table", "figure", "h2"}
            for inner in element.iter()
            if inner is not element
        ):
            problems.append(f"block in phrasing content: {where}")
        if tag == "a" and "href" not in element.attrib:
            problems.append(f"a without href: {where}")
        if tag == "img" and ("alt" not in element.attrib or "src" not in element.attrib):
            problems.append(f"img without alt or src: {where}")
        for name in ("href", "src", "cite"):
            url = element.get(name, "")
            if " " in url or re.search("%(?![0-9A-Fa-f]{2})", url):
                problems.append(f"illegal character in {name}: {where}")
        if "id" in element.attrib:
            ids.append(element.get("id"))
            if not element.get("id").startswith("story-") or " " in element.get("id"):
                problems.append(f"id not valid or not prefixed: {where}")
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate ids: {sorted(ids)}")
    return problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<a name='x'>y</a>", '<span id="story-x">y</span>'),
        ("<h2><a name='top part'></a>Top</h2>", '<h2 id="story-top-part">Top</h2>'),
        ("<p>x<a id='n'></a>y</p>", '<p>x<span id="story-n"></span>y</p>'),
        ("<a id='x'><div>block</div></a>", '<span id="story-x"></span><div>block</div>'),
        ("<i id='q'>1</i><b id='q'>2</b>", '<i id="story-q">1</i><b id="story-q-2">2</b>'),
        ("<a href='javascript:x()'>click</a>", "click"),
        ("<a href='http://bad host/'>h</a>", "h"),
        ("<img src='a.jpg'>", '<img src="https://wire.example/a.jpg" alt="">'),
        ("<img alt='Pier'>", "Pier"),
        (
            "<img src='/a b.jpg' width='100%' height=' 20 ' align=left border=0>",
            '<img src="https://wire.example/a%20b.jpg" height="20" alt="">',
        ),
        (
            "<a href='/100%.html?q=a b'>p</a>",
            '<a href="https://wire.example/100%25.html?q=a%20b" rel="noopener noreferrer">p</a>',
        ),
        (
            "<font color=red>f</font><center>c</center><big>b</big><tt>t</tt>"
            "<strike>s</strike><acronym>a</acronym>",
            "f<div>c</div>b<code>t</code><s>s</s><abbr>a</abbr>",
        ),
        ("<figcaption>alone</figcaption>", "<div>alone</div>"),
        (
            "<figure><img src='a.jpg'><figcaption>1</figcaption><p>2</p><figcaption>3</figcaption></figure>",
            '<figure><img src="https://wire.example/a.jpg" alt=""><div>1</div><p>2</p>'
            "<figcaption>3</figcaption></figure>",
        ),
        ("x<li>a<li>b", "x<ul><li>a</li><li>b</li></ul>"),
        (
            "<ul>text<li>x</li><ul><li>n</ul></ul>",
            "<ul><li>text</li><li>x</li><li><ul><li>n</li></ul></li></ul>",
        ),
        ("<dl><dd>d</dd><dt>t</dt></dl>", "<dl><dt></dt><dd>d</dd><dt>t</dt><dd></dd></dl>"),
        ("<td>cell</td><tr><th>row", "cellrow"),  # html5lib drops table parts outside tables
        ("<b><p>x</p><p>y</p></b>", "<b>x y </b>"),
        ("<h2><div><p>x</p></div></h2>", "<h2>x </h2>"),
        ("<span><ul><li>x</ul></span>", "<span>x </span>"),
        (
            "<table align=center border=1 summary=s width=80%><tr><td colspan=3 align=left>1</table>",
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ),
        (
            "<table><tr><td rowspan=4>a<td>b</tr><tr><td colspan=7>c</table>",
            '<table><tbody><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>c</td></tr></tbody></table>',
        ),
        (
            "<table><tr><td>x</td></tr><caption>late</caption></table>",
            "<table><caption>late</caption><tbody><tr><td>x</td></tr></tbody></table>",
        ),
        (
            "<table><tr><th><h3>Head</h3></th></tr></table>",
            "<table><tbody><tr><th><div>Head</div></th></tr></tbody></table>",
        ),
        ("<header><footer>f</footer></header>", "<header><div>f</div></header>"),
        (
            "<details><p>open</p></details><summary>s</summary>",
            "<div><p>open</p></div><div>s</div>",
        ),
        (
            "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby><ruby>no annotation</ruby>",
            "<ruby>漢<rt>kan</rt></ruby>no annotation",
        ),
        (
            "<time>today</time><data>1</data><bdo>b</bdo><bdo dir=RTL>r</bdo>",
            'today1b<bdo dir="rtl">r</bdo>',
        ),
        ("<map name=m><area href=x alt=a></map><hgroup><h1>h</h1></hgroup>", "<h1>h</h1>"),
        ("<p lang=english>a</p><p lang=en-GB>b</p>", '<p>a</p><p lang="en-GB">b</p>'),
        ("<ol start=' 3'><li>x</ol><th scope=ROW>", '<ol start="3"><li>x</li></ol>'),
        (
            "<ins datetime='2020-01-01'>i</ins><del datetime='yesterday'>d</del>",
            '<ins datetime="2020-01-01">i</ins><del>d</del>',
        ),
        ("<hr align=center size=2 width=50%><p>a\x85b\x9f\ufdd0c</p>", "<hr><p>abc</p>"),
        ("a<wbr>b", "ab"),  # html5lib's serializer would write </wbr>
    ],
)
def test_legacy_markup_is_repaired(body: str, expected: str) -> None:
    assert _legacy(body) == expected
    assert _structure_problems(_legacy(body)) == []


@settings(max_examples=300, deadline=None)
@given(LEGACY_BODIES)
def test_legacy_markup_comes_out_well_formed_for_its_content_models(body: str) -> None:
    clean = _legacy(body)
    assert _structure_problems(clean) == []
    assert not set("{}|") & set(clean)
    # Nothing is left to repair: a second pass (ids already prefixed) changes nothing.
    assert _canonical(sanitize_html(clean, LEGACY_BASE, allow_iframes=True)) == _canonical(clean)


def _canonical(markup: str) -> list[tuple[object, ...]]:
    """Markup as its tree (attribute order aside)."""
    tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    return [(e.tag, sorted(e.attrib.items()), e.text, e.tail) for e in tree.iter()]


@pytest.mark.browser
def test_legacy_markup_is_valid_per_the_nu_checker(java_path: str, tmp_path: Path) -> None:
    """Hundreds of generated legacy bodies in minimal valid pages, one run of the checker."""
    bodies: list[str] = []

    @settings(max_examples=400, deadline=None, database=None)
    @given(LEGACY_BODIES)
    def collect(body: str) -> None:
        bodies.append(body)

    collect()
    pages = {}
    for number, body in enumerate(bodies):
        page = tmp_path / f"page{number}.html"
        page.write_text(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            f"</head><body><div>\n{_legacy(body)}\n</div></body></html>",
            encoding="utf-8",
        )
        pages[page.name] = body
    errors = nu_errors(java_path, sorted(tmp_path.glob("*.html")))
    assert errors == [], [(e, pages.get(e.split(":")[-2].rsplit("/", 1)[-1])) for e in errors[:5]]


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
