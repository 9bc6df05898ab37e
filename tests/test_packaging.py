"""The wheel ships the theme and the namespace shim; the console script is declared."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("pelican_newsroom-*.whl"))


def test_wheel_contains_theme_and_namespace_plugin(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    theme_files = sorted(
        p.relative_to(REPO).as_posix() for p in (REPO / "theme").rglob("*") if p.is_file()
    )
    assert theme_files, "the repo has a theme"
    for relative in theme_files:
        assert f"pelican_newsroom/{relative}" in names
    assert "pelican/plugins/newsroom/__init__.py" in names
    assert "pelican/__init__.py" not in names and "pelican/plugins/__init__.py" not in names


def test_wheel_metadata(wheel):
    archive = zipfile.ZipFile(wheel)
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    text = archive.read(metadata).decode()
    assert "Classifier: Framework :: Pelican :: Plugins" in text
    entry_points = archive.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    assert "pelican-newsroom = pelican_newsroom.cli:main" in entry_points
