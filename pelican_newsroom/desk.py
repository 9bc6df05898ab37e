"""The review queue: imported drafts waiting for a person, approved or rejected.

A source with ``status: draft`` writes its items as Pelican drafts
(``status: draft``: built under ``drafts/``, in no listing or feed).  Here a
person lists them, approves (the file becomes a published article; its date
kept or set to now) or rejects (the file is removed and a tombstone keeps the
item out of later runs).

Approving edits the file's header as the importer would write it and renews
its ``import_hash`` only when the file was unedited, so an upstream update
still refreshes an approved story, and a file corrected here before approval
is still never overwritten.  ``import_approved`` in the header tells the
importer to keep the status and date the desk chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .article_file import (
    APPROVED_KEY,
    HASH_KEY,
    article_format_of,
    header_line,
    stored_hash_matches,
    with_hash,
    write_atomic,
)
from .import_index import ArticleIndex, Imported
from .import_state import ImportState, Tombstone


class DeskError(Exception):
    """A target that names no waiting draft, or a file that is not an imported article."""


@dataclass(frozen=True)
class Decision:
    """What ``approve`` or ``reject`` did to one file."""

    action: str
    file: str
    title: str | None


def drafts(index: ArticleIndex, feeds: Iterable[str] | None = None) -> list[Imported]:
    """Imported articles waiting for review (of ``feeds`` only, when given), newest first."""
    wanted = set(feeds) if feeds is not None else None
    waiting = [
        imported
        for imported in index.by_id.values()
        if imported.status == "draft" and (wanted is None or imported.import_feed in wanted)
    ]
    return sorted(waiting, key=lambda i: (i.date or "", str(i.path)), reverse=True)


def select(waiting: Sequence[Imported], targets: Iterable[str]) -> list[Imported]:
    """The drafts ``targets`` name, by file path or by import id; an unknown target fails all."""
    by_path = {imported.path.resolve(): imported for imported in waiting}
    chosen: list[Imported] = []
    for target in targets:
        found = by_path.get(Path(target).resolve()) or next(
            (i for i in waiting if i.import_id == target), None
        )
        if found is None:
            raise DeskError(
                f"{target}: no imported draft has this file or import id "
                "(`pelican-newsroom review` lists them)"
            )
        if found not in chosen:
            chosen.append(found)
    return chosen


def _set_line(text: str, key: str, line: str) -> str:
    """``text`` with its header line for ``key`` replaced by ``line`` (added before the hash)."""
    pattern = re.compile(rf"^{re.escape(key)}:.*\n", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda _m: line, text, count=1)
    return text.replace(f"{HASH_KEY}:", f"{line}{HASH_KEY}:", 1)


def approve(imported: Imported, now: datetime, new_date: bool) -> Decision:
    """Publish a draft: its ``status`` line removed, ``import_approved`` added, the date kept
    (or set to ``now``); the hash renewed when the file was unedited."""
    text = imported.path.read_text(encoding="utf-8")
    unedited = bool(imported.import_hash) and stored_hash_matches(text, imported.import_hash or "")
    fmt = article_format_of(text)
    stamp = now.replace(microsecond=0).isoformat()
    edited = re.sub(r"^status:\s*['\"]?draft['\"]?\s*\n", "", text, count=1, flags=re.MULTILINE)
    if new_date:
        edited = _set_line(edited, "date", header_line("date", stamp, fmt))
    edited = _set_line(edited, APPROVED_KEY, header_line(APPROVED_KEY, stamp, fmt))
    if unedited:
        hash_line = f"{HASH_KEY}: {imported.import_hash}\n"
        edited = with_hash(edited.replace(hash_line, "", 1))[0]
    write_atomic(imported.path, edited)
    return Decision("approved", str(imported.path), imported.title)


def reject(imported: Imported, state: ImportState, now: datetime) -> Decision:
    """Remove a draft and remember it, so no later run brings it back."""
    stone = Tombstone("rejected", now.replace(microsecond=0).isoformat(), imported.path.name)
    state.bury(imported.import_feed, imported.import_id, stone)
    imported.path.unlink(missing_ok=True)
    return Decision("rejected", str(imported.path), imported.title)
