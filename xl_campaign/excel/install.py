"""Install ``xl_campaign.xlam`` where Excel opens add-ins at start, as ``xlwings addin install`` does.

Excel opens every file in its XLSTART folder when it starts. xlwings asks Excel itself for that folder
(``app.startup_path``, starting a hidden Excel when none runs); without Excel, the usual default is used:

* Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``
* macOS (Excel 2016 and later): ``~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel``

On macOS RunPython also needs xlwings' AppleScript in ``~/Library/Application Scripts/com.microsoft.Excel``
(``xlwings runpython install``); it is copied too. There is no Excel on Linux: the installer says so and points to
``xl-campaign update``, which does headlessly what the ribbon button does.

On Windows the installed add-in is then opened in Excel and finished through Excel's VBA object model
(``vbproject.finish``: the no-workbook guard of the ribbon callback, the ``CAMPAIGN_*`` functions, the project's
name) and saved by Excel. That needs "Trust access to the VBA project object model". A reinstall never silently drops
the functions: when the add-in it replaces had them and they cannot be imported again, the old add-in is put back,
byte for byte, and the installer says what to do (``--without-functions`` installs anyway).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.text import Texts, join
from .addin import ADDIN_FILE, AddinConfig, build_addin, check_addin, config_for_this_python
from .vbproject import Finished, finish, has_functions

MAC_STARTUP = ("Library", "Group Containers", "UBF8T346G9.Office", "User Content", "Startup", "Excel")
MAC_STARTUP_LOCALIZED = ("Library", "Group Containers", "UBF8T346G9.Office", "User Content.localized",
                         "Startup.localized", "Excel")


@dataclass
class InstallResult:
    """What the installer did and what the user still has to do (messages in zh and en)."""

    ok: bool
    target: Path | None = None
    done: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the finishing in Excel did or could not do


def default_startup_dir(platform: str = sys.platform, environ: Mapping[str, str] = os.environ,
                        home: Path | None = None) -> Path | None:
    """Excel's per-user XLSTART folder when Excel cannot be asked; None where there is no Excel."""
    home = home or Path.home()
    if platform.startswith("win"):
        appdata = environ.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return base / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        localized = home.joinpath(*MAC_STARTUP_LOCALIZED)
        return localized if localized.is_dir() else home.joinpath(*MAC_STARTUP)
    return None


def excel_startup_dir() -> Path | None:
    """XLSTART as Excel reports it (xlwings' own lookup; may start a hidden Excel); None when Excel cannot say."""
    try:
        from xlwings.cli import get_addin_dir

        return Path(get_addin_dir())
    except Exception:  # no Excel, no pywin32/appscript, Excel refusing automation: fall back to the default
        return None


def linux_explanation() -> list[str]:
    return [
        "Excel 不能在 Linux 上运行，因此这里无法安装加载项。请在装有 Excel 的 Windows 或 macOS 电脑上安装 xl-campaign，"
        "再运行 `xl-campaign addin install`。在 Linux 上，`xl-campaign update 文件.xlsx` 可完成与“校验并更新”按钮相同的工作。",
        "Excel does not run on Linux, so the add-in cannot be installed here. Install xl-campaign on the Windows or "
        "macOS computer that has Excel and run `xl-campaign addin install` there. On Linux, "
        "`xl-campaign update FILE.xlsx` does what the Check & Update button does.",
    ]


def one_time_steps(platform: str, functions: bool = False) -> list[str]:
    """What the user must do once in Excel after the file is in place (``functions``: they are imported already)."""
    if platform.startswith("win"):
        steps = [
            "重启 Excel，功能区会出现“Campaign / 活动”选项卡。XLSTART 是受信任位置，加载项中的宏可直接运行。",
            "Restart Excel: the ribbon shows the \"Campaign / 活动\" tab. XLSTART is a trusted location, so the "
            "add-in's macros may run.",
        ]
        if not functions:
            steps += [
                "导入工作表函数（只需一次）：文件 ▸ 选项 ▸ 信任中心 ▸ 信任中心设置 ▸ 宏设置，勾选“信任对 VBA 工程对象模型的访问”；"
                "然后运行 `xl-campaign addin install --import-functions`，或在 Excel 中按 Alt+F11，打开 xl_campaign.xlam 的 "
                "xlwings 模块，把光标放在 ImportPythonUDFsToAddin 中按 F5，再按 Ctrl+S 保存加载项。",
                "Import the worksheet functions (once): File ▸ Options ▸ Trust Center ▸ Trust Center Settings ▸ Macro "
                "Settings, tick \"Trust access to the VBA project object model\"; then run "
                "`xl-campaign addin install --import-functions`, or in Excel press Alt+F11, open the xlwings module of "
                "xl_campaign.xlam, click into ImportPythonUDFsToAddin, press F5 and save the add-in with Ctrl+S.",
            ]
        return steps
    if platform == "darwin":
        return [
            "用 Cmd+Q 完全退出 Excel 后重新打开，功能区会出现“Campaign / 活动”选项卡；首次点击按钮时，macOS 可能请求授权，请允许。"
            "CAMPAIGN_* 工作表函数依赖 Windows，在 macOS 上不可用。",
            "Quit Excel with Cmd+Q and start it again: the ribbon shows the \"Campaign / 活动\" tab. On the first click "
            "macOS may ask for permission; allow it. The CAMPAIGN_* worksheet functions need Windows (an xlwings "
            "limit) and are not available on macOS.",
        ]
    return linux_explanation()


