"""Install ``xl_campaign.xlam`` where Excel opens add-ins at start, as ``xlwings addin install`` does.

Excel opens every file in its XLSTART folder when it starts. xlwings asks Excel itself for that folder
(``app.startup_path``, starting a hidden Excel when none runs); without Excel, the usual default is used:

* Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``
* macOS (Excel 2016 and later): ``~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel``

On macOS RunPython also needs xlwings' AppleScript in ``~/Library/Application Scripts/com.microsoft.Excel``
(``xlwings runpython install``); it is copied too. There is no Excel on Linux: the installer says so and points to
``xl-campaign update``, which does headlessly what the ribbon button does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .addin import ADDIN_FILE, UDF_MODULE, AddinConfig, build_addin, check_addin, config_for_this_python

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


def one_time_steps(platform: str) -> list[str]:
    """What the user must do once in Excel after the file is in place."""
    if platform.startswith("win"):
        return [
            "重启 Excel，功能区会出现“Campaign / 活动”选项卡。XLSTART 是受信任位置，加载项中的宏可直接运行。",
            "Restart Excel: the ribbon shows the \"Campaign / 活动\" tab. XLSTART is a trusted location, so the "
            "add-in's macros may run.",
            "导入工作表函数（只需一次）：文件 ▸ 选项 ▸ 信任中心 ▸ 信任中心设置 ▸ 宏设置，勾选“信任对 VBA 工程对象模型的访问”；"
            "然后运行 `xl-campaign addin install --import-functions`，或在 Excel 中按 Alt+F11，打开 xl_campaign.xlam 的 "
            "xlwings 模块，把光标放在 ImportPythonUDFsToAddin 中按 F5，再按 Ctrl+S 保存加载项。",
            "Import the worksheet functions (once): File ▸ Options ▸ Trust Center ▸ Trust Center Settings ▸ Macro "
            "Settings, tick \"Trust access to the VBA project object model\"; then run "
            "`xl-campaign addin install --import-functions`, or in Excel press Alt+F11, open the xlwings module of "
            "xl_campaign.xlam, click into ImportPythonUDFsToAddin, press F5 and save the add-in with Ctrl+S.",
        ]
    if platform == "darwin":
        return [
            "用 Cmd+Q 完全退出 Excel 后重新打开，功能区会出现“Campaign / 活动”选项卡；首次点击按钮时，macOS 可能请求授权，请允许。"
            "CAMPAIGN_* 工作表函数依赖 Windows，在 macOS 上不可用。",
            "Quit Excel with Cmd+Q and start it again: the ribbon shows the \"Campaign / 活动\" tab. On the first click "
            "macOS may ask for permission; allow it. The CAMPAIGN_* worksheet functions need Windows (an xlwings "
            "limit) and are not available on macOS.",
        ]
    return linux_explanation()


def install_addin(*, platform: str = sys.platform, config: AddinConfig | None = None,
                  startup_dir: Path | None = None,
                  ask_excel: Callable[[], Path | None] = excel_startup_dir) -> InstallResult:
    """Build the add-in straight into Excel's startup folder and check it."""
    if not (platform.startswith("win") or platform == "darwin"):
        return InstallResult(ok=False, problems=linux_explanation())
    target_dir = startup_dir or ask_excel() or default_startup_dir(platform)
    assert target_dir is not None  # only None off Windows/macOS, handled above
    result = InstallResult(ok=True, target=target_dir / ADDIN_FILE)
    _close_open_addin()
    try:
        built = build_addin(target_dir, config or config_for_this_python(platform))
    except PermissionError:
        result.ok = False
        result.problems += [f"无法写入 {target_dir / ADDIN_FILE}：请先关闭 Excel 再重试。",
                            f"Cannot write {target_dir / ADDIN_FILE}: quit Excel and try again."]
        return result
    except OSError as error:
        result.ok = False
        result.problems.append(f"{target_dir}: {error.strerror or error}")
        return result
    result.done.append(f"{built}")
    check = check_addin(built)
    result.problems += check.problems
    result.ok = check.ok
    if platform == "darwin":
        try:
            from xlwings.cli import runpython_install

            runpython_install(None)
            result.done.append("xlwings AppleScript (RunPython)")
        except Exception as error:  # report, do not hide: RunPython will not work without it
            result.ok = False
            result.problems.append(f"xlwings runpython install: {error}")
    result.todo = one_time_steps(platform)
    return result


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


def import_functions(addin_path: Path) -> list[str]:
    """Windows: import the CAMPAIGN_* functions into the installed add-in's VBA and save it (needs Excel and
    "Trust access to the VBA project object model"). Returns problems; empty when done."""
    if not sys.platform.startswith("win"):
        return ["工作表函数只在 Windows 上可用。 / The worksheet functions are available on Windows only."]
    try:
        import xlwings as xw
        from xlwings.udfs import import_udfs

        started = not xw.apps
        app = xw.App(visible=False) if started else xw.apps.active
        try:
            book = app.books.open(str(addin_path))
            import_udfs(UDF_MODULE, book.api)  # what ImportPythonUDFsToAddin does, called from Python
            book.save()
        finally:
            if started:
                app.quit()
    except Exception as error:  # COM errors carry Excel's message; show it, with the manual way
        return [f"导入函数失败 / importing the functions failed: {error}",
                "请检查“信任对 VBA 工程对象模型的访问”，或按上文在 VBA 编辑器中手动运行 ImportPythonUDFsToAddin。 / "
                "Check \"Trust access to the VBA project object model\", or run ImportPythonUDFsToAddin in the VBA "
                "editor as described above."]
    return []
