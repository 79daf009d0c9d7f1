"""Headless "Check & Update": validate a campaign workbook, compute, (re)write the generated sheets, lose nothing.

The steps, in order (each refusal is an :class:`UpdateRefused` with a message in zh and en, never a traceback):

1. Read it through the load step (``app.load``, the generated sheets left out): a file that cannot be read is
   refused with its XF finding, the same one ``check`` gives.
2. Refuse while the workbook is open: Excel's owner file ``~$name`` or LibreOffice's ``.~lock.name#`` next to it.
3. Validate (``core.rules.run_rules``) and compute budget, KPI and Gantt; describe the Gantt, Summary and Issues
   sheets (``core.sheets``), all judged on one status date (``core.schedule.status_date``).
4. With ``out``: write those sheets to a companion workbook and touch nothing else. Without: pre-flight
   (``io.preflight``) — if an openpyxl round trip would lose anything, refuse with the list and point to ``--out``.
5. Load with openpyxl, remove the sheets an earlier update generated (recognised by their marker, never by name
   alone), render the new ones where the old ones were (or at the end), and save to a temporary file next to
   the workbook.
6. Re-read the temporary file and check that every table, value and position the reader sees in the user's sheets
   is unchanged; check that the workbook was not saved by someone else meanwhile.
7. Keep a timestamped backup (``plan.xlsx.20240524-101500.bak``; the last ``keep_backups`` of them are kept),
   then replace the workbook atomically.

Running it twice gives the same workbook: the generated sheets depend only on the workbook and the status date.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core.findings import FileProblem, Finding
from ..core.model import Plan
from ..core.policy import fill_overview
from ..core.schedule import status_date
from ..core.sheets.model import SheetDoc
from ..core.text import LANGS, t
from ..io.preflight import Loss, blocking, preflight
from .config import DEFAULT_SETTINGS, Settings
from .load import drop_generated, load

DEFAULT_KEEP_BACKUPS = 5


class UpdateRefused(Exception):
    """``update`` did not touch the workbook; ``kind`` is stable, ``message(lang)`` says why and what to do.

    ``findings``: the XF finding of a workbook that could not be read (the same ``check`` reports); ``lang``: the
    workbook's own language, when it was read (the language to refuse in when no ``--lang`` was given)."""

    def __init__(self, kind: str, zh: str, en: str, losses: list[Loss] | None = None, *,
                 findings: list[Finding] | None = None, lang: str | None = None) -> None:
        super().__init__(en)
        self.kind = kind
        self.zh = zh
        self.en = en
        self.losses = losses or []
        self.findings = findings or []
        self.lang = lang

    def message(self, lang: str) -> str:
        return t(lang, self.zh, self.en)


class Unreadable(UpdateRefused):
    """The workbook could not be read: ``problem`` (its XF code) says why — ``findings(lang)`` is the finding
    ``check`` reports for it."""

    def __init__(self, path: str, problem: FileProblem) -> None:
        from ..core.rules import file_findings

        zh, en = (file_findings(problem, path=path, lang=lang)[0] for lang in LANGS)
        super().__init__("unreadable", f"{path}：无法更新：{zh.message}（{zh.code}）",
                         f"{path}: cannot update: {en.message} ({en.code})", findings=[en])
        self.path = path
        self.problem = problem

    def findings_in(self, lang: str) -> list[Finding]:
        from ..core.rules import file_findings

        return file_findings(self.problem, path=self.path, lang=lang)


@dataclass
class UpdateResult:
    """What ``update`` did."""

    source: str  # the campaign workbook
    written: str  # the file written: the workbook itself, or the companion workbook
    companion: bool
    backup: str | None
    lang: str
    as_of: date
    findings: list[Finding]
    sheets: list[str]  # names of the generated sheets
    notes: list[Loss] = field(default_factory=list)  # harmless drops of the round trip
    seconds: float = 0.0
    pruned: list[str] = field(default_factory=list)  # older backups removed (beyond ``keep_backups``)


