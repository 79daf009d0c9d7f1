"""``update`` speed: the example workbook (target ≤ 1 s) and a Gantt of 2,000 tasks over 365 days built and written
(target ≤ 5 s), live (conditional formatting over the date header) against static fills.

Run: python benchmarks/bench_update.py          (exit 1 when a target is missed)
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from common import timings  # benchmarks/common.py (this folder is on the path when a script runs)

UPDATE_TARGET = 1.0  # seconds, the example workbook
GANTT_TARGET = 5.0  # seconds, 2,000 tasks over 365 days, built and written
GANTT_TASKS = 2000
GANTT_DAYS = 365


def big_plan(tasks: int = GANTT_TASKS, days: int = GANTT_DAYS) -> object:
    """A plan of ``tasks`` tasks spread over ``days`` days, every stage, 10% milestones, dependencies."""
    from xl_campaign.core.model import Overview, Plan, TableInfo, Task
    from xl_campaign.core.schedule import STAGE_ORDER

    rng = random.Random(4)
    launch = date(2025, 1, 1)
    plan = Plan(overview=Overview(name="Year-long programme", launch=launch, end=launch + timedelta(days=days - 1),
                                  as_of=launch + timedelta(days=days // 2)), lang="en")
    statuses = ("not_started", "in_progress", "done", "blocked", "cancelled")
    for index in range(tasks):
        start = launch + timedelta(days=rng.randrange(days - 30))
        task = Task(row=4 + index, id=f"T{index + 1:04d}", stage=STAGE_ORDER[index * len(STAGE_ORDER) // tasks],
                    task=f"Task number {index + 1}", owner=[f"Owner {index % 37}"], start=start,
                    end=start + timedelta(days=rng.randrange(1, 30)), status=rng.choice(statuses),
                    progress=Decimal(rng.randrange(0, 11)) / 10, milestone=index % 10 == 0,
                    depends_on=[f"T{index:04d}"] if index and index % 3 == 0 else [])
        plan.tasks.append(task)
    plan.tables["tasks"] = TableInfo("tasks", "Tasks", 3, {"id": 1, "start": 7, "end": 8, "progress": 10}, "table")
    return plan


def gantt_once(plan: object, folder: str, live: bool) -> tuple[float, int, int]:
    """Build the model and the sheet, render with openpyxl, save: (seconds, file bytes, columns)."""
    from openpyxl import Workbook

    from xl_campaign.core.gantt import build_gantt
    from xl_campaign.core.sheets.gantt import gantt_sheet
    from xl_campaign.io.writer import render

    start = time.perf_counter()
    model = build_gantt(plan, plan.overview.as_of)  # type: ignore[attr-defined]
    doc = gantt_sheet(plan, model, "en", name="Gantt", live=live)  # type: ignore[arg-type]
    wb = Workbook()
    render(wb, doc)
    path = os.path.join(folder, f"gantt-{'live' if live else 'static'}.xlsx")
    wb.save(path)
    return time.perf_counter() - start, os.path.getsize(path), len(model.scale.columns)


def main() -> int:
    import xl_campaign.app.update  # noqa: F401  (imports are not what is measured in-process)
    from xl_campaign.app.update import update_workbook
    from xl_campaign.core.content import example
    from xl_campaign.io.template import write_workbook

    failed = False
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.xlsx"
        write_workbook(example("zh"), str(path))
        first = time.perf_counter()
        update_workbook(path, keep_backups=0)
        first_seconds = time.perf_counter() - first
        best, median = timings(lambda: update_workbook(path, keep_backups=1), 10, warm_up=False)
        fresh = Path(folder) / "fresh.xlsx"
        write_workbook(example("zh"), str(fresh))
        cli = shutil.which("xl-campaign")
        command = [cli] if cli else [sys.executable, "-m", "xl_campaign.cli"]
        start = time.perf_counter()
        subprocess.run([*command, "update", str(fresh), "--keep-backups", "0"], check=True, capture_output=True)
        process_seconds = time.perf_counter() - start
        print("update of the example workbook (validate, compute, write Gantt/Summary/Issues, verify, replace)")
        print(f"  in-process, first run            : {first_seconds * 1000:7.0f} ms")
        print(f"  in-process, median of 10 (backup): {median * 1000:7.0f} ms (min {best * 1000:.0f})"
              f"   ratio to target {median / UPDATE_TARGET:.2f}  (target <= {UPDATE_TARGET:.0f} s)")
        print(f"  fresh process `xl-campaign update`: {process_seconds * 1000:7.0f} ms"
              f"   ratio to target {process_seconds / UPDATE_TARGET:.2f}")
        failed |= median > UPDATE_TARGET or process_seconds > UPDATE_TARGET

        plan = big_plan()
        print(f"Gantt of {GANTT_TASKS} tasks over {GANTT_DAYS} days, built and written (openpyxl)")
        results = {}
        for live in (True, False):
            runs = [gantt_once(plan, folder, live) for _ in range(3)]
            seconds = statistics.median(r[0] for r in runs)
            results[live] = seconds
            label = "live (conditional formatting)" if live else "static fills                 "
            print(f"  {label}: {seconds:6.2f} s, {runs[0][1] / 1024:7.0f} KiB, {runs[0][2]} week columns"
                  f"   ratio to target {seconds / GANTT_TARGET:.2f}  (target <= {GANTT_TARGET:.0f} s)")
        print(f"  static / live time: {results[False] / results[True]:.1f}x")
        failed |= results[True] > GANTT_TARGET

        plan = big_plan(days=42)
        print(f"the same {GANTT_TASKS} tasks over 42 days (one column per day, weekends shaded)")
        day_results = {}
        for live in (True, False):
            runs = [gantt_once(plan, folder, live) for _ in range(3)]
            day_results[live] = statistics.median(r[0] for r in runs)
            label = "live (conditional formatting)" if live else "static fills                 "
            print(f"  {label}: {day_results[live]:6.2f} s, {runs[0][1] / 1024:7.0f} KiB, {runs[0][2]} day columns")
        print(f"  static / live time: {day_results[False] / day_results[True]:.1f}x")
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
