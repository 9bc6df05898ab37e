"""XML hygiene of text: the fast check agrees with the regular expression that defines it."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from pelican_newsroom.text import XML_ILLEGAL_RE, has_xml_illegal, strip_xml_illegal

# Every code point, lone surrogates included, with the edge cases drawn often.
EDGES = [
    "\x00",
    "\x08",
    "\t",
    "\n",
    "\x0b",
    "\r",
    "\x1f",
    " ",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\x7e",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\xa0",
    "\xa9",
    "\ufdcf",
    "\ufdd0",
    "\ufdef",
    "\ufdf0",
    "\U0001fffe",
    "\U0010ffff",
    "\U0001fffd",
    "\u0ffe",
]
texts = st.lists(
    st.sampled_from(EDGES) | st.characters(codec=None) | st.text(max_size=3), max_size=30
).map("".join)


def _forbidden(code: int) -> bool:
    """The definition, code point by code point: what XML 1.0 forbids, and what HTML does."""
    return (
        (code < 0x20 and code not in (0x09, 0x0A, 0x0D))
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or code & 0xFFFE == 0xFFFE  # the last two code points of every plane
    )


def test_the_expression_matches_exactly_the_forbidden_code_points():
    every = "".join(map(chr, range(0x110000)))
    matched = {ord(m[0]) for m in XML_ILLEGAL_RE.finditer(every)}
    assert matched == {code for code in range(0x110000) if _forbidden(code)}


@given(texts)
@example("")
@example("plain text, no trouble")
@example("a\ud800b")
@example("\U0001f600 emoji is fine")
def test_has_xml_illegal_follows_the_definition(text):
    assert has_xml_illegal(text) == any(_forbidden(ord(c)) for c in text)


@given(texts)
def test_stripped_text_is_accepted_by_lxml(text):
    element = etree.Element("p")
    element.text = strip_xml_illegal(text)  # lxml raises on any XML-illegal character
    assert not has_xml_illegal(element.text or "")
