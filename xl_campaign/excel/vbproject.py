"""What the add-in's VBA gets at install on Windows, through Excel's own VBA object model.

The add-in is built from xlwings' template, whose VBA stays byte for byte what xlwings ships (``addin.py``). Three
things need the VBA itself, and are done at ``xl-campaign addin install`` by Excel, on the installed add-in, when
"Trust access to the VBA project object model" is on (the same setting xlwings' ``import_udfs`` needs):

* **the ribbon callback guard.** The template's ``RibbonMyAddin.RunMain`` calls ``RunPython``, which reads
  ``ActiveWorkbook`` before Python starts; with no workbook open (or only one in Protected View, which Excel does
  not count as a workbook) that is VBA run-time error 91 and a "Debug" button into the code (xlwings issue 1207).
  Its code is replaced by the same lines behind ``If ActiveWorkbook Is Nothing Then MsgBox …: Exit Sub``;
* **the functions** (``CAMPAIGN_*``): xlwings' ``import_udfs`` writes the module ``xlwings_udfs`` into the add-in.
  A rebuilt add-in has none, so a reinstall imports them again when the old add-in had them (:func:`has_functions`);
* **the project's name**: the template calls its VBA project "MyAddin"; it becomes ``xl_campaign``.

Excel compiles and saves the project itself (``VBProject``, ``VBComponents``, ``CodeModule.Lines``/``DeleteLines``/
``AddFromString``, ``VBProject.Name``: Microsoft's VBA extensibility reference), so a project Excel would not accept
cannot be written: the alternative — writing VBA source into ``vbaProject.bin`` ourselves (MS-OVBA compression in a
compound file) — could not be tried in Excel here, and a project Excel rejected would break the add-in for everyone.
Without the trust setting the add-in stays the template (it works; the guard is missing) and the installer says so.

Two names are not changed: the module ``RibbonMyAddin`` (the ribbon XML calls ``RibbonMyAddin.RunMain``) and the
constant ``PROJECT_NAME = "myaddin"`` in xlwings' module, which names the settings sheet ``myaddin.conf`` and the
settings files (xlwings.bas ``GetConfig``): changing it only where the trust setting is on would give two kinds of
installs with differently named settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.text import Texts

RIBBON_MODULE = "RibbonMyAddin"
FUNCTIONS_MODULE = "xlwings_udfs"  # the module xlwings' import_udfs writes (xlwings/udfs.py)
PROJECT = "xl_campaign"
GUARD_MARKER = "If ActiveWorkbook Is Nothing Then"
VBA_LINE = 1023  # VBA's longest physical line
MSO_LANGUAGE_ID_UI = 2  # Office's msoLanguageIDUI: the language of Excel's menus
CHINESE_LANGUAGE_IDS = (2052, 4100, 1028, 3076, 5124)  # zh-CN, zh-SG, zh-TW, zh-HK, zh-MO

# The template's RunMain: the guard is added only in front of exactly these lines (another template is left alone).
TEMPLATE_RUN_MAIN = (
    "Sub RunMain(control As IRibbonControl)",
    '    mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, vbTextCompare) - 1))',
    '    RunPython "import " & mymodule & ";" & mymodule & ".main()"',
    "End Sub",
)

NO_WORKBOOK = Texts({
    "message": ("没有可以校验的工作簿：请先打开活动工作簿（如果它在“受保护的视图”中，请先点击“启用编辑”），再点击“校验并更新”。",
                "There is no workbook to check: open the campaign workbook (in Protected View, click Enable Editing "
                "first), then press Check & Update."),
})

TEXTS = Texts({
    "not_trusted": ("Excel 不允许访问加载项的 VBA 工程（{reason}）。",
                    "Excel does not allow access to the add-in's VBA project ({reason})."),
    "no_excel": ("无法在 Excel 中打开加载项（{reason}）。", "The add-in could not be opened in Excel ({reason})."),
    "unknown_template": ("此 xlwings 版本的 RibbonMyAddin.RunMain 与预期不同，未加入“无工作簿”保护。",
                         "RibbonMyAddin.RunMain of this xlwings differs from what xl-campaign knows: the no-workbook "
                         "guard was not added."),
    "import_failed": ("导入工作表函数失败（{reason}）。", "Importing the worksheet functions failed ({reason})."),
    "save_failed": ("Excel 未能保存加载项（{reason}）。", "Excel could not save the add-in ({reason})."),
})


def vba_terms(text: str) -> list[str]:
    """``text`` as the terms of a VBA string expression (to be joined by ``&``) of ASCII characters only: the VBA
    editor stores source in the system's ANSI code page, so anything else is written as ``ChrW(&H…)``."""
    terms: list[str] = []
    plain = ""
    for char in text:
        if " " <= char <= "~" and len(plain) < 80:
            plain += '""' if char == '"' else char
            continue
        if plain:
            terms.append(f'"{plain}"')
            plain = ""
        if " " <= char <= "~":
            plain = '""' if char == '"' else char
        else:
            terms.append("vbLf" if char == "\n" else f"ChrW(&H{ord(char):X})")
    if plain or not terms:
        terms.append(f'"{plain}"')
    return terms


