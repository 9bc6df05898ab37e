"""pelican-newsroom: news metadata, source chains, credited images and feeds for Pelican.

Enable with ``PLUGINS = ["pelican_newsroom"]`` (or leave ``PLUGINS`` unset:
the namespace plugin ``pelican.plugins.newsroom`` is auto-discovered).
"""

from __future__ import annotations

from .plugin import register
from .render import THEME_PATH

__version__ = "0.1.0"


__all__ = ["THEME_PATH", "__version__", "register"]
