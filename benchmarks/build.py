"""One build of a generated site, plain Pelican or with the plugin; the settings of both.

Run as a script it builds once and exits, so a parent process can read the
build's wall time and peak memory (``os.wait4``) without its own memory in
the figure:

    .venv/bin/python -m benchmarks.build plain|plugin CONTENT OUTPUT

Both modes write the same Pelican feed files (RSS + Atom for all, category,
tag and author; at most 50 items each) and the same pages (20 articles per
listing page).  ``plain`` is Pelican with its default theme and no plugin
(``PLUGINS = []`` also stops namespace auto-discovery).  ``plugin`` adds the
plugin, its theme, and JSON Feed siblings plus RSS/Atom/JSON per-source feeds.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

MODES = ("plain", "plugin")

COMMON: dict[str, Any] = {
    "SITENAME": "Synthetic Desk",
    "SITEURL": "https://news.example.org",
    "TIMEZONE": "America/New_York",
    "DEFAULT_LANG": "en",
    "LOCALE": ("C",),
    "DEFAULT_PAGINATION": 20,
    "FEED_MAX_ITEMS": 50,
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/category/{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/category/{slug}.rss.xml",
    "TAG_FEED_ATOM": "feeds/tag/{slug}.atom.xml",
    "TAG_FEED_RSS": "feeds/tag/{slug}.rss.xml",
    "AUTHOR_FEED_ATOM": "feeds/author/{slug}.atom.xml",
    "AUTHOR_FEED_RSS": "feeds/author/{slug}.rss.xml",
    "TRANSLATION_FEED_ATOM": None,
    "CACHE_CONTENT": False,
    "LOAD_CONTENT_CACHE": False,
    "DELETE_OUTPUT_DIRECTORY": False,  # the runner empties it before the clock starts
}

#: The plugin's additions: every JSON sibling and every per-source feed.
NEWSROOM: dict[str, Any] = {
    "NEWSROOM_FEED_ALL_JSON": "feeds/all.json",
    "NEWSROOM_CATEGORY_FEED_JSON": "feeds/category/{slug}.json",
    "NEWSROOM_TAG_FEED_JSON": "feeds/tag/{slug}.json",
    "NEWSROOM_AUTHOR_FEED_JSON": "feeds/author/{slug}.json",
    "NEWSROOM_SOURCE_FEED_RSS": "feeds/source/{slug}.rss.xml",
    "NEWSROOM_SOURCE_FEED_ATOM": "feeds/source/{slug}.atom.xml",
    "NEWSROOM_SOURCE_FEED_JSON": "feeds/source/{slug}.json",
}


def settings_for(mode: str, content: Path, output: Path) -> dict[str, Any]:
    """Pelican settings (``read_settings`` applied) for ``mode`` building ``content``."""
    override = {**COMMON, "PATH": str(content), "OUTPUT_PATH": str(output)}
    override["CACHE_PATH"] = str(output.parent / f"cache-{mode}")
    if mode == "plugin":
        # Imported here: a plain build must not load (and pay memory for) the plugin's modules.
        from pelican_newsroom import THEME_PATH  # noqa: PLC0415

        override.update(NEWSROOM, PLUGINS=["pelican_newsroom"], THEME=THEME_PATH)
    else:
        override["PLUGINS"] = []
    settings: dict[str, Any] = read_settings(path=None, override=override)
    return settings


def build(mode: str, content: Path, output: Path) -> None:
    """One full build, as the ``pelican`` command would run it."""
    logging.basicConfig(level=logging.ERROR)  # Pelican's per-file INFO lines are not the benchmark
    Pelican(settings_for(mode, content, output)).run()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in MODES:
        print(__doc__, file=sys.stderr)
        return 2
    build(argv[0], Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
