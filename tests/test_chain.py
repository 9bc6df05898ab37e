"""The via chain: hop forms, identity, safety, cycles, bounds, and round trips."""

from __future__ import annotations

from datetime import UTC

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pelican_newsroom.chain import Hop, parse_chain, parse_hop_text, source_slug
from pelican_newsroom.errors import NewsroomError


def chain(value, max_hops=50):
    return parse_chain(value, UTC, "MDY", max_hops)


def test_three_forms_and_identity():
    hops, warnings = chain(
        ["Origin <https://www.origin.example/a>", "Middle Wire", "https://last.example/x"]
    )
    assert warnings == []
    assert [(h.name, h.url) for h in hops] == [
        ("Origin", "https://www.origin.example/a"),
        ("Middle Wire", None),
        ("last.example", "https://last.example/x"),
    ]
    assert [h.identity for h in hops] == ["origin.example", "middle wire", "last.example"]
    assert [source_slug(h.identity) for h in hops] == [
        "origin-example",
        "middle-wire",
        "last-example",
    ]


def test_unsafe_urls_are_dropped_with_a_warning_keeping_the_name():
    hops, warnings = chain(
        ["Evil <javascript:alert(1)>", "data:text/html,<b>x</b>", "Good <https://good.example/>"]
    )
    assert [(h.name, h.url) for h in hops] == [("Evil", None), ("Good", "https://good.example/")]
    assert len(warnings) == 2
    assert all(w.severity == "warning" for w in warnings)


@pytest.mark.parametrize(
    "bad", ["", "   ", "Name <not a url>", "A <https://a.example> <b>", 42, [{"nam": "typo"}]]
)
def test_bad_hops_are_errors(bad):
    with pytest.raises(NewsroomError) as raised:
        chain(bad)
    assert raised.value.severity == "error"


def test_cycle_and_overlong_chain_are_bounded_with_warnings():
    hops, warnings = chain(
        ["A <https://a.example/1>", "B", "A again <https://www.a.example/2>", "C"]
    )
    assert [h.name for h in hops] == ["A", "B", "C"]
    assert "repeats a source" in warnings[0].expected
    many = [f"Outlet {i}" for i in range(1000)]
    hops, warnings = chain(many, max_hops=10)
    assert len(hops) == 10
    assert hops[0].name == "Outlet 0" and hops[-1].name == "Outlet 999"
    assert "NEWSROOM_MAX_HOPS" in warnings[0].expected


def test_non_latin_names_get_a_stable_slug():
    slug = source_slug(Hop(name="الجزيرة").identity)
    assert slug and slug == source_slug(Hop(name="الجزيرة").identity)
    assert "/" not in source_slug(Hop(name="a/b").identity)


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() and ":" not in s)
URLS = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.from_regex(r"\A[a-z][a-z0-9-]{0,20}\Z"),
    st.from_regex(r"\A[A-Za-z0-9/_.-]{0,30}\Z"),
)


@given(name=NAMES, url=URLS)
def test_name_and_url_round_trip(name, url):
    """Writing a hop as 'Name <URL>' and reading it back gives the same hop."""
    hop = parse_hop_text(f"{name} <{url}>")
    assert hop.url == url
    assert hop.name == " ".join(name.split())
    assert parse_hop_text(f"{hop.name} <{hop.url}>") == hop


@given(
    st.lists(st.one_of(NAMES, URLS, st.builds(lambda n, u: f"{n} <{u}>", NAMES, URLS)), max_size=8)
)
def test_chain_is_ordered_and_unique(values):
    hops, _ = chain(values)
    identities = [h.identity for h in hops]
    assert len(identities) == len(set(identities))
    assert len(hops) <= len(values)


@given(
    st.lists(
        st.text(max_size=30)
        | st.dictionaries(st.text(max_size=5), st.text(max_size=10), max_size=3),
        max_size=5,
    )
)
def test_never_raises_anything_but_our_error(values):
    try:
        hops, _ = chain(values)
    except NewsroomError:
        return
    assert all(isinstance(h, Hop) and h.name for h in hops)
