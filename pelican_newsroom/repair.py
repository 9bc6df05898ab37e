"""Imported HTML made valid, not only safe: repairs on the tree html5lib parsed.

nh3 decides what may stay, and html5lib's tree builder already fixes what an HTML
parser fixes: unclosed elements are closed, ``<p>`` ends before a block, a second
``<a>`` ends the first, rows get a ``<tbody>``, table parts outside a table and text
inside one are moved out. What a parser keeps although the content models forbid
it is repaired here, on that tree, before it is serialized:

* elements HTML dropped (``<center>``, ``<strike>``, ``<tt>``, ``<acronym>``…) get
  their modern name, or are unwrapped (their content kept);
* attributes HTML dropped (``align``, ``char``, a table's ``summary``…) and values the
  checker would refuse (``width="100%"``, ``lang="english"``, ``colspan="0"``) go;
* an ``<a>`` without ``href`` (nh3 drops an unsafe one) is unwrapped; a ``name`` or
  ``id`` anchor keeps its target as an ``id`` on its parent or on a ``<span>``;
* every ``id`` is made valid, prefixed (ids from two articles may meet on one page,
  and a theme has ids of its own) and unique;
* every ``<img>`` has an ``alt`` (empty when unknown), and one without ``src`` is
  replaced by its ``alt`` text;
* elements where their parent's content model forbids them are unwrapped (a block
  inside phrasing content), regrouped (``<li>`` outside a list gets a ``<ul>``, text
  inside a list gets an ``<li>``) or renamed (``<figcaption>`` outside a figure is a
  ``<div>``); ``<rp>`` fallbacks are dropped (their pairing rules are strict and every
  browser shows ruby), spans are clipped to the cells and rows that exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

#: Elements that may appear where only phrasing content is allowed.
PHRASING = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "iframe",
        "img",
        "ins",
        "kbd",
        "mark",
        "q",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
#: Elements whose children must be phrasing content.
_PHRASING_ONLY = frozenset(
    [
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "i",
        "kbd",
        "mark",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "time",
        "u",
        "var",
    ]
)
#: Elements whose content model is their parent's.
_TRANSPARENT = frozenset({"a", "ins", "del"})
#: Obsolete elements and their modern equivalent (None: unwrapped, content kept).
_OBSOLETE: dict[str, str | None] = {
    "center": "div",
    "strike": "s",
    "tt": "code",
    "acronym": "abbr",
    "big": None,
    "font": None,
    "rtc": None,
    "hgroup": None,
    "map": None,  # needs a name, which nh3 removes; its areas are removed below
}
#: Removed with what they hold: an ``<area>`` needs a named ``<map>``, and columns only
#: carried styles (nh3 removes them) yet can make the checker count columns without cells.
_REMOVED = frozenset({"area", "col", "colgroup"})
#: Elements without content, removed (rather than unwrapped) where they may not be.
_VOID = frozenset({"hr", "br", "img", "iframe"})
#: Table parts and the parents they need.
_TABLE_PARENTS = {
    "caption": {"table"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "tr": {"thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
}
#: Elements that may not hold headings, sectioning elements, headers or footers.
_NO_HEADINGS_INSIDE = frozenset({"dt", "th"})
_HEADING_LIKE = frozenset(
    ["h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "article", "aside", "nav"]
)
_INTERACTIVE = frozenset({"a", "iframe", "details"})
#: Attributes HTML made obsolete, on any element or on the one named.
#: (``headers`` names ids, which are prefixed here: the reference would dangle.)
_OBSOLETE_ATTRIBUTES = frozenset(
    {"align", "char", "charoff", "border", "valign", "bgcolor", "headers"}
)
_OBSOLETE_ON = {"table": {"summary", "width"}, "hr": {"size", "width", "noshade"}}
#: Integer attributes: element → attribute → (minimum, maximum).
_INTEGERS: dict[str, dict[str, tuple[int, int]]] = {
    "img": {"width": (0, 10**9), "height": (0, 10**9)},
    "iframe": {"width": (0, 10**9), "height": (0, 10**9)},
    "td": {"colspan": (1, 1000), "rowspan": (0, 65534)},
    "th": {"colspan": (1, 1000), "rowspan": (0, 65534)},
    "ol": {"start": (-(10**9), 10**9)},
}
_KEYWORDS = {
    ("th", "scope"): {"row", "col", "rowgroup", "colgroup"},
    ("bdo", "dir"): {"ltr", "rtl"},
}
#: A language tag of the common shapes (``en``, ``en-GB``, ``zh-Hant-TW``, ``es-419``).
_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?")
#: A valid date string, or a valid global date and time string (what ``datetime`` takes).
_DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2}))?"
)
#: Characters the HTML syntax forbids that XML allows: C1 controls, DEL and noncharacters.
_FORBIDDEN_CHARACTERS = dict.fromkeys([*range(0x7F, 0xA0), *range(0xFDD0, 0xFDF0)])


@dataclass(frozen=True)
class _Context:
    """What the content model of the elements above allows."""

    phrasing: bool = False
    above: frozenset[str] = frozenset()

    def inside(self, element: Element) -> _Context:
        tag = element.tag
        phrasing = self.phrasing if tag in _TRANSPARENT else self.phrasing or tag in _PHRASING_ONLY
        return _Context(phrasing, self.above | {tag})


def repair(fragment: Element, id_prefix: str = "") -> None:
    """Make ``fragment`` (html5lib's etree, un-namespaced) valid HTML in a flow context."""
    _rename_obsolete(fragment)
    for element in fragment.iter():
        _clean_attributes(element)
    _resolve_anchors(fragment)
    _repair_children(fragment, _Context())
    _unique_ids(fragment, id_prefix)
    _clean_characters(fragment)


# --- moving nodes (ElementTree has no parent pointers: callers pass the parent) ---


def _append_text(parent: Element, index: int, text: str | None) -> None:
    """Add ``text`` after ``parent[index - 1]`` (or at the start of ``parent`` for 0)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text


def unwrap(parent: Element, index: int) -> None:
    """Replace ``parent[index]`` by its content (text, children, tail)."""
    element = parent[index]
    children = list(element)
    tail = element.tail
    del parent[index]
    _append_text(parent, index, element.text)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    _append_text(parent, index + len(children), tail)


def _blank(text: str | None) -> bool:
    return not text or not text.strip(" \t\n\f\r")


# --- obsolete elements and attributes --------------------------------------------


def _rename_obsolete(fragment: Element) -> None:
    for parent in list(fragment.iter()):
        index = 0
        while index < len(parent):
            child = parent[index]
            tag = child.tag
            if tag in _REMOVED:
                _drop(parent, index)
                continue
            if (
                tag in _OBSOLETE
                or tag in {"time", "data"}
                or (tag == "bdo" and "dir" not in child.attrib)
            ):
                modern = _OBSOLETE.get(tag)
                if modern is None:
                    unwrap(parent, index)  # time/data: nh3 removes datetime/value they need
                    continue
                child.tag = modern
            index += 1


def _drop(parent: Element, index: int) -> None:
    """Remove ``parent[index]`` and what it holds, keeping its tail."""
    tail = parent[index].tail
    del parent[index]
    _append_text(parent, index, tail)


def _integer_in(value: str, bounds: tuple[int, int]) -> str | None:
    text = value.strip()
    digits = text.removeprefix("-") if bounds[0] < 0 else text
    if not digits.isascii() or not digits.isdigit():
        return None
    return text if bounds[0] <= int(text) <= bounds[1] else None


def _valid_value(tag: str, name: str, value: str) -> str | None:
    """``value`` as HTML allows it for ``name`` on ``tag``; None to drop the attribute."""
    if name in _OBSOLETE_ATTRIBUTES or name in _OBSOLETE_ON.get(tag, ()):
        return None
    if name in _INTEGERS.get(tag, {}):
        return _integer_in(value, _INTEGERS[tag][name])
    if (tag, name) in _KEYWORDS:
        keyword = value.strip().lower()
        return keyword if keyword in _KEYWORDS[tag, name] else None
    if name in {"lang", "hreflang"}:
        tag_value = value.strip()
        return tag_value if not tag_value or _LANGUAGE_RE.fullmatch(tag_value) else None
    if name == "datetime":
        return value.strip() if _DATETIME_RE.fullmatch(value.strip()) else None
    if name == "id":
        return "-".join(value.split()) or None
    return value


def _clean_attributes(element: Element) -> None:
    for name, value in list(element.attrib.items()):
        valid = _valid_value(element.tag, name, value)
        if valid is None:
            del element.attrib[name]
        else:
            element.set(name, valid)
    if element.tag == "img":
        element.set("alt", element.get("alt", ""))


# --- anchors and ids ----------------------------------------------------------------


def _resolve_anchors(fragment: Element) -> None:
    """``<a name>`` to ``id``; an ``<a>`` without ``href`` unwrapped, its target kept."""
    for parent in list(fragment.iter()):
        index = 0
        while index < len(parent):
            child = parent[index]
            if child.tag != "a":
                index += 1
                continue
            name = child.attrib.pop("name", None)
            target = child.get("id") or ("-".join(name.split()) if name else None)
            if "href" in child.attrib:
                if target:
                    child.set("id", target)
                index += 1
            elif not target:
                unwrap(parent, index)
            else:
                index = _keep_target(fragment, parent, index, target)


def _keep_target(fragment: Element, parent: Element, index: int, target: str) -> int:
    """Replace the ``<a>`` at ``parent[index]`` by its content, its ``target`` kept as an id;
    the index to go on from."""
    anchor = parent[index]
    first = index == 0 and _blank(parent.text)
    if first and parent is not fragment and "id" not in parent.attrib:
        parent.set("id", target)  # <h2><a name="x"></a>Title</h2> → <h2 id="x">Title</h2>
        unwrap(parent, index)
        return index
    if all(child.tag in PHRASING for child in anchor.iter() if child is not anchor):
        anchor.tag = "span"
        anchor.attrib = {"id": target}
        return index + 1
    marker = Element("span", {"id": target})
    unwrap(parent, index)
    parent.insert(index, marker)
    marker.tail, parent.text = (parent.text, None) if index == 0 else (None, parent.text)
    return index + 1


def _unique_ids(fragment: Element, prefix: str) -> None:
    used: set[str] = set()
    for element in fragment.iter():
        value = element.get("id")
        if value is None:
            continue
        candidate, number = prefix + value, 1
        while candidate in used:
            number += 1
            candidate = f"{prefix}{value}-{number}"
        used.add(candidate)
        element.set("id", candidate)


def _clean_characters(fragment: Element) -> None:
    for element in fragment.iter():
        if element.text:
            element.text = element.text.translate(_FORBIDDEN_CHARACTERS)
        if element.tail:
            element.tail = element.tail.translate(_FORBIDDEN_CHARACTERS)
        for name, value in element.attrib.items():
            element.set(name, value.translate(_FORBIDDEN_CHARACTERS))


# --- content models -------------------------------------------------------------


def _repair_children(parent: Element, context: _Context) -> None:
    """Repair ``parent``'s children for ``context`` (the content model ``parent`` gives)."""
    _regroup(parent, context)
    index = 0
    while index < len(parent):
        child = parent[index]
        tag = child.tag
        action = _judge(parent, child, context)
        if action == "unwrap":
            _separate(parent, index)
            unwrap(parent, index)
            continue
        if action == "drop":
            _drop(parent, index)
            continue
        if action == "alt":  # an image nothing can show: what it shows is its alt text
            child.text = child.get("alt")
            unwrap(parent, index)
            continue
        if action is not None:
            child.tag = action
            continue  # judged again under its new name
        _repair_children(child, context.inside(child))
        if tag == "ruby" and not _annotated(child):
            unwrap(parent, index)
            continue
        if tag == "table":
            _fit_spans(child)
        index += 1


def _judge(parent: Element, child: Element, context: _Context) -> str | None:
    """What ``child`` needs: "unwrap", "drop", "alt", a new tag name, or None (it may stay)."""
    tag = child.tag
    if tag == "img" and "src" not in child.attrib:
        return "alt"
    if tag == "rp":  # fallback parentheses, for browsers without ruby (none now): their
        return "drop" if parent.tag == "ruby" else "unwrap"  # pairing rules are strict
    if tag == "rt":  # phrasing content, but only in a ruby
        return None if parent.tag == "ruby" else "unwrap"
    misplaced = _misplaced(parent, child)
    if misplaced:
        return misplaced
    if (tag in {"header", "footer"} and context.above & {"header", "footer"}) or (
        tag in _HEADING_LIKE and context.above & _NO_HEADINGS_INSIDE
    ):
        return "div"
    if (tag == "table" and "caption" in context.above) or (
        tag == "ruby" and "ruby" in context.above
    ):
        return "unwrap"
    if tag == "a" and any(inner.tag in _INTERACTIVE for inner in _descendants(child)):
        return "unwrap"  # the inner link or embed wins over the outer link
    if context.phrasing and tag not in PHRASING:
        return "drop" if tag in _VOID else "unwrap"
    return None


def _misplaced(parent: Element, child: Element) -> str | None:
    """What an element that only belongs in one parent needs elsewhere (None: it may stay)."""
    tag = child.tag
    if tag in _TABLE_PARENTS and parent.tag not in _TABLE_PARENTS[tag]:
        return "unwrap"
    if (tag == "li" and parent.tag not in {"ul", "ol"}) or (
        tag in {"dt", "dd"} and parent.tag != "dl"
    ):
        return "unwrap"  # where a list may be, _regroup has already made one
    if tag == "figcaption" and parent.tag != "figure":
        return "div"
    if tag == "summary" and not (parent.tag == "details" and _leads(parent, child)):
        return "div"
    if tag == "details" and not (len(child) and _leads(child, child[0], "summary")):
        return "div"
    return None


def _leads(parent: Element, child: Element, tag: str | None = None) -> bool:
    """``child`` is ``parent``'s first content (of tag ``tag``, if given)."""
    return parent[0] is child and _blank(parent.text) and tag in {None, child.tag}


def _annotated(ruby: Element) -> bool:
    """A ruby's text is followed by its annotation: it ends with an ``<rt>``."""
    return any(end.tag == "rt" and _blank(end.tail) for end in list(ruby)[-1:])


def _descendants(element: Element) -> Iterator[Element]:
    return (inner for inner in element.iter() if inner is not element)


def _separate(parent: Element, index: int) -> None:
    """Keep a space after a block that is unwrapped, so its words do not run into the next."""
    element = parent[index]
    if element.tag not in PHRASING and (element.tail is None or not element.tail[:1].isspace()):
        element.tail = " " + (element.tail or "")


def _regroup(parent: Element, context: _Context) -> None:
    """Lists, definition lists, figures and tables with their children in the right places."""
    if parent.tag in {"ul", "ol"}:
        _wrap_runs(parent, lambda node: not _is(node, {"li"}), "li")
    elif parent.tag == "dl":
        _wrap_runs(parent, lambda node: not _is(node, {"dt", "dd"}), "dd")
        _pair_terms(parent)
    elif not context.phrasing:
        _wrap_runs(parent, lambda node: _is(node, {"li"}), "ul")
        _wrap_runs(parent, lambda node: _is(node, {"dt", "dd"}), "dl")
    if parent.tag == "figure":  # one figcaption, first or last
        children = list(parent)
        ends = [*children[:1]] if _blank(parent.text) else []
        ends += [child for child in children[-1:] if _blank(child.tail)]
        kept = next((child for child in ends if child.tag == "figcaption"), None)
        for caption in parent:
            if caption.tag == "figcaption" and caption is not kept:
                caption.tag = "div"
    if parent.tag == "table":
        _order_table(parent)
    if parent.tag in {"thead", "tbody", "tfoot"}:
        for row in [row for row in parent if not any(c.tag in {"td", "th"} for c in row)]:
            parent.remove(row)  # a row without cells is an error; html5lib moved its text out


def _is(node: Element | str, tags: set[str]) -> bool:
    return isinstance(node, Element) and node.tag in tags


def _nodes(parent: Element) -> list[Element | str]:
    """``parent``'s content as a list of elements and text, taken out of ``parent``."""
    nodes: list[Element | str] = [parent.text] if parent.text else []
    for child in parent:
        nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
        child.tail = None
    parent.text = None
    del parent[:]
    return nodes


def _extend(parent: Element, nodes: list[Element | str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            _append_text(parent, len(parent), node)
        else:
            parent.append(node)


def _wrap_runs(parent: Element, wrapped: Callable[[Element | str], bool], tag: str) -> None:
    """Each run of ``parent``'s content for which ``wrapped`` holds (blank text between
    such nodes included; blank text alone never) moved into a new ``tag``."""
    if not any(wrapped(node) for node in [parent.text or "", *parent]):
        return
    out: list[Element | str] = []
    run: list[Element | str] = []

    def flush() -> None:
        trailing: list[Element | str] = []
        while run and isinstance(run[-1], str) and _blank(run[-1]):
            trailing.insert(0, run.pop())
        if run:
            wrapper = Element(tag)
            _extend(wrapper, run)
            out.append(wrapper)
        out.extend(trailing)
        run.clear()

    for node in _nodes(parent):
        blank = isinstance(node, str) and _blank(node)
        if (wrapped(node) and not blank) or (run and blank):
            run.append(node)
        else:
            flush()
            out.append(node)
    flush()
    _extend(parent, out)


def _pair_terms(dl: Element) -> None:
    """A ``<dl>`` is groups of terms then descriptions: it starts with a dt, ends with a dd."""
    items = [child for child in dl if child.tag in {"dt", "dd"}]
    if items and items[0].tag == "dd":
        dl.insert(list(dl).index(items[0]), Element("dt"))
    if items and items[-1].tag == "dt":
        dl.append(Element("dd"))


def _order_table(table: Element) -> None:
    """The caption first; one ``<thead>`` before the bodies, one ``<tfoot>`` after them."""
    captions = [child for child in table if child.tag == "caption"]
    if captions and table[0] is not captions[0]:
        table.remove(captions[0])
        table.insert(0, captions[0])
    for extra in captions[1:]:  # one caption per table: the others join the first
        _extend(captions[0], [" ", *_nodes(extra)])
        table.remove(extra)
    sections = [child for child in table if child.tag in {"thead", "tbody", "tfoot"}]
    seen_head = seen_body = False
    for position, section in enumerate(sections):
        late_head = section.tag == "thead" and (seen_head or seen_body)
        if late_head or (section.tag == "tfoot" and position != len(sections) - 1):
            section.tag = "tbody"
        seen_head = seen_head or section.tag == "thead"
        seen_body = seen_body or section.tag == "tbody"


def _fit_spans(table: Element) -> None:
    """Column and row spans no wider than the table's cells and no longer than their row
    group: a column in which no cell begins, or a span past its group, is an error."""
    cells: list[tuple[Element, int, int]] = []  # cell, first column, last column
    begins: set[int] = set()
    for group in (child for child in table if child.tag in {"thead", "tbody", "tfoot"}):
        rows = list(group)
        taken: dict[int, int] = {}  # column → rows still covered by a cell above
        for number, row in enumerate(rows):
            column = 0
            for cell in (child for child in row if child.tag in {"td", "th"}):
                while taken.get(column, 0) > 0:
                    column += 1
                span, down = int(cell.get("colspan", "1")), int(cell.get("rowspan", "1"))
                left = len(rows) - number
                if down == 0 or down > left:
                    down = left
                    _set_span(cell, "rowspan", down)
                for covered in range(column, column + span):
                    taken[covered] = max(taken.get(covered, 0), down)
                cells.append((cell, column, column + span - 1))
                begins.add(column)
                column += span
            taken = {column: rows - 1 for column, rows in taken.items() if rows > 1}
    for cell, first, last in cells:
        _set_span(cell, "colspan", sum(1 for column in range(first, last + 1) if column in begins))


def _set_span(cell: Element, name: str, value: int) -> None:
    if value == 1:
        cell.attrib.pop(name, None)
    else:
        cell.set(name, str(value))
