"""The Pelican private API shims still do what the reader and the CLI rely on."""

from __future__ import annotations

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from pelican_newsroom import compat


def test_parse_markdown_metadata_runs_pelicans_own_processing() -> None:
    reader = MarkdownReader(dict(DEFAULT_CONFIG))
    md = Markdown(**DEFAULT_CONFIG["MARKDOWN"])
    md.convert("Summary: A *bold* claim\nTags: one, two\n\nBody")
    metadata = compat.parse_markdown_metadata(reader, md, "post.md", md.Meta)
    assert metadata["summary"] == "<p>A <em>bold</em> claim</p>"  # a formatted field
    assert [tag.name for tag in metadata["tags"]] == ["one", "two"]


def test_load_plugins_imports_the_site_plugins() -> None:
    plugins = compat.load_plugins({"PLUGINS": ["pelican_newsroom"]})
    assert [plugin.__name__ for plugin in plugins] == ["pelican_newsroom"]
