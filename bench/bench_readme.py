"""Time `nexus import README.md` on large generated READMEs; print the figures.

    python bench/bench_readme.py [--bullets 10000] [--runs 3] [--nexus PATH]

Three READMEs are generated: a flat list of `--bullets` technologies, the same
number of challenges as `**Challenge:** / **Solution:**` pairs, and a list
nested 3,000 levels deep (which must be flattened, never a RecursionError).
Each is parsed in-process (`parse_readme`, the median of --runs runs) and
imported end to end with `nexus import --dry-run` into a fresh journal. The
target is under 2 s for the 10,000-bullet README.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nexus_cli.core.convert.markdown_import import parse_readme

TARGET_SECONDS = 2.0


def readmes(bullets: int) -> dict[str, str]:
    flat = "# Big\n\n## Key Technologies Covered\n\n" + "".join(
        f"- **Tool {i}**: what week {i % 12} was about\n" for i in range(bullets)
    )
    challenges = "# Big\n\n## Challenges and Solutions\n\n" + "".join(
        f"- **Challenge:** Problem number {i} took a day.  \n  **Solution:** Fixed it in step {i}.\n"
        for i in range(bullets)
    )
    # 3,000 list markers on one line nest 3,000 lists without 9 MB of indentation.
    deep = "# Deep\n\n## Technologies\n\n" + "- " * 3000 + "deepest\n\n- Go\n"
    return {
        f"{bullets} technology bullets": flat,
        f"{bullets} challenges": challenges,
        "3,000-level list": deep,
    }


def median_parse(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        parse_readme(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cli_import(nexus: str, path: Path, journal: Path) -> tuple[float, float]:
    """Return wall-clock and CPU seconds of one `nexus import --dry-run` (CPU says more on a busy machine)."""
    env = {**os.environ, "NEXUS_JOURNAL": str(journal), "NO_COLOR": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [nexus, "import", str(path), "--dry-run"], env=env, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"nexus import failed on {path.name}: {done.stderr.decode()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bullets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--nexus", default=shutil.which("nexus") or str(Path(sys.executable).parent / "nexus")
    )
    args = parser.parse_args()
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print("| README | size | parse (median) | `nexus import --dry-run` wall | CPU | target (< 2 s) |")
    print("|---|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "journal.toml"
        subprocess.run(
            [args.nexus, "init"],
            env={**os.environ, "NEXUS_JOURNAL": str(journal)},
            capture_output=True,
            check=True,
        )
        for label, text in readmes(args.bullets).items():
            path = Path(folder) / "README.md"
            path.write_text(text, encoding="utf-8")
            parsed = median_parse(text, args.runs)
            whole, cpu = cli_import(args.nexus, path, journal)
            verdict = "" if "bullets" not in label else ("meets" if whole < TARGET_SECONDS else "misses")
            size = f"{len(text) // 1024} KiB"
            print(f"| {label} | {size} | {parsed:.2f} s | {whole:.2f} s | {cpu:.2f} s | {verdict} |")


if __name__ == "__main__":
    main()
