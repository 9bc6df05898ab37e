"""What themes get: the ``newsroom/`` partials and the filters they use.

Pelican's Jinja environment does not autoescape, so the partials escape every
metadata value themselves (``|e``, ``|tojson``) and these filters return
``Markup`` built from escaped pieces only.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape


def _theme_path() -> Path:
    """The bundled theme: inside the package in a wheel, beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "theme"
    return packaged if packaged.is_dir() else here.parent / "theme"


#: The bundled news theme; use it with ``THEME = pelican_newsroom.THEME_PATH``.
THEME_PATH = str(_theme_path())
PARTIALS_PATH = str(Path(THEME_PATH) / "templates" / "newsroom")

_MARKER = "_newsroom_installed"


@pass_context
def site_url(context: Context, url: str) -> str:
    """A site-relative path prefixed with ``SITEURL``; absolute URLs unchanged."""
    if "://" in url:
        return url
    return f"{context.get('SITEURL', '')}/{url.lstrip('/')}"


def plain_text(value: object) -> Markup:
    """Metadata that may hold markup (Pelican titles), as escaped plain text."""
    return escape(Markup(str(value)).striptags())


def _link(url: str | None, text: str) -> Markup:
    if not url:
        return escape(text)
    return Markup('<a href="{}">{}</a>').format(url, text)


@pass_context
def source_footer(context: Context, article: Any) -> Markup:
    """``NEWSROOM_FOOTER`` filled with escaped, linked pieces; empty for original reporting."""
    newsroom = getattr(article, "newsroom", None)
    source = newsroom.source if newsroom else None
    if source is None:
        return Markup("")
    authors = ", ".join(a.name for a in getattr(article, "authors", []) or [])
    pieces = {
        "source": _link(source.url, source.name),
        "url": _link(source.url, source.url) if source.url else Markup(""),
        "author": escape(authors),
    }
    out = Markup("")
    for literal, name, _spec, _conv in string.Formatter().parse(context["NEWSROOM_FOOTER"]):
        out += escape(literal)
        if name is not None:
            out += pieces.get(name, Markup(""))
    tidy = re.sub(r"\s+", " ", str(out))
    return Markup(re.sub(r"[\s·|,;–-]+$", "", tidy).strip())


def install_templates(env: Environment) -> None:
    """Add the partials after the theme's own templates (a theme may override any of them)."""
    if getattr(env, _MARKER, False):
        return
    partials = PrefixLoader({"newsroom": FileSystemLoader(PARTIALS_PATH)})
    env.loader = ChoiceLoader([env.loader, partials]) if env.loader else partials
    env.filters.update(
        newsroom_url=site_url, newsroom_text=plain_text, newsroom_footer=source_footer
    )
    setattr(env, _MARKER, True)
