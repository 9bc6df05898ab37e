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


@given(texts)
@example("")
@example("plain text, no trouble")
@example("a\ud800b")
@example("\U0001f600 emoji is fine")
def test_has_xml_illegal_agrees_with_the_regular_expression(text):
    assert has_xml_illegal(text) == bool(XML_ILLEGAL_RE.search(text))


@given(texts)
def test_stripped_text_is_accepted_by_lxml(text):
    element = etree.Element("p")
    element.text = strip_xml_illegal(text)  # lxml raises on any XML-illegal character
    assert not has_xml_illegal(element.text or "")
