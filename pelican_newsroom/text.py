"""Plain-text hygiene shared by every field that comes from users or other sites."""

from __future__ import annotations

import re
from typing import Any

#: Characters no page or feed may hold: those XML 1.0 forbids (C0 controls but
#: tab/newline/return, lone surrogates, U+FFFE/U+FFFF), which lxml refuses at
#: serialization (ckan/ckan#6371), and those HTML makes parse errors (DEL, C1 controls,
#: every noncharacter: U+FDD0-U+FDEF and the last two code points of each plane), which
#: the Nu checker reports as "Forbidden code point". They are removed once, here,
#: before any value reaches a page or a feed.
_FORBIDDEN_BMP = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_FORBIDDEN_ASTRAL = "".join(
    f"{chr(p << 16 | 0xFFFE)}-{chr(p << 16 | 0xFFFF)}" for p in range(1, 17)
)
#: One range for everything from U+1FFFE up (rarer than emoji, which are below), narrowed
#: by a look-behind: a class of 16 astral pairs is 15 times slower to search than a range.
XML_ILLEGAL_RE = re.compile(
    f"[{_FORBIDDEN_BMP}\U0001fffe-\U0010ffff](?<=[{_FORBIDDEN_BMP}{_FORBIDDEN_ASTRAL}])"
)


def has_xml_illegal(text: str) -> bool:
    """Whether ``text`` holds a character :data:`XML_ILLEGAL_RE` matches.

    With the range-and-look-behind form the expression scans 10,000 characters in 30-60
    µs (ASCII, accented, CJK), as fast as the UTF-8 byte tricks it replaced.
    """
    return XML_ILLEGAL_RE.search(text) is not None


def strip_xml_illegal(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return XML_ILLEGAL_RE.sub("", text) if has_xml_illegal(text) else text


def clean_text(value: str) -> str:
    """``value`` without XML-illegal characters, whitespace runs collapsed, stripped."""
    cleaned = " ".join(strip_xml_illegal(value).split())
    return value if cleaned == value else cleaned  # the same object: no second copy kept


def strip_xml_illegal_nested(value: object) -> tuple[object, str | None]:
    """``value`` with :func:`strip_xml_illegal` applied to every string in it, at any depth.

    YAML front matter gives lists and mappings (``tags``, ``authors``, ``via`` hops), and
    Pelican turns their strings into tags and authors that reach every page. Lists and
    dicts are cleaned in place (their keys too), walking with a stack: libyaml nests up to
    1000 levels, as deep as Python's recursion limit. Also returns the first string that
    held such a character, for the warning (``None`` when nothing was removed).
    """
    if isinstance(value, str):
        cleaned = strip_xml_illegal(value)
        return cleaned, (value if cleaned is not value else None)
    first: str | None = None
    stack = [value]
    seen: set[int] = set()  # each container once, even if shared or cyclic
    while stack:
        container = stack.pop()
        if id(container) in seen:
            continue
        seen.add(id(container))
        if isinstance(container, list):
            items: list[tuple[Any, object]] = list(enumerate(container))
        elif isinstance(container, dict):
            items = list(container.items())
        else:
            continue
        for key, item in items:
            if isinstance(item, list | dict):
                stack.append(item)
            elif isinstance(item, str) and has_xml_illegal(item):
                first = first or item
                container[key] = strip_xml_illegal(item)
            if isinstance(container, dict) and isinstance(key, str) and has_xml_illegal(key):
                first = first or key
                container[strip_xml_illegal(key)] = container.pop(key)
    return value, first


#: A numeric character reference (``&#1;``, ``&#xFFFE;``): HTML text can name a forbidden
#: character without holding it, and the page is just as invalid.
_REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _names_illegal(reference: re.Match[str]) -> bool:
    code = int(reference[1], 16) if reference[1] else int(reference[2])
    return code > 0x10FFFF or XML_ILLEGAL_RE.match(chr(code)) is not None


def strip_illegal_html(html: str) -> str:
    """``html`` without forbidden characters, written out or as numeric references.

    For HTML (a body, a summary, a title, which Pelican's themes print unescaped); in
    plain text ``&#1;`` is harmless, as templates escape its ``&``.
    """
    html = strip_xml_illegal(html)
    if "&#" not in html:
        return html
    return _REFERENCE_RE.sub(lambda m: "" if _names_illegal(m) else m[0], html)


def first_illegal(text: str) -> str:
    """The first forbidden character or reference in ``text`` (``""`` if none), for a warning.

    The same for a Markdown body before and after conversion, so ``check`` and the build agree.
    """
    found = XML_ILLEGAL_RE.search(text)
    end = found.start() if found else len(text)
    for reference in _REFERENCE_RE.finditer(text, 0, end):
        if _names_illegal(reference):
            return reference[0]
    return found[0] if found else ""
