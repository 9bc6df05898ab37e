"""Our feed namespace, the Media RSS / Dublin Core we write, and every feedgen workaround.

The namespace ``https://pelican-newsroom.github.io/ns/1.0/`` (prefix
``newsroom``) carries the whole syndication chain of an item, origin first,
immediate source last::

    <newsroom:chain>
      <newsroom:hop>
        <newsroom:name>AlmasdarNews.com</newsroom:name>
        <newsroom:url>https://www.almasdarnews.com/</newsroom:url>
        <newsroom:feed>https://www.almasdarnews.com/feed/</newsroom:feed>
        <newsroom:author>…</newsroom:author>
        <newsroom:date>2020-03-23T07:54:00-04:00</newsroom:date>
      </newsroom:hop>
    </newsroom:chain>

Only ``name`` is required in a hop; ``date`` is RFC 3339.  The same hops go
into JSON Feed items as ``"_newsroom": {"chain": [{"name", "url", …}]}``.
:func:`hops_from_xml` and :func:`hops_from_json` read them back (the importer
uses them), :func:`chain_element` and :func:`hops_to_json` write them.

feedgen (python-feedgen 1.0) has known problems; each is worked around here
and nowhere else:

* Atom entry links lose ``rel``/``type``/``length`` (lkiesow/python-feedgen#135):
  :class:`NewsroomEntryExtension` rewrites every Atom entry ``<link>``.
* ``source`` is thin (lkiesow/python-feedgen#80): RSS ``<source>`` needs a
  title and Atom ``<source>`` has no id/rel; both are written here instead.
* ``updated``/``lastBuildDate`` default to the build clock (``datetime.now``
  in ``FeedGenerator.__init__`` and ``FeedEntry.__init__``): :func:`new_feed`
  and :func:`add_entry` always set them from the content.
* naive datetimes raise ``ValueError`` ("Datetime object has no timezone
  info"): :func:`aware` gives them the site's time zone first, as Pelican does.
* XML-illegal characters make lxml raise at serialization (ckan/ckan#6371):
  :func:`xml_safe` strips them from every string handed to feedgen.
* ``add_entry`` prepends by default, so entries come out reversed:
  :func:`add_entry` appends.
* ``FeedEntry.id()`` resets the RSS guid to ``isPermaLink="false"``: the
  guid is set after the id, with the permalink flag we decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .chain import HOP_KEYS, Hop, parse_hop_mapping
from .errors import NewsroomError
from .text import XML_ILLEGAL_RE

#: Our namespace URI; also the ``about`` of the JSON Feed ``_newsroom`` object.
NEWSROOM_NS = "https://pelican-newsroom.github.io/ns/1.0/"
NEWSROOM_PREFIX = "newsroom"
#: Media RSS, https://www.rssboard.org/media-rss
MEDIA_NS = "http://search.yahoo.com/mrss/"
#: Dublin Core elements, https://www.dublincore.org/specifications/dublin-core/dces/
DC_NS = "http://purl.org/dc/elements/1.1/"
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: The key of our extension object in JSON Feed items (JSON Feed 1.1 §"Extensions").
JSON_KEY = "_newsroom"

_CHAIN = f"{{{NEWSROOM_NS}}}chain"
_HOP = f"{{{NEWSROOM_NS}}}hop"


# --- the chain, both ways ---------------------------------------------------------


def format_date(value: datetime) -> str:
    """RFC 3339 (``2020-03-23T07:54:00-04:00``) of an aware datetime."""
    return value.isoformat()


def hop_to_json(hop: Hop) -> dict[str, str]:
    """One hop as a JSON object; keys without a value are left out."""
    values: dict[str, str | None] = {
        "name": hop.name,
        "url": hop.url,
        "feed": hop.feed,
        "author": hop.author,
        "date": format_date(hop.date) if hop.date else None,
    }
    return {key: value for key, value in values.items() if value is not None}


def hops_to_json(hops: Iterable[Hop]) -> list[dict[str, str]]:
    return [hop_to_json(hop) for hop in hops]


def _parse_hop(values: Mapping[object, object]) -> Hop:
    """A hop from plain text values (untrusted: validated like front matter)."""
    known = {
        key: value for key, value in values.items() if key in HOP_KEYS and value not in (None, "")
    }
    return parse_hop_mapping(known, UTC, "MDY")


def hops_from_json(obj: object) -> tuple[Hop, ...]:
    """The hops of a ``_newsroom`` object (or of its ``chain`` list); raises NewsroomError."""
    chain = obj.get("chain", []) if isinstance(obj, Mapping) else obj
    if not isinstance(chain, list):
        raise NewsroomError(chain, "a JSON list of hops under _newsroom.chain")
    hops = []
    for item in chain:
        if not isinstance(item, Mapping):
            raise NewsroomError(item, "a hop as a JSON object {name, url, feed, author, date}")
        hops.append(_parse_hop(item))
    return tuple(hops)


def chain_element(hops: Sequence[Hop], parent: etree._Element) -> etree._Element:
    """Append ``<newsroom:chain>`` with one ``<newsroom:hop>`` per hop to ``parent``."""
    chain = etree.SubElement(parent, _CHAIN)
    for hop in hops:
        hop_element = etree.SubElement(chain, _HOP)
        for key, value in hop_to_json(hop).items():
            etree.SubElement(hop_element, f"{{{NEWSROOM_NS}}}{key}").text = xml_safe(value)
    return chain


def hops_from_xml(element: etree._Element) -> tuple[Hop, ...]:
    """The hops of a ``<newsroom:chain>``, or of the first one inside ``element`` (an item/entry).

    No chain gives ``()``; a hop without a name or URL, or with a bad URL or
    date, raises :class:`~pelican_newsroom.errors.NewsroomError`.
    """
    chain = element if element.tag == _CHAIN else element.find(_CHAIN)
    if chain is None:
        return ()
    hops = []
    for hop_element in chain.iterfind(_HOP):
        values = {
            etree.QName(child).localname: child.text
            for child in hop_element
            if isinstance(child.tag, str) and etree.QName(child).namespace == NEWSROOM_NS
        }
        hops.append(_parse_hop(values))
    return tuple(hops)


# --- feedgen workarounds -------------------------------------------------------------


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml raises on them, ckan/ckan#6371)."""
    return XML_ILLEGAL_RE.sub("", text)


def aware(value: datetime, tz: tzinfo) -> datetime:
    """A naive datetime put in ``tz`` (feedgen raises on naive ones); aware ones unchanged."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)
