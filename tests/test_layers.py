"""The package's layers: data flows one way, so no module imports one from a later stage.

The stages are the README's Architecture table.  A new module must be given
a stage here, which is the moment to ask where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pelican_newsroom

PACKAGE = Path(pelican_newsroom.__file__).parent

#: Stages, in the order data flows through them; a module may import from its own
#: stage or an earlier one.
STAGES: dict[str, tuple[str, ...]] = {
    "values": (
        "compat",
        "errors",
        "text",
        "files",
        "dates",
        "urls",
        "chain",
        "standards",
        "images",
        "repair",
        "sanitize",
        "settings",
    ),
    "read": ("reader",),
    "model": ("model", "newsroom_ns", "collisions", "sources"),
    "render": ("render", "sources_pages"),
    "feed": (
        "feed_item",
        "feedgen_compat",
        "jsonfeed",
        "feeds",
        "feedsignals",
        "news_sitemap",
    ),
    "other sites": (
        "fetch",
        "sources_file",
        "websub",
        "upstream",
        "opml",
        "article_file",
        "import_index",
        "import_state",
        "importer",
        "import_report",
        "desk",
    ),
    "wiring": ("neighbours", "check", "plugin", "cli"),
}
#: The package root (``__version__``, ``register``) and ``python -m``: above every stage.
ROOT = ("__init__", "__main__")


def _stage_of() -> dict[str, int]:
    return {module: rank for rank, names in enumerate(STAGES.values()) for module in names}


def _imports(path: Path) -> set[str]:
    """Our modules ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import feeds, __version__
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "pelican_newsroom."
        ):
            found.add((node.module or "").split(".")[1])
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return found & modules


def test_every_module_has_a_stage() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} - set(ROOT)
    staged = set(_stage_of())
    assert modules - staged == set(), "give each new module a stage in STAGES"
    assert staged - modules == set(), "STAGES names modules that no longer exist"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.stem)
def test_no_module_imports_a_later_stage(path: Path) -> None:
    if path.stem in ROOT:
        return
    stage = _stage_of()
    later = {
        name: list(STAGES)[stage[name]]
        for name in _imports(path)
        if name not in ROOT and stage[name] > stage[path.stem]
    }
    assert later == {}, f"{path.stem} ({list(STAGES)[stage[path.stem]]}) imports {later}"


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The import finder is not blind: a late import inside a function counts."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from .plugin import register\n    from . import cli\n")
    assert _imports(module) == {"plugin", "cli"}
