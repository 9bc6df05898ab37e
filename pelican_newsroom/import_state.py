"""The import's memory between runs, in one JSON file in the output folder, written atomically.

* ``sources``: ETag / Last-Modified per source URL (a digest per local file), so an
  unchanged feed is neither downloaded nor parsed again.
* ``items``: every item ever imported, per feed and upstream id: the file it went to
  and the key of its story link (:func:`~pelican_newsroom.urls.link_key`), so a story
  arriving through a second feed is known as a duplicate even when the first
  feed's link was a redirect.
* ``tombstones``: items that must not come back: a file deleted here, rejected in
  review, or expired.  Deleting an imported article is a decision; the next run
  respects it unless ``--reimport`` says otherwise.

A file that is not what ``import`` writes stops the run before anything is written,
with an error naming the file and the key: a tampered state must not steer a run.
Files written by earlier versions (no ``items``, no ``tombstones``) are read as is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .article_file import write_atomic
from .fetch import Validators

#: The state file's name, inside the output folder.
STATE_FILE = ".newsroom-import.json"
VERSION = 2

Reason = Literal["deleted", "rejected", "expired"]
REASONS: tuple[Reason, ...] = ("deleted", "rejected", "expired")


class StateError(Exception):
    """The state file is not what this program writes: nothing is imported until it is fixed."""


_VALIDATOR_KEYS = ("etag", "last_modified")
_STATE_FIX = "fix it or delete it (the next run then re-reads every source)"


@dataclass(frozen=True)
class Remembered:
    """One imported item: its file (relative to the output folder) and its story's link key."""

    file: str
    link: str | None = None


@dataclass(frozen=True)
class Tombstone:
    """Why an item stays out, and since when (ISO 8601)."""

    reason: Reason
    at: str
    file: str | None = None


class ImportState:
    """The memory of :data:`STATE_FILE`: validators per source, items and tombstones per feed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sources: dict[str, dict[str, str]] = {}
        self.items: dict[str, dict[str, Remembered]] = {}
        self.tombstones: dict[str, dict[str, Tombstone]] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as error:
            raise StateError(f"{path}: cannot read the import state: {error}") from None
        self._load(text)

    def _fail(self, where: str, expected: str, got: object) -> StateError:
        return StateError(f"{self.path}: {where}: expected {expected}, got {got!r}; {_STATE_FIX}")

    def _mapping(self, data: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
        """``data[key]``: a mapping of mappings (absent: empty, as earlier versions wrote)."""
        found = data.get(key, {})
        if not isinstance(found, dict):
            raise self._fail(key, "a mapping", found)
        for name, inner in found.items():
            if not isinstance(inner, dict):
                raise self._fail(f"{key}[{name!r}]", "a mapping", inner)
        return found

    def _load(self, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise StateError(f"{self.path}: not valid JSON ({error}); {_STATE_FIX}") from None
        if not isinstance(data, dict):
            raise self._fail("the file", "a JSON object", type(data).__name__)
        for source, known in self._mapping(data, "sources").items():
            for key, value in known.items():
                if key not in _VALIDATOR_KEYS or not isinstance(value, str):
                    raise self._fail(
                        f"sources[{source!r}].{key}",
                        f"text under {' or '.join(_VALIDATOR_KEYS)}",
                        value,
                    )
            self.sources[source] = dict(known)
        for feed, items in self._mapping(data, "items").items():
            self.items[feed] = {
                key: self._remembered(f"items[{feed!r}][{key!r}]", value)
                for key, value in items.items()
            }
        for feed, stones in self._mapping(data, "tombstones").items():
            self.tombstones[feed] = {
                key: self._tombstone(f"tombstones[{feed!r}][{key!r}]", value)
                for key, value in stones.items()
            }

    def _remembered(self, where: str, value: object) -> Remembered:
        if (
            not isinstance(value, dict)
            or not isinstance(value.get("file"), str)
            or not isinstance(value.get("link"), str | None)
            or set(value) - {"file", "link"}
        ):
            raise self._fail(where, '{"file": text, "link": text or null}', value)
        return Remembered(value["file"], value.get("link"))

    def _tombstone(self, where: str, value: object) -> Tombstone:
        if (
            not isinstance(value, dict)
            or value.get("reason") not in REASONS
            or not isinstance(value.get("at"), str)
            or not isinstance(value.get("file"), str | None)
            or set(value) - {"reason", "at", "file"}
        ):
            raise self._fail(where, f'{{"reason": {"|".join(REASONS)}, "at": date}}', value)
        return Tombstone(value["reason"], value["at"], value.get("file"))

    # --- validators ---------------------------------------------------------------------

    def validators(self, source: str) -> Validators | None:
        known = self.sources.get(source)
        if known is None:
            return None
        return Validators(known.get("etag"), known.get("last_modified"))

    def remember(self, source: str, validators: Validators) -> None:
        values = {"etag": validators.etag, "last_modified": validators.last_modified}
        self.sources[source] = {k: v for k, v in values.items() if v}

    # --- items and tombstones -----------------------------------------------------------

    def remember_item(self, feed: str, key: str, item: Remembered) -> None:
        self.items.setdefault(feed, {})[key] = item

    def bury(self, feed: str, key: str, stone: Tombstone) -> None:
        """Keep the item out of later runs; it is no longer an imported item."""
        self.tombstones.setdefault(feed, {})[key] = stone
        self.items.get(feed, {}).pop(key, None)

    def tombstone(self, feed: str, key: str) -> Tombstone | None:
        return self.tombstones.get(feed, {}).get(key)

    def unbury(self, feed: str, key: str) -> None:
        self.tombstones.get(feed, {}).pop(key, None)

    def forget(self, source: str, feed: str) -> int:
        """Drop everything known about one source; how many items and tombstones it held."""
        self.sources.pop(source, None)
        return len(self.items.pop(feed, {})) + len(self.tombstones.pop(feed, {}))

    def save(self) -> None:
        data = {
            "version": VERSION,
            "sources": self.sources,
            "items": {
                feed: {key: _compact(vars(item)) for key, item in sorted(items.items())}
                for feed, items in sorted(self.items.items())
                if items
            },
            "tombstones": {
                feed: {key: _compact(vars(stone)) for key, stone in sorted(stones.items())}
                for feed, stones in sorted(self.tombstones.items())
                if stones
            },
        }
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
