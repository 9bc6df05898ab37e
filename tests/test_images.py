"""Sizes of the site's own images (:mod:`pelican_newsroom.images`): which paths are the
site's static files, and what Pillow measures there.

What the pages, JSON-LD and feeds do with a size is tested in real builds in
``test_standards.py``.
"""

from __future__ import annotations

from pelican_newsroom.images import file_size, site_image_file, site_image_size
from tests.conftest import png


def test_site_image_files_are_only_static_content(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(png(3, 2))
    (tmp_path / "secret.png").write_bytes(png(3, 2))
    assert site_image_file("/images/a.png", str(tmp_path), ("images",)) is not None
    assert site_image_file("images/../secret.png", str(tmp_path), ("images",)) is None
    assert site_image_file("https://x.example/images/a.png", str(tmp_path), ("images",)) is None
    assert site_image_file("../secret.png", str(tmp_path), ("images",)) is None
    assert file_size(tmp_path / "images" / "a.png") == (3, 2)
    (tmp_path / "images" / "a.png").write_bytes(png(5, 4))  # edited: measured again
    assert file_size(tmp_path / "images" / "a.png") == (5, 4)


def test_files_that_are_not_raster_images_have_no_size(tmp_path):
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>', encoding="utf-8"
    )
    (tmp_path / "broken.png").write_bytes(b"not a png")
    assert file_size(tmp_path / "logo.svg") is None
    assert file_size(tmp_path / "broken.png") is None
    assert file_size(tmp_path / "missing.png") is None


def test_site_image_size_decodes_the_path_and_honours_the_static_paths(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "pier at dusk.png").write_bytes(png(7, 3))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "map.png").write_bytes(png(2, 2))
    static = ("images",)
    assert site_image_size("images/pier%20at%20dusk.png", str(tmp_path), static) == (7, 3)
    assert site_image_size("/images/pier%20at%20dusk.png?v=2", str(tmp_path), static) == (7, 3)
    assert site_image_size("pages/map.png", str(tmp_path), static) is None  # not static content
    assert site_image_size("pages/map.png", str(tmp_path), (".",)) == (2, 2)  # the whole content
    assert site_image_size("images/gone.png", str(tmp_path), static) is None
    assert site_image_size("images/pier%20at%20dusk.png", "", static) is None  # no content path
