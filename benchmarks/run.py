"""Plain Pelican vs the plugin on the same synthetic news site: wall time and peak memory.

For each size N the site is generated once (cached under ``benchmarks/out``),
then built ``--repeats`` times in each mode, alternating A B B A A B ... so
that drift in machine load falls on both modes alike.  Every build is its
own process: the wall time is measured around it, and its peak resident
memory comes from ``os.wait4`` (the child's own ``ru_maxrss``, not the
parent's).  Prints medians, min-max spread and the plugin/plain ratios, and
writes every sample to ``benchmarks/out/results.json``.

    .venv/bin/python -m benchmarks.run --sizes 500 2000 8000 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.gen_site import generate

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MODES = ("plain", "plugin")


@dataclass(frozen=True)
class Sample:
    """One build: which, wall and CPU (user + system) seconds, peak memory (MiB), load before.

    CPU time is reported next to wall time because it is much less sensitive
    to other processes competing for the two cores.
    """

    size: int
    mode: str
    wall: float
    cpu: float
    peak_mib: float
    load: float


def site(size: int, seed: int) -> Path:
    """The generated content folder for ``size`` articles (generated once per size and seed)."""
    root = OUT / f"site-{size}-{seed}"
    stamp = root / "generated.json"
    if not stamp.is_file():
        generate(size, root, seed)
        stamp.write_text(json.dumps({"size": size, "seed": seed}))
    return root / "content"


def warm_page_cache(content: Path) -> None:
    """Read every file once, so the first timed build does not pay for the disk."""
    for path in content.rglob("*.md"):
        path.read_bytes()


@dataclass(frozen=True)
class Measured:
    """A finished child process: wall and CPU seconds, peak RSS, exit status, output."""

    wall: float
    cpu: float
    peak_mib: float
    status: int
    stdout: bytes
    stderr: bytes


def measure(command: list[str]) -> Measured:
    """Run ``command`` from the repository root; ``os.wait4`` gives this child's own usage.

    Output goes to temporary files, not pipes: a child that fills a pipe
    nobody reads while we wait would never finish.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=HERE.parent, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            wall,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            process.returncode,
            out.read(),
            err.read(),
        )


def build_once(mode: str, content: Path, size: int, output: Path | None = None) -> Sample:
    """Build in a child process (into ``output``, emptied first); its wall time and peak RSS."""
    output = output or OUT / f"build-{size}-{mode}"
    shutil.rmtree(output, ignore_errors=True)
    load = os.getloadavg()[0]
    done = measure([sys.executable, "-m", "benchmarks.build", mode, str(content), str(output)])
    if done.status:
        raise SystemExit(f"{mode} build of {size} articles failed:\n{done.stderr.decode()[-3000:]}")
    return Sample(size, mode, done.wall, done.cpu, done.peak_mib, load)


def alternating(repeats: int) -> list[str]:
    """A B B A A B ...: each mode goes first equally often."""
    order: list[str] = []
    for index in range(repeats):
        order.extend(MODES if index % 2 == 0 else MODES[::-1])
    return order


def summarize(samples: list[Sample]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for mode in MODES:
        walls = [s.wall for s in samples if s.mode == mode]
        table[mode] = {
            "wall": statistics.median(walls),
            "wall_min": min(walls),
            "wall_max": max(walls),
            "cpu": statistics.median(s.cpu for s in samples if s.mode == mode),
            "peak_mib": statistics.median(s.peak_mib for s in samples if s.mode == mode),
        }
    return table


def report(size: int, table: dict[str, dict[str, float]], samples: list[Sample]) -> str:
    plain, plugin = table["plain"], table["plugin"]
    loads = [s.load for s in samples]
    lines = [
        f"N = {size}: {len(samples) // 2} builds per mode, 1-min load {min(loads):.1f}-{max(loads):.1f}"
    ]
    for mode in MODES:
        row = table[mode]
        spread = (row["wall_max"] - row["wall_min"]) / row["wall"] * 100
        lines.append(
            f"  {mode:6} wall median {row['wall']:6.2f} s (min {row['wall_min']:.2f}, max {row['wall_max']:.2f}, "
            f"spread {spread:.0f} %)  CPU median {row['cpu']:6.2f} s  peak RSS median {row['peak_mib']:6.1f} MiB"
        )
    lines.append(
        f"  plugin / plain: wall {plugin['wall'] / plain['wall']:.3f} x (target <= 1.05), "
        f"CPU {plugin['cpu'] / plain['cpu']:.3f} x, "
        f"peak memory {plugin['peak_mib'] / plain['peak_mib']:.3f} x (target <= 1.15)"
    )
    return "\n".join(lines)


def linearity(tables: dict[int, dict[str, dict[str, float]]]) -> str:
    if 2000 not in tables or 8000 not in tables:
        return ""
    lines = ["Linearity, build(8000) / build(2000) (target <= 4.2):"]
    for mode in MODES:
        wall = tables[8000][mode]["wall"] / tables[2000][mode]["wall"]
        cpu = tables[8000][mode]["cpu"] / tables[2000][mode]["cpu"]
        lines.append(f"  {mode:6} wall {wall:.2f}, CPU {cpu:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Plain Pelican vs pelican-newsroom, alternating builds."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--repeats", type=int, default=3, help="builds per mode and size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=OUT / "results.json")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    tables: dict[int, dict[str, dict[str, float]]] = {}
    every: list[Sample] = []
    for size in args.sizes:
        content = site(size, args.seed)
        warm_page_cache(content)
        samples = []
        for mode in alternating(args.repeats):
            sample = build_once(mode, content, size)
            print(
                f"  {size:5} {mode:6} {sample.wall:7.2f} s wall {sample.cpu:7.2f} s CPU "
                f"{sample.peak_mib:7.1f} MiB (load {sample.load:.1f})",
                flush=True,
            )
            samples.append(sample)
        tables[size] = summarize(samples)
        every.extend(samples)
        print(report(size, tables[size], samples), flush=True)
    summary = linearity(tables)
    if summary:
        print(summary)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(
            {"samples": [asdict(s) for s in every], "medians": tables, "cores": os.cpu_count()},
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
