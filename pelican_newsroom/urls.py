"""URLs: which ones may reach a page or feed, how they are encoded, and how they are made absolute.

Only ``http``, ``https`` and site-relative URLs are kept (README, "Security model"); anything
else (``javascript:``, ``data:``, ``file:``…) is refused with a warning, since
it could run script in a reader's browser or point at their disk.

Every URL the plugin makes absolute goes through this module: a site path against
``SITEURL`` (:func:`absolutize`), a link against the page it sits on (:func:`resolve`),
every link inside an HTML fragment (:func:`absolute_links`), and a site path for a
template, where ``SITEURL`` may be relative (:func:`site_url`).
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree
from lxml.html import defs

from .errors import NewsroomError

SAFE_SCHEMES = frozenset({"http", "https"})
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Browsers ignore these inside a scheme ("java\tscript:"), so we strip them before judging.
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")
#: Whitespace (any, Unicode too) and control characters: never part of a URL we keep.
#: Browsers drop tabs and newlines inside a URL and urlsplit does too, so what was checked
#: would not be what is followed; a space marks junk after the URL ("…alert(1) x").
_SPACE_OR_CONTROL_RE = re.compile(r"[\s\x00-\x1f\x7f]")
#: Characters refused in a site path: they could end an HTML attribute or, as ``\``, act as
#: a ``/`` for browsers (``/\evil.example`` is another host).
_PATH_REFUSED_RE = re.compile(r"[\"'<>\\\x00-\x1f\x7f]")


#: ASCII characters no URL may hold as such (RFC 3986, WHATWG URL): feed validators and the
#: Nu checker reject them, so the model stores URLs with them percent-encoded.
_URL_ILLEGAL_RE = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")
#: A ``%`` that does not start a percent-encoded byte ("100%.jpg"): checkers reject it.
_STRAY_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def escape_illegal(text: str) -> str:
    """``text`` with the ASCII characters no URL may hold percent-encoded, and nothing else."""
    return _URL_ILLEGAL_RE.sub(lambda match: f"%{ord(match[0]):02X}", text)


def encode_url(url: str) -> str:
    """``url`` with illegal ASCII and non-ASCII characters percent-encoded (host in IDNA)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            netloc = netloc.encode("idna").decode("ascii")
        except UnicodeError:
            netloc = quote(netloc, safe=":@[]")

    def encode(text: str) -> str:
        return escape_illegal(_NON_ASCII_RE.sub(lambda m: quote(m.group()), text))

    return urlunsplit(
        (parts.scheme, netloc, encode(parts.path), encode(parts.query), encode(parts.fragment))
    )


def encode_markup_url(url: str) -> str:
    """:func:`encode_url`, with a ``%`` that starts no percent-encoded byte written ``%25``.

    For URLs in other sites' markup, where ``100%.html`` is common and the Nu checker
    refuses it. Metadata URLs keep their ``%`` as given, so a chain read back from a
    feed is the chain that was written.
    """
    return encode_url(_STRAY_PERCENT_RE.sub("%25", url))


def scheme_of(text: str) -> str:
    """The scheme a browser could read at the start of ``text``, lower-cased; ``""`` for none.

    Judged with ASCII whitespace and controls removed, as browsers drop them
    inside a scheme (``java\tscript:``) and around the URL, and with spaces
    removed too: a value that is a scheme plus junk (``javascript:… x``) is
    still that scheme, never a path.  This is the one test of "is this a URL?"
    every URL field goes through.
    """
    match = _SCHEME_RE.match(_INVISIBLE_RE.sub("", text))
    return match[0][:-1].lower() if match else ""


def looks_like_url(text: str) -> bool:
    """True for ``scheme:…`` without spaces, or ``scheme://…`` with them: a URL, safe or not.

    For fields that hold a URL *or* a name (``license``, a ``via`` hop):
    ``Reuters: World`` is a name, only ever shown as text, while
    ``javascript://… x`` is a URL with junk after it, judged (and refused) as
    one.  Fields that hold only URLs use :func:`parse_absolute_url` or
    :func:`parse_site_url`, which judge any value with a scheme as a URL.
    """
    scheme = scheme_of(text)
    if not scheme:
        return False
    after_scheme = _INVISIBLE_RE.sub("", text)[len(scheme) + 1 :]
    return " " not in text.strip() or after_scheme.startswith("//")


