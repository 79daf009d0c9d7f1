"""Cold start: a fresh ``xl-campaign check`` of one workbook against a fresh python-calamine read of the same file,
without a policy file and with one (``xl-campaign.toml`` beside the workbook). A policy file is validated by
pydantic the first time xl-campaign sees it (and after each change); its values are then cached, so later fresh
processes read them without importing pydantic. Both are measured: the cached case against the target, the first
validation (``XL_CAMPAIGN_NO_CACHE=1``) printed beside it.

All are fresh processes started the same way (this Python, ``-c``/``-m``), run in interleaved rounds so that the
machine's load hits them alike; each figure is the median of the per-round ratios. Target (issue 14): <= 6x, in
both cases (issue 15).

    python benchmarks/bench_cold.py [--pairs 15] [--file WORKBOOK]

Also printed: the imports a fresh ``check`` pays for (``-X importtime``, the largest cumulative ones), to show
where the time goes. Exits 1 when a target is missed.
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

TARGET = 6.0
ROOT = Path(__file__).resolve().parent.parent
CALAMINE = ("import sys, python_calamine\n"
            "wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
            "for name in wb.sheet_names:\n"
            "    wb.get_sheet_by_name(name).to_python(skip_empty_area=False)\n")
# A team's policy file as a real team would write one: every kind of setting, so that all of it is validated.
POLICY = """select = ["WB", "OWN", "DATE", "BUD", "KPI", "MAT"]
ignore = ["DATE016"]
fail-on = "warning"

[severity]
BUD001 = "error"

[per-file-ignores]
"archive/*" = ["KPI008"]

[thresholds]
reserve-range = ["8%", "12%"]
channel-split = { "短视频平台" = 0.6, KOL = 0.3, "公众号" = 0.1 }
pacing-tolerance = 0.85
overdue-grace-days = 1
currency = "CNY"
week-start = "monday"

[thresholds.stage-windows]
warmup = [3, 7]
review-within = 7
"""


def wall(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--file", help="the workbook (default: the bundled Chinese example)")
    args = parser.parse_args()
    source = args.file or str(ROOT / "workbook" / "example_zh.xlsx")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # nothing in the working folder is imported
        # copies outside the repository: no pyproject.toml above the plain one, a policy file beside the other
        plain, team = Path(folder, "plain"), Path(folder, "team")
        plain.mkdir()
        team.mkdir()
        name = os.path.basename(source)
        shutil.copy(source, plain / name)
        shutil.copy(source, team / name)
        (team / "xl-campaign.toml").write_text(POLICY, encoding="utf-8")
        commands = {
            "check": [sys.executable, "-m", "xl_campaign.cli", "check", str(plain / name)],
            "check with a policy file": [sys.executable, "-m", "xl_campaign.cli", "check", str(team / name)],
            "check with a policy file, validated (first run)": [sys.executable, "-m", "xl_campaign.cli", "check",
                                                                 str(team / name)],
            "read": [sys.executable, "-c", CALAMINE, str(plain / name)],
        }
        env = dict(env, XL_CAMPAIGN_CACHE_DIR=str(Path(folder, "cache")))
        envs = {key: env for key in commands}
        envs["check with a policy file, validated (first run)"] = dict(env, XL_CAMPAIGN_NO_CACHE="1")
        for key, command in commands.items():  # warm the disk cache, the bytecode cache and the policy cache
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=envs[key], check=False)
        times: dict[str, list[float]] = {key: [] for key in commands}
        order = list(commands)
        for index in range(args.pairs):
            for key in order[index % len(order):] + order[:index % len(order)]:  # each command first in turn
                times[key].append(wall(commands[key], envs[key]))
        median_read = statistics.median(times["read"])
        ok = True
        for key in order[:-1]:
            ratio = statistics.median(c / r for c, r in zip(times[key], times["read"], strict=True))
            target = key != "check with a policy file, validated (first run)"
            ok = ok and (ratio <= TARGET or not target)
            print(f"fresh `xl-campaign {key}` {statistics.median(times[key]) * 1000:.0f} ms · fresh calamine read "
                  f"{median_read * 1000:.0f} ms · median ratio of {args.pairs} interleaved rounds {ratio:.2f}x "
                  + (f"(target <= {TARGET}x)" if target else "(no target: once per new or changed file)"))
        key = "check with a policy file, validated (first run)"
        timing = subprocess.run([sys.executable, "-X", "importtime", *commands[key][1:]], capture_output=True,
                                text=True, env=envs[key], check=False).stderr
    rows = []
    for line in timing.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    top = [r for r in sorted(rows, reverse=True) if not r[1].startswith(" ")][:8]
    print("largest imports when a policy file is validated (cumulative ms): "
          + ", ".join(f"{name.strip()} {us / 1000:.0f}" for us, name in top))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
