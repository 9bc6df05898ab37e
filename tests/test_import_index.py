"""What earlier imports wrote and which slugs are taken (:mod:`pelican_newsroom.import_index`)."""

from __future__ import annotations

from pathlib import Path

from pelican_newsroom.importer import run_import
from tests.import_support import (
    RSS091_FEED,
    front,
    options,
    write,
)


def test_same_title_gets_a_second_file_and_ids_fall_back_to_links(tmp_path: Path) -> None:
    feed = RSS091_FEED.replace(
        "</channel>",
        "<item><title>Market square gets new benches</title><link>https://crier.example/benches-2</link></item></channel>",
    )
    out = tmp_path / "imported"
    [result] = run_import([write(tmp_path, "crier.xml", feed)], options(out))
    assert sorted(p.name for p in out.glob("*.md")) == [
        "market-square-gets-new-benches-2.md",
        "market-square-gets-new-benches.md",
    ]
    assert {item.id for item in result.items} == {
        "https://crier.example/benches",
        "https://crier.example/benches-2",
    }
    assert (
        front(out / "market-square-gets-new-benches-2.md")["slug"]
        == "market-square-gets-new-benches-2"
    )