def parse_absolute_url(value: object) -> str:
    """An absolute ``http(s)`` URL with a host, or raise.

    A dangerous scheme is a warning (the value is dropped); a value
    that is not an absolute URL at all is an error, as is one with whitespace
    or control characters in it (junk after a URL, or a URL split over lines).
    """
    if not isinstance(value, str) or not value.strip():
        raise NewsroomError(value, "an absolute http(s) URL, got an empty value")
    url = value.strip()
    scheme = scheme_of(url)
    if scheme and scheme not in SAFE_SCHEMES:
        raise NewsroomError(
            value, f"a http(s) URL; '{scheme}:' URLs are not allowed, dropped", "warning"
        )
    if _SPACE_OR_CONTROL_RE.search(url):
        raise NewsroomError(
            value, "an absolute http(s) URL without spaces or control characters in it"
        )
    try:
        parts = urlsplit(url)
    except ValueError:
        raise NewsroomError(value, "an absolute http(s) URL") from None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname:
        raise NewsroomError(value, "an absolute http(s) URL such as 'https://example.com/story'")
    if _URL_ILLEGAL_RE.search(parts.netloc):
        raise NewsroomError(value, "an absolute http(s) URL with a valid host name")
    return encode_url(url)


#: Pelican's link placeholders, in both spellings (``{static}`` and ``|static|``).
_PLACEHOLDER_RE = re.compile(r"^[{|](static|attach|filename)[}|]")


def parse_site_url(value: object) -> str:
    """An absolute ``http(s)`` URL, or a path inside the site (``images/a.jpg``, ``/images/a.jpg``).

    Pelican's ``{static}`` / ``{attach}`` / ``{filename}`` prefixes (or ``|static|``…) are
    accepted and removed: metadata is not run through Pelican's link replacement, so the
    plain path is what works. A path that climbs out of the site (``../../etc/passwd``) is
    refused: it can only be a mistake or an attempt to reach the build machine's files.
    Anything a browser could read as a scheme or a host (``javascript:…``, ``//host``) is
    judged as an absolute URL, spaces or not; a path keeps its spaces, percent-encoded.
    """
    if not isinstance(value, str) or not value.strip():
        raise NewsroomError(value, "a URL or a path inside the site, got an empty value")
    text = _PLACEHOLDER_RE.sub("", value.strip())
    if scheme_of(text) or text.startswith("//"):
        try:
            return parse_absolute_url(text)
        except NewsroomError as error:  # name the value as written, prefix and all
            raise NewsroomError(value, error.expected, error.severity) from None
    if _PATH_REFUSED_RE.search(text):
        raise NewsroomError(
            value,
            "a URL or a path inside the site, without quotes, angle brackets, "
            "backslashes or control characters",
        )
    if posixpath.normpath(urlsplit(text).path.lstrip("/") or ".").split("/")[0] == "..":
        raise NewsroomError(value, "a path inside the site; '..' would leave it")
    return encode_url(text)


def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.``: how a source is identified."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def join_url(base: str, url: str) -> str:
    """``url`` resolved against ``base`` taken as a folder, as Pelican's ``Writer.urljoiner``.

    ``https://a.example/news`` + ``x.html`` is ``https://a.example/news/x.html``;
    a ``url`` starting with ``/`` still starts from the host.
    """
    return urljoin(base if base.endswith("/") else base + "/", url)


def absolutize(url: str, siteurl: str) -> str:
    """A site path made absolute against ``SITEURL`` (feeds, JSON-LD, sitemaps).

    ``/images/a.jpg`` and ``images/a.jpg`` are the same site path, below the
    site's own folder (``SITEURL`` may end in one); a URL with a scheme is kept.
    """
    if urlsplit(url).scheme:
        return url
    return join_url(siteurl.rstrip("/"), url.lstrip("/"))


def resolve(url: str, base: str) -> str:
    """A link as a browser resolves it on the page at ``base`` (imported bodies, feeds)."""
    return urljoin(base, url)