TEXTS = Texts({
    "finished": ("Excel 已完成加载项的 VBA：{what}", "Excel finished the add-in's VBA: {what}"),
    "guard": ("没有打开工作簿时按钮给出提示", "the button explains when no workbook is open"),
    "functions": ("已导入 CAMPAIGN_* 工作表函数", "the CAMPAIGN_* worksheet functions imported"),
    "kept_old": ("已保留原来的加载项 {path}，未做更改：它含有 CAMPAIGN_* 工作表函数，重新生成会删除它们，而现在无法在 Excel 中重新导入。"
                 "请在 Excel 中勾选“文件 ▸ 选项 ▸ 信任中心 ▸ 信任中心设置 ▸ 宏设置 ▸ 信任对 VBA 工程对象模型的访问”，再运行 "
                 "`xl-campaign addin install`；或运行 `xl-campaign addin install --without-functions` 照样安装（使用这些函数的单元格"
                 "会显示 #NAME?，直到按 Excel 指南“重新安装”一段重新导入）。",
                 "The old add-in {path} was kept unchanged: it holds the CAMPAIGN_* worksheet functions, a rebuilt "
                 "add-in would drop them, and they cannot be imported again in Excel now. In Excel, tick File ▸ Options "
                 "▸ Trust Center ▸ Trust Center Settings ▸ Macro Settings ▸ Trust access to the VBA project object "
                 "model, then run `xl-campaign addin install` again; or run `xl-campaign addin install "
                 "--without-functions` to install anyway (cells using the functions show #NAME? until they are "
                 "imported again: 'Reinstalling' in the Excel guide)."),
    "not_finished": ("加载项已安装，但未能在 Excel 中完成，因此没有打开工作簿时点击按钮会出现 VBA 的“运行时错误 91”（点击“结束”即可）。"
                     "要补上这项保护（以及工作表函数），请在 Excel 中勾选“信任对 VBA 工程对象模型的访问”（文件 ▸ 选项 ▸ 信任中心 ▸ "
                     "信任中心设置 ▸ 宏设置），再运行 `xl-campaign addin install`。",
                     "The add-in is installed but could not be finished in Excel, so pressing the button with no "
                     "workbook open shows VBA's \"Run-time error 91\" (click End). To add that guard (and the worksheet "
                     "functions), tick \"Trust access to the VBA project object model\" in Excel (File ▸ Options ▸ Trust "
                     "Center ▸ Trust Center Settings ▸ Macro Settings) and run `xl-campaign addin install` again."),
    "mac_functions": ("工作表函数只在 Windows 上可用（xlwings 的限制），macOS 上未导入。",
                      "The worksheet functions are available on Windows only (an xlwings limit): nothing was imported "
                      "on macOS."),
    "functions_failed": ("未能导入工作表函数。请勾选“信任对 VBA 工程对象模型的访问”后重试，或按 Excel 指南在 VBA 编辑器中手动运行 "
                         "ImportPythonUDFsToAddin。",
                         "The worksheet functions were not imported. Tick \"Trust access to the VBA project object "
                         "model\" and try again, or run ImportPythonUDFsToAddin in the VBA editor as the Excel guide "
                         "describes."),
})


@contextmanager
def open_in_excel(path: Path) -> Iterator[Any]:
    """``path`` open in Excel as an xlwings Book: in the running Excel, or in a hidden one started (and quit) here.
    The book is closed afterwards without saving what was not saved."""
    import xlwings as xw

    running = xw.apps.active if len(xw.apps) else None
    started = running is None
    app = xw.App(visible=False, add_book=False) if running is None else running
    try:
        book = app.books.open(str(path))
        try:
            yield book
        finally:
            book.close()
    finally:
        if started:
            app.quit()


