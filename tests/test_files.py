"""Atomic writes: the old file survives a failed write, no temporary is left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pelican_newsroom import files
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