#: Link attributes lxml does not know (``lxml.html.defs.link_attrs``) that readers fetch.
_EXTRA_LINK_ATTRIBUTES = ("poster",)
#: Every attribute lxml may rewrite (``value`` of a ``<param>`` too), and ours.
_LINK_ATTRIBUTES = tuple(sorted(defs.link_attrs | {"value", *_EXTRA_LINK_ATTRIBUTES}))
#: An attribute value that starts with no scheme and no ``#``. Anchored on the literal ``=``,
#: so ``re`` scans with a fast literal search (an alternation of names first is ten times slower).
_RELATIVE_VALUE_RE = re.compile(r"""=\s*+["']?+(?![a-z][a-z0-9+.-]*:|#)""")
#: How far before the ``=`` its attribute's name is looked for (name and spaces).
_NAME_WINDOW = 64


def _may_hold_relative_links(html: str) -> bool:
    """False when no link in ``html`` can be relative, so :func:`absolute_links` skips the parse.

    A link attribute whose value starts with no scheme, CSS (``url(``,
    ``@import``) or a refresh: any of them, in prose too, is left to lxml.
    """
    lowered = html.lower()
    if "url(" in lowered or "@import" in lowered or "http-equiv" in lowered:
        return True
    for match in _RELATIVE_VALUE_RE.finditer(lowered):
        before = lowered[max(0, match.start() - _NAME_WINDOW) : match.start()].rstrip()
        if before.endswith(_LINK_ATTRIBUTES):
            return True
    return False


def absolute_links(html: str, base: str) -> str:
    """Every link in an HTML fragment resolved against ``base``, the URL of its page.

    A feed reader has no page to resolve ``/pages/about.html`` or ``img.png``
    against. lxml finds the links (quoted or not, any case, ``style`` URLs too);
    a fragment where no link changes is returned as it came, byte for byte, and
    one that cannot be parsed (control characters) too.
    """
    if not _may_hold_relative_links(html):
        return html
    try:
        container = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, etree.ParserError):
        return html
    changed = False

    def rewrite(url: str) -> str:
        nonlocal changed
        if not url or url.startswith("#"):  # into the text itself, wherever it is shown
            return url
        absolute = resolve(url, base)
        changed = changed or absolute != url
        return absolute

    container.rewrite_links(rewrite, resolve_base_href=False)
    for attribute in _EXTRA_LINK_ATTRIBUTES:
        for element in container.iterfind(f".//*[@{attribute}]"):
            element.set(attribute, rewrite(element.get(attribute, "")))
    if not changed:
        return html
    serialized = str(lxml.html.tostring(container, encoding=str))
    return serialized[len("<div>") : -len("</div>")]


@lru_cache(maxsize=512)
def site_url(url: str, siteurl: str) -> str:
    """A URL for ``href``/``src`` in a page: a site path behind ``SITEURL``, encoded.

    ``SITEURL`` here is the template's, which ``RELATIVE_URLS`` makes relative
    (``..``); a URL with a scheme is kept (a path may hold ``://``, so only the
    scheme decides). Illegal characters are percent-encoded; the result still
    needs HTML escaping (``&`` and ``'`` are legal in URLs). Cached: a page links the
    same navigation, categories and feeds as every other page.
    """
    if urlsplit(url).scheme:
        return escape_illegal(url)
    return escape_illegal(f"{siteurl}/{url.lstrip('/')}")


#: Query parameters that only track a click (campaigns, ad and social click ids): two links
#: that differ only in them are the same story.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "ncid",
        "ocid",
        "sr_share",
        "spm",
        "wt.mc_id",
        "at_medium",
        "at_campaign",
        "guccounter",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs")


def link_key(url: str) -> str:
    """The form of a link two feeds agree on: the key duplicates are found by.

    Scheme, ``www.``, default port, letter case of the host, a trailing slash,
    the fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid`` …) do
    not make another story; the remaining query parameters are sorted.  Not a
    URL to publish: it has no scheme.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port if parts.port not in (None, 80, 443) else None
    except ValueError:  # a port that is not a number: keep the link as it is
        return url.strip()
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING_PARAMS and not name.lower().startswith(_TRACKING_PREFIXES)
    )
    path = parts.path.rstrip("/") or ""
    netloc = f"{host}:{port}" if port else host
    return f"//{netloc}{path}" + (f"?{urlencode(query)}" if query else "")
