"""Our feed namespace, the Media RSS / Dublin Core we write, and every feedgen workaround.

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
* The RSS channel ``<link>`` is the last link passed to ``FeedGenerator.link``
  (whatever its rel), not the alternate one: :func:`new_feed` adds the site last.
* A ``rel="hub"`` link (WebSub) given to ``FeedGenerator.link`` becomes the RSS
  channel ``<link>`` and no ``atom:link`` (lkiesow/python-feedgen#122): every hub
  link, RSS and Atom alike, is written by :class:`NewsroomExtension` instead.
* Media RSS 1.5 ``media:license`` is unknown to the W3C validator (an error):
  the image licence goes in ``media:copyright`` (text, ``url`` attribute).
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
            tag = f"{{{NEWSROOM_NS}}}{_XML_NAMES.get(key, key)}"
            etree.SubElement(hop_element, tag).text = xml_safe(value)
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


# --- feedgen workarounds -------------------------------------------------------------


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml raises on them, ckan/ckan#6371)."""
    return strip_xml_illegal(text)


def aware(value: datetime, tz: tzinfo) -> datetime:
    """A naive datetime put in ``tz`` (feedgen raises on naive ones); aware ones unchanged."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    element.text = xml_safe(text)
    return element


# --- what one item carries --------------------------------------------------------


@dataclass(frozen=True)
class FeedLink:
    """An Atom link with every attribute feedgen would drop (lkiesow/python-feedgen#135)."""

    href: str
    rel: str = "alternate"
    type: str | None = None
    length: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class FeedImage:
    """The lead image, absolute, with its credit; ``length`` only when the file is ours."""

    url: str
    type: str | None = None
    length: int | None = None
    caption: str | None = None
    credit: str | None = None
    credit_url: str | None = None
    license: str | None = None
    license_url: str | None = None


@dataclass(frozen=True)
class FeedItem:
    """One article as every feed format needs it; rendered once per build, shared by all feeds."""

    id: str
    link: str
    title: str
    published: datetime
    updated: datetime
    content: str
    summary: str | None = None
    summary_text: str | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    image: FeedImage | None = None
    rights: str | None = None
    hops: tuple[Hop, ...] = ()
    origin_url: str | None = None
    language: str | None = None
    #: The article has correction notes: RSS items then carry ``dcterms:modified``. Only
    #: then: an RSS item of a plain blog must keep the dates Pelican's own feed gave it.
    corrected: bool = False

    @property
    def is_permalink(self) -> bool:
        """RSS ``isPermaLink``: true only when the id is the item's own link."""
        return self.id == self.link

    @property
    def source(self) -> Hop | None:
        return self.hops[-1] if self.hops else None

    @property
    def origin(self) -> str | None:
        """The origin for ``dc:source`` and JSON ``external_url``: ``origin_url``, else the first hop's URL."""
        return self.origin_url or (self.hops[0].url if self.hops else None)

    @property
    def links(self) -> tuple[FeedLink, ...]:
        """Atom links: the page, the immediate source (``via``), the origin, the image."""
        links = [FeedLink(self.link, "alternate", "text/html")]
        if self.source and self.source.url:
            links.append(FeedLink(self.source.url, "via", "text/html", title=self.source.name))
        if self.origin and self.origin not in {link.href for link in links}:
            links.append(FeedLink(self.origin, "related", "text/html"))
        if self.image and self.image.type and self.image.length:
            links.append(FeedLink(self.image.url, "enclosure", self.image.type, self.image.length))
        return tuple(links)


# --- the feedgen extension --------------------------------------------------------


class NewsroomExtension(BaseExtension):  # type: ignore[misc]
    """Declares the namespaces our entries use (feedgen puts them on the root element),
    and writes the feed's WebSub hub links (lkiesow/python-feedgen#122)."""

    def __init__(self) -> None:
        #: WebSub hubs (https://www.w3.org/TR/websub/#discovery), set by :func:`new_feed`.
        self.hubs: tuple[str, ...] = ()

    def extend_ns(self) -> dict[str, str]:
        return {NEWSROOM_PREFIX: NEWSROOM_NS, "media": MEDIA_NS, "dc": DC_NS, "dcterms": DCTERMS_NS}

    def extend_rss(self, feed: etree._Element) -> etree._Element:
        channel = feed.find("channel")
        for hub in self.hubs if channel is not None else ():
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", rel="hub", href=xml_safe(hub))
        return feed

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        for hub in self.hubs:  # feedgen writes Atom in no namespace, declared by hand
            etree.SubElement(feed, "link", rel="hub", href=xml_safe(hub))
        return feed


class NewsroomEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Writes the chain, credits, rights and the elements feedgen gets wrong, for one entry."""

    def __init__(self) -> None:
        self.item: FeedItem | None = None

    def extend_rss(self, entry: etree._Element) -> etree._Element:
        item = self.item
        if item is None:
            return entry
        for author in item.authors:  # RSS <author> needs an e-mail address; dc:creator takes a name
            _text(entry, f"{{{DC_NS}}}creator", author)
        source = item.source
        if source and source.feed:  # thin source (lkiesow/python-feedgen#80): written here
            _text(entry, "source", source.name, url=source.feed)
        if source and source.url:
            etree.SubElement(entry, f"{{{ATOM_NS}}}link", rel="via", href=xml_safe(source.url))
        self._common(entry, item)
        if item.rights:
            _text(entry, f"{{{DC_NS}}}rights", item.rights)
        if item.corrected:  # RSS has no updated date; only corrections add one (see FeedItem)
            _text(entry, f"{{{DCTERMS_NS}}}modified", format_date(item.updated))
        return entry

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        item = self.item
        if item is None:
            return entry
        # feedgen's entry links lose rel/type/length (lkiesow/python-feedgen#135): write them here.
        for link in entry.findall("link"):
            entry.remove(link)
        for link in item.links:
            attrs = {"href": link.href, "rel": link.rel, "type": link.type, "title": link.title}
            attrs["length"] = str(link.length) if link.length else None
            etree.SubElement(entry, "link", {k: xml_safe(v) for k, v in attrs.items() if v})
        if item.source:  # feedgen's atom:source has a title and a rel-less link only (#80)
            _atom_source(entry, item.source)
        self._common(entry, item)
        return entry

    @staticmethod
    def _common(entry: etree._Element, item: FeedItem) -> None:
        if item.origin:
            _text(entry, f"{{{DC_NS}}}source", item.origin)
        if item.image:
            _media_content(entry, item.image)
        if item.hops:
            chain_element(item.hops, entry)


def _atom_source(entry: etree._Element, hop: Hop) -> None:
    """``atom:source`` for the immediate upstream: its feed's id/self link, title, page."""
    source = etree.SubElement(entry, "source")
    if hop.feed:
        _text(source, "id", hop.feed)
    _text(source, "title", hop.name)
    if hop.url:
        etree.SubElement(source, "link", rel="alternate", type="text/html", href=xml_safe(hop.url))
    if hop.feed:
        etree.SubElement(source, "link", rel="self", href=xml_safe(hop.feed))


def _media_content(entry: etree._Element, image: FeedImage) -> None:
    """Media RSS image with caption as ``media:title`` (never ``media:description``,
    which some readers show instead of the article) and ``media:credit``."""
    attrs = {"url": image.url, "medium": "image"}
    if image.type:
        attrs["type"] = image.type
    if image.length:
        attrs["fileSize"] = str(image.length)
    content = etree.SubElement(
        entry, f"{{{MEDIA_NS}}}content", {k: xml_safe(v) for k, v in attrs.items()}
    )
    if image.caption:
        _text(content, f"{{{MEDIA_NS}}}title", image.caption, type="plain")
    if image.credit:
        _text(content, f"{{{MEDIA_NS}}}credit", image.credit)
    if image.license:  # media:copyright: validators reject Media RSS 1.5 media:license
        attrs = {"url": image.license_url} if image.license_url else {}
        _text(content, f"{{{MEDIA_NS}}}copyright", image.license, **attrs)


# --- building feeds ------------------------------------------------------------------


@dataclass(frozen=True)
class FeedMeta:
    """A feed's own fields; ``updated`` comes from its newest item, never the clock."""

    title: str
    site_url: str
    self_url: str
    description: str
    updated: datetime
    language: str | None = None
    author: str | None = None
    generator: str | None = None
    #: The Atom feed ``<id>``; ``self_url`` when None.
    id: str | None = None
    #: WebSub hubs (``NEWSROOM_WEBSUB_HUBS``): ``rel="hub"`` links, JSON Feed ``hubs``.
    hubs: tuple[str, ...] = ()


def new_feed(meta: FeedMeta, feed_type: str) -> FeedGenerator:
    """A FeedGenerator with our extension and no build-clock dates."""
    feed = FeedGenerator()
    feed.register_extension(
        "newsroom", NewsroomExtension, NewsroomEntryExtension, atom=True, rss=True
    )
    feed.id(xml_safe(meta.id or meta.self_url))
    feed.title(xml_safe(meta.title))
    self_type = "application/rss+xml" if feed_type == "rss" else "application/atom+xml"
    feed.link(href=xml_safe(meta.self_url), rel="self", type=self_type)
    # The RSS channel <link> is the *last* link given (feedgen/feed.py link()), so the site goes last.
    feed.link(href=xml_safe(meta.site_url), rel="alternate", type="text/html")
    feed.description(xml_safe(meta.description))
    if meta.language:
        feed.language(meta.language)
    if meta.author and feed_type == "atom":
        feed.author(name=xml_safe(meta.author))
    if meta.generator:
        feed.generator(meta.generator)
    feed.updated(meta.updated)  # else feedgen uses datetime.now() for <updated>/<lastBuildDate>
    feed.newsroom.hubs = meta.hubs  # not feed.link(rel="hub"): lkiesow/python-feedgen#122
    return feed


def add_entry(feed: FeedGenerator, item: FeedItem, feed_type: str, summary_only: bool) -> FeedEntry:
    """Append ``item`` (feedgen prepends by default, reversing the feed)."""
    entry = feed.add_entry(order="append")
    entry.id(xml_safe(item.id))
    entry.guid(
        xml_safe(item.id), permalink=item.is_permalink
    )  # after id(), which resets isPermaLink
    entry.title(xml_safe(item.title))
    entry.link(href=xml_safe(item.link), rel="alternate", type="text/html")
    entry.published(item.published)
    entry.updated(item.updated)  # else feedgen uses datetime.now()
    for author in item.authors:
        entry.author(name=xml_safe(author))
    for term in item.categories:
        entry.category(term=xml_safe(term))
    if item.rights and feed_type == "atom":
        entry.rights(xml_safe(item.rights))
    if item.image and item.image.type and item.image.length and feed_type == "rss":
        entry.enclosure(xml_safe(item.image.url), str(item.image.length), item.image.type)
    _set_text(entry, item, feed_type, summary_only)
    entry.newsroom.item = item
    return entry


def _set_text(entry: FeedEntry, item: FeedItem, feed_type: str, summary_only: bool) -> None:
    """RSS: summary in ``description``, full text in ``content:encoded`` (unless summary only).
    Atom: full ``content``, plus ``summary`` when it differs."""
    content = xml_safe(item.content)
    summary = xml_safe(item.summary) if item.summary and item.summary != item.content else None
    if feed_type == "rss":
        if summary_only:
            entry.description(summary or content)
            return
        entry.content(content, type="html")
        entry.description(summary or content)
        return
    entry.content(content, type="html")
    if summary:
        entry.summary(summary, type="html")


def serialize(feed: FeedGenerator, feed_type: str) -> bytes:
    """The feed document, pretty-printed UTF-8 with an XML declaration."""
    data: bytes = feed.rss_str(pretty=True) if feed_type == "rss" else feed.atom_str(pretty=True)
    return data


def entry_values(item: FeedItem) -> dict[str, Any]:
    """Our ``_newsroom`` JSON Feed object for ``item`` (null keys left out)."""
    values: dict[str, Any] = {"about": NEWSROOM_NS}
    if item.hops:
        values["chain"] = hops_to_json(item.hops)
    if item.origin:
        values["origin_url"] = item.origin
    if item.image:
        image = {
            "url": item.image.url,
            "caption": item.image.caption,
            "credit": item.image.credit,
            "credit_url": item.image.credit_url,
            "license": item.image.license,
        }
        values["image"] = {k: v for k, v in image.items() if v is not None}
    return values
