"""Making other sites' text safe to store as article files, for any theme.

Three kinds of imported value, three rules:

* **Bodies** are HTML. nh3 keeps an allow-list of tags and attributes and
  only ``http``/``https``/``mailto`` URLs (made absolute against the item's
  link). nh3 leaves text inside ``<iframe>`` unescaped, so the result is parsed
  again with html5lib and written back by its HTML5 serializer with every text
  node escaped (iframe fallback text is dropped: browsers never show it). The
  body is then stored inside one ``<div>``: with every ``<`` of text escaped,
  Markdown sees a single raw-HTML block it cannot end early, so neither Markdown
  syntax nor attribute lists (``{: …}``) in the text are ever interpreted.
* **Pelican's link placeholders** (``{attach}``, ``{static}``, ``{filename}``,
  ``|attach|``…) would make the build copy the named file into the site, even
  ``../../../proc/self/environ``. Every ``{``, ``}`` and ``|`` of an imported
  body, in text and in attribute values, is written as a character reference
  (``&#123;``, ``&#125;``, ``&#124;``): browsers show the same characters,
  Pelican's placeholder pattern never matches.
* **Metadata** is one line of plain text that any theme may print raw, in text
  or in a quoted attribute, even after Jinja's ``striptags`` (which unescapes
  entities). So no character that means something in HTML is stored: ``<`` and
  ``>`` become ``‹`` ``›``, straight quotes become typographic ones (``“ ” ‘ ’``).
  Titles are HTML in Pelican, so their ``&`` is stored as ``&amp;``; names
  (authors, tags, categories, credits) keep it (a bare ``&`` is harmless).
  C0 control characters and every character ``str.splitlines`` breaks on are
  removed from every value, URLs included, so no value can add a line to a
  file's header.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

import html5lib
import nh3
from html5lib.serializer import HTMLSerializer

from .repair import repair
from .text import clean_text, strip_xml_illegal
from .urls import SAFE_SCHEMES, encode_markup_url, escape_illegal, resolve

#: The metadata key every imported article carries (the upstream id): how the reader knows
#: a file holds another site's text.
IMPORT_ID_KEY = "import_id"
#: (Not ``loading``: the Nu checker the tests run refuses it on an iframe.)
_IFRAME_ATTRIBUTES = frozenset({"src", "width", "height", "title", "allowfullscreen"})
#: What Pelican's default INTRASITE_LINK_REGEX (``[{|](?P<what>.*?)[|}]``) needs to match.
_PLACEHOLDER_CHARACTERS = str.maketrans({"{": "&#123;", "}": "&#125;", "|": "&#124;"})
#: C0 controls, and every character ``str.splitlines`` treats as a line end.
_LINE_BREAKING_RE = re.compile("[\x00-\x1f\x85\u2028\u2029]")
#: A straight quote after a space or an opening bracket opens a quotation.
_OPENING_QUOTE_RE = re.compile(r"(^|[\s(\[{>\u2013\u2014-])([\"'`])")
_OPENING = {'"': "“", "'": "‘", "`": "‘"}
_HTML_SPECIAL = str.maketrans({"<": "‹", ">": "›", '"': "”", "'": "’", "`": "’"})
_SERIALIZER = HTMLSerializer(
    quote_attr_values="always",
    omit_optional_tags=False,
    escape_rcdata=True,
    resolve_entities=False,
    use_trailing_solidus=False,
)
_TREE_WALKER = html5lib.getTreeWalker("etree")


def _absolute(value: str, base: str | None) -> str | None:
    """``value`` resolved against ``base`` and percent-encoded where a URL may not hold a
    character as such (spaces…); None unless the result is http(s) with a valid host, or
    mailto."""
    try:
        url = resolve(value.strip(), base) if base else value.strip()
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in SAFE_SCHEMES and (
            not parts.hostname or escape_illegal(parts.netloc) != parts.netloc
        ):
            return None
    except ValueError:
        return None
    return encode_markup_url(url) if scheme in SAFE_SCHEMES or scheme == "mailto" else None


def _allow_list(allow_iframes: bool) -> tuple[set[str], dict[str, set[str]]]:
    # html5lib's serializer does not know <wbr> is void and would write </wbr>.
    tags = set(nh3.ALLOWED_TAGS) - {"wbr"}
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    # Anchors: repair() turns a name into an id and makes every id valid, unique, prefixed.
    attributes["*"] = {"id", "lang", "title"}
    attributes["a"] |= {"name"}
    if allow_iframes:
        tags.add("iframe")
        attributes["iframe"] = set(_IFRAME_ATTRIBUTES)
    return tags, attributes


def _reserialize(cleaned: str, id_prefix: str) -> str:
    """nh3's output through html5lib: every text node escaped, iframes emptied, the tree
    made valid HTML (:func:`~pelican_newsroom.repair.repair`)."""
    fragment = html5lib.parseFragment(cleaned, treebuilder="etree", namespaceHTMLElements=False)
    for iframe in fragment.iter("iframe"):
        iframe.text = None
        for child in list(iframe):
            iframe.remove(child)
    repair(fragment, id_prefix)
    return str(_SERIALIZER.render(_TREE_WALKER(fragment)))


def neutralize_placeholders(markup: str) -> str:
    """``markup`` with ``{``, ``}`` and ``|`` as character references (safe in HTML markup
    produced by :func:`sanitize_html`: they only occur in text and attribute values)."""
    return markup.translate(_PLACEHOLDER_CHARACTERS)


def sanitize_html(
    text: str, base: str | None, allow_iframes: bool = False, *, id_prefix: str = ""
) -> str:
    """Upstream HTML made safe to publish, valid, and safe to store inside a Markdown file.

    nh3's allow-list, absolute http(s)/mailto URLs only (percent-encoded), the tree
    repaired to valid HTML with every ``id`` starting with ``id_prefix``, every text
    node escaped by an HTML5 serializer, and Pelican's link placeholders neutralized.
    """
    tags, attributes = _allow_list(allow_iframes)

    def keep(_tag: str, attribute: str, value: str) -> str | None:
        return _absolute(value, base) if attribute in {"href", "src", "cite"} else value

    cleaned = nh3.clean(
        strip_xml_illegal(text),
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=keep,
    )
    return neutralize_placeholders(_reserialize(cleaned, id_prefix)).strip()


def html_to_text(markup: str) -> str:
    """The text a reader sees of an HTML fragment, on one line."""
    fragment = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    return clean_text(" ".join(fragment.itertext()))


def one_line(value: str) -> str:
    """``value`` without C0 control characters or line separators, whitespace collapsed."""
    return clean_text(_LINE_BREAKING_RE.sub(" ", value))


def plain_name(value: str) -> str:
    """A name (author, tag, category, credit) any theme may print raw: one line, with
    typographic stand-ins for ``< > " ' `` (see the module docstring)."""
    opened = _OPENING_QUOTE_RE.sub(lambda match: match[1] + _OPENING[match[2]], value)
    return one_line(opened.translate(_HTML_SPECIAL))


def title_html(value: str) -> str:
    """A plain-text title as Pelican expects titles (HTML): :func:`plain_name`, ``&`` escaped."""
    return html.escape(plain_name(value), quote=False)


def one_line_values(value: Any) -> Any:
    """Every string in a (nested) metadata value made :func:`one_line`."""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, list):
        return [one_line_values(item) for item in value]
    if isinstance(value, dict):
        return {key: one_line_values(item) for key, item in value.items()}
    return value
