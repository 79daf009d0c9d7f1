"""Speed of ``xl-campaign rollup`` against ``xl-campaign check`` on the same set of workbooks, in one run.

Run: python benchmarks/bench_rollup.py [--files N] [--jobs J] [--repeat R]

The set: N (default 500) example-sized workbooks — the bundled zh and en examples and variants of them with other
names, budgets and daily numbers — plus, as in a real folder, one broken file. Both commands run as fresh
processes on the same folder with the same ``--jobs`` (default 2), alternately, R times (default 5). The ratio
is taken on the best (minimum) wall time of each, the figure least disturbed by other work on the machine; the
medians and the CPU time (user + system of the command and its workers) are printed beside it. ``rollup`` does what ``check`` does (same pool, same reads, same rules) plus the campaign
facts in each worker and the portfolio workbook at the end.

Target: rollup / check <= 1.3. Exit code 1 when it is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.3
VARIANTS = 8  # distinct workbooks written; the rest of the set are copies of them


def make_set(folder: Path, count: int) -> None:
    """``count`` example-sized workbooks (and one broken file) in ``folder``."""
    from xl_campaign.core.content import example
    from xl_campaign.io.template import write_workbook

    sources = []
    for index in range(VARIANTS):
        lang = "zh" if index % 2 == 0 else "en"
        content = example(lang)
        content.overview["name"] = f"{content.overview['name']} #{index}"
        content.overview["total_budget"] = 500000 + 25000 * index
        for row in content.tables.get("kpi", []):
            if isinstance(row.get("revenue"), int | float):
                row["revenue"] = row["revenue"] * (0.6 + 0.1 * index)
        path = folder / f"variant-{index}.xlsx"
        write_workbook(content, str(path))
        sources.append(path)
    for index in range(count - VARIANTS):
        shutil.copy(sources[index % VARIANTS], folder / f"campaign-{index:04d}.xlsx")
    (folder / "zz-broken.xlsx").write_text("not a workbook\n", encoding="utf-8")


def run(args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one fresh ``xl-campaign`` process, its workers included in the CPU time."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-rollup-") as tmp:
        folder = Path(tmp) / "campaigns"
        folder.mkdir()
        make_set(folder, options.files)
        files = len(os.listdir(folder))
        jobs = ["--jobs", str(options.jobs)]
        check_args = ["check", str(folder), *jobs, "--format", "json", "-o", str(Path(tmp) / "check.json")]
        rollup_args = ["rollup", str(folder), *jobs, "-o", str(Path(tmp) / "portfolio.xlsx"), "--force"]
        run(check_args)  # warm the file cache once
        check_runs, rollup_runs = [], []
        for _ in range(options.repeat):
            check_runs.append(run(check_args))
            rollup_runs.append(run(rollup_args))
        portfolio = (Path(tmp) / "portfolio.xlsx").stat().st_size
    check_s, rollup_s = min(w for w, _ in check_runs), min(w for w, _ in rollup_runs)
    check_cpu, rollup_cpu = min(c for _, c in check_runs), min(c for _, c in rollup_runs)
    ratio = rollup_s / check_s
    print(f"set: {files} files ({options.files} example-sized workbooks + 1 broken), --jobs {options.jobs}, "
          f"{options.repeat} fresh processes each, alternately")
    for name, best, cpu, runs in (("check ", check_s, check_cpu, check_runs), ("rollup", rollup_s, rollup_cpu,
                                                                              rollup_runs)):
        walls = [w for w, _ in runs]
        print(f"xl-campaign {name}: best {best:5.2f} s ({best / files * 1000:4.1f} ms per file), median "
              f"{statistics.median(walls):5.2f} s, CPU {cpu:5.2f} s   runs {', '.join(f'{w:.2f}' for w in walls)}")
    print(f"portfolio workbook: {portfolio / 1024:.0f} KB")
    print(f"CPU ratio rollup / check   : {rollup_cpu / check_cpu:5.2f}x")
    ok = ratio <= TARGET_RATIO
    print(f"wall ratio rollup / check  : {ratio:5.2f}x  (target <= {TARGET_RATIO}x)  {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
