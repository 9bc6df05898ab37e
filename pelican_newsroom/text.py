"""Plain-text hygiene shared by every field that comes from users or other sites."""

from __future__ import annotations

import re

#: Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates,
#: U+FFFE/U+FFFF). lxml refuses them at serialization (ckan/ckan#6371), so they are
#: removed once, here, before any value reaches a page or a feed.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without XML-illegal characters, whitespace runs collapsed, stripped."""
    return " ".join(XML_ILLEGAL_RE.sub("", value).split())