def lock_file(path: str) -> str | None:
    """The lock file that shows ``path`` is open in Excel or LibreOffice, or None."""
    folder, name = os.path.split(os.path.abspath(path))
    candidates = [f"~${name}", f".~lock.{name}#"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")  # Word-style owner files drop the first two characters
    for candidate in candidates:
        if os.path.exists(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    return None


def _refuse_write(path: str, exc: OSError, lang: str | None = None) -> UpdateRefused:
    reason = exc.strerror or str(exc)
    return UpdateRefused("write-failed", f"{path}：无法写入（{reason}），原文件未修改",
                         f"{path}: cannot write ({reason}); the original is unchanged", lang=lang)


def validate(plan: Plan, lang: str, as_of: date, settings: Settings = DEFAULT_SETTINGS) -> list[Finding]:
    """The validator's findings for ``plan``, judged on ``as_of`` under the team's ``settings`` (its policy file,
    as ``check`` applies it: the same rules, thresholds and severities)."""
    from .check import judge

    return judge(plan, plan.path or "", settings, lang=lang, today=as_of, select=settings.select,
                 ignore=settings.ignore)


def generated_docs(plan: Plan, findings: list[Finding], lang: str, as_of: date, *,
                   companion_of: str | None = None, live: bool = True, today_fixed: bool = False,
                   week_start: int = 0) -> list[SheetDoc]:
    """The Gantt, Summary and Issues descriptions. For a companion workbook (``companion_of`` = the campaign
    workbook's path relative to it), nothing refers to the campaign workbook's cells: values are copied and
    links point into that file. ``today_fixed``: ``as_of`` was given by the caller rather than read or taken
    from the clock, so the Gantt's live status date falls back to that day instead of TODAY(). ``week_start``:
    where the Gantt's weeks start on a long campaign (the policy's ``week-start``, 0 = Monday)."""
    from ..core import spec as S
    from ..core.budget import budget_report
    from ..core.gantt import build_gantt
    from ..core.kpi import kpi_report
    from ..core.sheets.gantt import gantt_sheet
    from ..core.sheets.issues import issues_sheet
    from ..core.sheets.summary import summary_sheet

    gantt = build_gantt(plan, as_of, week_start=week_start)
    source_refs = companion_of is None
    docs = [
        gantt_sheet(plan, gantt, lang, name=S.GANTT.name(lang), live=live, source_refs=source_refs,
                    link_prefix=companion_of, today_fixed=today_fixed),
        summary_sheet(plan, budget_report(plan), kpi_report(plan, as_of), lang, name=S.SUMMARY.name(lang)),
        issues_sheet(findings, lang, name=S.ISSUES.name(lang), sheet_names=plan.sheet_names,
                     title=plan.overview.name, as_of=as_of, link_prefix=companion_of),
    ]
    return docs


def read_user_plan(path: str) -> Plan:
    """The plan of the user's sheets (generated sheets left out); raises :class:`Unreadable` with the XF finding
    when the file cannot be read."""
    loaded = load(path, user_sheets_only=True)
    if loaded.plan is None:
        assert loaded.problem is not None
        raise Unreadable(loaded.path, loaded.problem)
    return loaded.plan


def _user_view(plan: Plan, generated: set[str]) -> dict[str, Any]:
    """What the reader sees of the user's sheets (their cached formula values are compared by ``kept_values``)."""
    return {
        "sheets": [name for name in plan.sheet_names if name not in generated],
        "overview": (plan.overview, plan.overview_sheet),
        "tables": plan.tables,
        "records": {key: plan.records(key) for key in ("goals", "team", "tasks", "materials", "budget",
                                                      "channels", "kpi", "review")},
        "missing": plan.missing_sheets,
        "date1904": plan.date1904,
    }


def backup_path(path: str) -> str:
    """A new timestamped backup name for ``path``: ``plan.xlsx.20240524-101500.bak`` (``-1``, ``-2`` … when taken)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = f"{path}.{stamp}.bak"
    counter = 1
    while os.path.exists(candidate):
        candidate = f"{path}.{stamp}-{counter}.bak"
        counter += 1
    return candidate


_BACKUP = re.compile(r"\.(\d{8}-\d{6})(?:-(\d+))?\.bak$")


def backups_of(path: str) -> list[str]:
    """The backups ``update`` (or ``new --force``) kept of ``path``, oldest first."""
    found = []
    for candidate in glob.glob(glob.escape(path) + ".*.bak"):
        match = _BACKUP.search(candidate[len(path):])
        if match:
            found.append(((match.group(1), int(match.group(2) or 0)), candidate))
    return [name for _, name in sorted(found)]


def keep_backup(path: str, keep: int = DEFAULT_KEEP_BACKUPS) -> tuple[str | None, list[str]]:
    """Copy ``path`` to a new timestamped backup and remove the oldest beyond the last ``keep`` (0: no backup).
    Returns the backup written and the backups removed."""
    if keep <= 0:
        return None, []
    backup = backup_path(path)
    shutil.copy2(path, backup)
    old = backups_of(path)
    pruned = old[:-keep] if len(old) > keep else []
    for name in pruned:
        try:
            os.unlink(name)
        except OSError:
            pass
    return backup, pruned


def _companion(plan: Plan, findings: list[Finding], lang: str, as_of: date, source: str, out: str,
               week_start: int = 0) -> list[str]:
    from ..io.writer import write_companion

    out_abs = os.path.abspath(out)
    if os.path.normcase(out_abs) == os.path.normcase(source):
        raise UpdateRefused("out-is-source", "--out 不能是工作簿本身", "--out must not be the workbook itself")
    if not out_abs.lower().endswith(".xlsx"):
        raise UpdateRefused("out-not-xlsx", f"{out}：--out 必须是 .xlsx 文件", f"{out}: --out must be an .xlsx file")
    if not os.path.isdir(os.path.dirname(out_abs)):
        raise UpdateRefused("out-folder", f"{out}：文件夹不存在", f"{out}: the folder does not exist")
    if os.path.exists(out_abs) and not _only_generated(out_abs):
        raise UpdateRefused("out-exists", f"{out} 已存在且包含其他工作表，不会覆盖",
                            f"{out} exists and holds other sheets: it is not overwritten")
    lock = lock_file(out_abs)
    if lock is not None:
        raise UpdateRefused("open", f"{out} 正在 Excel 或 LibreOffice 中打开：请先关闭", f"{out} is open in Excel or "
                            "LibreOffice: close it first")
    relative = os.path.relpath(source, os.path.dirname(out_abs)).replace(os.sep, "/")
    docs = generated_docs(plan, findings, lang, as_of, companion_of=relative, week_start=week_start)
    try:
        write_companion(docs, out_abs, title=plan.overview.name or "")
    except OSError as exc:
        raise _refuse_write(out_abs, exc) from None
    return [d.name for d in docs]


def _only_generated(path: str) -> bool:
    """True when every sheet of the workbook at ``path`` was generated by xl-campaign (a companion)."""
    import openpyxl

    from ..io.writer import marker_of

    try:
        wb = openpyxl.load_workbook(path, read_only=False)
    except Exception:
        return False
    return all(marker_of(ws) for ws in wb.worksheets)


def update_workbook(path: str | os.PathLike[str], *, out: str | None = None, lang: str | None = None,
                    today: date | None = None, keep_backups: int = DEFAULT_KEEP_BACKUPS,
                    live: bool = True, settings: Settings = DEFAULT_SETTINGS) -> UpdateResult:
    """Check & Update the campaign workbook at ``path`` (see the module docstring). Raises :class:`UpdateRefused`
    when it does not write; the workbook is then untouched. ``today`` wins over the Overview's status date
    (``core.schedule.status_date``); ``keep_backups``: how many timestamped backups of the workbook to keep (0:
    none); ``settings``: the team's policy file for it (``app.config``), as ``check`` uses it."""
    started = time.perf_counter()
    source = os.path.abspath(os.fspath(path))
    plan = read_user_plan(os.fspath(path))  # findings name the file as the caller did, as check's do
    lang = lang or plan.lang
    lock = lock_file(source)
    if lock is not None:
        raise UpdateRefused("open", f"{source} 正在 Excel 或 LibreOffice 中打开（{os.path.basename(lock)}）：请先关闭再更新",
                            f"{source} is open in Excel or LibreOffice ({os.path.basename(lock)}): close it first",
                            lang=plan.lang)
    before = os.stat(source)
    as_of = status_date(today, plan.overview.as_of)
    judged = fill_overview(plan, settings.policy)  # the policy fills empty Overview cells; the file is not changed
    findings = validate(judged, lang, as_of, settings)

    if out is not None:
        sheets = _companion(judged, findings, lang, as_of, source, out, settings.policy.week_start)
        return UpdateResult(source, os.path.abspath(out), True, None, lang, as_of, findings, sheets,
                            seconds=time.perf_counter() - started)

    losses = preflight(source)
    lost = blocking(losses)
    if lost:
        lines_zh = "\n".join(f"  - {loss.message('zh')}" for loss in lost)
        lines_en = "\n".join(f"  - {loss.message('en')}" for loss in lost)
        raise UpdateRefused(
            "would-lose",
            f"{source}：用 openpyxl 保存会丢失以下内容，因此不修改该文件：\n{lines_zh}\n"
            f"请改用 --out 伴随.xlsx，把甘特图、汇总和问题清单写入单独的工作簿。",
            f"{source}: saving it through openpyxl would lose the following, so it is left untouched:\n{lines_en}\n"
            f"Use --out companion.xlsx to write the Gantt, Summary and Issues sheets to a separate workbook.",
            lost, lang=plan.lang)

    docs = generated_docs(judged, findings, lang, as_of, live=live, week_start=settings.policy.week_start,
                          today_fixed=today is not None and today != plan.overview.as_of)
    # the temporary copy keeps the workbook's extension: it is read back through the same load step
    tmp = os.path.join(os.path.dirname(source), f".{os.path.basename(source)}.{os.getpid()}.tmp"
                                                f"{os.path.splitext(source)[1]}")
    try:
        generated_names = _write(source, tmp, docs)
        written = load(tmp).plan
        check = drop_generated(written) if written is not None else None
        if (check is None or _user_view(check, generated_names) != _user_view(plan, generated_names)
                or kept_values(tmp, generated_names) != kept_values(source, generated_names)):
            raise UpdateRefused("verify-failed", f"{source}：写入后的校验未通过，文件未修改（请报告此问题）",
                                f"{source}: the written copy did not read back the same; the file is unchanged "
                                f"(please report this)", lang=plan.lang)
        now = os.stat(source)
        if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
            raise UpdateRefused("changed", f"{source} 在更新期间被修改，未覆盖", f"{source} changed during the update: "
                                "not overwritten", lang=plan.lang)
        backup, pruned = keep_backup(source, keep_backups)
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        os.replace(tmp, source)
    except OSError as exc:
        raise _refuse_write(source, exc, plan.lang) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return UpdateResult(source, source, False, backup, lang, as_of, findings, [d.name for d in docs],
                        [loss for loss in losses if not loss.blocking], time.perf_counter() - started, pruned)


def _write(source: str, tmp: str, docs: list[SheetDoc]) -> set[str]:
    """Load ``source``, replace the generated sheets with ``docs``, save to ``tmp``; the names of all generated
    sheets (old and new)."""
    import warnings

    import openpyxl

    from ..io.cached import save
    from ..io.writer import doc_values, marker_of, render

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions the pre-flight already judged
            wb = openpyxl.load_workbook(source, rich_text=True, keep_links=True)
    except Exception as exc:
        raise UpdateRefused("openpyxl", f"{source}：openpyxl 无法读取该工作簿（{type(exc).__name__}），未修改；"
                            f"可改用 --out", f"{source}: openpyxl cannot load this workbook ({type(exc).__name__}); "
                            f"it is unchanged. Use --out instead.") from None
    sheets = list(wb.worksheets) + list(getattr(wb, "chartsheets", []))
    old = [ws for ws in sheets if marker_of(ws)]
    old_names = {ws.title for ws in old}
    for doc in docs:
        if doc.name in wb.sheetnames and doc.name not in old_names:
            raise UpdateRefused("name-taken", f"工作表“{doc.name}”已存在且不是本工具生成的：请重命名后再更新，或使用 --out",
                                f"a sheet named '{doc.name}' exists and was not generated by xl-campaign: rename it, "
                                f"or use --out")
    active = wb.active.title if wb.active is not None else None
    position = min((wb.sheetnames.index(ws.title) for ws in old), default=len(wb.sheetnames))
    for ws in old:
        wb.remove(ws)
    position = min(position, len(wb.sheetnames))
    for offset, doc in enumerate(docs):
        render(wb, doc, position + offset)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    if active in wb.sheetnames:
        wb.active = wb.sheetnames.index(active)
    else:
        wb.active = 0
    if wb.active is not None:
        wb.active.sheet_view.tabSelected = True
    wb.calculation.fullCalcOnLoad = True
    values = kept_values(source, exclude=old_names)
    for doc in docs:
        values[doc.name] = doc_values(doc)
    save(wb, tmp, values)
    return old_names | {doc.name for doc in docs}


_TYPE = re.compile(rb'\st="(\w+)"')


def kept_values(path: str, exclude: set[str]) -> dict[str, dict[tuple[int, int], Any]]:
    """The cached value of every formula in the sheets of ``path`` (but ``exclude``), as the file stores it: an
    openpyxl round trip drops them, the save puts them back (formulas saved without a value stay without)."""
    from ..io.cached import Raw
    from ..io.xlsx import scan_package

    scan = scan_package(path)
    kept: dict[str, dict[tuple[int, int], Any]] = {}
    for name, sheet in scan.sheets.items():
        if name in exclude:
            continue
        cells: dict[tuple[int, int], Any] = {}
        for position, (text, attrs) in sheet.formulas.items():
            kind = _TYPE.search(attrs)
            kind_text = kind[1] if kind else b"n"
            if text or kind_text in (b"str", b"e"):
                cells[position] = Raw(text, kind_text)
        if cells:
            kept[name] = cells
    return kept
