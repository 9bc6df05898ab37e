"""What ``import`` prints (:mod:`pelican_newsroom.import_report`), on plain results: one line
per change, the totals, the JSON document's fixed keys and the summary table.

The command that prints them (exit status, ``--dry-run``, ``--output-format json``) is
tested in ``test_cli.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from pelican_newsroom.import_report import item_lines, summary_table, to_json, totals
from pelican_newsroom.importer import ACTIONS, ImportOptions, ItemResult, SourceResult

WIRE = SourceResult(
    source="https://wire.example/feed.xml",
    name="Harbour Wire",
    items=[
        ItemResult("new", "tag:wire,1", file="ferry.md", message="slug taken: ferry-2"),
        ItemResult("queued", "tag:wire,2", file="bridge.md"),
        ItemResult("unchanged", "tag:wire,3", file="pier.md"),
        ItemResult("filtered", "tag:wire,4", message="category Sport is excluded"),
        ItemResult("duplicate", "tag:wire,5", message="same story as tag:post,9"),
        ItemResult("new", "tag:wire,6", file="dock.md"),
    ],
)
BROKEN = SourceResult(source="https://broken.example/feed.xml", error="HTTP 500")
QUIET = SourceResult(source="https://quiet.example/feed.xml", not_modified=True)


def test_a_dry_run_says_what_would_be_written_and_why_items_were_left_out():
    assert list(item_lines(WIRE, dry_run=True)) == [
        "would be new ferry.md",
        "would be queued bridge.md",
        "filtered  tag:wire,4: category Sport is excluded",
        "duplicate tag:wire,5: same story as tag:post,9",
        "would be new dock.md",
    ]


def test_a_real_run_names_the_action_and_notes_its_message():
    lines = list(item_lines(WIRE, dry_run=False))
    assert lines[:2] == ["new       ferry.md (slug taken: ferry-2)", "queued    bridge.md"]
    assert not any("pier.md" in line for line in lines)  # unchanged items are not listed


def test_a_failed_or_unmodified_source_is_one_line():
    assert list(item_lines(BROKEN, dry_run=False)) == [
        "failed    https://broken.example/feed.xml: HTTP 500"
    ]
    assert list(item_lines(QUIET, dry_run=True)) == [
        "unchanged https://quiet.example/feed.xml: not modified since the last run (HTTP 304)"
    ]


def test_totals_add_up_every_action_over_the_sources_and_count_failed_sources():
    summed = totals([WIRE, BROKEN, QUIET, WIRE])
    assert set(summed) == {*ACTIONS, "failed_sources"}
    assert (summed["new"], summed["queued"], summed["unchanged"]) == (4, 2, 2)
    assert (summed["filtered"], summed["duplicate"], summed["failed"]) == (2, 2, 0)
    assert summed["failed_sources"] == 1


def test_the_json_document_has_fixed_keys():
    options = ImportOptions(output=Path("content/imported"), dry_run=True)
    document = to_json([WIRE, BROKEN], options)
    assert set(document) == {"ok", "dry_run", "output", "totals", "sources"}
    assert (document["ok"], document["dry_run"]) == (False, True)
    assert document["output"] == "content/imported"
    assert [source["name"] for source in document["sources"]] == [
        "Harbour Wire",
        "https://broken.example/feed.xml",  # no name in a sources file: the source itself
    ]
    assert to_json([WIRE], options)["ok"] is True


def _rendered(results: list[SourceResult]) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=200).print(summary_table(results, plain=True))
    return out.getvalue().splitlines()


def test_the_summary_table_has_one_column_per_action_and_a_row_per_source_by_name():
    table = summary_table([WIRE, BROKEN], plain=True)
    headers = [str(column.header) for column in table.columns]
    assert headers[0] == "source" and len(headers) == 1 + len(ACTIONS)
    assert headers[1:] == ["conflicts" if action == "conflict" else action for action in ACTIONS]
    assert table.row_count == 2
    lines = _rendered([WIRE, BROKEN])
    (wire,) = [line for line in lines if "Harbour Wire" in line]
    assert "wire.example" not in "".join(lines)  # the name in the sources file, not the URL
    cells = [cell.strip() for cell in wire.strip("|").split("|")]
    assert cells[1:] == [str(WIRE.counts[action]) for action in ACTIONS]
    assert any("https://broken.example/feed.xml FAILED" in line for line in lines)
