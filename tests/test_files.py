"""Atomic writes (the old file survives a failed write, no temporary is left) and the
feed writer's spill file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pelican_newsroom import files
from pelican_newsroom.feeds import SpillFile
from pelican_newsroom.files import write_atomically


def test_writes_new_and_replaces_old_files_readable_by_all(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "feed.xml"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    old_mask = os.umask(0o022)
    try:
        write_atomically(target, b"third")
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # a web server can serve it
    assert sorted(p.name for p in target.parent.iterdir()) == ["feed.xml"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "article.md"
    target.write_bytes(b"old")

    def fail(_source: str, _destination: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md"]


@given(st.lists(st.binary(max_size=3000), max_size=20))
def test_spill_file_gives_back_every_piece(pieces: list[bytes]) -> None:
    spill = SpillFile()
    spans = [spill.put(piece) for piece in pieces]
    assert [spill.get(span) for span in reversed(spans)] == list(reversed(pieces))


def test_spill_file_refuses_a_span_past_its_end() -> None:
    spill = SpillFile()
    offset, length = spill.put(b"abc")
    with pytest.raises(OSError, match="ends before"):
        spill.get((offset, length + 1))
