"""Every use of a Pelican private API, in one place, with why and what upstream says.

Pelican has no public API for these; each shim names the private name it
touches, so a Pelican upgrade that breaks one fails here (and in the tests
that build sites), not somewhere in the middle of the reader.  feedgen's
assumptions live in the same way in the feed side's compatibility module.

* ``pelican.readers._DISCARD``: the sentinel a reader's ``process_metadata``
  returns to drop a value.  Pelican's own readers return it for a date they
  cannot parse; there is no public way to say "leave this key out", and no
  upstream issue asks for one.
* ``MarkdownReader._parse_metadata`` reads ``self._md`` and ``self._source_path``,
  which only ``MarkdownReader.read`` sets.  A reader that parses the header
  itself (YAML front matter, the header-only fast path of ``check``) must set
  them first; reader plugins do the same (pelican-plugins/yaml-metadata#13
  discusses ``reader._md`` as an internal detail; getpelican/pelican#1417
  asks for per-reader metadata processing).
* ``pelican.plugins._utils.load_plugins``: the CLI loads the site's plugins as
  ``pelican`` does, so their ``readers_init`` receivers run; Pelican exposes
  no public loader.
* ``Writer._written_files`` / ``Writer._overridden_files``: the bookkeeping
  with which Pelican's Writer refuses to write one path twice
  (``Writer._open_w``); files our writer writes itself are claimed there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from pelican.plugins._utils import load_plugins as _load_plugins
from pelican.readers import _DISCARD, MarkdownReader
from pelican.writers import FileOverwriteFailedError

logger = logging.getLogger("pelican_newsroom")

#: Returned from ``process_metadata``: Pelican leaves the key out of the metadata.
DISCARD: object = _DISCARD


def parse_markdown_metadata(
    reader: MarkdownReader, md: Markdown, source_path: str, raw: Mapping[str, Any]
) -> dict[str, Any]:
    """``MarkdownReader._parse_metadata`` on a header we parsed, with the state it reads."""
    reader._source_path = source_path
    reader._md = md
    parsed: dict[str, Any] = reader._parse_metadata(raw)
    return parsed


def load_plugins(settings: Mapping[str, Any]) -> list[Any]:
    """The site's plugins, imported as ``pelican`` imports them."""
    plugins: list[Any] = _load_plugins(settings)
    return plugins


def claim_output(writer: Any, path: str, override: bool) -> bool:
    """Record ``path`` as written by ``writer``, as Pelican's ``Writer._open_w`` does before
    opening a file; False when an earlier ``override`` write keeps it.

    Files written with our own atomic writes (feeds, the news sitemap) are claimed
    here, so Pelican still refuses to write one path twice in a build.
    """
    written: set[str] = writer._written_files
    overridden: set[str] = writer._overridden_files
    if path in overridden:
        if override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}" a second time (was previously overwritten)'
            )
        logger.info('Skipping "%s", not overwriting', path)
        return False
    if path in written and not override:
        raise FileOverwriteFailedError(
            f'Failed to overwrite "{path}": it was already written in this build'
        )
    if override:
        overridden.add(path)
    written.add(path)
    return True
