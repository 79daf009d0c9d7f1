"""Tiny campaign workbooks built in code for the rule tests: a clean baseline and helpers to break it."""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from xl_campaign.core.content import Content, example
from xl_campaign.io.template import build_workbook

Edit = Callable[[Content], None]
BookEdit = Callable[[Any], None]  # an openpyxl Workbook


def baseline(lang: str = "en") -> Content:
    """The example campaign with its deliberate problems fixed: run_rules finds nothing but WB005 in it
    (openpyxl saves formulas without calculated values)."""
    content = example(lang)
    tasks = {t["id"]: t for t in content.tables["tasks"]}
    done = "已完成" if lang == "zh" else "Done"
    tasks["T01"]["start"] = date(2024, 5, 2)
    tasks["T06"].update(status=done, progress=1)
    tasks["T12"]["end"] = date(2024, 5, 31)
    tasks["T13"]["status"] = "未开始" if lang == "zh" else "Not started"
    content.tables["materials"][4]["status"] = done
    content.tables["goals"][0]["target"] = 5_000  # new users on pace (KPI008) and on the daily target (KPI010)
    return content


def task(content: Content, ident: str, **values: Any) -> None:
    next(t for t in content.tables["tasks"] if t["id"] == ident).update(values)


def row(content: Content, key: str, index: int, **values: Any) -> None:
    content.tables[key][index].update(values)


def overview(content: Content, **values: Any) -> None:
    content.overview.update(values)


def write(content: Content, path: Path, book_edit: BookEdit | None = None,
          parts: dict[str, bytes] | None = None) -> Path:
    """Write ``content`` through the template writer, then apply openpyxl edits and raw zip-part edits."""
    wb = build_workbook(content)
    if book_edit is not None:
        book_edit(wb)
    wb.save(path)
    if parts:
        patch_parts(path, parts)
    return path


def patch_parts(path: Path, parts: dict[str, bytes]) -> None:
    """Replace or add zip parts of the package at ``path``."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist() if info.filename not in parts]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, data)
        for name, data in parts.items():
            out.writestr(name, data)


def plain_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook without the template: sheets of plain rows (as people lay out their own tables)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for values in rows:
            ws.append(values)
    wb.save(path)
    return path


def deepcopy(content: Content) -> Content:
    return copy.deepcopy(content)
