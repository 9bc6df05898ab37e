"""Other sites' HTML made valid (:mod:`pelican_newsroom.repair`): obsolete elements and
attributes, anchors and ids, elements where their parent's content model forbids them.

``repair`` is tested on its own trees first, then through ``sanitize_html`` (the way
imported bodies reach it): legacy markup repaired case by case, generated legacy bodies
checked on their tree, and (``browser``) by the Nu HTML checker.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, fromstring, tostring

import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_newsroom.repair import repair, unwrap
from pelican_newsroom.sanitize import sanitize_html
from tests.test_browser import nu_errors


def _repaired(markup: str, id_prefix: str = "") -> str:
    """``markup`` (well-formed, inside a flow-content root) after :func:`repair`."""
    fragment = fromstring(f"<root>{markup}</root>")
    repair(fragment, id_prefix)
    return tostring(fragment, encoding="unicode").removeprefix("<root>").removesuffix("</root>")


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<center>c</center>", "<div>c</div>"),
        (
            "<strike>s</strike><tt>t</tt><acronym>a</acronym>",
            "<s>s</s><code>t</code><abbr>a</abbr>",
        ),
        ("x<font>f<i>i</i></font>y", "xf<i>i</i>y"),  # no modern name: unwrapped, content kept
    ],
)
def test_an_obsolete_element_gets_its_modern_name_or_is_unwrapped(markup, expected):
    assert _repaired(markup) == expected


def test_a_block_inside_phrasing_content_is_unwrapped_with_a_space_after_it():
    assert _repaired("<p>a<div>block</div>b</p>") == "<p>ablock b</p>"
    assert _repaired("<h2><ul><li>one</li></ul></h2>") == "<h2>one </h2>"
    assert _repaired("<div><p>kept</p></div>") == "<div><p>kept</p></div>"  # flow content: stays


def test_ids_are_made_valid_prefixed_and_unique():
    assert _repaired('<p id="a b">1</p><p id="a-b">2</p>', "story-") == (
        '<p id="story-a-b">1</p><p id="story-a-b-2">2</p>'
    )


def test_unwrap_keeps_text_children_and_tail_in_order():
    parent = fromstring("<p>a<b>b<i>i</i>c</b>d</p>")
    unwrap(parent, 0)
    assert tostring(parent, encoding="unicode") == "<p>ab<i>i</i>cd</p>"
    empty = Element("p")
    empty.append(Element("span"))
    unwrap(empty, 0)
    assert (empty.text, len(empty)) == (None, 0)


# --- through sanitize_html: what the Nu HTML checker would refuse is repaired ----------------

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
