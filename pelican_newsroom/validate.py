"""Checks across articles: what no single file can know is wrong.

Two items written to the same file (same slug) would silently lose one of
them, and two articles claiming the same ``guid`` would merge in every feed
reader.  Both are reported; the later item (by source path) is renamed or
loses its ``guid`` so that, in a non-strict build, nothing is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from .errors import Problem
from .reader import display_path


def _unique_slug(slug: str, taken: set[str], content: Any) -> str:
    number = 2
    while True:
        candidate = f"{slug}-{number}"
        content.slug = candidate
        if content.save_as not in taken:
            return candidate
        number += 1


def separate_same_slugs(contents: Iterable[Any]) -> list[Problem]:
    """Rename every item whose output file another item already claims."""
    problems: list[Problem] = []
    owners: dict[str, Any] = {}
    for content in sorted(contents, key=lambda c: c.source_path):
        target = content.save_as
        if not target:
            continue
        if target not in owners:
            owners[target] = content
            continue
        first = owners[target]
        slug = content.slug
        new_slug = _unique_slug(slug, set(owners), content)
        content.translations = [
            t for t in getattr(content, "translations", []) if t.lang != content.lang
        ]
        first.translations = [t for t in getattr(first, "translations", []) if t is not content]
        owners[content.save_as] = content
        problems.append(
            Problem(
                display_path(content.source_path),
                "slug",
                repr(slug),
                f"a slug no other item uses; {display_path(first.source_path)} is also written to "
                f"{target}; this one is published as {content.save_as} (slug '{new_slug}')",
            )
        )
    return problems


def separate_same_guids(contents: Iterable[Any]) -> list[Problem]:
    """Drop a ``guid`` already claimed by another article (feed readers would merge the two)."""
    problems: list[Problem] = []
    owners: dict[str, Any] = {}
    for content in sorted(contents, key=lambda c: c.source_path):
        newsroom = getattr(content, "newsroom", None)
        if newsroom is None or newsroom.guid is None:
            continue
        guid = newsroom.guid
        if guid not in owners:
            owners[guid] = content
            continue
        content.newsroom = dataclasses.replace(newsroom, guid=None)
        problems.append(
            Problem(
                display_path(content.source_path),
                "guid",
                repr(guid),
                f"a guid no other article uses; {display_path(owners[guid].source_path)} has it "
                "(ignored here: the feed id is derived from the file instead)",
            )
        )
    return problems
