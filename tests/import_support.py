"""Feeds written by the tests themselves (our own words), and helpers to run an import
and read the files it wrote; shared by the tests of the import side."""

from __future__ import annotations

import json
import xml.sax.saxutils as sax
from pathlib import Path
from typing import Any

import yaml

from pelican_newsroom.importer import ImportOptions
from pelican_newsroom.newsroom_ns import NEWSROOM_NS
from pelican_newsroom.reader import split_front_matter

SITE = "https://news.example.org"
SECRET = "root:x:0:0:NEWSROOM-TEST-SECRET"
NS = f'xmlns:newsroom="{NEWSROOM_NS}" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'

RSS_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" {NS}>
<channel>
  <title>Coastal Wire</title>
  <link>https://coastal-wire.example/</link>
  <description>Harbour and shipping news</description>
  <atom:link rel="self" href="https://coastal-wire.example/feed.xml"/>
  <item>
    <title>Ferry timetable changes after pier inspection</title>
    <link>https://coastal-wire.example/stories/ferry-timetable</link>
    <guid isPermaLink="false">coastal-wire-1001</guid>
    <pubDate>Tue, 07 Apr 2020 11:00:00 +0100</pubDate>
    <dc:creator>Ella Brandt</dc:creator>
    <category>Transport</category>
    <source url="https://harbour-gazette.example/rss.xml">Harbour Gazette</source>
    <dc:source>https://harbour-gazette.example/news/pier-inspection</dc:source>
    <media:content url="https://coastal-wire.example/img/pier.jpg" medium="image" type="image/jpeg">
      <media:title>The north pier at low tide</media:title>
      <media:credit>Photo Desk Agency</media:credit>
      <media:license href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</media:license>
    </media:content>
    <description><![CDATA[<p>Inspectors found <a href="/notes/cracks">cracks</a> in two piles.</p>
<p><img src="../img/pile.jpg" alt="pile" onerror="steal()"><script>steal()</script>
<a href="javascript:steal()">click</a> <iframe src="https://video.example/embed/1"></iframe></p>
<p>*not emphasis* [not a link](javascript:steal())</p>]]></description>
  </item>
  <item>
    <title>Night closures extended at the container terminal</title>
    <link>https://coastal-wire.example/stories/night-closures</link>
    <guid isPermaLink="true">https://coastal-wire.example/stories/night-closures</guid>
    <pubDate>Wed, 08 Apr 2020 09:30:00 +0100</pubDate>
    <newsroom:chain>
      <newsroom:hop>
        <newsroom:name>Port Bulletin</newsroom:name>
        <newsroom:url>https://port-bulletin.example/closures</newsroom:url>
        <newsroom:author>Ravi Oduya</newsroom:author>
        <newsroom:date>2020-04-07T18:00:00-04:00</newsroom:date>
      </newsroom:hop>
      <newsroom:hop>
        <newsroom:name>Harbour Gazette</newsroom:name>
        <newsroom:url>https://harbour-gazette.example/news/closures</newsroom:url>
        <newsroom:feedUrl>https://harbour-gazette.example/rss.xml</newsroom:feedUrl>
      </newsroom:hop>
    </newsroom:chain>
    <description>Crane work continues through the month.</description>
    <enclosure url="https://coastal-wire.example/img/cranes.png" type="image/png" length="1234"/>
  </item>
</channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://briefing.example/">
  <title>Continental Briefing</title>
  <link href="https://briefing.example/"/>
  <link rel="self" href="https://briefing.example/feed.atom"/>
  <id>urn:uuid:7e1bd7a0-briefing</id>
  <updated>2020-04-09T08:00:00+02:00</updated>
  <entry>
    <title type="html">Rail freight &lt;em&gt;rebounds&lt;/em&gt; in spring</title>
    <id>tag:briefing.example,2020:rail-freight</id>
    <link href="europe/rail-freight"/>
    <link rel="via" href="https://transport-notes.example/rail" title="Transport Notes"/>
    <published>2020-04-09T08:00:00+02:00</published>
    <updated>2020-04-09T10:15:00+02:00</updated>
    <author><name>Mara Quint</name></author>
    <author><name>Jonas Weller</name></author>
    <source>
      <id>https://rail-weekly.example/atom</id>
      <title>Rail Weekly</title>
      <link href="https://rail-weekly.example/"/>
      <link rel="self" href="https://rail-weekly.example/atom"/>
    </source>
    <content type="html">&lt;p&gt;Volumes are &lt;a href="charts/1"&gt;up&lt;/a&gt; again.&lt;/p&gt;</content>
  </entry>