def _assign(variable: str, terms: list[str]) -> list[str]:
    """``variable = term & term …`` in statements of at most a quarter of VBA's line length."""
    lines: list[str] = []
    current = ""
    for term in terms:
        if current and len(current) + len(term) + 40 > VBA_LINE // 4:
            lines.append(current)
            current = ""
        current = f"{current} & {term}" if current else term
    lines.append(current)
    return [f"        {variable} = {lines[0]}"] + [f"        {variable} = {variable} & {line}" for line in lines[1:]]


def guarded_run_main() -> str:
    """The code of ``RibbonMyAddin`` with the guard (as the VBA editor shows it: without ``Attribute`` lines).

    The message is in Chinese when Excel's menus are (``LanguageSettings.LanguageID(msoLanguageIDUI)``), followed by
    the English one: a Windows whose ANSI code page has no Chinese shows "?" for it in a VBA MsgBox."""
    ids = "," + ",".join(map(str, CHINESE_LANGUAGE_IDS)) + ","
    lines = [
        TEMPLATE_RUN_MAIN[0],
        "    ' xl-campaign: RunPython reads ActiveWorkbook before Python starts; with no workbook open (or only one in",
        "    ' Protected View) that is run-time error 91 (xlwings issue 1207). Say what to do instead.",
        f"    {GUARD_MARKER}",
        "        Dim message As String, chinese As String",
        *_assign("message", vba_terms(NO_WORKBOOK("message", "en"))),
        f'        If InStr("{ids}", "," & Application.LanguageSettings.LanguageID({MSO_LANGUAGE_ID_UI}) & ",") > 0 Then',
        *["    " + line for line in _assign("chinese", vba_terms(NO_WORKBOOK("message", "zh")))],
        "            message = chinese & vbLf & vbLf & message",
        "        End If",
        '        MsgBox message, vbExclamation, "xl-campaign"',
        "        Exit Sub",
        "    End If",
        *TEMPLATE_RUN_MAIN[1:],
    ]
    return "\r\n".join(lines) + "\r\n"


def has_functions(path: str | Path) -> bool:
    """Whether the add-in at ``path`` holds the imported ``CAMPAIGN_*`` functions: its VBA project has xlwings'
    module ``xlwings_udfs`` (read by ``io.vba``, oletools' olevba)."""
    from .addin import vba_modules

    return FUNCTIONS_MODULE in (vba_modules(path) or {})


@dataclass
class Finished:
    """What :func:`finish` did to the add-in open in Excel."""

    trusted: bool = False
    guarded: bool = False
    functions: bool = False
    named: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)


def finish(workbook: Any, *, functions: bool, import_udfs: Callable[[str, Any], Any]) -> Finished:
    """Guard the ribbon callback, import the functions (``functions``) and name the project, in ``workbook`` (the
    add-in's ``Workbook`` COM object, open in Excel). Nothing is saved here: the caller saves when ``problems`` is
    empty, and otherwise closes without saving, so the file is either finished or left as built."""
    from .addin import UDF_MODULE

    done = Finished()
    try:
        project = workbook.VBProject
        components = project.VBComponents
        ribbon = components(RIBBON_MODULE).CodeModule
        count = ribbon.CountOfLines
        code = ribbon.Lines(1, count) if count else ""
    except Exception as error:  # "Programmatic access to Visual Basic Project is not trusted" (COM error)
        done.problems.append(TEXTS.pair("not_trusted", reason=_reason(error)))
        return done
    done.trusted = True
    current = [line.rstrip() for line in code.splitlines() if line.strip()]
    if GUARD_MARKER in code:
        done.guarded = True
    elif current == list(TEMPLATE_RUN_MAIN):
        ribbon.DeleteLines(1, count)
        ribbon.AddFromString(guarded_run_main())
        done.guarded = True
    else:
        done.notes.append(TEXTS.pair("unknown_template"))
    if functions:
        try:
            import_udfs(UDF_MODULE, workbook)
        except Exception as error:
            done.problems.append(TEXTS.pair("import_failed", reason=_reason(error)))
        else:
            done.functions = True
    try:
        project.Name = PROJECT
        done.named = True
    except Exception:  # a cosmetic name: never a reason to fail
        pass
    return done


def _reason(error: Exception) -> str:
    """The text of a COM error (``excepinfo`` carries Excel's own message) or any other."""
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    info = args[2] if len(args) >= 3 else None
    if isinstance(info, tuple) and len(info) > 2 and info[2]:  # pywintypes.com_error: (hr, text, excepinfo, arg)
        return str(info[2])
    return str(error) or type(error).__name__
