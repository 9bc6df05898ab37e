"""Signal wiring (:mod:`pelican_newsroom.plugin`): every receiver connected once, however
often ``register()`` runs, and builds in one process (rebuilds, content caches) that give the
same output and the same problems, since each build starts with a fresh state.
"""

from __future__ import annotations

import logging
import weakref
from pathlib import Path

import pytest
from blinker import NamedSignal
from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import read_settings

from pelican_newsroom import plugin
from pelican_newsroom.errors import WITHOUT_TRACEBACK
from tests.conftest import BASE_SETTINGS, write_files
from tests.test_robustness import ARTICLES

#: Our receivers, by signal: what ``register()`` connects.
RECEIVERS = {
    "initialized": ["apply_defaults"],
    "get_generators": ["sources_generator", "start_build"],
    "readers_init": ["take_over_classes"],
    "content_object_init": ["build_model"],
    "generator_init": ["prepare_generator"],
    "all_generators_finalized": ["report_problems"],
    "get_writer": ["writer_class"],
    "article_generator_finalized": ["plan_added_feeds"],
    "article_writer_finalized": ["write_extra_feeds", "write_news_sitemap"],
}


def _our_receivers() -> dict[str, list[str]]:
    """``signals.NAME`` → the names of the receivers from this package connected to it."""
    found: dict[str, list[str]] = {}
    for attribute, signal in vars(signals).items():
        if not isinstance(signal, NamedSignal):
            continue
        for receiver in signal.receivers.values():
            function = receiver() if isinstance(receiver, weakref.ref) else receiver
            if getattr(function, "__module__", "").startswith("pelican_newsroom"):
                found.setdefault(attribute, []).append(function.__name__)
    return {name: sorted(receivers) for name, receivers in found.items()}


def test_register_twice_connects_each_receiver_once():
    plugin.register()
    plugin.register()  # as when the plugin is loaded under both of its names
    assert _our_receivers() == RECEIVERS
    assert logging.getLogger("pelican").filters.count(WITHOUT_TRACEBACK) == 1


def _snapshot(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


def _settings(tmp_path: Path, **extra) -> dict:
    content = tmp_path / "content"
    if not content.exists():
        write_files(
            content,
            ARTICLES
            | {
                "news/b.md": ARTICLES["news/b.md"]
                .replace("Harbour story", "Other story")
                .replace("same-id", "other-id")
            },
        )
    return read_settings(
        path=None,
        override={
            **BASE_SETTINGS,
            "PATH": str(content),
            "OUTPUT_PATH": str(tmp_path / "out"),
            "CACHE_PATH": str(tmp_path / "cache"),
            **extra,
        },
    )


@pytest.mark.parametrize("layer", ["reader", "generator"])
def test_content_cache_gives_identical_output(tmp_path, layer):
    settings = _settings(
        tmp_path, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CONTENT_CACHING_LAYER=layer
    )
    Pelican(settings).run()
    first = _snapshot(tmp_path / "out")
    assert (tmp_path / "cache").exists()
    problems_first = list(plugin.STATE.report)
    Pelican(
        _settings(
            tmp_path, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CONTENT_CACHING_LAYER=layer
        )
    ).run()
    assert _snapshot(tmp_path / "out") == first
    assert list(plugin.STATE.report) == problems_first
    assert "Agency" in first["yaml-story.html"].decode()


def test_three_rebuilds_in_one_process_are_identical_and_receivers_connect_once(tmp_path):
    pelican = Pelican(_settings(tmp_path))
    snapshots = []
    for _ in range(3):
        pelican.run()
        snapshots.append(_snapshot(tmp_path / "out"))
        Pelican(_settings(tmp_path))  # registers the plugin again, as a settings reload does
    assert snapshots[0] == snapshots[1] == snapshots[2]
    connected = [
        r
        for r in signals.content_object_init.receivers.values()
        if getattr(r, "__name__", "") == "build_model" or "build_model" in repr(r)
    ]
    assert len(connected) == 1
