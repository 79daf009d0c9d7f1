"""The ribbon button's cost in calls into Excel: Check & Update of the example workbook (zh and en), counted at the
engine boundary of xlwings (tests/xlwings_memory.py: each property read or write and each method of the engine
objects that xlwings' ``Book``/``Sheet``/``Range`` classes or xl-campaign's code use; each ``.api`` step).

On Windows every such call is a COM round trip into Excel, on macOS an AppleScript event, so the count — not the
Python time — is what a user waits for. The sheets are copied from a helper workbook (``excel/transfer.py``); the
count when Excel cannot open it (each format set through xlwings) is printed too, for information. Target: at most
300 calls per press, on the first press (the three sheets are created), on the second (they are cleared and
rewritten in place, their sheet settings unchanged) and on a third after the plan grew (sixty days of daily numbers,
sixteen channels: the settings that changed — the Gantt's and the Summary's print setup, scale, print area and page
breaks, the Issues' filter range — are set again), with Windows' native extras ("com": print setup, frozen panes, …)
and without them (macOS).

Run: python benchmarks/bench_excel.py [--top N]     (exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/xlwings_memory.py, the in-memory engine

TARGET = 300  # calls per press


def press_counts(lang: str, native: str | None, top: int, helper: bool = True
                 ) -> list[tuple[str, int, float, list[tuple[str, int]]]]:
    """(press, calls, seconds, the most called members) for three presses on a fresh copy of the example, the third
    after the plan grew; without ``helper`` as when Excel cannot open the helper workbook (the sheets written
    property by property)."""
    from python_calamine import CalamineWorkbook

    from tests import xlwings_memory as M
    from tests.sheet_pictures import grown_campaign
    from xl_campaign.excel import main as excel_main
    from xl_campaign.excel import transfer, xlwings_writer
    from xl_campaign.io.template import write_workbook

    out = []
    with tempfile.TemporaryDirectory() as folder, M.active_engine() as engine:
        path = Path(folder) / f"campaign_{lang}.xlsx"
        shutil.copy(ROOT / "workbook" / f"example_{lang}.xlsx", path)
        names = tuple(CalamineWorkbook.from_path(str(path)).sheet_names)
        book = M.new_book(path.name, str(path), names)
        original, original_helper = xlwings_writer.native_platform, transfer.open_helper
        xlwings_writer.native_platform = lambda: native  # type: ignore[assignment]
        if not helper:
            transfer.open_helper = lambda *args, **kwargs: None  # type: ignore[assignment]
        try:
            for press in ("first", "second", "grown"):
                if press == "grown":
                    write_workbook(grown_campaign(lang), str(path), force=True)  # the user's plan grew, saved
                engine.calls.clear()
                start = time.perf_counter()
                outcome = excel_main.run(book, show=True)
                seconds = time.perf_counter() - start
                if not outcome.ok:
                    raise SystemExit(f"the press failed: {outcome.message}")
                out.append((press, engine.total_calls, seconds, engine.calls.most_common(top)))
        finally:
            xlwings_writer.native_platform = original  # type: ignore[assignment]
            transfer.open_helper = original_helper  # type: ignore[assignment]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=8, help="show the N most called engine members")
    args = parser.parse_args()
    worst = 0
    for lang in ("zh", "en"):
        for native, platform in (("com", "Windows"), (None, "macOS")):
            for press, calls, seconds, common in press_counts(lang, native, args.top):
                worst = max(worst, calls)
                print(f"{lang} {platform:<7} {press:<6} press: {calls} calls  (Python side {seconds:.2f} s)")
                if args.top:
                    print("    " + ", ".join(f"{name} {count}" for name, count in common))
    verdict = "ok" if worst <= TARGET else "MISSED"
    print(f"most calls in one press: {worst} (target ≤ {TARGET}) {verdict}")
    fallback = {platform: press_counts("zh", native, 0, helper=False) for native, platform in (("com", "Windows"),
                                                                                               (None, "macOS"))}
    print("when Excel cannot open the helper workbook (property by property; not the target): " + ", ".join(
        f"{platform} {max(calls for press, calls, _, _ in counts if press != 'grown')} "
        f"(the grown plan {next(calls for press, calls, _, _ in counts if press == 'grown')})"
        for platform, counts in fallback.items()))
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
