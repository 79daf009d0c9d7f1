"""``xl_campaign.main()`` as the ribbon button runs it: ``xw.Book.caller()`` is an open workbook (the in-memory
engine of tests/xlwings_memory.py behind xlwings' real classes) whose file is a real campaign workbook on disk."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xlwings
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

import xl_campaign
from xl_campaign.excel import main as excel_main

from . import xlwings_memory as M
from .conftest import WORKBOOK_DIR
from .test_excel_writer import assert_same, memory_snapshot, openpyxl_snapshot


@pytest.fixture
def engine() -> Any:
    with M.active_engine() as memory:
        yield memory


def open_in_memory(path: Path) -> Any:
    """The workbook at ``path`` as Excel would have it open: same name, same sheets (their cells are not needed:
    the button reads the saved file)."""
    names = tuple(CalamineWorkbook.from_path(str(path)).sheet_names)
    book = M.new_book(path.name, str(path), names)
    book.sheets[0].activate()
    book.set_mock_caller()
    return book


def copy_example(tmp_path: Path, lang: str, folder: str = "excel") -> Path:
    target = tmp_path / folder / f"plan_{lang}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(WORKBOOK_DIR / f"example_{lang}.xlsx", target)
    return target


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_button_writes_what_update_writes(engine: Any, tmp_path: Path, lang: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from xl_campaign.app.update import update_workbook
    from xl_campaign.excel import xlwings_writer

    monkeypatch.setattr(xlwings_writer, "native_platform", lambda: "com")  # as on Windows: .api is COM
    path = copy_example(tmp_path, lang)
    book = open_in_memory(path)
    user_sheets = [s.name for s in book.sheets]
    xl_campaign.main()

    app = book.app.impl
    assert len(app.alerts) == 1
    prompt, title, _, mode = app.alerts[0]
    assert title == "xl-campaign" and mode == "info"
    assert ("校验完成" in prompt) if lang == "zh" else prompt.startswith("Checked: ")
    assert app.status_bar_text is False  # given back to Excel: a success text would stay there all session
    assert book.impl.saved == [None, None]  # saved before reading and after writing
    assert app.calculation_log == ["manual", "automatic"] and app.screen_updating  # both restored
    generated = [s.name for s in book.sheets][len(user_sheets):]
    assert generated == (["甘特图", "汇总", "问题清单"] if lang == "zh" else ["Gantt", "Summary", "Issues"])
    assert book.sheets.active.name == user_sheets[0]  # back where the user was

    # the same workbook through the headless update: the generated sheets are the same, cell by cell
    headless_path = copy_example(tmp_path, lang, folder="headless")
    update_workbook(headless_path, keep_backups=0)
    headless = load_workbook(headless_path)
    for name in generated:
        assert_same(openpyxl_snapshot(headless[name]), memory_snapshot(book.sheets[name].impl))


def test_pressing_twice_gives_the_same_sheets(engine: Any, tmp_path: Path) -> None:
    book = open_in_memory(copy_example(tmp_path, "zh"))
    first = excel_main.run(book, native="com", show=False)
    snapshots = {name: memory_snapshot(book.sheets[name].impl) for name in first.sheets}
    count = len(book.sheets)
    for name in first.sheets:
        book.sheets[name].impl.api_log.clear()
    second = excel_main.run(book, native="com", show=False)
    assert second.ok and second.sheets == first.sheets and len(book.sheets) == count
    for name in first.sheets:
        assert_same(snapshots[name], memory_snapshot(book.sheets[name].impl))


def test_unsaved_workbook(engine: Any) -> None:
    book = M.new_book("Book1", "Book1", ("Sheet1",))
    book.set_mock_caller()
    xl_campaign.main()
    app = book.app.impl
    prompt, _, _, mode = app.alerts[0]
    assert mode == "critical" and "Save the workbook" in prompt
    assert [s.name for s in book.sheets] == ["Sheet1"] and book.impl.saved == []
    assert app.status_bar_text is False


def test_onedrive_workbook_is_read_from_its_synced_copy(engine: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings maps the URL Excel reports for a OneDrive workbook to the file in the synced folder: the press works
    on that file (the stand-in's fullname runs xlwings' own mapping)."""
    synced = tmp_path / "OneDrive"
    path = copy_example(synced, "zh", folder="活动")
    monkeypatch.setenv("OneDrive", str(synced))
    monkeypatch.delenv("OneDriveConsumer", raising=False)
    names = tuple(CalamineWorkbook.from_path(str(path)).sheet_names)
    book = M.new_book(path.name, f"https://d.docs.live.net/{tmp_path.name}/活动/{path.name}", names)
    outcome = excel_main.run(book, native="com", show=False)
    assert outcome.ok, outcome.message
    assert outcome.sheets == ["甘特图", "汇总", "问题清单"]


