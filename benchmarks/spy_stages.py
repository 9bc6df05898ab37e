"""Where a build's wall time goes, from a sampling profile (py-spy's raw output).

cProfile (``profile_build.py``) charges every Python call, so it inflates code made of
many small calls (Pelican's own, dateutil) against code that spends its time in C
(lxml, regular expressions, file writes): the two modes do not compare well under it.
A sampling profiler does not change the program's speed. Record one build per mode::

    pip install py-spy   # not a project dependency
    py-spy record -r 200 -f raw -o out/spy-plugin.txt -- \\
        .venv/bin/python -m benchmarks.build plugin out/site-2000-7/content out/spy-build
    .venv/bin/python -m benchmarks.spy_stages out/spy-plain.txt out/spy-plugin.txt

and this prints, per file, the share of samples in each stage of ``Pelican.run`` (the
two frames below it) and the functions that were on top of the stack most often.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE_NUMBER_RE = re.compile(r":\d+\)")


def stacks(path: Path) -> list[tuple[list[str], int]]:
    """``(frames, samples)`` per line of a py-spy raw (collapsed stack) file."""
    result = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_LINE_NUMBER_RE.sub(")", frame) for frame in stack.split(";")]
        result.append((frames, int(count)))
    return result


def stage(frames: list[str]) -> str:
    """The two frames under ``Pelican.run`` (the build stage), or where the sample was."""
    for index, frame in enumerate(frames):
        if frame.startswith("Pelican.run"):
            return " > ".join(frames[index + 1 : index + 3]) or "Pelican.run"
    return "(outside Pelican.run: start-up, imports)"


def report(path: Path, rate: float, top: int) -> None:
    samples = stacks(path)
    total = sum(count for _frames, count in samples)
    by_stage: Counter[str] = Counter()
    on_top: Counter[str] = Counter()
    for frames, count in samples:
        by_stage[stage(frames)] += count
        on_top[frames[-1]] += count
    print(f"{path}: {total} samples, {total / rate:.1f} s")
    for title, counter in (("stages", by_stage), ("on top of the stack", on_top)):
        print(f"  {title}:")
        for name, count in counter.most_common(top):
            print(f"    {count / rate:6.2f} s {100 * count / total:5.1f} %  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Stages of builds from py-spy raw profiles.")
    parser.add_argument("profiles", type=Path, nargs="+")
    parser.add_argument("--rate", type=float, default=200.0, help="py-spy's -r (samples/s)")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    for path in args.profiles:
        report(path, args.rate, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
