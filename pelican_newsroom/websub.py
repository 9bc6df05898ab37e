"""WebSub publishing (``pelican-newsroom ping``): tell each hub that the site's feeds changed.

The feeds advertise the hubs (``rel="hub"``, written by :mod:`~pelican_newsroom.feedgen_compat`);
after a build and upload, a hub must be told which feeds changed so it can fetch them and
push them to subscribers. WebSub leaves that step to the hub
(https://www.w3.org/TR/websub/#publishing); the established form, which public hubs accept,
is a form-encoded POST of ``hub.mode=publish`` and ``hub.url=<feed URL>``.

The feeds are found from the settings, as the build wrote them: every feed path setting
(Pelican's and ours) whose file exists under ``OUTPUT_PATH``, with ``{slug}``/``{lang}``
patterns matched against the files there. Each feed's URL is made as the Writer makes it
(``FEED_DOMAIN`` or ``SITEURL``, and the ``*_URL`` setting when there is one).
"""

from __future__ import annotations

import glob
import http.client
import re
import string
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

from .feeds import FEED_TYPES, JSON_FAMILIES
from .fetch import USER_AGENT

#: Every setting holding a feed path, fixed paths first (see :func:`feed_files`).
FEED_SETTINGS: tuple[str, ...] = (
    *(name for family in JSON_FAMILIES.values() for name in family),
    *JSON_FAMILIES,
    *(f"NEWSROOM_SOURCE_FEED_{feed_type.upper()}" for feed_type in FEED_TYPES),
)


class PingError(Exception):
    """A hub that did not accept a notification; the message names the hub and why."""


@dataclass(frozen=True)
class FeedFile:
    """A feed the build wrote: where it is, and the absolute URL readers fetch it from."""

    path: Path
    url: str


def _fields(pattern: str) -> list[tuple[str, str | None]]:
    """``pattern``'s literal text and ``{field}`` names, in order."""
    return [(text, name) for text, name, _spec, _conv in string.Formatter().parse(pattern)]


def _matches(output: Path, pattern: str) -> Iterator[tuple[Path, dict[str, str]]]:
    """Files under ``output`` that ``pattern`` (``feeds/{slug}.atom.xml``) names, with the fields."""
    parts = _fields(pattern)
    wildcard = "".join(glob.escape(text) + ("*" if name else "") for text, name in parts)
    regex = re.compile(
        "".join(re.escape(text) + (f"(?P<{name}>[^/]+)" if name else "") for text, name in parts)
    )
    for path in sorted(output.glob(wildcard)):
        match = regex.fullmatch(path.relative_to(output).as_posix())
        if match and path.is_file():
            yield path, match.groupdict()


def feed_files(settings: Mapping[str, Any]) -> list[FeedFile]:
    """Every feed file the settings name that exists under ``OUTPUT_PATH``, once each.

    Fixed paths (``FEED_ALL_ATOM``) are claimed before patterns (``CATEGORY_FEED_ATOM``):
    ``feeds/all.atom.xml`` also matches ``feeds/{slug}.atom.xml``, and must keep its own URL.
    """
    output = Path(settings.get("OUTPUT_PATH") or "output")
    base = str(settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "")
    patterns = [(key, str(settings[key])) for key in FEED_SETTINGS if settings.get(key)]
    patterns.sort(key=lambda item: any(name for _text, name in _fields(item[1])))
    found: dict[Path, FeedFile] = {}
    for key, pattern in patterns:
        url_pattern = str(settings.get(f"{key}_URL") or pattern)
        for path, values in _matches(output, pattern):
            if path not in found:
                url = urljoin(base.rstrip("/") + "/", url_pattern.format(**values))
                found[path] = FeedFile(path, url)
    return sorted(found.values(), key=lambda feed: feed.url)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirected POST would arrive as a GET without its body: report it instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def publish(hub: str, feed_url: str, timeout: float) -> int:
    """POST ``hub.mode=publish&hub.url=feed_url`` to ``hub``; its status, or :class:`PingError`."""
    body = urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode("ascii")
    request = urllib.request.Request(
        hub,
        data=body,
        method="POST",
        headers={"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status: int = response.status
    except urllib.error.HTTPError as error:
        where = f", to {error.headers.get('Location')}" if 300 <= error.code < 400 else ""
        raise PingError(f"{hub}: HTTP {error.code} {error.reason}{where}") from None
    except urllib.error.URLError as error:
        raise PingError(f"{hub}: {error.reason}") from None
    except (OSError, http.client.HTTPException) as error:  # timeouts, resets, bad responses
        raise PingError(f"{hub}: {error or type(error).__name__}") from None
    if not 200 <= status < 300:
        raise PingError(f"{hub}: HTTP {status}")
    return status


def ping_hubs(hubs: list[str], feeds: list[FeedFile], timeout: float) -> list[str]:
    """Notify every hub of every feed; the failures (one per hub: it stops at the first)."""
    failures = []
    for hub in hubs:
        for done, feed in enumerate(feeds):
            try:
                publish(hub, feed.url, timeout)
            except PingError as error:
                left = len(feeds) - done - 1
                rest = f"; {left} more feed(s) not sent to it" if left else ""
                failures.append(f"{error} (for {feed.url}){rest}")
                break
    return failures
