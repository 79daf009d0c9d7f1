"""Every sheet of the updated example, as LibreOffice prints it: ``docs/sheets/<lang>-<sheet>.png``.

``python -m tests.sheet_pictures`` writes the example (zh and en), updates it, prints it to PDF with LibreOffice
(one run per workbook), finds each page's sheet by its footer (the tool's footers start with the sheet name) and
turns the pages into PNGs — the first page of each sheet, and ``-2``, ``-3`` … for the pages after it.
``docs/sheets/manifest.json`` records a fingerprint of what each sheet holds; ``tests/test_print.py`` fails when a
sheet has changed since its picture was made (run this module again).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PICTURES = ROOT / "docs" / "sheets"
MANIFEST = PICTURES / "manifest.json"
DPI = 100  # 11-point text at a 70% print scale is still about 10 pixels tall


def sheet_keys(lang: str) -> dict[str, str]:
    """Sheet name in ``lang`` -> a stable key for file names (``tasks``, ``gantt`` …)."""
    from xl_campaign.core import spec as S

    keys = {spec.name(lang): spec.key for spec in S.INPUT_SPECS}
    for sheet in (S.GUIDE, *S.GENERATED_SHEETS):
        keys[sheet.name(lang)] = sheet.key
    return keys


def updated_example(lang: str, folder: Path) -> Path:
    """The example workbook in ``lang``, written and updated (on its own status date)."""
    from xl_campaign.app.update import update_workbook
    from xl_campaign.core.content import example
    from xl_campaign.io.template import write_workbook

    path = folder / f"example_{lang}.xlsx"
    write_workbook(example(lang), str(path))
    update_workbook(path, keep_backups=0)
    return path


def long_campaign(lang: str, days: int = 60) -> Any:
    """The example's team, channels, budget, goals, review and touchpoints on a ``days``-day campaign (launch
    2025-03-03) with its starter tasks, owned, and daily numbers for every channel from five days before the launch
    to the status date, two thirds in: the Summary's per-day table then runs over the whole campaign."""
    from datetime import date, timedelta

    from xl_campaign.core.content import example, starter

    content = example(lang)
    launch = date(2025, 3, 3)
    end = launch + timedelta(days=days - 1)
    as_of = launch + timedelta(days=days * 2 // 3)
    content.overview.update(launch=launch, end=end, as_of=as_of, name=f"{days}-day campaign")
    team = [row["name"] for row in content.tables["team"]]
    tasks = starter(lang, "plan", launch, days).tables["tasks"]
    for index, task in enumerate(tasks):
        task["owner"] = team[index % len(team)]
    content.tables["tasks"] = tasks
    content.tables["materials"] = []
    for item in content.tables["review"]:
        item["due"] = end + timedelta(days=7)
    channels = [(row["name"], 30_000 // (index + 1), 0.03 + 0.005 * index, 0.1 + 0.02 * index)
                for index, row in enumerate(content.tables["channels"])]
    rows = []
    day = launch - timedelta(days=5)
    while day <= as_of:
        wave = 1 + 0.3 * ((day - launch).days % 7) / 6
        for index, (name, impressions, ctr, cvr) in enumerate(channels):
            if day < launch and index:
                continue
            shown = round(impressions * wave * (0.4 if day < launch else 1))
            clicks = round(shown * ctr)
            conversions = round(clicks * cvr)
            rows.append({"date": day, "channel": name, "impressions": shown, "clicks": clicks,
                         "conversions": conversions, "revenue": conversions * 400, "spend": round(shown * 0.2),
                         "new_users": round(conversions * 1.6)})
        day += timedelta(days=1)
    content.tables["kpi"] = rows
    return content


def grown_campaign(lang: str, channels: int = 16) -> Any:
    """:func:`long_campaign` with ``channels`` channels (the example's, numbered): the example grown, so that its
    Summary prints on more pages, at another scale, with another print area and other page breaks, and its Issues
    list more findings."""
    from decimal import Decimal

    content = long_campaign(lang)
    base = content.tables["channels"]
    content.tables["channels"] = [{**base[i % len(base)], "name": f"{base[i % len(base)]['name']} {i + 1}",
                                   "share": Decimal(1) / channels} for i in range(channels)]
    return content


def updated_long_campaign(lang: str, folder: Path, days: int = 60) -> Path:
    """:func:`long_campaign` written and updated on its own status date."""
    from xl_campaign.app.update import update_workbook
    from xl_campaign.io.template import write_workbook

    path = folder / f"long_{days}_{lang}.xlsx"
    write_workbook(long_campaign(lang, days), str(path))
    update_workbook(path, keep_backups=0)
    return path


def to_pdf(paths: list[Path], folder: Path) -> list[Path]:
    """Each workbook printed by LibreOffice (every sheet, its own print setup), in one LibreOffice run."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
                       check=True, capture_output=True, timeout=600)
    pdfs = [folder / (path.stem + ".pdf") for path in paths]
    for pdf in pdfs:
        if not pdf.exists():
            raise RuntimeError(f"LibreOffice did not print {pdf.stem}")
    return pdfs


def timeline_copy(book: Path, lang: str, folder: Path) -> Path:
    """A copy of ``book`` that prints only the Tasks sheet with its timeline (its print area is the table alone)."""
    import openpyxl

    from xl_campaign.core import spec as S

    wb = openpyxl.load_workbook(book)
    tasks = S.TASKS.name(lang)
    for ws in wb.worksheets:
        if ws.title != tasks:
            ws.sheet_state = "hidden"
            ws.print_area = None
            ws.print_title_rows = None
    wb.active = wb.sheetnames.index(tasks)
    ws = wb[tasks]
    for name in list(ws.defined_names):
        if name == "_xlnm.Print_Area":
            del ws.defined_names[name]
    ws.print_area = f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
    path = folder / f"timeline_{lang}.xlsx"
    wb.save(path)
    return path


def page_sheets(pdf: Path, names: list[str]) -> list[str]:
    """The sheet of each page of ``pdf``: the name its footer starts with (``Tasks · 3 / 12``)."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    out = []
    by_length = sorted(names, key=len, reverse=True)
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              check=True, capture_output=True, text=True).stdout
        footer = [line.strip() for line in text.splitlines() if " · " in line and "/" in line]
        found = next((name for line in reversed(footer) for name in by_length if line.startswith(name + " · ")),
                     None)
        out.append(found or "?")
    return out


def pages_per_sheet(pdf: Path, names: list[str]) -> dict[str, list[int]]:
    """Sheet name -> its pages (1-based) in ``pdf``."""
    pages: dict[str, list[int]] = {}
    for number, name in enumerate(page_sheets(pdf, names), start=1):
        pages.setdefault(name, []).append(number)
    return pages


def trim(png: Path, margin: int = 24) -> None:
    """Cut the empty paper around what is printed (the footer included), leaving ``margin`` pixels."""
    from PIL import Image, ImageChops

    with Image.open(png) as image:
        page = image.convert("RGB")
    box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
    if box is None:
        return
    left, top, right, bottom = box
    page.crop((max(0, left - margin), max(0, top - margin), min(page.width, right + margin),
               min(page.height, bottom + margin))).save(png, optimize=True)


def fingerprint(path: Path) -> dict[str, str]:
    """Sheet name -> a hash of what the sheet holds and how it looks: values, formulas, formats, fonts, fills,
    borders, alignment, widths, heights, merges, conditional formats, print setup (what its picture shows)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in wb.worksheets:
        cached = values[ws.title]
        parts: list[Any] = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                parts.append((cell.coordinate, str(cell.value), str(cached[cell.coordinate].value), cell.number_format,
                              repr(cell.font), repr(cell.fill), repr(cell.border), repr(cell.alignment)))
        parts.append(sorted((k, v.width) for k, v in ws.column_dimensions.items()))
        parts.append(sorted((k, v.height) for k, v in ws.row_dimensions.items()))
        parts.append(sorted(str(m) for m in ws.merged_cells.ranges))
        parts.append([(str(cf.sqref), [(r.formula, repr(r.dxf)) for r in cf.rules]) for cf in ws.conditional_formatting])
        parts.append((repr(ws.page_setup), repr(ws.print_options), ws.print_title_rows, ws.print_area,
                      repr(ws.sheet_properties.pageSetUpPr), ws.freeze_panes, len(ws._charts)))
        out[ws.title] = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]
    return out


def main() -> None:
    PICTURES.mkdir(parents=True, exist_ok=True)
    for old in PICTURES.glob("*.png"):
        old.unlink()
    manifest: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books = {lang: updated_example(lang, folder) for lang in ("zh", "en")}
        timelines = {lang: timeline_copy(book, lang, folder) for lang, book in books.items()}
        pdfs = to_pdf(list(books.values()) + list(timelines.values()), folder)
        for lang, pdf in zip(timelines, pdfs[len(books):], strict=True):
            stem = f"{lang}-tasks-timeline"
            subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(PICTURES / stem)], check=True, timeout=120)
            trim(PICTURES / f"{stem}.png")
            manifest[f"{lang}-tasks"] = {}  # filled below; the timeline picture rides on the Tasks entry
        pdfs = pdfs[:len(books)]
        for (lang, book), pdf in zip(books.items(), pdfs, strict=True):
            keys = sheet_keys(lang)
            prints = fingerprint(book)
            for name, pages in pages_per_sheet(pdf, list(keys)).items():
                key = keys.get(name, "unknown")
                files = []
                for index, page in enumerate(pages, start=1):
                    stem = f"{lang}-{key}" + (f"-{index}" if index > 1 else "")
                    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
                                    "-singlefile", str(pdf), str(PICTURES / stem)], check=True, timeout=120)
                    trim(PICTURES / f"{stem}.png")
                    files.append(f"{stem}.png")
                if key == "tasks":
                    files.append(f"{lang}-tasks-timeline.png")
                manifest[f"{lang}-{key}"] = {"sheet": name, "pages": len(pages), "files": files,
                                             "fingerprint": prints.get(name, "")}
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(manifest)} sheets pictured in {PICTURES}")


if __name__ == "__main__":
    main()
