"""Build the example site and a generated site into one folder, to diff two commits' output.

A refactoring that claims to change no behaviour can prove it: build the
snapshot on the old commit and on the new one, then compare byte for byte.

    .venv/bin/python -m benchmarks.snapshot /tmp/after
    git worktree add /tmp/base BASE_COMMIT
    (cd /tmp/base && /path/to/.venv/bin/python -m benchmarks.snapshot /tmp/before)
    diff -r /tmp/before /tmp/after && echo identical

The package is imported from the current directory (``python -m`` puts it
first on ``sys.path``), so each checkout builds with its own code.  Both sites
are built with ``SOURCE_DATE_EPOCH`` fixed, so nothing depends on the clock.
"""

from __future__ import annotations

import argparse
import logging
import os
import runpy
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from benchmarks.build import settings_for
from benchmarks.gen_site import generate

#: A fixed "now" for every date the plugin could take from the clock.
EPOCH = "1700000000"


def build_example(root: Path, output: Path) -> None:
    """``make example``'s build, into ``output``."""
    site = root / "example_site"
    conf = {k: v for k, v in runpy.run_path(str(site / "pelicanconf.py")).items() if k.isupper()}
    override: dict[str, Any] = {
        **conf,
        "PATH": str(site / "content"),
        "OUTPUT_PATH": str(output),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }
    Pelican(read_settings(path=None, override=override)).run()


def build_generated(size: int, seed: int, output: Path) -> None:
    """The benchmark's plugin build of a generated ``size``-article site."""
    with tempfile.TemporaryDirectory() as tmp:
        content = generate(size, Path(tmp) / "site", seed)
        settings = settings_for("plugin", content, output)
        settings["CACHE_PATH"] = str(Path(tmp) / "cache")
        Pelican(settings).run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="folder to fill (emptied first)")
    parser.add_argument("--size", type=int, default=200, help="articles in the generated site")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    logging.basicConfig(level=logging.ERROR)
    shutil.rmtree(args.dest, ignore_errors=True)
    build_example(Path.cwd(), args.dest / "example")
    build_generated(args.size, args.seed, args.dest / f"generated-{args.size}")
    print(f"snapshot written to {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
