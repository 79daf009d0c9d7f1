"""Speed of ``xl-campaign check``, as the figures and ratios issue 3 asks for, measured in one run.

Run: python benchmarks/bench_check.py [--quick]

1. one example workbook in-process (read + all rules) vs python-calamine's raw read of it   target <= 2.5x
2. ``xl-campaign check`` as a fresh process on one workbook (wall)                            target <= 0.35 s
3. 200 example-sized workbooks with ``--jobs 2`` (wall per file)                              target <= 30 ms
4. a Daily KPI sheet of 100,000 rows: fresh-process wall and peak memory                     target <= 2 s, 300 MB
5. side by side on the same workbook, in-process: ``frictionless`` validation of every sheet
   (types only, sheet by sheet) and a reader built on openpyxl read_only                     target >= 10x, >= 5x
Exit code 1 when a target is missed.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from common import (  # benchmarks/common.py (this folder is on the path when a script runs)
    raw_calamine,
    timings,
)

TARGETS = {"in_process_ratio": 2.5, "fresh_process_s": 0.35, "batch_ms_per_file": 30.0, "kpi_100k_s": 2.0,
           "kpi_100k_mb": 300.0, "vs_frictionless": 10.0, "vs_openpyxl": 5.0}


def cli_command() -> list[str]:
    """The installed console script next to this interpreter (what a user runs), else ``python -m``."""
    script = Path(sys.executable).parent / ("xl-campaign.exe" if os.name == "nt" else "xl-campaign")
    return [str(script)] if script.exists() else [sys.executable, "-m", "xl_campaign.cli"]


def openpyxl_read_only(path: str) -> None:
    """A reader built on openpyxl read_only: every value of every sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def frictionless_sheets(path: str, sheets: list[str]) -> None:
    """frictionless validation of every sheet (it checks types per sheet, one sheet per resource)."""
    from frictionless import Resource, formats

    folder, name = os.path.split(path)  # frictionless refuses absolute paths as unsafe: give it a base path
    for sheet in sheets:
        report = Resource(name, basepath=folder, control=formats.ExcelControl(sheet=sheet)).validate()
        assert report.tasks and report.tasks[0].stats.get("rows") is not None, report.errors


def timed_process(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak MB of the process tree, exit code) of a fresh process, measured by a small parent."""
    probe = ("import resource, subprocess, sys, time\n"
             "start = time.perf_counter()\n"
             "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
             "wall = time.perf_counter() - start\n"
             "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
             "print(wall, peak, code)\n")
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    wall, peak, code = out.stdout.split()
    return float(wall), float(peak), int(code)


def big_kpi_workbook(folder: Path, rows: int = 100_000) -> Path:
    """The example campaign with 1,000 store channels and a Daily KPI sheet of ``rows`` rows (100 days × 1,000
    stores), written by the template writer and then given its big sheet part directly (openpyxl would need
    minutes for it)."""
    from xl_campaign.core.content import example
    from xl_campaign.io.template import write_workbook
    from xl_campaign.io.xlsx import read_workbook_xml

    content = example("en")
    launch = content.overview["launch"]
    days = max(1, rows // 1000)
    content.overview["end"] = launch + timedelta(days=days - 1)
    content.overview["as_of"] = launch + timedelta(days=days)
    stores = [f"Store {n:04d}" for n in range(1, 1001)]
    content.tables["channels"] += [{"name": s, "type": "Offline", "share": None, "target_impressions": 50_000,
                                    "target_clicks": 2_000, "target_conversions": 200, "target_revenue": 40_000}
                                   for s in stores]
    content.tables["kpi"] = content.tables["kpi"][:1]
    path = folder / "kpi-100k.xlsx"
    write_workbook(content, str(path))
    part = read_workbook_xml(str(path)).sheet_parts["Daily KPI"]
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read(part).decode("utf-8")
        tables = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/tables/")}
    first = re.search(r'<row r="4".*?</row>', sheet)
    assert first is not None
    template = first.group(0)
    epoch = date(1899, 12, 30)
    body = []
    for index in range(rows):
        r = 4 + index
        day = launch + timedelta(days=index // 1000)
        row = re.sub(r'r="([A-Z]+)4"', lambda m, r=r: f'r="{m[1]}{r}"', template).replace('<row r="4"', f'<row r="{r}"')
        row = re.sub(r'(<c r="A\d+"[^>]*>)<v>[^<]*</v>', lambda m, d=day: f"{m[1]}<v>{(d - epoch).days}</v>", row)
        row = re.sub(r"(<c r=\"B\d+\"[^>]*><is><t>)[^<]*(</t>)", lambda m, i=index: f"{m[1]}{stores[i % 1000]}{m[2]}",
                     row)
        body.append(row)
    sheet = sheet.replace(template, "".join(body))
    sheet = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:H{rows + 3}"', sheet)
    patched = {part: sheet.encode("utf-8")}
    for name, text in tables.items():
        if 'name="KPI"' in text or "displayName=\"KPI\"" in text:
            patched[name] = re.sub(r'ref="A3:H\d+"', f'ref="A3:H{rows + 3}"', text).encode("utf-8")
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist() if info.filename not in patched]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, data)
        for name, data in patched.items():
            out.writestr(name, data)
    return path


def best_time(fn: Callable[[], object], repeat: int) -> float:
    return timings(fn, repeat)[0]


def breakdown(path: str, raw: float, repeat: int) -> str:
    """Where the in-process check's time goes, each stage timed alone (run in sequence they cost more: they
    evict each other's code and data from the CPU caches), as a share of the raw read."""
    from xl_campaign.core.rules import run_rules
    from xl_campaign.io.reader import read_plan
    from xl_campaign.io.xlsx import read_small, scan_package

    data = read_small(path)
    scan = best_time(lambda: scan_package(path, data), repeat)
    read = best_time(lambda: read_plan(path, data), repeat)
    plan = read_plan(path, data)
    rules = best_time(lambda: run_rules(plan), repeat)
    return (f"stages alone: package scan {scan * 1000:.2f} ms ({scan / raw:.2f}x), calamine + reading into "
            f"models {(read - scan) * 1000:.2f} ms ({(read - scan) / raw:.2f}x), rules {rules * 1000:.2f} ms "
            f"({rules / raw:.2f}x)")


