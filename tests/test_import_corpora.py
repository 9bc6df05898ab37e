"""``import`` measured on other feed libraries' test corpora (local only, never in CI).

Set ``NEWSROOM_FEED_CORPORA`` to one or more folders (joined with ``os.pathsep``),
e.g. a checkout of feedparser's ``tests/wellformed`` and ``tests/illformed`` or the
W3C feed validator's ``testcases``, and run with ``-s`` to see the figures::

    NEWSROOM_FEED_CORPORA=/tmp/feedparser/tests/wellformed python -m pytest -s \\
        tests/test_import_corpora.py

Every ``*.xml``/``*.rss``/``*.atom``/``*.rdf``/``*.json`` file is imported as its own
source into its own folder, then the whole lot is built (non-strict) and, when Java
and the Nu checker are at hand, the imported pages are checked. The corpora are
never copied into this repository; nothing here knows what is in them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import traceback
import xml.parsers.expat
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest

from pelican_newsroom.importer import run_import
from tests.conftest import run_build
from tests.import_support import options

CORPORA = [Path(p) for p in os.environ.get("NEWSROOM_FEED_CORPORA", "").split(os.pathsep) if p]
SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".json"})
#: The share of entries with a title, link, id or text that must become articles.
MIN_IMPORTED = 0.99
#: What the importer may refuse a whole file for: malformed, unsafe, or not a feed.
LEGITIMATE_REFUSALS = (
    "the source is empty",
    "not well-formed XML",
    "the document declares XML entities",
    "this is an HTML page",
    "not an RSS or Atom feed",
    "not valid JSON",
    "JSON, but not a JSON Feed",
    "a JSON Feed without",
)
_JUNK = b"\xef\xbb\xbf \t\r\n"

pytestmark = pytest.mark.skipif(
    not CORPORA or not all(p.is_dir() for p in CORPORA),
    reason="NEWSROOM_FEED_CORPORA names no folder of feed test files (local measurement only)",
)


def corpus_files() -> Iterator[Path]:
    for root in CORPORA:
        yield from sorted(
            p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
        )


def _is_json(body: bytes) -> bool:
    return body.lstrip(_JUNK).startswith(b"{")


def _has_substance(values: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    return any(isinstance(values.get(k), str | int) and str(values.get(k)).strip() for k in keys)


def substantial_entries(body: bytes) -> int:
    """Entries with a title, a link, an id or text, counted by a reader other than ours:
    feedparser for XML (as leniently as it reads anything), ``json`` for JSON Feed."""
    if _is_json(body):
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except ValueError:
            return 0
        items = data.get("items") if isinstance(data, dict) else None
        keys = ("title", "url", "id", "content_html", "content_text", "summary")
        return sum(
            isinstance(i, dict) and _has_substance(i, keys)
            for i in (items if isinstance(items, list) else [])
        )
    parsed = feedparser.parse(body)
    stories = {  # entries alike in id, link and title are one story (Atom: one entry)
        (e.get("id"), e.get("link"), e.get("title"))
        if e.get("id") or e.get("link") or e.get("title")
        else (e.get("summary"), repr(e.get("content")))
        for e in parsed.entries
        # a title counts by its words: one that is only markup (an <img>) names nothing
        if _has_substance(
            {**e, "title": lxml.html.fromstring(f"<p>{e.get('title', '')}</p>").text_content()},
            ("title", "link", "id", "summary"),
        )
        or any(str(c.get("value", "")).strip() for c in e.get("content", []))
    }
    return len(stories)


def why_refusable(body: bytes) -> str | None:
    """Why a file is malformed, unsafe or not a feed, judged by the standard library's
    expat (not lxml, which the importer uses) and feedparser; None for a readable feed."""
    stripped = body.lstrip(_JUNK)
    if not stripped.strip():
        return "empty"
    if _is_json(body):
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except ValueError:
            return "malformed JSON"
        version = data.get("version") if isinstance(data, dict) else None
        ok = isinstance(version, str) and "jsonfeed.org/version/" in version
        return None if ok and isinstance(data.get("items"), list) else "not a JSON Feed"
    parser = xml.parsers.expat.ParserCreate()
    declared: list[str] = []
    parser.EntityDeclHandler = lambda name, *_: declared.append(name)
    try:
        parser.Parse(stripped, True)
    except xml.parsers.expat.ExpatError as error:
        return f"malformed XML ({xml.parsers.expat.ErrorString(error.code)})"
    except LookupError as error:  # an encoding no decoder knows
        return f"malformed XML ({error})"
    if declared:
        return "declares entities"
    if re.match(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+)?html", stripped, re.I | re.S):
        return "an HTML page"
    return None if feedparser.parse(stripped).version else "not a feed"


@dataclass
class Figures:
    files: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    wrongly_refused: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    seen: int = 0  #: substantial entries in the files that were read
    seen_in_refused: int = 0
    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    short: list[str] = field(default_factory=list)  #: files where fewer entries became articles
    nu: Counter[str] = field(default_factory=Counter)
    pages: int = 0

    def table(self) -> str:
        rate = self.imported / self.seen if self.seen else 1.0
        rows = [
            ("files read", self.files),
            ("feeds refused", sum(self.refused.values())),
            ("  wrongly (a readable feed)", len(self.wrongly_refused)),
            ("entries seen (title/link/id/text)", self.seen),
            ("  more in refused files", self.seen_in_refused),
            ("entries imported", f"{self.imported} ({rate:.1%})"),
            ("entries skipped", sum(self.skipped.values())),
            ("entries failed", sum(self.failed.values())),
            ("crashes", len(self.crashes)),
            ("imported pages checked by Nu", self.pages),
            ("Nu errors", sum(self.nu.values())),
        ]
        lines = [f"{name:<36} {value}" for name, value in rows]
        for title, counts in [
            ("refused, why", self.refused),
            ("skipped, why", self.skipped),
            ("failed, why", self.failed),
            ("Nu errors, what", self.nu),
        ]:
            lines += [f"-- {title}"] + [f"{n:>6}  {why}" for why, n in counts.most_common(25)]
        lines += ["-- files with entries not imported", *self.short[:40]]
        lines += ["-- wrongly refused", *self.wrongly_refused[:40]]
        return "\n".join(lines)


def _reason(message: str) -> str:
    """A message without the item's or file's own values, to group like with like."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"|\d[\d.:-]*", "…", message)
    return message[:110]