</feed>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "River Post",
    "home_page_url": "https://river-post.example/",
    "feed_url": "https://river-post.example/feed.json",
    "items": [
        {
            "id": "river-77",
            "url": "https://river-post.example/2020/levee",
            "title": "Levee repairs finish ahead of schedule",
            "content_html": "<p>Crews closed the last gap on Friday.</p>",
            "date_published": "2020-04-10T16:45:00-05:00",
            "authors": [{"name": "Ines Achterberg"}],
            "tags": ["Floods"],
            "image": "https://river-post.example/img/levee.jpg",
            "_newsroom": {
                "chain": [{"name": "Delta Radio", "url": "https://delta-radio.example/levee"}],
                "origin_url": "https://delta-radio.example/levee",
                "image": {
                    "url": "https://river-post.example/img/levee.jpg",
                    "caption": "Sandbags on the east bank",
                    "credit": "Delta Radio",
                },
            },
        },
        {
            "id": "river-78",
            "url": "https://river-post.example/2020/bridge",
            "title": "Bridge reopens to cyclists",
            "content_text": "Cyclists may use the bridge again <from Monday>.",
            "date_published": "2020-04-11T07:00:00-05:00",
        },
    ],
}

RSS1_FEED = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://almanac.example/"><title>Almanac</title><link>https://almanac.example/</link><description>d</description></channel>
  <item rdf:about="https://almanac.example/frost"><title>First frost arrives late</title><link>https://almanac.example/frost</link><dc:date>2020-11-02T06:00:00+01:00</dc:date></item>
</rdf:RDF>
"""

RSS091_FEED = """<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old Town Crier</title><link>https://crier.example/</link>
<description>d</description><pubDate>Mon, 02 Mar 2020 12:00:00 GMT</pubDate>
<item><title>Market square gets new benches</title><link>https://crier.example/benches</link></item>
</channel></rss>
"""

BROKEN_ITEMS_FEED = f"""<?xml version="1.0"?>
<rss version="2.0" {NS}><channel><title>Patchy Feed</title><link>https://patchy.example/</link><description>d</description>
<item><title>Good item one</title><link>https://patchy.example/1</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate></item>
<item><title>No id and an unsafe link</title><link>javascript:alert(1)</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate></item>
<item><title>No date at all</title><link>https://patchy.example/3</link></item>
<item><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate><author>desk@patchy.example (Desk)</author></item>
<item><title>Bad chain</title><link>https://patchy.example/5</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate>
  <newsroom:chain><newsroom:hop><newsroom:url>not a url</newsroom:url></newsroom:hop></newsroom:chain></item>
<item><title>Good item two</title><link>https://patchy.example/6</link><pubDate>Mon, 06 Apr 2020 11:00:00 +0000</pubDate></item>
</channel></rss>
"""


def xxe_feed(secret_path: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret_path}">]>
<rss version="2.0"><channel><title>Leaky</title><link>https://leaky.example/</link><description>d</description>
<item><title>Hello &leak;</title><link>https://leaky.example/1</link><pubDate>Mon, 06 Apr 2020 10:00:00 +0000</pubDate>
<description>&leak;</description></item></channel></rss>
"""


def billion_laughs() -> str:
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE rss [", '<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    lines += [
        "]>",
        '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        "<link>https://lol.example/1</link></item></channel></rss>",
    ]
    return "\n".join(lines)


HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Home</title></head><body><p>Not a feed</p></body></html>\n"
)


def options(output: Path, **overrides: Any) -> ImportOptions:
    return ImportOptions(output=output, **{"siteurl": SITE, **overrides})


def write(tmp: Path, name: str, text: str | bytes) -> str:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def front(path: Path) -> dict[str, Any]:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    assert parts is not None, path
    data: dict[str, Any] = yaml.safe_load(parts[0])
    return data


def articles(output: Path) -> dict[str, dict[str, Any]]:
    """Imported articles by title."""
    return {front(p)["title"]: front(p) for p in sorted(output.glob("*.md"))}


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(output.glob("*.md"))}


def changed_bytes(source: str) -> None:
    """The same feed with one more byte (a newline): the items are unchanged."""
    Path(source).write_bytes(Path(source).read_bytes() + b"\n")


def hop_names(meta: dict[str, Any]) -> list[str]:
    return [hop["name"] for hop in meta["via"]]


def write_feeds(folder: Path) -> dict[str, str]:
    """The test feeds written into ``folder``, by format."""
    folder.mkdir()
    return {
        "rss": write(folder, "coastal.xml", RSS_FEED),
        "atom": write(folder, "briefing.atom", ATOM_FEED),
        "json": write(folder, "river.json", json.dumps(JSON_FEED)),
        "rss1": write(folder, "almanac.rdf", RSS1_FEED),
        "rss091": write(folder, "crier.xml", RSS091_FEED),
        "broken": write(folder, "patchy.xml", BROKEN_ITEMS_FEED),
    }


def rss(items: list[dict[str, str]], link: str = "https://wire.example/") -> str:
    """An RSS 2.0 feed; each item's values are escaped here, so payloads arrive as written."""
    parts = []
    for number, item in enumerate(items, 1):
        fields = {
            "title": f"Story {number}",
            "link": f"{link}story/{number}",
            "guid": f"wire-{number}",
            "pubDate": "Tue, 07 Apr 2020 11:00:00 +0000",
            **item,
        }
        body = "".join(
            f"<{key}>{sax.escape(value)}</{key}>" for key, value in fields.items() if value
        )
        parts.append(f"<item>{body}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Wire</title><link>{link}</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    )
