"""Cold start: a fresh ``xl-campaign check`` of one workbook against a fresh python-calamine read of the same file.

Both are fresh processes started the same way (this Python, ``-c``/``-m``), run in interleaved pairs so that the
machine's load hits both alike; the figure is the median of the per-pair ratios. Target (issue 14): <= 6x.

    python benchmarks/bench_cold.py [--pairs 15] [--file WORKBOOK]

Also printed: the imports a fresh ``check`` pays for (``-X importtime``, the largest cumulative ones), to show
where the time goes. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 6.0
ROOT = Path(__file__).resolve().parent.parent
CALAMINE = ("import sys, python_calamine\n"
            "wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
            "for name in wb.sheet_names:\n"
            "    wb.get_sheet_by_name(name).to_python(skip_empty_area=False)\n")


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--file", help="the workbook (default: the bundled Chinese example)")
    args = parser.parse_args()
    path = args.file or str(ROOT / "workbook" / "example_zh.xlsx")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    check = [sys.executable, "-m", "xl_campaign.cli", "check", path]
    read = [sys.executable, "-c", CALAMINE, path]
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # nothing in the working folder is imported
        for command in (check, read):  # warm the disk cache and the bytecode cache
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        pairs = []
        for index in range(args.pairs):
            first, second = (check, read) if index % 2 == 0 else (read, check)
            a, b = wall(first), wall(second)
            t_check, t_read = (a, b) if first is check else (b, a)
            pairs.append((t_check, t_read))
        ratios = [c / r for c, r in pairs]
        median_check = statistics.median(c for c, _ in pairs)
        median_read = statistics.median(r for _, r in pairs)
        ratio = statistics.median(ratios)
        print(f"fresh `xl-campaign check` {median_check * 1000:.0f} ms · fresh calamine read {median_read * 1000:.0f} ms"
              f" · median ratio of {len(pairs)} interleaved pairs {ratio:.2f}x (target <= {TARGET}x)")
        timing = subprocess.run([sys.executable, "-X", "importtime", *check[1:]], capture_output=True, text=True,
                                check=False).stderr
    rows = []
    for line in timing.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    top = [r for r in sorted(rows, reverse=True) if not r[1].startswith(" ")][:8]
    print("largest imports (cumulative ms): " + ", ".join(f"{name.strip()} {us / 1000:.0f}" for us, name in top))
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
