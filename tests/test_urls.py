"""URL policy: safe schemes only, and URLs stored valid (percent-encoded)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pelican_newsroom.errors import NewsroomError
from pelican_newsroom.urls import (
    absolute_links,
    absolutize,
    encode_url,
    escape_illegal,
    join_url,
    link_key,
    parse_absolute_url,
    parse_site_url,
    site_url,
)

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


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        ("javascript://%0aalert(11) x", "warning"),  # a space made it look like a path
        (" JaVa\tScRiPt:alert(1) x", "warning"),
        ("java script:alert(1)", "warning"),
        ("{static}javascript:alert(1)", "warning"),
        ("data:text/html,<script>x</script> y", "warning"),
        ("https://ok.example/a b", "error"),
        ("https://ok.example/a\tb", "error"),
        ("https://ok.example/a\x0bb", "error"),
        ('https://a"b.example/', "error"),
        ("//evil.example/x", "error"),
        ("/\\evil.example/x", "error"),
        ("images/a.jpg\x7f", "error"),
        ("images/a.jpg'onerror=x", "error"),
        ("{attach}../../../proc/self/environ", "error"),  # a placeholder path out of the site
        ("|static|/images/../../secret.txt", "error"),
        ("../images/a.jpg", "error"),
    ],
)
def test_refused_site_urls(value, severity):
    with pytest.raises(NewsroomError) as raised:
        parse_site_url(value)
    assert raised.value.severity == severity
    assert raised.value.value == value


# Text built from the pieces that make URLs dangerous or ambiguous, and from anything at all.
URL_PIECES = st.sampled_from(
    [
        *("javascript", "JaVa", "script", "http", "https", "data", ":", "//", "/", "\\", "%0a"),
        *(" ", "\t", "\n", "\r", "\x00", "\x0b", "\x7f", "\xa0", "\u2028", "\u200b", '"', "'"),
        *("<", ">", "`", "{static}", "@", "?", "#", "&colon;", ".", "x", "é", "a.example"),
    ]
)
URL_TEXTS = st.lists(URL_PIECES | st.text(max_size=4), max_size=12).map("".join) | st.text()


def assert_inert(url: str) -> None:
    """An http(s) URL with a host, or a path no browser could read as a scheme or a host."""
    assert not re.search(r'[\s\x00-\x1f\x7f"<>\\`]', url), url
    followed = re.sub("[\t\n\r]", "", url)  # what a browser would follow
    scheme = urlsplit(followed).scheme
    if scheme:
        assert scheme in {"http", "https"} and urlsplit(followed).hostname, url
    else:
        assert "'" not in url and not url.startswith("//"), url
        assert urlsplit(absolutize(url, "https://news.example")).scheme == "https", url


@given(URL_TEXTS)
@example("javascript://%0aalert(11) x")
@example("{static}//evil.example/x")
def test_whatever_the_url_parsers_return_is_inert(text):
    for parse in (parse_site_url, parse_absolute_url):
        try:
            url = parse(text)
        except NewsroomError:
            continue
        assert_inert(url)


BYPASS = "javascript://%0aalert(11) x"


def test_spaced_script_urls_reach_no_page_feed_or_json_ld(build_site):
    article = (
        "---\n"
        "title: Spaced scheme\n"
        "date: 2020-03-23 07:54\n"
        f"image: '{BYPASS}'\n"
        f"image_credit: Agency\n"
        f"image_credit_url: '{BYPASS}'\n"
        f"image_license: '{BYPASS}'\n"
        f"origin_url: '{BYPASS}'\n"
        f"license: '{BYPASS}'\n"
        "via:\n"
        f"  - {{name: Wire, url: '{BYPASS}', feed: '{BYPASS}'}}\n"
        f"  - '{BYPASS}'\n"
        "---\nBody.\n"
    )
    site = build_site({"spaced.md": article}, NEWSROOM_STRICT=False)
    outputs = [p for p in site.output.rglob("*") if p.suffix in {".html", ".xml", ".json"}]
    assert {"all.json", "all.rss.xml", "all.atom.xml", "spaced-scheme.html"} <= {
        p.name for p in outputs
    }
    for path in outputs:
        assert "javascript" not in path.read_text(encoding="utf-8").lower(), path
    assert "application/ld+json" in site.text("spaced-scheme.html")
    refused = {(p.file.endswith("spaced.md"), p.field, p.value, p.severity) for p in site.problems}
    for field in ("image", "image_credit_url", "image_license", "origin_url", "license", "via"):
        assert (True, field, repr(BYPASS), "warning") in refused, field
    assert all("'javascript:' URLs are not allowed" in p.expected for p in site.problems)
    assert "Wire" in site.text("spaced-scheme.html")  # the hop keeps its name


# --- link_key: the same story behind different links ----------------------------------------

_STORY = "https://news.example/world/harbour-reopens"


@pytest.mark.parametrize(
    "variant",
    [
        "http://news.example/world/harbour-reopens",
        "https://www.news.example/world/harbour-reopens/",
        "https://NEWS.example:443/world/harbour-reopens#comments",
        "https://news.example/world/harbour-reopens?utm_source=rss&utm_medium=feed",
        "https://news.example/world/harbour-reopens?fbclid=abc&gclid=def",
    ],
)
def test_tracking_and_spelling_do_not_make_another_story(variant: str) -> None:
    assert link_key(variant) == link_key(_STORY)


@pytest.mark.parametrize(
    "other",
    [
        "https://news.example/world/harbour-closes",
        "https://other.example/world/harbour-reopens",
        "https://news.example/world/harbour-reopens?page=2",
        "https://news.example:8080/world/harbour-reopens",
    ],
)
def test_a_different_story_keeps_a_different_key(other: str) -> None:
    assert link_key(other) != link_key(_STORY)


@given(
    st.lists(
        st.tuples(st.sampled_from(["id", "page", "q"]), st.text("abc123", min_size=1)),
        max_size=3,
        unique_by=lambda pair: pair[0],
    ),
    st.sampled_from(["utm_campaign", "utm_term", "fbclid", "mc_eid"]),
)
def test_parameter_order_and_trackers_never_matter(pairs, tracker) -> None:
    query = "&".join(f"{k}={v}" for k, v in pairs)
    shuffled = "&".join(f"{k}={v}" for k, v in reversed(pairs))
    with_tracker = "&".join(filter(None, [shuffled, f"{tracker}=x"]))
    assert link_key(f"{_STORY}?{query}") == link_key(f"{_STORY}?{with_tracker}")


PAGE = "https://s.org/a/b.html"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/x.html">x</a>', '<a href="https://s.org/x.html">x</a>'),
        ("<img src='img.png'>", '<img src="https://s.org/a/img.png">'),
        ('<a HREF="../up.html">u</a>', '<a href="https://s.org/up.html">u</a>'),
        ('<video poster="p.jpg">', '<video poster="https://s.org/a/p.jpg"></video>'),
        ('<img alt="a=b" src="i.png">', '<img alt="a=b" src="https://s.org/a/i.png">'),
        # Unquoted values are links too (a regex over quoted values once left them relative).
        ("<img src=a.png>", '<img src="https://s.org/a/a.png">'),
        ("lead <a href=x.html>x</a> tail", 'lead <a href="https://s.org/a/x.html">x</a> tail'),
        ('<a href = " x.html">x</a>', '<a href="https://s.org/a/x.html">x</a>'),
        (
            '<p style="background: url(a.png)">x</p>',
            '<p style="background: url(https://s.org/a/a.png)">x</p>',
        ),
    ],
)
def test_absolute_links_resolves_every_relative_link_against_the_page(html, expected):
    assert absolute_links(html, PAGE) == expected


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://e.org/">e</a>',
        '<a href="mailto:a@e.org">m</a>',
        '<a href="#note">n</a>',
        '<p data-href="/no" title="src=/x">t</p>',
        # Nothing to resolve: the fragment comes back byte for byte, however lxml would write it.
        "<p>A&nbsp;&quot;b&quot;<br /><img src='https://e.org/i.png' /></p>",
        "",
        "bad \x0b control",
    ],
)
def test_absolute_links_keeps_a_fragment_without_relative_links_as_it_came(html):
    assert absolute_links(html, PAGE) == html


def test_site_paths_join_below_the_site_folder():
    assert absolutize("/images/a.jpg", "https://e.org/news/") == "https://e.org/news/images/a.jpg"
    assert absolutize("https://cdn.example/a.jpg", "https://e.org") == "https://cdn.example/a.jpg"
    assert join_url("https://e.org/news", "x.html") == "https://e.org/news/x.html"
    assert join_url("https://e.org/news", "/x.html") == "https://e.org/x.html"


def test_site_url_keeps_the_template_siteurl_and_encodes():
    assert site_url("/a b.html", "..") == "../a%20b.html"
    assert site_url("images/a://b.jpg", "") == "/images/a://b.jpg"
    assert site_url('https://e.org/?q="x"', "..") == "https://e.org/?q=%22x%22"


@given(st.text().filter(lambda v: "%" not in v))
def test_escape_illegal_encodes_what_no_url_may_hold_and_nothing_else(value):
    encoded = escape_illegal(value)
    assert not set(' "<>\\^`{|}') & set(encoded)
    assert unquote(encoded) == value