def main(argv: list[str]) -> int:
    from xl_campaign.app.check import check_file
    from xl_campaign.core.content import example
    from xl_campaign.io.reader import read_plan
    from xl_campaign.io.template import write_workbook

    quick = "--quick" in argv
    repeat = 10 if quick else 30
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        folder = Path(tmp)
        path = str(folder / "example.xlsx")
        write_workbook(example("zh"), path)
        sheets = read_plan(path).sheet_names

        raw = best_time(lambda: raw_calamine(path), repeat)
        ours = best_time(lambda: check_file(path), repeat)
        results["in_process_ratio"] = ours / raw
        print(f"1. example workbook in-process: check {ours * 1000:.2f} ms, python-calamine raw read "
              f"{raw * 1000:.2f} ms -> {ours / raw:.2f}x (target <= {TARGETS['in_process_ratio']}x)")
        print("   " + breakdown(path, raw, repeat * 3))

        command = cli_command()
        walls = [timed_process([*command, "check", path, "--format", "json"])[0] for _ in range(3 if quick else 7)]
        results["fresh_process_s"] = statistics.median(walls)
        print(f"2. fresh process `xl-campaign check` on one workbook: {statistics.median(walls):.3f} s wall "
              f"(min {min(walls):.3f}; target <= {TARGETS['fresh_process_s']} s)")

        batch = folder / "batch"
        batch.mkdir()
        count = 50 if quick else 200
        for n in range(count):
            shutil.copy(path, batch / f"campaign-{n:03d}.xlsx")
        wall, _, _ = timed_process([*command, "check", str(batch), "--jobs", "2", "--format", "json"])
        per_file = wall / count * 1000
        results["batch_ms_per_file"] = per_file
        print(f"3. {count} workbooks with --jobs 2: {wall:.2f} s wall, {per_file:.1f} ms per file "
              f"(target <= {TARGETS['batch_ms_per_file']} ms)")

        started = time.perf_counter()
        big = big_kpi_workbook(folder, 20_000 if quick else 100_000)
        built = time.perf_counter() - started
        in_process = best_time(lambda: check_file(big), 1 if quick else 3)
        wall, peak, _ = timed_process([*command, "check", str(big), "--format", "json", "--jobs", "1"])
        results["kpi_100k_s"], results["kpi_100k_mb"] = wall, peak
        rows = 20_000 if quick else 100_000
        print(f"4. Daily KPI of {rows:,} rows (built in {built:.1f} s): fresh process {wall:.2f} s wall, peak "
              f"{peak:.0f} MB (in-process check {in_process:.2f} s; targets <= {TARGETS['kpi_100k_s']} s, "
              f"<= {TARGETS['kpi_100k_mb']:.0f} MB)")

        friction = best_time(lambda: frictionless_sheets(path, sheets), 3 if quick else 5)
        read_only = best_time(lambda: openpyxl_read_only(path), 5 if quick else 10)
        results["vs_frictionless"] = friction / ours
        results["vs_openpyxl"] = read_only / ours
        print(f"5. same workbook: frictionless (every sheet) {friction * 1000:.1f} ms = {friction / ours:.1f}x ours "
              f"(target >= {TARGETS['vs_frictionless']}x); openpyxl read_only reader {read_only * 1000:.1f} ms = "
              f"{read_only / ours:.1f}x ours (target >= {TARGETS['vs_openpyxl']}x)")

    missed = [k for k, v in results.items()
              if (v < TARGETS[k] if k.startswith("vs_") else v > TARGETS[k])]
    print("all targets met" if not missed else "missed: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
