"""Every assumption about feedgen (python-feedgen 1.0): RSS 2.0 and Atom 1.0 from FeedItems.

Our elements go in through feedgen's extension contract
(``register_extension``; :class:`NewsroomExtension`, :class:`NewsroomEntryExtension`).
feedgen has known problems; each is worked around here and nowhere else:

* Atom entry links lose ``rel``/``type``/``length`` (lkiesow/python-feedgen#135):
  :class:`NewsroomEntryExtension` rewrites every Atom entry ``<link>``.
* ``source`` is thin (lkiesow/python-feedgen#80): RSS ``<source>`` needs a
  title and Atom ``<source>`` has no id/rel; both are written here instead.
* ``updated``/``lastBuildDate`` default to the build clock (``datetime.now``
  in ``FeedGenerator.__init__`` and ``FeedEntry.__init__``): :func:`new_feed`
  and :func:`add_entry` always set them from the content.
* naive datetimes raise ``ValueError`` ("Datetime object has no timezone
  info"): every date reaches feedgen aware (:func:`pelican_newsroom.feed_item.aware`).
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

Dublin Core is written by our entry extension, not with feedgen's ``dc``
extension (``feedgen.ext.dc``): that one writes all its elements of an entry in
one block, in a fixed order (creator … rights, source …), after which our
extension can only append.  Our items carry ``dc:creator`` first, ``dc:source``
before the image and chain, ``dc:rights`` after them, and ``dc:source`` in Atom
entries without ``dc:creator``/``dc:rights``; the same feeds through
``feedgen.ext.dc`` would not be byte for byte the feeds subscribers already
have.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .chain import Hop
from .feed_item import EMPTY_FEED_DATE, FeedItem, FeedMeta
from .model import Image
from .newsroom_ns import (
    ATOM_NS,
    DC_NS,
    DCTERMS_NS,
    MEDIA_NS,
    NEWSROOM_NS,
    NEWSROOM_PREFIX,
    chain_element,
    format_date,
)
from .text import strip_xml_illegal


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (lxml raises on them, ckan/ckan#6371)."""
    return strip_xml_illegal(text)


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    element.text = xml_safe(text)
    return element


@dataclass(frozen=True)
class FeedLink:
    """An Atom link with every attribute feedgen would drop (lkiesow/python-feedgen#135)."""

    href: str
    rel: str = "alternate"
    type: str | None = None
    length: int | None = None
    title: str | None = None


def atom_links(item: FeedItem) -> tuple[FeedLink, ...]:
    """Atom links: the page, the immediate source (``via``), the origin, the image."""
    links = [FeedLink(item.link, "alternate", "text/html")]
    source = item.source
    if source and source.url:
        links.append(FeedLink(source.url, "via", "text/html", title=source.name))
    if item.origin and item.origin not in {link.href for link in links}:
        links.append(FeedLink(item.origin, "related", "text/html"))
    if image := item.enclosure:
        links.append(FeedLink(image.src, "enclosure", image.media_type, image.length))
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
        for link in atom_links(item):
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


def _media_content(entry: etree._Element, image: Image) -> None:
    """Media RSS image with caption as ``media:title`` (never ``media:description``,
    which some readers show instead of the article) and ``media:credit``."""
    attrs = {"url": image.src, "medium": "image"}
    if image.media_type:
        attrs["type"] = image.media_type
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
        attrs = {"url": image.license.url} if image.license.url else {}
        _text(content, f"{{{MEDIA_NS}}}copyright", image.license.name, **attrs)


# --- building feeds ------------------------------------------------------------------


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
    if (image := item.enclosure) and feed_type == "rss":
        entry.enclosure(xml_safe(image.src), str(image.length), image.media_type)
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


# --- entries serialized once, spliced into every feed ----------------------------------
#
# An article is in five to ten feeds (all, category, author, tags, sources). feedgen builds
# and pretty-prints a whole tree per feed, so the writer serializes each entry once per
# format (:func:`entry_fragment`) and copies the bytes into each feed's shell
# (:func:`xml_document`): twice as fast as letting feedgen write every feed whole
# (``benchmarks/feed_stage.py``). It relies on feedgen's pretty-printed output: one entry
# per line block, indented under ``<channel>`` (RSS) or the root (Atom), the channel
# closing with ``"  </channel>"``. The test of this module checks that the spliced bytes
# equal feedgen's own serialization of the whole feed.

_FRAGMENT_META = FeedMeta(
    title="fragment",
    site_url="https://fragment.invalid/",
    self_url="https://fragment.invalid/feed",
    description="fragment",
    updated=EMPTY_FEED_DATE,
)
_ENTRY_TAGS = {"rss": (b"<item>", b"</item>\n"), "atom": (b"<entry>", b"</entry>\n")}
_SHELL_ENDS = {"rss": b"  </channel>", "atom": b"</feed>"}


def entry_fragment(item: FeedItem, feed_type: str, summary_only: bool) -> bytes:
    """``item``'s ``<item>``/``<entry>`` as feedgen writes it inside a ``feed_type`` feed.

    Serialized inside a one-entry feed: every feed registers the same extension, so the
    namespaces are declared on the root of each, and the fragment fits any of them.
    """
    feed = new_feed(_FRAGMENT_META, feed_type)
    add_entry(feed, item, feed_type, summary_only)
    document = serialize(feed, feed_type)
    opening, closing = _ENTRY_TAGS[feed_type]
    start = document.rindex(b"\n", 0, document.index(opening)) + 1
    end = document.rindex(closing) + len(closing)
    return document[start:end]


def xml_document(meta: FeedMeta, feed_type: str, entries: Iterable[bytes]) -> bytes:
    """The feed's own fields as feedgen writes them, with the entries (:func:`entry_fragment`)
    spliced in where feedgen would have put them, after the channel's own fields."""
    document = serialize(new_feed(meta, feed_type), feed_type)
    cut = document.rindex(_SHELL_ENDS[feed_type])
    return document[:cut] + b"".join(entries) + document[cut:]