def finish_in_excel(path: Path, *, functions: bool,
                    opener: Callable[[Path], AbstractContextManager[Any]] = open_in_excel,
                    import_udfs: Callable[[str, Any], Any] | None = None) -> Finished:
    """Open the installed add-in in Excel, finish its VBA (:func:`vbproject.finish`) and let Excel save it — or, when
    anything failed, close it unsaved (the file stays as built)."""
    from .vbproject import TEXTS as VBA_TEXTS
    from .vbproject import _reason

    if import_udfs is None:
        def import_udfs(modules: str, workbook: Any) -> Any:
            from xlwings.udfs import import_udfs as xlwings_import_udfs  # Windows only (pywin32)

            return xlwings_import_udfs(modules, workbook)
    try:
        with opener(path) as book:
            finished = finish(book.api, functions=functions, import_udfs=import_udfs)
            if finished.trusted and not finished.problems:
                try:
                    book.save()
                except Exception as error:
                    finished.problems.append(VBA_TEXTS.pair("save_failed", reason=_reason(error)))
    except Exception as error:  # no Excel, Excel refusing to open the file
        finished = Finished(problems=[VBA_TEXTS.pair("no_excel", reason=_reason(error))])
    return finished


def install_addin(*, platform: str = sys.platform, config: AddinConfig | None = None,
                  startup_dir: Path | None = None,
                  ask_excel: Callable[[], Path | None] = excel_startup_dir,
                  import_functions: bool = False, without_functions: bool = False,
                  opener: Callable[[Path], AbstractContextManager[Any]] = open_in_excel,
                  import_udfs: Callable[[str, Any], Any] | None = None) -> InstallResult:
    """Build the add-in straight into Excel's startup folder, check it, and on Windows finish it in Excel.

    ``import_functions``: import the ``CAMPAIGN_*`` functions (also done, unasked, when the add-in being replaced had
    them). ``without_functions``: install even when the old add-in's functions cannot be imported again."""
    if not (platform.startswith("win") or platform == "darwin"):
        return InstallResult(ok=False, problems=linux_explanation())
    target_dir = startup_dir or ask_excel() or default_startup_dir(platform)
    assert target_dir is not None  # only None off Windows/macOS, handled above
    target = target_dir / ADDIN_FILE
    result = InstallResult(ok=True, target=target)
    windows = platform.startswith("win")
    old = target.read_bytes() if windows and target.is_file() else None
    had_functions = old is not None and has_functions(target)
    _close_open_addin()
    try:
        built = build_addin(target_dir, config or config_for_this_python(platform))
    except PermissionError:
        result.ok = False
        result.problems += [f"无法写入 {target}：请先关闭 Excel 再重试。",
                            f"Cannot write {target}: quit Excel and try again."]
        return result
    except OSError as error:
        result.ok = False
        result.problems.append(f"{target_dir}: {error.strerror or error}")
        return result
    result.done.append(f"{built}")
    check = check_addin(built)
    result.problems += check.problems
    result.ok = check.ok
    functions_done = False
    if windows and result.ok:
        finished = finish_in_excel(built, functions=import_functions or had_functions, opener=opener,
                                   import_udfs=import_udfs)
        reasons = [line for pair in finished.problems + finished.notes for line in pair]
        if not finished.problems:
            functions_done = finished.functions
            what = [TEXTS.pair(key) for key, done in (("guard", finished.guarded), ("functions", finished.functions))
                    if done]
            if what:
                result.notes += [TEXTS("finished", lang, what=join([pair[index] for pair in what], lang))
                                 for index, lang in enumerate(("zh", "en"))]
            result.notes += reasons
            result.problems += check_addin(built).problems
            result.ok = not result.problems
        elif had_functions and not without_functions:
            _put_back(target, old)
            result.done = []  # nothing was installed
            result.ok = False
            result.problems += reasons + list(TEXTS.pair("kept_old", path=target))
        elif import_functions:
            result.ok = False
            result.problems += reasons + list(TEXTS.pair("functions_failed"))
        else:
            result.notes += reasons + list(TEXTS.pair("not_finished"))
    if platform == "darwin":
        if import_functions:
            result.notes += list(TEXTS.pair("mac_functions"))
        try:
            from xlwings.cli import runpython_install

            runpython_install(None)
            result.done.append("xlwings AppleScript (RunPython)")
        except Exception as error:  # report, do not hide: RunPython will not work without it
            result.ok = False
            result.problems.append(f"xlwings runpython install: {error}")
    result.todo = one_time_steps(platform, functions_done)
    return result


def _put_back(target: Path, old: bytes | None) -> None:
    """Restore the add-in that was installed before, byte for byte (atomically)."""
    if old is None:
        return
    temp = target.with_name(f".{target.name}.restore")
    temp.write_bytes(old)
    os.replace(temp, target)


def _close_open_addin() -> None:
    """Close the add-in in running Excel instances so that it can be replaced (as xlwings does)."""
    try:
        import xlwings as xw

        for app in xw.apps:
            try:
                app.books[ADDIN_FILE].close()
            except Exception:  # not open in this instance
                pass
    except Exception:  # no Excel engine here
        pass
