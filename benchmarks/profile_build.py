"""Where a build's time goes: one build under cProfile, summarized by stage and by library.

Prints (1) the cumulative time of the build's stages (reading, page
writing, feeds, the plugin's hooks), (2) own time grouped by the package the
code lives in (markdown, jinja2, feedgen, lxml, pelican, pelican_newsroom,
...), and (3) the top functions by own and by cumulative time.  The raw
profile is saved for ``python -m pstats`` or snakeviz.

    .venv/bin/python -m benchmarks.profile_build --size 2000 --mode plugin
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
from collections import defaultdict
from pathlib import Path

from pelican import Pelican

from benchmarks.build import MODES, settings_for
from benchmarks.run import OUT, site

#: (label, file suffix, function name): the stages whose cumulative time is printed.
STAGES = (
    ("whole build", "pelican/__init__.py", "run"),
    ("read articles (Markdown + metadata)", "pelican/readers.py", "read_file"),
    ("  Markdown conversion", "markdown/core.py", "convert"),
    ("  plugin: model per article", "pelican_newsroom/plugin.py", "build_model"),
    ("write articles + listings (Jinja)", "pelican/generators.py", "generate_pages"),
    ("  article pages", "pelican/generators.py", "generate_articles"),
    ("feeds, Pelican's families", "pelican/generators.py", "generate_feeds"),
    ("  plugin: item per article", "pelican_newsroom/feed_item.py", "build_item"),
    ("  plugin: feedgen entries", "pelican_newsroom/feedgen_compat.py", "add_entry"),
    ("  plugin: serialize", "pelican_newsroom/feedgen_compat.py", "serialize"),
    ("plugin: JSON + source feeds", "pelican_newsroom/feeds.py", "write_extra_feeds"),
    ("plugin: Sources pages", "pelican_newsroom/sources_pages.py", "generate_output"),
    ("plugin: report problems", "pelican_newsroom/plugin.py", "report_problems"),
)
PACKAGES = (
    "pelican_newsroom",
    "markdown",
    "jinja2",
    "markupsafe",
    "feedgen",
    "feedgenerator",
    "lxml",
    "dateutil",
    "yaml",
    "json",
    "pelican",
    "docutils",
    "pygments",
)


def package_of(filename: str) -> str:
    parts = Path(filename).parts
    for name in PACKAGES:
        if name in parts:
            return name
    if filename.startswith("~") or filename == "<built-in>":
        return "builtins (I/O, regex, str)"
    return "python stdlib" if "python3" in filename else "other"


def stage_times(stats: pstats.Stats) -> list[tuple[str, float, int]]:
    raw = stats.stats  # type: ignore[attr-defined]
    found = []
    for label, suffix, function in STAGES:
        matches = [
            (values[3], values[1])
            for (filename, _line, name), values in raw.items()
            if filename.endswith(suffix) and name == function
        ]
        if matches:
            found.append((label, max(m[0] for m in matches), sum(m[1] for m in matches)))
    return found


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), values in stats.stats.items():  # type: ignore[attr-defined]
        totals[package_of(filename)] += values[2]
    return sorted(totals.items(), key=lambda item: -item[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Profile one build and say where the time goes.")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--mode", choices=MODES, default="plugin")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    content = site(args.size, args.seed)
    output = OUT / f"profile-{args.size}-{args.mode}"
    shutil.rmtree(output, ignore_errors=True)
    pelican = Pelican(settings_for(args.mode, content, output))
    profiler = cProfile.Profile()
    profiler.runcall(pelican.run)
    saved = OUT / f"profile-{args.size}-{args.mode}.prof"
    profiler.dump_stats(saved)
    stats = pstats.Stats(profiler)
    whole = stage_times(stats)[0][1]
    print(f"{args.mode} build of {args.size} articles under cProfile (profiler overhead included)")
    print("Stages (cumulative seconds, % of the build, calls):")
    for label, seconds, calls in stage_times(stats):
        print(f"  {label:40} {seconds:7.2f} s {seconds / whole * 100:5.1f} % {calls:7}")
    print("Own time by package:")
    for name, seconds in by_package(stats):
        print(f"  {name:40} {seconds:7.2f} s {seconds / whole * 100:5.1f} %")
    for key in ("tottime", "cumulative"):
        print(f"Top {args.top} by {key}:")
        stats.sort_stats(key).print_stats(args.top)
    print(f"Raw profile: {saved} (python -m pstats {saved})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
