"""Reading other sites' feeds: bytes in, checked items out.

RSS 0.9x/1.0/2.0 and Atom are parsed by feedparser; JSON Feed (which
feedparser 6 does not read) by :func:`parse_json_feed`.  Every XML document is
first parsed by a hardened lxml parser (:func:`hardened_parser`): it must be
well-formed (a truncated file or an HTML page fails as a whole, before
anything is written) and must not declare entities (``<!ENTITY``), which is
how external-entity (XXE) and entity-expansion ("billion laughs") attacks
start; no real feed needs them.  The one fault forgiven is in namespaces (a
prefix such as ``itunes:`` used without its declaration, a namespace name that
is not a URI): the XML is well-formed, and feedparser reads it.  feedparser does not expand them either, and a
test checks it.

feedparser flattens namespaces it does not know (repeated children overwrite
each other) and lets ``media:description`` replace an RSS item's summary, so
the chain (``newsroom:chain``, via :mod:`pelican_newsroom.newsroom_ns`) and the
Media RSS image are read from the lxml tree, matching items by id, then link.

An item that cannot become an article (nothing at all: no title, text, link
or id; a malformed chain) becomes a :class:`BrokenItem` that says why; the other
items of the feed are still imported.  An item without a title is named after
its first words, its image's ``alt`` text, its link, or "Untitled".
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.html
from lxml import etree
from markupsafe import Markup

from .chain import Hop
from .dates import parse_timestamp
from .errors import NewsroomError
from .model import Image, License
from .newsroom_ns import DC_NS, JSON_KEY, MEDIA_NS, hops_from_json, hops_from_xml
from .sanitize import html_to_text
from .text import clean_text
from .urls import host_of, parse_absolute_url


def hardened_parser(recover: bool = False) -> etree.XMLParser:
    """The parser for every XML document the importer reads (feeds and OPML): no entity
    resolved, no DTD loaded, nothing fetched. A new one per document, since a parser's
    error log is kept across documents and its state is not thread-safe."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_pis=True,
        recover=recover,
    )


#: Namespace faults (an undeclared ``itunes:`` prefix, a namespace name with a space) leave
#: the XML well-formed; feedparser reads such feeds, and so do we.
_NAMESPACE_FAULTS = etree.ErrorDomains.NAMESPACE
_ITEM_TAGS = frozenset({"item", "entry"})
_ID_TAGS = frozenset({"guid", "id"})
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
_HTML_RE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)
_TITLE_WORDS = 12
#: The title of an item that gives nothing better (only an id, or markup without words).
UNTITLED = "Untitled"
#: What real feeds put before ``<?xml`` (a byte-order mark, blank lines).
_LEADING_JUNK = b"\xef\xbb\xbf \t\r\n"


class FeedError(Exception):
    """A source that is not a feed we can read safely; nothing of it is imported."""


@dataclass(frozen=True)
class UpstreamItem:
    """One feed item: everything an article needs.

    Each format's reader fills it as the feed says (``key`` the upstream id, ``title``
    the item's own, either empty when the feed gives none); :func:`_checked` then
    completes it (an id, a title and dates for every item) or turns it into a
    :class:`BrokenItem`. Only checked items leave this module.
    """

    key: str  #: the upstream id, else the link: what makes a re-import find the same file
    link: str | None
    title: str
    published: datetime | None  #: None when the feed gives no date at all: dated when first seen
    updated: datetime | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    body: str  #: HTML (not yet sanitized)
    hops: tuple[Hop, ...]  #: the chain the item carries, origin first (not including this feed)
    origin_url: str | None = None
    #: The lead image with whatever credit the feed gives; its licence as the feed wrote it
    #: (a URL, or text), not completed. Feeds give no ``alt``: it is empty.
    image: Image | None = None
    #: The story's real link when ``link`` is a redirect (FeedBurner's ``feedburner:origLink``).
    story_link: str | None = None
    #: The feed's own summary, when it gives one besides the full text.
    summary: str = ""


@dataclass(frozen=True)
class BrokenItem:
    """An item that cannot be imported, and why."""

    key: str
    message: str