def test_onedrive_workbook_without_a_synced_copy(engine: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings raises XlwingsError when it cannot find the synced file: a clear message, not a bug report."""
    monkeypatch.setenv("OneDrive", str(tmp_path))
    book = M.new_book("计划.xlsx", f"https://d.docs.live.net/{tmp_path.name}/计划.xlsx", ("活动概览",))
    with pytest.raises(xlwings.XlwingsError, match="OneDrive"):  # what xlwings itself does with this workbook
        _ = book.fullname
    outcome = excel_main.run(book, native="com", show=False)
    assert not outcome.ok and outcome.log is None
    assert "OneDrive/SharePoint" in outcome.message and "本机" in outcome.message and "未做任何更改" in outcome.message
    assert [s.name for s in book.sheets] == ["活动概览"] and book.impl.saved == []


def test_sharepoint_url_on_macos_is_a_message_too(engine: Any, tmp_path: Path) -> None:
    """Off Windows xlwings' SharePoint mapping fails inside itself (utils.get_url_to_mount returns None): still the
    same message, not the unexpected-error one."""
    book = M.new_book("plan.xlsx", f"https://contoso.sharepoint.com/sites/{tmp_path.name}/Shared Documents/plan.xlsx",
                      ("Overview",))
    outcome = excel_main.run(book, native="appscript", show=False)
    assert not outcome.ok and outcome.log is None and "OneDrive/SharePoint" in outcome.message


def test_protected_generated_sheet_stops_before_anything_is_written(engine: Any, tmp_path: Path) -> None:
    book = open_in_memory(copy_example(tmp_path, "en"))
    assert excel_main.run(book, native="com", show=False).ok
    summary = book.sheets["Summary"].impl
    summary.protected = True
    before = {name: memory_snapshot(book.sheets[name].impl) for name in ("Gantt", "Summary", "Issues")}
    saved = list(book.impl.saved)
    outcome = excel_main.run(book, native="com", show=False)
    assert not outcome.ok and outcome.log is None
    assert outcome.message.startswith("The sheet 'Summary' is protected") and "Nothing was changed" in outcome.message
    for name, snapshot in before.items():  # not half-written: the Gantt before it is untouched too
        assert_same(snapshot, memory_snapshot(book.sheets[name].impl))
    assert book.impl.saved == [*saved, None]  # saved (before reading) but nothing written


@pytest.mark.parametrize("native", ["com", "appscript"])
def test_protected_workbook_structure(engine: Any, tmp_path: Path, native: str) -> None:
    book = open_in_memory(copy_example(tmp_path, "zh"))
    book.impl.protect_structure = True
    count = len(book.sheets)
    outcome = excel_main.run(book, native=native, show=False)
    assert not outcome.ok and "工作簿结构受保护" in outcome.message and "“甘特图、汇总、问题清单”" in outcome.message
    assert len(book.sheets) == count


def test_read_only_workbook_is_not_saved(engine: Any, tmp_path: Path) -> None:
    book = open_in_memory(copy_example(tmp_path, "en"))
    book.impl.read_only = True
    outcome = excel_main.run(book, native="com", show=False)
    assert not outcome.ok and "read-only" in outcome.message and outcome.log is None
    assert book.impl.saved == [] and len(book.sheets) == 13 - 3


def test_chinese_file_name_mangled_on_macos(engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RunPython on macOS hands a non-ASCII workbook name over as its UTF-8 bytes read as Mac Roman (xlwings issue
    2004), so xw.Book.caller() looks for a workbook that is not open; main() still finds the caller."""
    path = copy_example(tmp_path, "zh")
    target = path.with_name("推广计划.xlsx")
    path.rename(target)
    names = tuple(CalamineWorkbook.from_path(str(target)).sheet_names)
    M.new_book("Other.xlsx", "Other.xlsx", ("Sheet1",))
    book = M.new_book(target.name, str(target), names)
    mangled = target.name.encode("utf-8").decode("mac_roman")
    assert mangled != target.name
    monkeypatch.setattr(sys, "argv", ["-c", f"--wb={mangled}", "--from_xl=1", "--app=/Applications/Microsoft Excel"])
    with pytest.raises(FileNotFoundError):  # what xlwings alone does: it tries to open the mangled name as a file
        xlwings.Book.caller()
    assert excel_main.unmangled(mangled) == target.name
    xl_campaign.main()
    prompt, _, _, mode = book.app.impl.alerts[-1]
    assert mode == "info" and "校验完成" in prompt
    assert [s.name for s in book.sheets][-3:] == ["甘特图", "汇总", "问题清单"]


def test_unreadable_file(engine: Any, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("just text, not a workbook", encoding="utf-8")
    book = M.new_book(path.name, str(path), ("Sheet1",))
    outcome = excel_main.run(book, show=False)
    assert not outcome.ok and outcome.message.startswith("The workbook cannot be read")
    assert len(book.sheets) == 1


def test_user_sheet_with_a_generated_name(engine: Any, tmp_path: Path) -> None:
    path = copy_example(tmp_path, "zh")
    book = open_in_memory(path)
    book.sheets.add("汇总", after=book.sheets[len(book.sheets) - 1])
    before = [s.name for s in book.sheets]
    outcome = excel_main.run(book, show=False)
    assert not outcome.ok and "“汇总”已存在" in outcome.message
    assert [s.name for s in book.sheets] == before  # nothing written


def test_a_bug_is_a_message_with_a_log(engine: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xl_campaign.app import update

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(update, "generated_docs", broken)
    monkeypatch.setattr(excel_main.tempfile, "gettempdir", lambda: str(tmp_path))
    book = open_in_memory(copy_example(tmp_path, "en"))
    xl_campaign.main()  # does not raise
    prompt, _, _, mode = book.app.impl.alerts[0]
    assert mode == "critical" and "RuntimeError: simulated bug" in prompt
    log = tmp_path / "xl-campaign-error.log"
    assert str(log) in prompt and "Traceback" in log.read_text(encoding="utf-8")


def test_counts_text() -> None:
    from xl_campaign.core.findings import Finding, Severity

    findings = [Finding("A1", "a", Severity.ERROR, "x"), Finding("B1", "b", Severity.WARNING, "y"),
                Finding("B2", "b", Severity.WARNING, "y")]
    assert excel_main.counts_text(findings, "zh") == "1 个错误，2 个警告，0 条提示"
    assert excel_main.counts_text(findings, "en") == "1 error, 2 warnings, 0 notes"


def test_main_outside_excel_explains() -> None:
    result = subprocess.run([sys.executable, "-c", "import xl_campaign; xl_campaign.main()"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert "runs from Excel's Campaign ribbon tab" in result.stderr and "xl-campaign update" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_stays_cheap() -> None:
    result = subprocess.run([sys.executable, "-c", "import sys, xl_campaign; "
                             "print(sorted(m for m in sys.modules if m.startswith(('xlwings', 'openpyxl', "
                             "'xl_campaign.'))))"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]"
