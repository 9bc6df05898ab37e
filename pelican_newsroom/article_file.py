"""The article file an import writes.

One Markdown file per item: YAML front matter (``--format yaml``, which keeps
every hop field) or Pelican's ``Key: value`` header (``--format md``), then the
sanitized body inside one ``<div>``. The header ends with ``import_hash``, the
SHA-256 of the rest of the file: a file that still hashes to it was not edited
here, so an upstream update may rewrite it. The importer reads the header back
with the reader's own parsers (:func:`pelican_newsroom.reader.header_values`), so
it and the build agree on every key.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Literal

import yaml

from .files import write_atomically
from .text import clean_text
from .urls import host_of

ArticleFormat = Literal["md", "yaml"]
HASH_KEY = "import_hash"
#: Written by ``approve``: when the desk published the article.
APPROVED_KEY = "import_approved"
BODY_CLASS = "newsroom-import"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _md_hop(hop: dict[str, str]) -> str:
    """``Name <URL>`` or ``Name``: the only hop forms a Markdown header has (no feed/author/date)."""
    name = clean_text(re.sub("[<>]", " ", hop["name"])) or host_of(hop.get("url", "")) or "source"
    return f"{name} <{hop['url']}>" if hop.get("url") else name


def _md_value(key: str, value: Any) -> str:
    """One Markdown-header value; hops on continuation lines."""
    if key == "via":
        return "\n    ".join(_md_hop(hop) for hop in value)
    if isinstance(value, list):  # Pelican splits authors and tags on commas
        return ", ".join(clean_text(str(v).replace(",", " ")) for v in value)
    return clean_text(str(value))


#: libyaml's emitter when PyYAML has it (ten times faster than the pure-Python one).
_SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _header(metadata: dict[str, Any], article_format: ArticleFormat) -> str:
    if article_format == "yaml":
        dumped: str = yaml.dump(
            metadata, Dumper=_SAFE_DUMPER, sort_keys=False, allow_unicode=True, width=1_000_000
        )
        return dumped
    return "".join(f"{key}: {_md_value(key, value)}\n" for key, value in metadata.items())


def render_article(
    metadata: dict[str, Any], body: str, article_format: ArticleFormat
) -> tuple[str, str]:
    """The file's text, ending its header with ``import_hash`` of everything else; and that hash."""
    header = _header(metadata, article_format)
    wrapped = f'<div class="{BODY_CLASS}">\n{body}\n</div>\n'
    if article_format == "yaml":
        return with_hash(f"---\n{header}---\n\n{wrapped}")
    return with_hash(f"{header}\n{wrapped}")


def with_hash(unhashed: str) -> tuple[str, str]:
    """``unhashed`` with ``import_hash`` of it as the header's last line; and that hash.

    The header ends at the first ``---`` line (YAML front matter) or blank line
    (Markdown header); removing the hash line gives ``unhashed`` back.
    """
    digest = content_hash(unhashed)
    line = f"{HASH_KEY}: {digest}\n"
    if unhashed.startswith("---\n"):
        return unhashed.replace("\n---\n\n", f"\n{line}---\n\n", 1), digest
    head, blank, rest = unhashed.partition("\n\n")
    return f"{head}\n{line}{blank[1:]}{rest}" if blank else unhashed + line, digest


def article_format_of(text: str) -> ArticleFormat:
    """Which header an article file has."""
    return "yaml" if text.startswith("---\n") else "md"


def header_line(key: str, value: str, article_format: ArticleFormat) -> str:
    """One ``key: value`` line as :func:`render_article` writes it (YAML quoting included)."""
    return _header({key: value}, article_format)


def stored_hash_matches(text: str, stored: str) -> bool:
    """True when the file is exactly as the importer wrote it (not edited since)."""
    line = f"{HASH_KEY}: {stored}\n"
    return line in text and content_hash(text.replace(line, "", 1)) == stored


def write_atomic(path: Path, text: str) -> None:
    """``text`` as UTF-8 with ``\n`` line ends, written atomically."""
    write_atomically(path, text.encode("utf-8"))
