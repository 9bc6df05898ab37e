"""URL policy: which URLs from metadata or other sites may reach a page or feed.

Only ``http``, ``https`` and site-relative URLs are kept (SPEC §5); anything
else (``javascript:``, ``data:``, ``file:``…) is refused with a warning, since
it could run script in a reader's browser or point at their disk.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .errors import NewsroomError

SAFE_SCHEMES = frozenset({"http", "https"})
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Browsers ignore these inside a scheme ("java\tscript:"), so we strip them before judging.
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f]+")


#: ASCII characters no URL may hold as such (RFC 3986, WHATWG URL): feed validators and the
#: Nu checker reject them, so the model stores URLs with them percent-encoded.
_URL_ILLEGAL_RE = re.compile(r'[ "<>\\^`{|}]')
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


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


def looks_like_url(text: str) -> bool:
    """True for ``scheme:…`` strings without spaces: a URL, safe or not."""
    return " " not in text.strip() and bool(_SCHEME_RE.match(_INVISIBLE_RE.sub("", text)))


def parse_absolute_url(value: object) -> str:
    """An absolute ``http(s)`` URL with a host, or raise.

    A dangerous scheme is a warning (the value is dropped, SPEC §5); a value
    that is not an absolute URL at all is an error.
    """
    if not isinstance(value, str) or not value.strip():
        raise NewsroomError(value, "an absolute http(s) URL, got an empty value")
    url = value.strip()
    scheme = urlsplit(_INVISIBLE_RE.sub("", url)).scheme.lower()
    if scheme and scheme not in SAFE_SCHEMES:
        raise NewsroomError(
            value, f"a http(s) URL; '{scheme}:' URLs are not allowed, dropped", "warning"
        )
    try:
        parts = urlsplit(url)
    except ValueError:
        raise NewsroomError(value, "an absolute http(s) URL") from None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.hostname or " " in url:
        raise NewsroomError(value, "an absolute http(s) URL such as 'https://example.com/story'")
    return encode_url(url)


def parse_site_url(value: object) -> str:
    """An absolute ``http(s)`` URL, or a path inside the site (``images/a.jpg``, ``/images/a.jpg``).

    Pelican's ``{static}`` / ``{attach}`` / ``{filename}`` prefixes are accepted and removed:
    metadata is not run through Pelican's link replacement, so the plain path is what works.
    """
    if not isinstance(value, str) or not value.strip():
        raise NewsroomError(value, "a URL or a path inside the site, got an empty value")
    text = re.sub(r"^\{(static|attach|filename)\}", "", value.strip())
    if looks_like_url(text) or text.startswith("//"):
        return parse_absolute_url(text)
    if any(c in text for c in "\"'<>\\") or any(ord(c) < 32 for c in text):
        raise NewsroomError(value, "a URL or a path inside the site")
    return encode_url(text)


def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.``: how a source is identified."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def absolutize(url: str, siteurl: str) -> str:
    """A site-relative path made absolute against ``SITEURL`` (for feeds and JSON-LD)."""
    if urlsplit(url).scheme:
        return url
    base = siteurl.rstrip("/") + "/"
    return urljoin(base, url.lstrip("/")) if siteurl else url
