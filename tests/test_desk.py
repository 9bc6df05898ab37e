"""The republisher's desk from the command line: a sources file, the review queue, memory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pelican_newsroom.cli import main
from tests.import_support import articles, front, rss, write

ITEMS = [
    {"title": "Ferry service resumes", "description": "<p>The ferry sails at dawn.</p>"},
    {"title": "Harbour crane repaired", "description": "<p>The crane lifts again.</p>"},
]


@pytest.fixture
def desk(tmp_path: Path) -> dict[str, Path]:
    """A feed, a sources file that queues it for review, and the import folder."""
    feed = Path(write(tmp_path, "wire.xml", rss(ITEMS)))
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "defaults:\n  status: draft\nsources:\n"
        f"  - name: Coastal Wire\n    url: {feed.name}\n    category: Coast\n",
        encoding="utf-8",
    )
    return {"feed": feed, "sources": sources, "out": tmp_path / "imported"}


def _run(desk: dict[str, Path], *args: str) -> int:
    common = ["--sources-file", str(desk["sources"]), "--output", str(desk["out"])]
    return main([*args, *common])


def test_sources_are_queued_reviewed_and_approved(desk, capsys) -> None:
    assert _run(desk, "import") == 0
    printed = capsys.readouterr().out
    assert "queued" in printed and "Coastal Wire" in printed
    assert _run(desk, "review", "--output-format", "json") == 0
    waiting = json.loads(capsys.readouterr().out)["waiting"]
    assert sorted(w["title"] for w in waiting) == [
        "Ferry service resumes",
        "Harbour crane repaired",
    ]
    ferry = desk["out"] / "ferry-service-resumes.md"
    assert _run(desk, "approve", str(ferry)) == 0
    meta = front(ferry)
    assert "status" not in meta and meta["import_approved"] and meta["category"] == "Coast"
    assert meta["date"] == "2020-04-07T11:00:00+00:00"  # kept
    # the next run rewrites nothing and keeps the decision
    before = ferry.read_bytes()
    desk["feed"].write_text(rss(ITEMS) + "\n", encoding="utf-8")
    assert "approved" in capsys.readouterr().out
    assert _run(desk, "import", "--output-format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["unchanged"] == 2 and report["totals"]["updated"] == 0
    assert ferry.read_bytes() == before
    assert _run(desk, "review") == 0
    assert "1 draft(s) waiting" in capsys.readouterr().out


def test_a_rejected_item_never_comes_back(desk, capsys) -> None:
    _run(desk, "import")
    crane = front(desk["out"] / "harbour-crane-repaired.md")
    assert _run(desk, "reject", crane["import_id"]) == 0
    assert not (desk["out"] / "harbour-crane-repaired.md").exists()
    desk["feed"].write_text(rss(ITEMS) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert _run(desk, "import") == 0
    assert "rejected here" in capsys.readouterr().out
    assert "Harbour crane repaired" not in articles(desk["out"])
    assert _run(desk, "import", "--reimport") == 0
    assert "Harbour crane repaired" in articles(desk["out"])


def test_approve_all_of_a_source_and_date_it_now(desk, capsys) -> None:
    _run(desk, "import")
    assert _run(desk, "approve", "--all") == 2  # --all alone is refused
    assert "--all needs --source" in capsys.readouterr().err
    assert _run(desk, "approve", "--all", "--source", "coastal wire", "--now") == 0
    dates = {meta["date"] for meta in articles(desk["out"]).values()}
    assert all(not date.startswith("2020") for date in dates)
    assert all("status" not in meta for meta in articles(desk["out"]).values())


def test_unknown_targets_and_sources_are_named(desk, capsys) -> None:
    _run(desk, "import")
    assert _run(desk, "approve", "no-such-id") == 2
    assert "no-such-id: no imported draft" in capsys.readouterr().err
    assert _run(desk, "import", "--source", "Harbour Post") == 2
    assert "no source named 'Harbour Post'" in capsys.readouterr().err


def test_a_bad_sources_file_imports_nothing(desk, capsys) -> None:
    desk["sources"].write_text(
        "sources:\n  - name: X\n    url: wire.xml\n    limt: 3\n", encoding="utf-8"
    )
    assert _run(desk, "import") == 2
    error = capsys.readouterr().err
    assert f"{desk['sources']}:4: limt: one of the keys" in error
    assert not desk["out"].exists() or not list(desk["out"].glob("*.md"))


def test_forget_drops_the_memory_of_a_source(desk, capsys) -> None:
    _run(desk, "import")
    _run(desk, "reject", "--all", "--source", "Coastal Wire")
    assert _run(desk, "import", "--forget", "Coastal Wire") == 0
    assert "forgot Coastal Wire: 2 item(s) and tombstone(s)" in capsys.readouterr().out
    desk["feed"].write_text(rss(ITEMS) + "\n", encoding="utf-8")
    assert _run(desk, "import") == 0
    assert len(articles(desk["out"])) == 2


def test_decisions_are_counted_in_words(desk, capsys) -> None:
    _run(desk, "import")
    capsys.readouterr()
    assert _run(desk, "reject", "--all", "--source", "Coastal Wire") == 0
    assert "2 draft(s) rejected" in capsys.readouterr().out
