"""``pelican-newsroom check`` on a generated site, against the time of a full build.

``check`` is run as users run it, in its own process (interpreter start and
imports included), ``--repeats`` times; the median is compared with the
median plugin build time that ``benchmarks/run.py`` recorded for the same
size in ``benchmarks/out/results.json`` (or ``--build-seconds``).  It
should read headers only, so it must take at most a tenth of a build.

    .venv/bin/python -m benchmarks.check_bench --size 8000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.run import HERE, OUT, site


def settings_file(folder: Path) -> Path:
    """A settings file with the benchmark site's time zone (dates without a zone use it)."""
    path = folder / "check-settings.py"
    path.write_text('TIMEZONE = "America/New_York"\nSITEURL = "https://news.example.org"\n')
    return path


def check_once(content: Path, settings: Path) -> tuple[float, dict[str, object]]:
    command = [sys.executable, "-m", "pelican_newsroom", "check", str(content), "-s", str(settings)]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "--format", "json"], cwd=HERE.parent, capture_output=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode not in {0, 1}:
        raise SystemExit(f"check failed:\n{done.stderr.decode()[-3000:]}")
    report: dict[str, object] = json.loads(done.stdout)
    return wall, report


def recorded_build(size: int, results: Path) -> float | None:
    if not results.is_file():
        return None
    medians = json.loads(results.read_text()).get("medians", {})
    row = medians.get(str(size), {}).get("plugin")
    return float(row["wall"]) if row else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `pelican-newsroom check` against a build.")
    parser.add_argument("--size", type=int, default=8000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=OUT / "results.json")
    parser.add_argument("--build-seconds", type=float, help="compare with this build time instead")
    args = parser.parse_args(argv)
    content = site(args.size, args.seed)
    settings = settings_file(content.parent)
    walls = []
    for _ in range(args.repeats):
        wall, report = check_once(content, settings)
        walls.append(wall)
        print(f"  check: {wall:.2f} s, {report['files']} files, {len(report['problems'])} problems")  # type: ignore[arg-type]
    median = statistics.median(walls)
    print(
        f"check on {args.size} articles: median {median:.2f} s (min {min(walls):.2f}, max {max(walls):.2f})"
    )
    build = args.build_seconds or recorded_build(args.size, args.results)
    if build:
        print(f"  plugin build {build:.2f} s: check / build = {median / build:.3f} (target <= 0.1)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
