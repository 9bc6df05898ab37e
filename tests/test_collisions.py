"""Collisions across articles: long slugs shortened, shared files and guids separated, nothing lost."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pelican_newsroom.collisions import MAX_SLUG_BYTES, short_slug


def test_a_slug_that_fits_is_left_alone() -> None:
    assert short_slug("council-delays-the-library-vote") is None
    assert short_slug("a" * MAX_SLUG_BYTES) is None


@given(st.text(min_size=1).map(lambda s: "x" * MAX_SLUG_BYTES + s))
def test_a_long_slug_fits_and_stays_text(slug: str) -> None:
    short = short_slug(slug)
    assert short is not None
    assert len(short.encode()) <= MAX_SLUG_BYTES
    assert short.encode().decode() == short  # never half a multi-byte character


def test_long_slugs_that_start_alike_stay_apart() -> None:
    first, second = "harbour-" * 30 + "one", "harbour-" * 30 + "two"
    assert short_slug(first) != short_slug(second)


def test_a_long_title_is_published_under_a_short_file_name_with_a_warning(build_site) -> None:
    title = "Council " * 40 + "votes"
    site = build_site({"news/long.md": f"Title: {title}\nDate: 2020-03-01\n\nBody.\n"})
    (page,) = [
        p
        for p in site.pages()
        if p.name != "index.html" and "Body." in p.read_text(encoding="utf-8")
    ]
    assert len(page.stem.encode()) <= MAX_SLUG_BYTES
    (problem,) = [p for p in site.problems if p.field == "slug"]
    assert problem.severity == "warning" and page.name in problem.expected


def test_two_articles_with_the_same_slug_are_both_published(build_site) -> None:
    files = {
        "news/a.md": "Title: Harbour story\nDate: 2020-03-01\n\nFirst.\n",
        "news/b.md": "Title: Harbour story\nDate: 2020-03-02\n\nSecond.\n",
    }
    site = build_site(files, NEWSROOM_STRICT=False)
    assert "First." in site.text("harbour-story.html")
    assert "Second." in site.text("harbour-story-2.html")
    (problem,) = [p for p in site.problems if p.field == "slug"]
    assert problem.file.endswith("b.md") and "harbour-story-2.html" in problem.expected
