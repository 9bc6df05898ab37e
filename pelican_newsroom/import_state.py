"""The import's memory between runs: ETag / Last-Modified per source URL (a digest per
local file), kept in one JSON file in the output folder and written atomically.

A file that is not what ``import`` writes stops the run before anything is written,
with an error naming the file and the key: a tampered state must not steer a run.
"""

from __future__ import annotations

import json
from pathlib import Path

from .article_file import write_atomic
from .fetch import Validators

#: Remembers ETag/Last-Modified per source URL, inside the output folder.
STATE_FILE = ".newsroom-import.json"


class StateError(Exception):
    """The state file is not what this program writes: nothing is imported until it is fixed."""


_STATE_KEYS = ("etag", "last_modified")
_STATE_FIX = "fix it or delete it (the next run then re-reads every source)"


class ImportState:
    """ETag / Last-Modified per source URL (a digest per local file), kept in :data:`STATE_FILE`
    in the output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sources: dict[str, dict[str, str]] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as error:
            raise StateError(f"{path}: cannot read the import state: {error}") from None
        self.sources = self._checked(text)

    def _checked(self, text: str) -> dict[str, dict[str, str]]:
        """The ``sources`` mapping, every value checked; a :class:`StateError` naming the key."""
        try:
            data = json.loads(text)
        except ValueError as error:
            raise StateError(f"{self.path}: not valid JSON ({error}); {_STATE_FIX}") from None
        sources = data.get("sources", {}) if isinstance(data, dict) else None
        if not isinstance(sources, dict):
            raise StateError(f"{self.path}: sources: expected a mapping; {_STATE_FIX}")
        for source, known in sources.items():
            if not isinstance(known, dict):
                raise StateError(
                    f"{self.path}: sources[{source!r}]: expected a mapping, "
                    f"got {type(known).__name__}; {_STATE_FIX}"
                )
            for key, value in known.items():
                if key not in _STATE_KEYS or not isinstance(value, str):
                    raise StateError(
                        f"{self.path}: sources[{source!r}].{key}: expected text under "
                        f"{' or '.join(_STATE_KEYS)}, got {value!r}; {_STATE_FIX}"
                    )
        return sources

    def validators(self, source: str) -> Validators | None:
        known = self.sources.get(source)
        if known is None:
            return None
        return Validators(known.get("etag"), known.get("last_modified"))

    def remember(self, source: str, validators: Validators) -> None:
        values = {"etag": validators.etag, "last_modified": validators.last_modified}
        self.sources[source] = {k: v for k, v in values.items() if v}

    def save(self) -> None:
        write_atomic(
            self.path,
            json.dumps({"version": 1, "sources": self.sources}, indent=2, sort_keys=True) + "\n",
        )
