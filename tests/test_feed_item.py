"""One article as a FeedItem: absolute URLs, the model's image with its enclosure facts, notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from pelican_newsroom.feed_item import corrections_html, feed_image
from pelican_newsroom.model import Image, License
from pelican_newsroom.standards import Correction


def test_feed_image_is_the_model_image_made_absolute_with_enclosure_facts(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "dock.jpg").write_bytes(b"x" * 64)
    licence = License("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    image = Image("images/dock.jpg", "Cranes", caption="Cranes", credit="Desk", license=licence)
    settings = {"PATH": str(tmp_path)}
    made = feed_image(image, "https://news.example.org", settings)
    assert made.src == "https://news.example.org/images/dock.jpg"
    assert (made.media_type, made.length) == ("image/jpeg", 64)
    assert (made.caption, made.credit, made.license) == ("Cranes", "Desk", licence)
    local = feed_image(image, "http://localhost:8000", settings)
    assert local.length is None  # no enclosure for a private host: validators reject it
    remote = feed_image(replace(image, src="https://cdn.example/a.png"), "https://n.org", settings)
    assert (remote.src, remote.media_type, remote.length) == (
        "https://cdn.example/a.png",
        "image/png",
        None,
    )


def test_corrections_html_escapes_the_notes():
    note = Correction(datetime(2020, 4, 8, 9, 15, tzinfo=UTC), "Fixed <b>name</b>")
    html = corrections_html([note], "Corrections", "%Y-%m-%d")
    assert '<time datetime="2020-04-08T09:15:00+00:00">2020-04-08</time>' in html
    assert "Fixed &lt;b&gt;name&lt;/b&gt;" in html
    assert corrections_html([], "Corrections", "%Y-%m-%d") == ""
