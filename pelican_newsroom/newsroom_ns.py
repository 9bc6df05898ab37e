"""Our feed namespace and JSON Feed extension: the chain of an item, written and read back.

The namespace ``https://pelican-newsroom.github.io/ns/1.0/`` (prefix
``newsroom``) carries the whole syndication chain of an item, origin first,
immediate source last::

    <newsroom:chain>
      <newsroom:hop>
        <newsroom:name>AlmasdarNews.com</newsroom:name>
        <newsroom:url>https://www.almasdarnews.com/</newsroom:url>
        <newsroom:feedUrl>https://www.almasdarnews.com/feed/</newsroom:feedUrl>
        <newsroom:author>…</newsroom:author>
        <newsroom:date>2020-03-23T07:54:00-04:00</newsroom:date>
      </newsroom:hop>
    </newsroom:chain>

Only ``name`` is required in a hop; ``date`` is RFC 3339.  The hop's feed is
``feedUrl``, not ``feed``: feed sniffers (browsers', validators') take any
``<…:feed>`` near the top of a file for an Atom root.  The same hops go
into JSON Feed items as ``"_newsroom": {"chain": [{"name", "url", …}]}``
(:func:`json_extension`).  The feeds write them (:func:`chain_element`,
:func:`hops_to_json`); the importer reads them back (:func:`hops_from_xml`,
:func:`hops_from_json`).  The other namespaces our feeds use are here too, so
that writer and reader agree on their URIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from .chain import HOP_KEYS, Hop, parse_hop_mapping
from .errors import NewsroomError
from .model import Image
from .text import strip_xml_illegal

#: Our namespace URI; also the ``about`` of the JSON Feed ``_newsroom`` object.
NEWSROOM_NS = "https://pelican-newsroom.github.io/ns/1.0/"
NEWSROOM_PREFIX = "newsroom"
#: Media RSS, https://www.rssboard.org/media-rss
MEDIA_NS = "http://search.yahoo.com/mrss/"
#: Dublin Core elements, https://www.dublincore.org/specifications/dublin-core/dces/
DC_NS = "http://purl.org/dc/elements/1.1/"
#: DCMI terms, https://www.dublincore.org/specifications/dublin-core/dcmi-terms/#modified:
#: RSS 2.0 has no per-item updated date; ``dcterms:modified`` is the one readers know.
DCTERMS_NS = "http://purl.org/dc/terms/"
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: The key of our extension object in JSON Feed items (JSON Feed 1.1 §"Extensions").
JSON_KEY = "_newsroom"

_CHAIN = f"{{{NEWSROOM_NS}}}chain"
_HOP = f"{{{NEWSROOM_NS}}}hop"
#: Hop keys whose XML element has another name (see the module docstring), and back.
_XML_NAMES = {"feed": "feedUrl"}
_KEY_NAMES = {xml: key for key, xml in _XML_NAMES.items()}


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


def json_extension(hops: Sequence[Hop], origin: str | None, image: Image | None) -> dict[str, Any]:
    """Our ``_newsroom`` JSON Feed object (null keys left out); ``image.src`` absolute."""
    values: dict[str, Any] = {"about": NEWSROOM_NS}
    if hops:
        values["chain"] = hops_to_json(hops)
    if origin:
        values["origin_url"] = origin
    if image:
        described = {
            "url": image.src,
            "caption": image.caption,
            "credit": image.credit,
            "credit_url": image.credit_url,
            "license": image.license.name if image.license else None,
        }
        values["image"] = {k: v for k, v in described.items() if v is not None}
    return values


def chain_element(hops: Sequence[Hop], parent: etree._Element) -> etree._Element:
    """Append ``<newsroom:chain>`` with one ``<newsroom:hop>`` per hop to ``parent``.

    Characters XML 1.0 forbids are left out: lxml raises on them (ckan/ckan#6371).
    """
    chain = etree.SubElement(parent, _CHAIN)
    for hop in hops:
        hop_element = etree.SubElement(chain, _HOP)
        for key, value in hop_to_json(hop).items():
            tag = f"{{{NEWSROOM_NS}}}{_XML_NAMES.get(key, key)}"
            etree.SubElement(hop_element, tag).text = strip_xml_illegal(value)
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
            _KEY_NAMES.get(etree.QName(child).localname, etree.QName(child).localname): child.text
            for child in hop_element
            if isinstance(child.tag, str) and etree.QName(child).namespace == NEWSROOM_NS
        }
        hops.append(_parse_hop(values))
    return tuple(hops)