def _import_one(path: Path, out: Path, figures: Figures) -> None:
    body = path.read_bytes()
    figures.files += 1
    entries = substantial_entries(body)
    try:
        [result] = run_import([str(path)], options(out))
    except Exception:
        figures.crashes.append(f"{path}: {traceback.format_exc(limit=-3)}")
        return
    if result.error is not None:
        reason = result.error.split(":")[0].split(" (")[0]
        detail = result.error[len(reason) :].strip(" :(")[:60] if "XML" in reason else ""
        figures.refused[f"{reason}: {_reason(detail)}" if detail else reason] += 1
        figures.seen_in_refused += entries
        why = why_refusable(body)
        if why is None or not result.error.startswith(LEGITIMATE_REFUSALS):
            figures.wrongly_refused.append(f"{path}: {result.error} (reference: {why})")
        return
    figures.seen += entries
    made = sum(1 for item in result.items if item.action == "new")
    figures.imported += min(made, entries)
    for item in result.items:
        if item.action == "failed":
            figures.failed[_reason(item.message or "")] += 1
        elif item.action == "skipped":
            figures.skipped[_reason(item.message or "")] += 1
    if made < entries:
        figures.short.append(f"{path}: {made}/{entries}")


def _nu_check(pages: list[Path], figures: Figures) -> None:
    """Nu checker errors on the imported articles' pages, in batches, when Java is here."""
    from tests.test_browser import _vnu_jar, nu_errors

    java, jar = shutil.which("java"), _vnu_jar()
    if not java or jar is None or not jar.is_file():
        print("(Nu checker skipped: no Java or no vnu.jar)", file=sys.stderr)
        return
    figures.pages = len(pages)
    for start in range(0, len(pages), 400):
        for error in nu_errors(java, pages[start : start + 400]):
            figures.nu[_reason(error.split(": ", 1)[-1])] += 1


def test_import_the_corpora(tmp_path: Path) -> None:
    figures = Figures()
    content = tmp_path / "content"
    for number, path in enumerate(corpus_files()):
        _import_one(path, content / f"f{number:05d}", figures)
    if any(content.rglob("*.md")):
        site = run_build(
            content,
            tmp_path / "output",
            NEWSROOM_STRICT=False,
            PATH_METADATA=r"(?P<corpus>[^/]+)/.*",
            ARTICLE_URL="{corpus}/{slug}.html",
            ARTICLE_SAVE_AS="{corpus}/{slug}.html",
        )
        _nu_check(site.pages("f*/*.html"), figures)
    print("\n" + figures.table())
    assert figures.files, "no feed files found"
    assert figures.crashes == []
    assert figures.wrongly_refused == []
    assert figures.imported >= MIN_IMPORTED * figures.seen, figures.short[:20]
