"""The command line (:mod:`pelican_newsroom.cli`): arguments, exit statuses, reports, help.

What ``check`` finds is tested in ``test_check.py``, ``ping`` in ``test_websub.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pelican_newsroom
from pelican_newsroom.cli import build_parser, main
from tests.conftest import REPO
from tests.import_support import SITE


def test_version(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out == f"pelican-newsroom {pelican_newsroom.__version__}\n"
    script = Path(sys.executable).with_name("pelican-newsroom")
    result = subprocess.run(
        [str(script), "--version"],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    assert result.stdout == f"pelican-newsroom {pelican_newsroom.__version__}\n"


def test_dry_run_writes_nothing(
    tmp_path: Path, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported"
    status = main(["import", feeds["rss"], "--output", str(out), "--dry-run"])
    assert status == 0
    assert not out.exists()
    printed = capsys.readouterr().out
    assert "would be new" in printed and "dry run: nothing was written" in printed


def test_cli_json_report_has_a_fixed_shape(
    tmp_path: Path, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "imported"
    status = main(
        [
            "import",
            feeds["broken"],
            feeds["json"],
            str(tmp_path / "missing.xml"),
            "--output",
            str(out),
            "--output-format",
            "json",
            "--limit",
            "5",
        ]
    )
    assert status == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"ok", "dry_run", "output", "totals", "sources"}
    assert set(report["sources"][0]) == {
        "source",
        "name",
        "ok",
        "error",
        "not_modified",
        "counts",
        "items",
    }
    assert set(report["sources"][0]["items"][0]) == {"action", "id", "title", "file", "message"}
    assert report["ok"] is False
    assert report["totals"]["failed_sources"] == 1
    assert len(report["sources"][0]["items"]) == 5  # --limit
    assert "cannot read file" in report["sources"][2]["error"]


def test_cli_settings_give_output_folder_and_since(
    tmp_path: Path, feeds: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        f'PATH = "content"\nSITEURL = "{SITE}"\nTIMEZONE = "Europe/Berlin"\nNEWSROOM_IMPORT_PATH = "wire"\n',
        encoding="utf-8",
    )
    status = main(
        ["import", feeds["rss"], "-s", str(conf), "--since", "2020-04-08", "--format", "md"]
    )
    assert status == 0
    [written] = (content / "wire").glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("title: Night closures extended at the container terminal\n")
    assert (
        "via: Port Bulletin <https://port-bulletin.example/closures>\n    Harbour Gazette <" in text
    )
    assert "older than since 2020-04-08" in capsys.readouterr().out
    assert main(["import", feeds["rss"], "-s", str(conf), "--since", "someday"]) == 2
    assert main(["import", "-s", str(conf)]) == 2


def test_every_import_option_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Importing feeds", 1)[1].split("\n## ", 1)[0]
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    parser = commands.choices["import"]  # type: ignore[attr-defined]
    options_shown = {
        o for action in parser._actions for o in action.option_strings if o.startswith("--")
    }
    assert options_shown - {"--help"} <= {o for o in options_shown if o in section}
