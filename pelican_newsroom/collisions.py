"""Collisions across articles, repaired so nothing is lost: what no single file can know.

A slug too long to be a file name is shortened; two items written to the
same file (same slug) would silently lose one of them, and two articles
claiming the same ``guid`` would merge in every feed reader.  Each is
reported; the later item (by source path) is renamed or loses its ``guid``
so that, in a non-strict build, nothing is lost.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from typing import Any

from .errors import Problem, display_path

#: Longest slug kept, in bytes: file systems refuse names over 255 bytes, and a slug
#: also gets a suffix (``.html``, ``-2``, ``.atom.xml``).
MAX_SLUG_BYTES = 120


def short_slug(slug: str) -> str | None:
    """A shorter slug for one too long to be a file name (``None`` when it fits).

    The kept prefix is followed by a hash of the whole slug, so two long titles
    that start alike still get different files.
    """
    if len(slug.encode()) <= MAX_SLUG_BYTES:
        return None
    digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
    prefix = slug.encode()[: MAX_SLUG_BYTES - 9].decode(errors="ignore").rstrip("-")
    return f"{prefix}-{digest}"


def shorten_long_slugs(contents: Iterable[Any]) -> list[Problem]:
    """Give items, tags, categories and authors whose slug cannot be a file name a shorter one."""
    problems: list[Problem] = []
    for content in contents:
        file = display_path(content.source_path)
        if slug := short_slug(str(content.slug)):
            content.slug = slug
            problems.append(
                Problem(
                    file,
                    "slug",
                    "",
                    f"a slug of at most {MAX_SLUG_BYTES} bytes (from a long title); published as {content.save_as}",
                    "warning",
                )
            )
        wrappers = [*getattr(content, "tags", []), *getattr(content, "authors", [])]
        wrappers += [content.category] if getattr(content, "category", None) else []
        for wrapper in wrappers:
            if slug := short_slug(str(wrapper.slug)):
                problems.append(
                    Problem(
                        file,
                        "tags/category/author",
                        wrapper.name[:40] + "…",
                        f"a name whose slug fits in a file name; its pages use '{slug}'",
                        "warning",
                    )
                )
                wrapper.slug = slug
    return problems


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
