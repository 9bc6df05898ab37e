"""The feed stage alone: Pelican's native feed writer vs the plugin's, in one process.

Builds the site once with the plugin (so every article has its
``article.newsroom`` and its rendered content, as in a real build), keeps the
articles generator, then calls ``generate_feeds`` on it again and again,
alternating between a fresh Pelican ``Writer`` (feedgenerator, the native
feeds) and a fresh ``NewsroomWriter`` (feedgen).  Both write the *same* feed
files (RSS + Atom for all, category, tag, author), each into its own scratch
folder.  The plugin's extra feeds (JSON siblings, per-source RSS/Atom/JSON)
are timed on their own, right after, with the same writer, as in a build.

A fresh writer per repetition means every item is built again: the figure is
the cost of one build's feed stage, not of a warm cache.

    .venv/bin/python -m benchmarks.feed_stage --size 2000 --repeats 5
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.generators import ArticlesGenerator
from pelican.plugins import signals
from pelican.writers import Writer

from benchmarks.build import settings_for
from benchmarks.run import OUT, site
from pelican_newsroom.feeds import NewsroomWriter, write_extra_feeds

CAPTURED: list[ArticlesGenerator] = []


def capture(generator: Any, writer: Any) -> None:
    """``article_writer_finalized`` receiver: keep the articles generator of the build."""
    if isinstance(generator, ArticlesGenerator):
        CAPTURED.append(generator)


def built_generator(size: int, seed: int) -> tuple[ArticlesGenerator, dict[str, Any]]:
    """One full plugin build; its articles generator, with every article read and rendered."""
    content = site(size, seed)
    output = OUT / f"feed-stage-{size}-build"
    shutil.rmtree(output, ignore_errors=True)
    settings = settings_for("plugin", content, output)
    signals.article_writer_finalized.connect(capture)
    Pelican(settings).run()
    return CAPTURED[-1], settings


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of ``action`` (CPU: this process, far less sensitive to load)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - start_cpu


def count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Native vs plugin feed stage, in one process.")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    generator, settings = built_generator(args.size, args.seed)
    scratch = {name: OUT / f"feed-stage-{args.size}-{name}" for name in ("native", "plugin")}
    times: dict[str, list[tuple[float, float]]] = {"native": [], "plugin": [], "extra": []}
    for index in range(args.repeats):
        for name in ("native", "plugin") if index % 2 == 0 else ("plugin", "native"):
            shutil.rmtree(scratch[name], ignore_errors=True)
            writer_class = Writer if name == "native" else NewsroomWriter
            writer = writer_class(str(scratch[name]), settings=settings)
            times[name].append(timed(partial(generator.generate_feeds, writer)))
            if name == "plugin":
                times["extra"].append(timed(partial(write_extra_feeds, generator, writer)))
    same_files = count_files(scratch["native"])
    print(f"N = {args.size}, {args.repeats} alternating repetitions, medians (min-max):")
    for name, label in (
        ("native", f"Pelican native feeds ({same_files} files)"),
        ("plugin", f"plugin, the same {same_files} files"),
        (
            "extra",
            f"plugin, JSON + per-source ({count_files(scratch['plugin']) - same_files} more)",
        ),
    ):
        for kind, values in (
            ("wall", [t[0] for t in times[name]]),
            ("CPU", [t[1] for t in times[name]]),
        ):
            spread = f"({min(values):.3f}-{max(values):.3f})"
            print(f"  {label:44} {kind:4} {statistics.median(values):6.3f} s {spread}")
    for index, kind in enumerate(("wall", "CPU")):
        native, plugin, extra = (
            statistics.median(t[index] for t in times[k]) for k in ("native", "plugin", "extra")
        )
        print(f"  {kind}: speed-up on the same files {native / plugin:.2f} x (target >= 2)")
        print(f"  {kind}: whole plugin feed stage vs native {native / (plugin + extra):.2f} x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
