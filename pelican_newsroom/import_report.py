"""What ``pelican-newsroom import`` prints: progress, one line per change, a summary table, or JSON.

In a terminal a rich progress bar (on stderr) advances per source; elsewhere
(cron, CI, a pipe) only plain lines are printed.  ``--output-format json``
prints one JSON document and nothing else, for scripts; its keys are fixed
(see :func:`to_json`) and tested.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from .importer import ACTIONS, ImportOptions, SourceResult

_HEADINGS = {"conflict": "conflicts"}
#: Columns of the summary table outside a terminal: a source name and every action fit.
PLAIN_WIDTH = 132


def item_lines(result: SourceResult, dry_run: bool) -> Iterator[str]:
    """One line per source problem and per item that changed or needs attention."""
    if result.error:
        yield f"failed    {result.source}: {result.error}"
        return
    if result.not_modified:
        yield f"unchanged {result.source}: not modified since the last run (HTTP 304)"
        return
    for item in result.items:
        if item.action == "unchanged":
            continue
        verb = (
            f"would be {item.action}"
            if dry_run and item.action in {"new", "queued", "updated", "expired"}
            else item.action
        )
        where = item.file or item.id
        note = f" ({item.message})" if item.message and not dry_run else ""
        if item.action in {"skipped", "failed", "conflict", "filtered", "duplicate"}:
            note = f": {item.message}"
        yield f"{verb:<9} {where}{note}"


def totals(results: Sequence[SourceResult]) -> dict[str, int]:
    summed: dict[str, int] = dict.fromkeys(ACTIONS, 0)
    for result in results:
        for action, count in result.counts.items():
            summed[action] += count
    summed["failed_sources"] = sum(1 for r in results if r.error)
    return summed


def to_json(results: Sequence[SourceResult], options: ImportOptions) -> dict[str, Any]:
    """``{"ok", "dry_run", "output", "totals", "sources": [...]}`` for scripts."""
    return {
        "ok": all(r.ok for r in results),
        "dry_run": options.dry_run,
        "output": str(options.output),
        "totals": totals(results),
        "sources": [r.to_dict() for r in results],
    }


def summary_table(results: Sequence[SourceResult], plain: bool) -> Table:
    """One row per source, one column per action (:data:`ACTIONS`); ASCII outside a terminal."""
    table = Table(title="pelican-newsroom import", box=box.ASCII if plain else box.HEAVY_HEAD)
    table.add_column("source", overflow="fold")
    for action in ACTIONS:
        table.add_column(_HEADINGS.get(action, action), justify="right")
    for result in results:
        status = "FAILED" if result.error else ("not modified" if result.not_modified else "")
        counts = result.counts
        name = result.name or result.source
        table.add_row(f"{name} {status}".strip(), *(str(counts[a]) for a in ACTIONS))
    return table


class Reporter:
    """Prints as sources finish; a progress bar only when stderr is a terminal."""

    def __init__(
        self, options: ImportOptions, json_output: bool, out: TextIO | None = None
    ) -> None:
        self.options = options
        self.json_output = json_output
        self.out = out or sys.stdout
        self.console = Console(file=self.out, highlight=False, soft_wrap=True)
        if not self.console.is_terminal:  # a log or a cron mail: room for every column
            self.console.width = max(self.console.width, PLAIN_WIDTH)
        self.progress: Progress | None = None
        self.task: Any = None

    @contextmanager
    def running(self, count: int) -> Iterator[Reporter]:
        if self.json_output or not sys.stderr.isatty():
            yield self
            return
        columns = (
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            self.progress = progress
            self.task = progress.add_task("", total=count)
            yield self
        self.progress = None

    def source_done(self, result: SourceResult) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=result.source)
        if self.json_output:
            return
        for line in item_lines(result, self.options.dry_run):
            self.console.print(line, markup=False)

    def finish(self, results: Sequence[SourceResult]) -> None:
        if self.json_output:
            print(
                json.dumps(to_json(results, self.options), ensure_ascii=False, indent=2),
                file=self.out,
            )
            return
        self.console.print(summary_table(results, plain=not self.console.is_terminal))
        if self.options.dry_run:
            self.console.print("dry run: nothing was written", markup=False)
