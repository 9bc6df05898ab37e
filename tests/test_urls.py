"""URL policy (SPEC §5): safe schemes only, and URLs stored valid (percent-encoded)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pelican_newsroom.errors import NewsroomError
from pelican_newsroom.urls import encode_url, parse_absolute_url, parse_site_url

ILLEGAL = set(' "<>\\^`{|}')


def test_quotes_and_non_ascii_are_encoded_hosts_become_idna():
    assert (
        parse_absolute_url('https://a.example/?q="x"&y=<z>')
        == "https://a.example/?q=%22x%22&y=%3Cz%3E"
    )
    assert (
        parse_absolute_url("https://bücher.example/straße")
        == "https://xn--bcher-kva.example/stra%C3%9Fe"
    )
    assert parse_site_url("images/café photo.jpg") == "images/caf%C3%A9%20photo.jpg"
    assert parse_site_url("{static}/images/a.jpg") == "/images/a.jpg"


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        ("javascript:alert(1)", "warning"),
        ("JaVa\tScRiPt:alert(1)", "warning"),
        ("data:text/html,x", "warning"),
        ("file:///etc/passwd", "warning"),
        ("/relative/only", "error"),
        ("https://", "error"),
        ("", "error"),
    ],
)
def test_refused_urls(value, severity):
    with pytest.raises(NewsroomError) as raised:
        parse_absolute_url(value)
    assert raised.value.severity == severity


@given(st.text(max_size=40).filter(lambda s: not s.strip().startswith("//")))
def test_encoded_urls_are_valid_and_encoding_is_idempotent(path):
    url = "https://news.example/" + path.strip()
    try:
        parsed = parse_absolute_url(url)
    except NewsroomError:
        return
    assert not ILLEGAL & set(parsed)
    assert parsed.isascii()
    assert encode_url(parsed) == parsed
    assert parse_absolute_url(parsed) == parsed
