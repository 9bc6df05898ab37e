"""Width and height of the site's own images, read once per file with Pillow.

Google asks for the size of article images (``og:image:width``, JSON-LD
``ImageObject``), and an ``<img>`` with ``width``/``height`` keeps the page
from jumping while it loads.  Only files of the site are measured: a path under
one of the content's ``STATIC_PATHS`` (what Pelican copies to the output).  A
remote image would need a download per build, and its size can change under us.

Pillow reads only the header of a file to learn its size.  Results are cached
by path, modification time and length, so an autoreload build sees an edited
image, and an article repeated in many feeds and pages costs one read.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PIL import Image, UnidentifiedImageError

Size = tuple[int, int]


@lru_cache(maxsize=4096)
def _measure(path: str, _mtime_ns: int, _length: int) -> Size | None:
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None  # SVG, a broken file, or one Pillow does not know: no size, no error
    return (width, height) if width > 0 and height > 0 else None


def file_size(path: Path) -> Size | None:
    """``(width, height)`` in pixels of an image file; None when it is not a raster image."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _measure(str(path), stat.st_mtime_ns, stat.st_size)


def site_image_file(src: str, content_path: str, static_paths: tuple[str, ...]) -> Path | None:
    """The file behind a site path (``images/a.jpg``, ``/images/a.jpg``), when it is static content.

    URLs (a scheme or a host) and paths outside ``static_paths`` give None.
    """
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not content_path:
        return None
    relative = posixpath.normpath(unquote(parts.path).lstrip("/"))
    if relative.startswith(".."):
        return None
    for static in static_paths:
        root = posixpath.normpath(static.strip("/"))
        if root in {".", relative} or relative.startswith(root + "/"):
            candidate = Path(content_path) / relative
            return candidate if candidate.is_file() else None
    return None


def site_image_size(src: str, content_path: str, static_paths: tuple[str, ...]) -> Size | None:
    """The size of a site image (see :func:`site_image_file`); None for URLs and unknown files."""
    path = site_image_file(src, content_path, static_paths)
    return file_size(path) if path else None
