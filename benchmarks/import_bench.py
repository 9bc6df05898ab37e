"""Importer throughput: a 10,000-item feed file imported, then imported again with nothing new.

The feed is a synthetic RSS 2.0 file in the shape this project's own feeds
have (``newsroom:chain`` of 1-3 hops, Media RSS image with credit,
``dc:creator``, categories, ~150-word HTML bodies), written once per
``(count, seed)``.  Each import runs as users run it, in its own process
(``python -m pelican_newsroom import FEED -s SETTINGS``), timed around the
process; its peak memory comes from ``os.wait4``.

    .venv/bin/python -m benchmarks.import_bench --count 10000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from benchmarks.gen_site import SiteGenerator
from benchmarks.run import OUT, Measured, measure
from pelican_newsroom.newsroom_ns import DC_NS, MEDIA_NS, NEWSROOM_NS

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<rss version="2.0" xmlns:newsroom="{NEWSROOM_NS}" xmlns:media="{MEDIA_NS}" '
    f'xmlns:dc="{DC_NS}" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
    "<title>Upstream Wire</title>\n<link>https://upstream-wire.example/</link>\n"
    "<description>A synthetic upstream feed</description>\n"
)


def hop_xml(name: str, url: str) -> str:
    return (
        f"<newsroom:hop><newsroom:name>{escape(name)}</newsroom:name>"
        f"<newsroom:url>{escape(url)}</newsroom:url></newsroom:hop>"
    )


def item_xml(generator: SiteGenerator, index: int, moment: datetime) -> str:
    rng = generator.rng
    words = generator.words
    title = words.phrase(5, 10)
    link = f"https://upstream-wire.example/stories/{index}"
    body = "".join(f"<p>{escape(words.phrase(20, 40))}.</p>" for _ in range(rng.randint(3, 6)))
    outlets = rng.sample(generator.outlets, rng.randint(1, 3))
    chain = "".join(hop_xml(o.name, f"https://www.{o.host}/s/{index}") for o in outlets)
    agency = rng.choice(generator.outlets)
    categories = "".join(f"<category>{escape(t)}</category>" for t in rng.sample(generator.tags, 2))
    return (
        f"<item><title>{escape(title)}</title><link>{link}</link>"
        f'<guid isPermaLink="true">{link}</guid>'
        f"<pubDate>{moment:%a, %d %b %Y %H:%M:%S} +0000</pubDate>"
        f"<dc:creator>{escape(rng.choice(generator.authors))}</dc:creator>{categories}"
        f"<description>{escape(body)}</description>"
        f'<media:content url={quoteattr(f"https://images.{agency.host}/{index}.jpg")} medium="image">'
        f'<media:title type="plain">{escape(words.phrase(5, 9))}</media:title>'
        f"<media:credit>{escape(agency.name)}</media:credit></media:content>"
        f"<newsroom:chain>{chain}</newsroom:chain></item>\n"
    )


def write_feed(path: Path, count: int, seed: int) -> Path:
    """The synthetic feed file (written once per count and seed)."""
    if path.is_file():
        return path
    generator = SiteGenerator(seed)
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    parts = [HEAD]
    for index in range(count):
        moment += timedelta(minutes=random.Random(index).randint(1, 90))
        parts.append(item_xml(generator, index, moment))
    parts.append("</channel>\n</rss>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def settings_file(folder: Path, content: Path) -> Path:
    """Where imported articles go, the site's time zone, and room for a 10,000-item file."""
    content.mkdir(parents=True)
    path = folder / "import-settings.py"
    path.write_text(
        f"PATH = {str(content)!r}\n"
        'SITEURL = "https://news.example.org"\nTIMEZONE = "America/New_York"\n'
        "NEWSROOM_IMPORT_MAX_BYTES = 500_000_000\n"
    )
    return path


def import_once(feed: Path, settings: Path) -> tuple[Measured, dict[str, Any]]:
    """One ``import`` process, as a user runs it; its measures and its JSON report."""
    command = [sys.executable, "-m", "pelican_newsroom", "import", str(feed), "-s", str(settings)]
    done = measure([*command, "--output-format", "json"])
    if done.status not in {0, 1}:
        raise SystemExit(f"import failed:\n{done.stderr.decode()[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return done, report


def outcome(report: dict[str, Any]) -> str:
    """The report's totals: items per action, and sources not modified."""
    totals: Counter[str] = Counter()
    for source in report["sources"]:
        totals.update(source["counts"])
        totals["not modified"] += bool(source["not_modified"])
    return ", ".join(f"{count} {action}" for action, count in sorted(totals.items()) if count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import a big feed, then again with nothing new.")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    folder = OUT / f"import-{args.count}-{args.seed}"
    feed = write_feed(folder / "feed.xml", args.count, args.seed)
    # A new folder each time, the old ones removed only after the runs: creating 10,000
    # files right after deleting 10,000 costs ext4 ten times more kernel time (0.5 ms a
    # file instead of 0.05), which would be the benchmark's doing, not the importer's.
    content = folder / f"content-{time.strftime('%Y%m%d-%H%M%S')}"
    settings = settings_file(folder, content)
    size = feed.stat().st_size / 1024 / 1024
    print(f"{feed} ({args.count} items, {size:.1f} MiB)")
    original = feed.read_bytes()
    steps = (
        ("first import", 10.0, original),
        ("re-import, nothing new", 1.0, original),
        # One more byte: the file is no longer "not modified", so every item is compared.
        ("re-import, file touched", None, original + b"\n"),
    )
    try:
        for label, target, body in steps:
            feed.write_bytes(body)
            done, report = import_once(feed, settings)
            written = sum(1 for _ in content.rglob("*.md"))
            aim = f" (target < {target:g} s)" if target else ""
            print(
                f"  {label:24} {done.wall:6.2f} s wall, {done.cpu:6.2f} s CPU, "
                f"peak {done.peak_mib:.0f} MiB, {written} files, exit {done.status}: "
                f"{outcome(report)}{aim}"
            )
    finally:
        feed.write_bytes(original)
        for old in folder.glob("content-*"):
            shutil.rmtree(old, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
