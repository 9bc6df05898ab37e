"""Full builds: every timestamp variant and chain form reaches the page with the right instant and hops."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import mf2py
import pytest

NEW_YORK = ZoneInfo("America/New_York")

# (file name, header lines of a Markdown article, expected instant)
MARKDOWN_DATES = [
    ("en-dash.md", "Date: Mon, 03/23/2020 – 07:54", datetime(2020, 3, 23, 7, 54, tzinfo=NEW_YORK)),
    ("em-dash.md", "Date: Mon, 03/23/2020 — 07:54", datetime(2020, 3, 23, 7, 54, tzinfo=NEW_YORK)),
    ("hyphen.md", "Date: Tue, 03/24/2020 - 08:00", datetime(2020, 3, 24, 8, 0, tzinfo=NEW_YORK)),
    (
        "entity.md",
        "Date: Wed, 03/25/2020 &ndash; 09:10",
        datetime(2020, 3, 25, 9, 10, tzinfo=NEW_YORK),
    ),
    (
        "numeric-entity.md",
        "Date: Thu, 03/26/2020 &#8211; 10:20",
        datetime(2020, 3, 26, 10, 20, tzinfo=NEW_YORK),
    ),
    ("pm.md", "Date: Fri, 03/27/2020 – 4:05 PM", datetime(2020, 3, 27, 16, 5, tzinfo=NEW_YORK)),
    (
        "offset.md",
        "Date: Sat, 03/28/2020 – 07:54 +0200",
        datetime.fromisoformat("2020-03-28T07:54:00+02:00"),
    ),
    (
        "offset-colon.md",
        "Date: Sun, 03/29/2020 – 07:54 -04:00",
        datetime.fromisoformat("2020-03-29T07:54:00-04:00"),
    ),
    (
        "iana.md",
        "Date: Mon, 03/30/2020 – 07:54 Asia/Tokyo",
        datetime(2020, 3, 30, 7, 54, tzinfo=ZoneInfo("Asia/Tokyo")),
    ),
    (
        "utc.md",
        "Date: Tue, 03/31/2020 – 07:54 UTC",
        datetime.fromisoformat("2020-03-31T07:54:00+00:00"),
    ),
    (
        "rfc2822.md",
        "Date: Wed, 01 Apr 2020 07:54:00 +0000",
        datetime.fromisoformat("2020-04-01T07:54:00+00:00"),
    ),
    (
        "iso.md",
        "Date: 2020-04-02T07:54:00-04:00",
        datetime.fromisoformat("2020-04-02T07:54:00-04:00"),
    ),
    ("iso-local.md", "Date: 2020-04-03 07:54", datetime(2020, 4, 3, 7, 54, tzinfo=NEW_YORK)),
]


def _markdown(name: str, date_line: str, extra: str = "") -> str:
    return f"Title: Story {name.removesuffix('.md')}\n{date_line}\nAuthor: Desk Writer\n{extra}\nA short body written for this test.\n"


def _entry(site, path: str) -> dict:
    parsed = mf2py.parse(doc=site.text(path))
    entries = [item for item in parsed["items"] if "h-entry" in item["type"]]
    assert len(entries) == 1, f"{path}: expected one h-entry"
    return entries[0]


def _hops(entry: dict) -> list[tuple[str, str | None]]:
    hops = []
    for cite in entry["properties"].get("repost-of", []):
        props = cite["properties"]
        hops.append((props["name"][0], props["url"][0] if "url" in props else None))
    return hops


def test_every_timestamp_variant_is_published_at_the_right_instant(build_site):
    files = {f"news/{name}": _markdown(name, line) for name, line, _ in MARKDOWN_DATES}
    site = build_site(files)
    assert site.problems == []
    for name, _line, expected in MARKDOWN_DATES:
        entry = _entry(site, f"story-{name.removesuffix('.md')}.html")
        published = datetime.fromisoformat(entry["properties"]["published"][0])
        assert published == expected, name
        assert published.utcoffset() == expected.utcoffset(), f"{name}: offset kept"


def test_yaml_front_matter_dates_and_rst_fields(build_site):
    site = build_site(
        {
            "yaml-text.md": """\
                ---
                title: YAML with a newsroom stamp
                date: Mon, 03/23/2020 – 07:54
                ---
                Body.
                """,
            "yaml-native.md": """\
                ---
                title: YAML with a native timestamp
                date: 2020-03-23 07:54:00
                modified: 2020-03-24
                ---
                Body.
                """,
            "field-list.rst": """\
                Story written in reStructuredText
                #################################

                :date: Mon, 03/23/2020 – 07:54
                :via: First Outlet <https://first.example/story>
                      Second Outlet <https://second.example/story>

                Body.
                """,
        }
    )
    assert site.problems == []
    expected = datetime(2020, 3, 23, 7, 54, tzinfo=NEW_YORK)
    for page in (
        "yaml-with-a-newsroom-stamp.html",
        "yaml-with-a-native-timestamp.html",
        "story-written-in-restructuredtext.html",
    ):
        published = datetime.fromisoformat(_entry(site, page)["properties"]["published"][0])
        assert published == expected, page
    native = _entry(site, "yaml-with-a-native-timestamp.html")
    updated = datetime.fromisoformat(native["properties"]["updated"][0])
    assert updated == datetime(2020, 3, 24, tzinfo=NEW_YORK)
    assert _hops(_entry(site, "story-written-in-restructuredtext.html")) == [
        ("First Outlet", "https://first.example/story"),
        ("Second Outlet", "https://second.example/story"),
    ]


CHAIN_FORMS = {
    "continuation.md": (
        "Via: Origin Daily <https://origin.example/a>\n    Middle Wire <https://www.middle.example/b>\n    Last Blog",
        [
            ("Origin Daily", "https://origin.example/a"),
            ("Middle Wire", "https://www.middle.example/b"),
            ("Last Blog", None),
        ],
    ),
    "repeated-key.md": (
        "Via: https://origin.example/story\nVia: Second Site <https://second.example/>",
        [
            ("origin.example", "https://origin.example/story"),
            ("Second Site", "https://second.example/"),
        ],
    ),
    "single.md": ("Via: Only Source", [("Only Source", None)]),
}


def test_chain_forms_in_markdown_headers_and_yaml(build_site):
    files = {
        name: _markdown(name, "Date: 2020-04-01 10:00", header)
        for name, (header, _) in CHAIN_FORMS.items()
    }
    files["yaml-chain.md"] = """\
        ---
        title: Story yaml-chain
        date: 2020-04-01 10:00
        via:
          - name: Origin Daily
            url: https://origin.example/a
            author: Ana Reporter
            date: Wed, 04/01/2020 – 06:00
          - https://mid.example/b
          - Wire Service <https://wire.example/c>
          - {name: Last Blog, feed: https://last.example/feed.xml}
        ---
        Body.
        """
    site = build_site(files)
    assert site.problems == []
    for name, (_, hops) in CHAIN_FORMS.items():
        assert _hops(_entry(site, f"story-{name.removesuffix('.md')}.html")) == hops, name
    entry = _entry(site, "story-yaml-chain.html")
    assert _hops(entry) == [
        ("Origin Daily", "https://origin.example/a"),
        ("mid.example", "https://mid.example/b"),
        ("Wire Service", "https://wire.example/c"),
        ("Last Blog", None),
    ]
    origin = entry["properties"]["repost-of"][0]["properties"]
    assert origin["author"][0] == "Ana Reporter" or origin["author"][0]["value"] == "Ana Reporter"
    assert datetime.fromisoformat(origin["published"][0]) == datetime(
        2020, 4, 1, 6, tzinfo=NEW_YORK
    )


def test_image_credit_and_license_reach_the_page(build_site):
    site = build_site(
        {
            "photo.md": _markdown(
                "photo",
                "Date: 2020-04-01 10:00",
                "Image: {static}/images/p.svg\nImage_caption: A harbour wall at dusk\nImage_credit: Agency Photo\n"
                "Image_credit_url: https://agency.example/\nImage_license: CC BY-SA 4.0",
            ),
            "images/p.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>',
        },
        STATIC_PATHS=["images"],
    )
    assert site.problems == []
    page = site.text("story-photo.html")
    assert 'src="https://news.example.org/images/p.svg"' in page
    assert 'alt="A harbour wall at dusk"' in page
    assert '<a href="https://agency.example/">Agency Photo</a>' in page
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>' in page


def test_plugin_is_auto_discovered_when_plugins_is_unset(build_site):
    site = build_site(
        {"a.md": _markdown("auto", "Date: Mon, 03/23/2020 – 07:54", "Via: Somewhere")}, PLUGINS=None
    )
    page = site.text("story-auto.html")
    assert 'datetime="2020-03-23T07:54:00-04:00"' in page
    assert 'class="u-repost-of h-cite"' in page


@pytest.mark.parametrize("order", ["MDY", "DMY"])
def test_date_order_setting(build_site, order):
    site = build_site(
        {"a.md": _markdown("order", "Date: 04/05/2020 – 10:00")}, NEWSROOM_DATE_ORDER=order
    )
    published = _entry(site, "story-order.html")["properties"]["published"][0]
    assert published.startswith("2020-04-05" if order == "MDY" else "2020-05-04")
