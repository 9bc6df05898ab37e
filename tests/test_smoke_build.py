"""The example site builds and its reference article carries the newsroom timestamp."""

from __future__ import annotations


def test_example_article_has_newsroom_timestamp(example_site):
    page = example_site.text(
        "analysts-revisit-the-network-built-by-a-slain-quds-force-commander.html"
    )
    assert (
        '<time class="dt-published" datetime="2020-03-23T07:54:00-04:00">Mon, 03/23/2020 – 07:54</time>'
        in page
    )
    assert not [p for p in example_site.problems if p.severity == "error"]