@dataclass(frozen=True)
class UpstreamFeed:
    """A parsed feed: who publishes it, and its items in feed order."""

    title: str
    link: str | None
    self_url: str | None
    items: tuple[UpstreamItem | BrokenItem, ...]


# --- small helpers ---------------------------------------------------------------


def _url(value: object) -> str | None:
    """An absolute http(s) URL, or None for anything else (unsafe schemes included)."""
    try:
        return parse_absolute_url(value)
    except NewsroomError:
        return None


def _text(value: object) -> str | None:
    return clean_text(value) or None if isinstance(value, str) else None


def _is_image(medium: str | None, mime: str | None, url: str) -> bool:
    if medium or mime:
        return medium == "image" or bool(mime and mime.startswith("image/"))
    return url.lower().split("?")[0].endswith(_IMAGE_EXTENSIONS)


def _date(raw: object, parsed: time.struct_time | None, tz: tzinfo) -> datetime | None:
    """The date as written (offset kept); feedparser's UTC value when we cannot read it."""
    if isinstance(raw, str) and raw.strip():
        try:
            return parse_timestamp(raw, tz)
        except NewsroomError:
            pass
    if parsed:
        return datetime(*parsed[:6], tzinfo=UTC)
    return None


def _merge_hops(hops: Iterable[Hop]) -> tuple[Hop, ...]:
    """Hops on the same host (``dc:source`` and ``<source>`` for one outlet) become one."""
    merged: list[Hop] = []
    for hop in hops:
        host = host_of(hop.url or hop.feed or "")
        for index, kept in enumerate(merged):
            if host and host == host_of(kept.url or kept.feed or ""):
                merged[index] = Hop(
                    name=kept.name if kept.name != host_of(kept.url or "") else hop.name,
                    url=kept.url or hop.url,
                    feed=kept.feed or hop.feed,
                    author=kept.author or hop.author,
                    date=kept.date or hop.date,
                )
                break
        else:
            merged.append(hop)
    return tuple(merged)


