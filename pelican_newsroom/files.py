"""Atomic file writes: a reader (a web server, a feed reader, Pelican) never sees half a file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    The temporary name is fixed per process (``name.<pid>.tmp``) rather than drawn by
    ``mkstemp``: cheaper, and the file gets the usual mode (``mkstemp`` makes 0600,
    which a web server may not read). Two processes never share a temporary file.
    """
    target = os.fspath(path)
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