def _image_alt(body: str) -> str | None:
    """The ``alt`` text of the body's first described image (a photo post's caption)."""
    if "<img" not in body.lower():
        return None
    try:
        fragment = lxml.html.fragment_fromstring(body, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    return next((t for t in map(clean_text, fragment.xpath("//img/@alt")) if t), None)


def _link_label(link: str) -> str:
    """A link as a reader would say it: host and path, without scheme or query."""
    parts = urlsplit(link)
    return clean_text(unquote(f"{host_of(link)}{parts.path}".rstrip("/"))) or link


def _fallback_title(fields: UpstreamItem) -> str | None:
    """A name for an item that has none (RSS and Atom allow it): its first words, else
    its image's ``alt`` text, else its link; "Untitled" for an item that has only an id
    or markup without words; None for an item with nothing at all."""
    if fields.title:
        return fields.title
    words = html_to_text(fields.body).split()
    if words:
        return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")
    alt = _image_alt(fields.body)
    if alt:
        return alt
    if fields.link:
        return _link_label(fields.link)
    return UNTITLED if fields.key or fields.body.strip() or fields.image else None


def item_digest(title: str, published: datetime | None, body: str) -> str:
    """The identity of an item without id or link: a digest of what it says, stable across
    runs as long as the item is (ids are only compared within one feed)."""
    said = html_to_text(body) or body  # markup without words (an image) still tells items apart
    text = "\0".join([title, published.isoformat() if published else "", said])
    return "digest:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _checked(fields: UpstreamItem, feed_date: datetime | None) -> UpstreamItem | BrokenItem:
    """The item as the feed gave it, completed: a title, a key, and its dates (the feed's
    date for an undated item; ``updated`` only when later than ``published``)."""
    title = _fallback_title(fields)
    if not title:
        return BrokenItem(
            "(item without id, link or title)", "an empty item: no title, text, link or id"
        )
    published = fields.published or fields.updated or feed_date
    updated = (
        fields.updated if fields.updated and published and fields.updated > published else None
    )
    return replace(
        fields,
        key=fields.key or fields.link or item_digest(title, published, fields.body),
        title=title,
        published=published,
        updated=updated,
    )


# --- XML: the hardened gate, then feedparser + lxml ----------------------------------


def parse_xml(body: bytes) -> etree._Element:
    """Parse untrusted XML safely: well-formed, no entity declarations, nothing fetched."""
    if _HTML_RE.match(body[:4096]):
        raise FeedError(
            'this is an HTML page, not a feed (use the feed URL from its <link rel="alternate">)'
        )
    parser = hardened_parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        transcoded = _as_utf8(body, parser)
        if transcoded is not None:
            return parse_xml(transcoded)
        faults = [e for e in parser.error_log if e.domain != _NAMESPACE_FAULTS]
        if faults or not parser.error_log:
            shown = f"{faults[0].message}, line {faults[0].line}, column {faults[0].column}"
            raise FeedError(f"not well-formed XML: {shown if faults else error.msg}") from None
        # Well-formed XML whose only faults are its namespaces: read as it is
        # (recovery has nothing else to recover from; entities are still checked below).
        root = etree.fromstring(body, hardened_parser(recover=True))
    dtd = root.getroottree().docinfo.internalDTD
    names = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if names:
        raise FeedError(
            f"the document declares XML entities ({', '.join(names[:5])}); refused, since entity "
            "declarations are how external-entity and entity-expansion attacks work"
        )
    return root


_DECLARED_ENCODING_RE = re.compile(rb"""^(\s*<\?xml[^>]*?encoding=["'])([A-Za-z0-9._-]+)(["'])""")


def _as_utf8(body: bytes, parser: etree.XMLParser) -> bytes | None:
    """``body`` in UTF-8 when libxml2 refused it only for an encoding it does not know
    (``mac-cyrillic``) and Python's codecs do; None otherwise."""
    if not any(e.type_name == "ERR_UNSUPPORTED_ENCODING" for e in parser.error_log):
        return None
    declared = _DECLARED_ENCODING_RE.match(body)
    if declared is None:
        return None
    try:
        text = body.decode(declared[2].decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    utf8 = text.encode("utf-8")
    return _DECLARED_ENCODING_RE.sub(lambda m: m[1] + b"utf-8" + m[3], utf8, count=1)


def _localname(element: etree._Element) -> str:
    """The tag without its namespace (an undeclared ``prefix:name`` stays whole)."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _raw_keys(element: etree._Element) -> Iterator[str]:
    """The id and link texts of a raw item/entry, to match feedparser's entry."""
    about = element.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    if about:
        yield about.strip()
    for child in element:
        name = _localname(child)
        if name in _ID_TAGS and child.text:
            yield child.text.strip()
        elif name == "link":
            value = child.get("href") if child.get("rel", "alternate") == "alternate" else None
            value = value or child.text
            if value:
                yield value.strip()


def _raw_items(root: etree._Element) -> dict[str, etree._Element]:
    found: dict[str, etree._Element] = {}
    for element in root.iter():
        if _localname(element) in _ITEM_TAGS:
            for key in _raw_keys(element):
                found.setdefault(key, element)
    return found


def _first_text(element: etree._Element, *tags: str) -> str | None:
    for tag in tags:
        child = element.find(tag)
        if child is not None and child.text and child.text.strip():
            return clean_text(child.text)
    return None


def _image(
    src: str,
    caption: str | None = None,
    credit: str | None = None,
    credit_url: str | None = None,
    license: License | None = None,
) -> Image:
    """The model's image, as far as a feed describes one (no ``alt``)."""
    return Image(
        src=src, alt="", caption=caption, credit=credit, credit_url=credit_url, license=license
    )


def _license(value: str | None) -> License | None:
    """A licence as the feed wrote it: a URL (then also its name), or text."""
    if not value:
        return None
    return License(name=value, url=_url(value))


def _media_image(element: etree._Element) -> Image | None:
    """Media RSS: ``media:content`` (or ``media:thumbnail``) with title/description, credit, licence."""
    media = f"{{{MEDIA_NS}}}"
    candidates = [*element.iter(f"{media}content"), *element.iter(f"{media}thumbnail")]
    for content in candidates:
        src = _url(content.get("url"))
        if not src or not _is_image(content.get("medium"), content.get("type"), src):
            continue
        owners = [content, *(p for p in [content.getparent(), element] if p is not None)]
        found: dict[str, str | None] = {"caption": None, "credit": None, "license": None}
        for owner in owners:
            found["caption"] = found["caption"] or _first_text(
                owner, f"{media}title", f"{media}description"
            )
            found["credit"] = found["credit"] or _first_text(owner, f"{media}credit")
            found["license"] = found["license"] or _media_license(owner)
        return _image(src, found["caption"], found["credit"], None, _license(found["license"]))
    return None


def _media_license(owner: etree._Element) -> str | None:
    for tag in ("license", "copyright"):
        child = owner.find(f"{{{MEDIA_NS}}}{tag}")
        if child is not None:
            return _url(child.get("href") or child.get("url")) or _text(child.text)
    return None


def _enclosure_image(entry: Mapping[str, Any]) -> Image | None:
    for enclosure in entry.get("enclosures", []):
        src = _url(enclosure.get("href"))
        if src and _is_image(None, enclosure.get("type"), src):
            return _image(src)
    return None


def _standard_hops(entry: Mapping[str, Any]) -> tuple[Hop, ...]:
    """The chain from standard elements: ``dc:source`` (origin), ``<source>``/``atom:source``, ``rel=via``."""
    hops: list[Hop] = []
    origin = _url(entry.get("dc_source"))
    if origin:
        hops.append(Hop(name=host_of(origin), url=origin))
    source = entry.get("source") or {}
    source_feed = _url(source.get("href")) or _url(
        next(
            (link.get("href") for link in source.get("links", []) if link.get("rel") == "self"),
            None,
        )
    )
    source_url = _url(source.get("link"))
    source_name = _text(source.get("title")) or host_of(source_url or source_feed or "")
    if source_name:
        hops.append(Hop(name=source_name, url=source_url, feed=source_feed))
    for link in entry.get("links", []):
        href = _url(link.get("href")) if link.get("rel") == "via" else None
        if href:
            hops.append(Hop(name=_text(link.get("title")) or host_of(href), url=href))
    return _merge_hops(hops)


def _body(entry: Mapping[str, Any], is_atom: bool) -> str:
    """The fullest text: ``content`` (HTML preferred), else the summary; Atom text escaped."""
    details = list(entry.get("content", []))
    details.sort(key=lambda d: d.get("type") != "text/html")
    if entry.get("summary_detail"):
        details.append(entry["summary_detail"])
    for detail in details:
        value = detail.get("value") or ""
        if value.strip():
            plain = is_atom and detail.get("type") == "text/plain"
            return str(Markup.escape(value)) if plain else value
    return ""


def _summary(entry: Mapping[str, Any], is_atom: bool) -> str:
    """The summary when the feed also gives full ``content`` (else the body is the summary)."""
    detail = entry.get("summary_detail")
    if not entry.get("content") or not detail or not (detail.get("value") or "").strip():
        return ""
    value = str(detail["value"])
    return str(Markup.escape(value)) if is_atom and detail.get("type") == "text/plain" else value


_MARKUP_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


def _title(entry: Mapping[str, Any]) -> str | None:
    """The title as plain text, whatever its Atom ``type`` (``xhtml`` titles hold markup too)."""
    detail = entry.get("title_detail") or {}
    value = entry.get("title") or ""
    return (
        html_to_text(value) if detail.get("type") in _MARKUP_TYPES else clean_text(value)
    ) or None


_PERSON_FORMS = (
    re.compile(r"(?:mailto:)?[^\s()<>]+@[^\s()<>]+\s*\((?P<name>[^()]+)\)"),  # email (Name)
    re.compile(r"(?P<name>[^<>]+?)\s*<(?:mailto:)?[^<>\s]+@[^<>\s]+>"),  # Name <email>
    re.compile(r"(?P<name>[^()]+?)\s*\((?:mailto:)?[^()\s]+@[^()\s]+\)"),  # Name (email)
    re.compile(r"mailto:(?P<name>\S+@\S+)"),  # mailto:email
)


def person_name(value: object) -> str | None:
    """A byline name from the forms feeds use for a person (RSS wants ``email (Name)``)."""
    text = _text(value)
    if not text:
        return None
    for form in _PERSON_FORMS:
        match = form.fullmatch(text)
        if match:
            return clean_text(match["name"]) or None
    return text


def _xml_authors(entry: Mapping[str, Any], is_atom: bool) -> tuple[str, ...]:
    """Every author's name; RSS's raw ``<author>`` text is parsed here (feedparser's
    split of ``Name (mailto:…)`` keeps half of the address in the name)."""
    people = entry.get("authors") or []
    if not is_atom and len(people) <= 1 and entry.get("author"):
        raw: list[object] = [entry.get("author")]
    else:
        raw = [person.get("name") or person.get("email") for person in people]
    return tuple(dict.fromkeys(name for name in map(person_name, raw) if name))


def _xml_fields(
    entry: Mapping[str, Any], raw: etree._Element | None, is_atom: bool, tz: tzinfo
) -> UpstreamItem:
    hops = hops_from_xml(raw) if raw is not None else ()
    if not hops:
        hops = _standard_hops(entry)
    origin_url = _url(entry.get("dc_source"))
    if raw is not None:
        origin_url = _url(_first_text(raw, f"{{{DC_NS}}}source")) or origin_url
    return UpstreamItem(
        key=_text(entry.get("id")) or "",
        link=_url(entry.get("link")),
        title=_title(entry) or "",
        published=_date(entry.get("published"), entry.get("published_parsed"), tz),
        updated=_date(entry.get("updated"), entry.get("updated_parsed"), tz),
        authors=_xml_authors(entry, is_atom),
        tags=tuple(
            dict.fromkeys(
                t
                for t in (_text(x.get("term") or x.get("label")) for x in entry.get("tags", []))
                if t
            )
        ),
        body=_body(entry, is_atom),
        hops=hops,
        origin_url=origin_url,
        image=(_media_image(raw) if raw is not None else None) or _enclosure_image(entry),
        story_link=_url(entry.get("feedburner_origlink")),
        summary=_summary(entry, is_atom),
    )


def _xml_item(
    entry: Mapping[str, Any],
    raw_items: dict[str, etree._Element],
    is_atom: bool,
    tz: tzinfo,
    feed_date: datetime | None,
) -> UpstreamItem | BrokenItem:
    raw = next(
        (raw_items[k] for k in (entry.get("id"), entry.get("link")) if k and k in raw_items), None
    )
    try:
        fields = _xml_fields(entry, raw, is_atom, tz)
    except NewsroomError as error:
        label = entry.get("id") or entry.get("link") or entry.get("title") or "(item)"
        return BrokenItem(
            str(label), f"its chain cannot be read: {error.value!r}: {error.expected}"
        )
    return _checked(fields, feed_date)


def parse_xml_feed(body: bytes, location: str, tz: tzinfo) -> UpstreamFeed:
    """RSS 0.9x/1.0/2.0 or Atom, after the hardened gate."""
    body = body.lstrip(_LEADING_JUNK)  # whitespace before <?xml is common, and an error in XML
    root = parse_xml(body)
    headers = {"content-location": location} if _url(location) else {}
    # Bodies are sanitized once, by nh3 (pelican_newsroom.sanitize), for every format alike:
    # feedparser's own sanitizer would drop iframes that NEWSROOM_IMPORT_IFRAMES keeps.
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    if not parsed.version:
        raise FeedError(f"not an RSS or Atom feed (root element <{_localname(root)}>)")
    feed = parsed.feed
    link = _url(feed.get("link"))
    self_url = _url(
        next((x.get("href") for x in feed.get("links", []) if x.get("rel") == "self"), None)
    )
    feed_date = _date(
        feed.get("published") or feed.get("updated"),
        feed.get("published_parsed") or feed.get("updated_parsed"),
        tz,
    )
    is_atom = parsed.version.startswith("atom")
    raw_items = _raw_items(root)
    items = tuple(_xml_item(entry, raw_items, is_atom, tz, feed_date) for entry in parsed.entries)
    title = _text(feed.get("title")) or host_of(link or self_url or location) or location
    return UpstreamFeed(title=title, link=link, self_url=self_url, items=items)


# --- JSON Feed ----------------------------------------------------------------------


def _json_authors(item: Mapping[str, Any]) -> tuple[str, ...]:
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    names = (person_name(a.get("name")) for a in authors if isinstance(a, Mapping))
    return tuple(dict.fromkeys(n for n in names if n))


def _json_image(item: Mapping[str, Any], extension: Mapping[str, Any]) -> Image | None:
    ours = extension.get("image")
    if isinstance(ours, Mapping) and _url(ours.get("url")):
        return _image(
            src=str(_url(ours.get("url"))),
            caption=_text(ours.get("caption")),
            credit=_text(ours.get("credit")),
            credit_url=_url(ours.get("credit_url")),
            license=_license(_text(ours.get("license"))),
        )
    src = _url(item.get("image")) or _url(item.get("banner_image"))
    return _image(src) if src else None


def _json_item(item: object, tz: tzinfo) -> UpstreamItem | BrokenItem:
    if not isinstance(item, Mapping):
        return BrokenItem(repr(item)[:60], "a JSON Feed item must be an object")
    raw_extension = item.get(JSON_KEY)
    extension: Mapping[str, Any] = raw_extension if isinstance(raw_extension, Mapping) else {}
    item_id = item.get("id")
    try:
        hops = hops_from_json(extension) if extension.get("chain") else ()
    except NewsroomError as error:
        return BrokenItem(
            str(item_id or item.get("url")),
            f"its chain cannot be read: {error.value!r}: {error.expected}",
        )
    external = _url(item.get("external_url"))
    if not hops and external:
        hops = (Hop(name=host_of(external), url=external),)
    html = item.get("content_html") if isinstance(item.get("content_html"), str) else None
    text = item.get("content_text") if isinstance(item.get("content_text"), str) else None
    body = (
        html
        or (str(Markup.escape(text)) if text else "")
        or str(Markup.escape(item.get("summary") or ""))
    )
    raw_tags = item.get("tags")
    tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
    fields = UpstreamItem(
        key=(_text(str(item_id)) or "")
        if isinstance(item_id, str | int) and not isinstance(item_id, bool)
        else "",
        link=_url(item.get("url")),
        title=_text(item.get("title")) or "",
        published=_date(item.get("date_published"), None, tz),
        updated=_date(item.get("date_modified"), None, tz),
        authors=_json_authors(item),
        tags=tuple(dict.fromkeys(t for t in (_text(x) for x in tags) if t)),
        body=body,
        hops=hops,
        origin_url=_url(extension.get("origin_url")) or external,
        image=_json_image(item, extension),
        summary=str(Markup.escape(item["summary"]))
        if isinstance(item.get("summary"), str) and (html or text)
        else "",
    )
    return _checked(fields, None)


def parse_json_feed(body: bytes, location: str, tz: tzinfo) -> UpstreamFeed:
    """JSON Feed 1.0/1.1, with our ``_newsroom`` extension when present."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FeedError(f"not valid JSON: {error}") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not re.match(r"https?://jsonfeed\.org/version/", version):
        raise FeedError(
            'JSON, but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")'
        )
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError('a JSON Feed without an "items" list')
    link = _url(data.get("home_page_url"))
    self_url = _url(data.get("feed_url"))
    title = _text(data.get("title")) or host_of(link or self_url or location) or location
    return UpstreamFeed(title, link, self_url, tuple(_json_item(item, tz) for item in items))


def parse_feed(body: bytes, location: str, tz: tzinfo) -> UpstreamFeed:
    """Any supported feed format; raises :class:`FeedError` for anything else."""
    if not body.strip():
        raise FeedError("the source is empty")
    if body.lstrip(_LEADING_JUNK).startswith(b"{"):
        return parse_json_feed(body, location, tz)
    return parse_xml_feed(body, location, tz)
