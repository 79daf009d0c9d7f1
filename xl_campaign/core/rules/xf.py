"""XF: the file itself. Most XF rules are raised before any parser runs (``file_findings`` maps the guard's
problem kinds to them); a few look at what the package scan noted while the workbook was read."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import FileProblem, Finding, Severity
from ..model import Plan
from ..text import is_zh, t
from .context import Context
from .registry import RULES, file_rule, rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

file_rule("XF001", "not-a-workbook", E, "不是工作簿文件", """Not a workbook: the file is text, HTML or another format saved with a spreadsheet name.

What it checks:
    The first bytes of the file. An .xlsx/.xlsm file is a zip package with an ``xl/workbook.xml`` part; CSV
    text renamed to ``.xlsx``, a web page saved as ``.xls`` or a zip of something else is not.
Why it matters:
    Nothing in such a file can be read as a campaign plan, and opening it in Excel shows a format warning or
    garbled text.
Example:
    ``report.xlsx`` that starts with ``Task,Start`` (a CSV file renamed), or ``export.xls`` that is HTML.
How to fix:
    Open the file in Excel (or import the CSV) and save it as an Excel Workbook (*.xlsx*).
""")
file_rule("XF002", "empty-file", E, "空文件", """Empty file: the file has no bytes at all.

What it checks:
    The size of the file.
Why it matters:
    A zero-byte file is usually the result of an interrupted copy or save; the plan it should hold is missing.
Example:
    ``campaign.xlsx`` of 0 bytes.
How to fix:
    Restore the workbook from a backup or the sender, or make a new one with ``xl-campaign new``.
""")
file_rule("XF003", "legacy-xls-format", E, "旧版 .xls 格式", """Legacy .xls format: a binary Excel 97–2003 workbook.

What it checks:
    Whether the file is an OLE2 compound document without encryption streams (the old ``.xls`` format). When
    its workbook stream starts with a FILEPASS record, the message says that it is also encrypted with a
    password.
Why it matters:
    The checker reads the Open XML format (``.xlsx``/``.xlsm``) only; Excel Tables, the template's formulas
    and data validation need it.
Example:
    ``plan.xls`` saved by Excel 2003 or by a tool exporting "Excel 97".
How to fix:
    Open it in Excel and choose *File ▸ Save As ▸ Excel Workbook (.xlsx)*. A password-protected one: open it
    with its password, clear *File ▸ Info ▸ Protect Workbook ▸ Encrypt with Password*, then save it as .xlsx.
""")
file_rule("XF004", "xlsb-format", E, "二进制 .xlsb 格式", """Binary workbook (.xlsb).

What it checks:
    Whether the zip package holds ``xl/workbook.bin`` (Excel Binary Workbook).
Why it matters:
    The binary format cannot be read or checked headless by this tool.
Example:
    ``campaign.xlsb``.
How to fix:
    Save it as an Excel Workbook (*.xlsx*) in Excel.
""")
file_rule("XF005", "ods-format", E, "OpenDocument 表格格式", """OpenDocument spreadsheet (.ods).

What it checks:
    Whether the zip package is an OpenDocument spreadsheet (``mimetype`` and ``content.xml``).
Why it matters:
    The campaign template relies on Excel Tables and Excel formulas, which .ods does not carry the same way.
Example:
    ``plan.ods`` saved by LibreOffice Calc, or an .ods renamed to .xlsx.
How to fix:
    In LibreOffice choose *File ▸ Save As ▸ Excel 2007-365 (.xlsx)*.
""")
file_rule("XF006", "strict-ooxml", E, "Strict Open XML 格式", """Strict Open XML workbook.

What it checks:
    Whether ``xl/workbook.xml`` uses the ISO Strict namespaces (``purl.oclc.org/ooxml``).
Why it matters:
    Strict OOXML is rare and most readers, including the fast reader used here, do not understand it.
Example:
    A workbook saved with *Save As ▸ Strict Open XML Spreadsheet*.
How to fix:
    Save it again as a normal *Excel Workbook (.xlsx)*.
""")
file_rule("XF007", "encrypted-workbook", E, "工作簿已加密", """Encrypted (password-protected) workbook.

What it checks:
    Whether the file is an encrypted Office package (an OLE2 container with ``EncryptionInfo`` and
    ``EncryptedPackage`` streams). Workbooks marked read-only with Excel's default password are encrypted too.
Why it matters:
    Without the password nothing can be read, and the checker never asks for or guesses passwords.
Example:
    A workbook saved with *File ▸ Info ▸ Protect Workbook ▸ Encrypt with Password*.
How to fix:
    Remove the password (*Encrypt with Password*, empty the field) in a copy meant for checking.
""")
file_rule("XF008", "corrupt-package", E, "文件损坏", """Corrupt or truncated workbook package.

What it checks:
    Whether the zip directory and the workbook parts can be read (a truncated download or a broken save
    leaves a zip without its central directory, or parts that do not parse).
Why it matters:
    A damaged file cannot be read reliably; Excel may offer to repair it and silently drop content.
Example:
    ``campaign.xlsx`` cut off at 9 KB by an interrupted upload.
How to fix:
    Get the file again from its source or a backup; if Excel can repair it, save the repaired copy.
""")
file_rule("XF009", "xml-entity-expansion", E, "XML 实体炸弹", """XML entity declarations (an "XML bomb").

What it checks:
    Whether any XML part of the package declares a DOCTYPE with entities. Office never writes these.
Why it matters:
    Nested entities expand a few hundred bytes into gigabytes of text ("billion laughs") and exhaust memory;
    the file is refused before any parser sees it.
Example:
    ``xl/sharedStrings.xml`` beginning with ``<!DOCTYPE foo [<!ENTITY a0 "aaaa"> <!ENTITY a1 "&a0;&a0;"> …``.
How to fix:
    Do not open the file; ask the sender for a workbook saved by Excel.
""")
file_rule("XF010", "xml-external-entity", E, "XML 外部实体", """XML external entity (XXE).

What it checks:
    Whether an XML part declares a DOCTYPE with ``SYSTEM`` or ``PUBLIC`` identifiers.
Why it matters:
    External entities make a careless parser read local files or reach network addresses. The file is refused.
Example:
    ``<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`` in a sheet part.
How to fix:
    Do not open the file; ask the sender for a workbook saved by Excel.
""")
file_rule("XF011", "zip-bomb", E, "压缩炸弹", """Zip bomb: the package would inflate far beyond its size.

What it checks:
    The zip directory, without inflating anything, against limits modelled on Apache POI's guard: at most
    1000 entries, each entry above 100 KiB compressed to no less than 1% of its size, at most 512 MiB in all.
Why it matters:
    A few hundred kilobytes can hold gigabytes of XML and exhaust memory and time on every machine that
    opens the file.
Example:
    A 300 KB file whose ``sheet1.xml`` inflates to 300 MB.
How to fix:
    Do not open the file; if it is genuine, remove the huge empty areas and save it again.
""")
file_rule("XF012", "sheet-too-large", E, "工作表范围过大", """Sheet too large to read: its cells span more than 10 million positions.

What it checks:
    The extent of the cells each sheet part holds (from A1 to the farthest cell), before any reader sees it.
Why it matters:
    Readers build the whole rectangle in memory: one value at XFD1048576 (the last cell of a sheet) asks for
    17 billion cells, makes python-calamine abort the whole process and pandas use gigabytes.
Example:
    A sheet with data in A1:B3 and a stray value in XFD1048576.
How to fix:
    Press Ctrl+End to find the far cell, delete the empty rows and columns between your data and it, save.
""")
file_rule("XF013", "file-too-large", E, "文件过大", """File too large: more than 200 MB on disk.

What it checks:
    The size of the file before it is opened.
Why it matters:
    A campaign plan is a few hundred kilobytes; a file this size is almost certainly something else or
    bloated by images or empty formatted areas, and would make a batch check slow for everyone.
Example:
    A 350 MB ``.xlsx`` with embedded videos.
How to fix:
    Move large media out of the workbook; keep the plan's sheets only.
""")
file_rule("XF014", "excel-lock-file", INFO, "Excel 锁定文件", """Excel lock file: someone has the workbook open.

What it checks:
    File names beginning with ``~$`` (Excel) or ``.~lock.`` (LibreOffice): the owner file Excel writes next to
    a workbook while it is open. The lock file is skipped.
Why it matters:
    The workbook it names is open in someone's Excel: the copy on disk may not have their latest edits.
Example:
    ``~$Campaign.xlsx`` next to ``Campaign.xlsx``.
How to fix:
    Nothing to fix in the lock file. Ask whoever has the workbook open to save and close it, then check again.
""")
file_rule("XF015", "unsupported-file-type", E, "不支持的文件类型", """Unsupported file type: only .xlsx and .xlsm workbooks are checked.

What it checks:
    The extension of a file named on the command line (files found in folders are filtered to workbooks).
Why it matters:
    Other formats cannot hold the campaign template.
Example:
    ``xl-campaign check notes.txt``.
How to fix:
    Check the workbook itself, or save the data as an Excel Workbook (*.xlsx*).
""")
file_rule("XF016", "reader-crashed", E, "读取进程崩溃", """The reader process died on this file.

What it checks:
    Each file is read in an isolated worker process; this finding records a worker that died (a crash in a
    native reader, an abort) while reading the file.
Why it matters:
    The file defeats a spreadsheet reader; other tools may crash on it too. The batch goes on with the next file.
Example:
    A fuzzed or hand-edited package that makes the native XML reader abort.
How to fix:
    Open the file in Excel and save it again as a new workbook; if it still fails, send it to the maintainers.
""")
file_rule("XF017", "time-limit-exceeded", E, "读取超时", """Reading the file took longer than the time limit.

What it checks:
    The wall time spent on one file (``--timeout``, 60 s by default); the worker is stopped when it is exceeded.
Why it matters:
    A campaign workbook reads in well under a second; a file that does not finish is pathological and would
    hold up a batch.
Example:
    A workbook with millions of formatted empty rows.
How to fix:
    Remove empty formatted areas and unused sheets, save and check again.
""")
file_rule("XF018", "memory-limit-exceeded", E, "内存超限", """Reading the file needed more memory than the per-file limit.

What it checks:
    Each worker runs with an address-space limit (``--memory-limit``, 2048 MB by default); an allocation
    beyond it stops the file.
Why it matters:
    One pathological file must not take the machine's memory from the rest of the batch.
Example:
    A sheet whose used range is millions of cells.
How to fix:
    Remove far-away cells and empty formatted areas (Ctrl+End shows the last cell), save and check again.
""")
file_rule("XF019", "file-not-readable", E, "无法读取文件", """The file cannot be opened (missing, a folder, no permission).

What it checks:
    Whether the path can be opened for reading.
Why it matters:
    Nothing can be checked.
Example:
    ``xl-campaign check missing.xlsx``, or a file readable only by another user.
How to fix:
    Check the path and the file's permissions.
""")


file_rule("XF024", "rule-failed", E, "校验规则自身出错", """A validation rule failed on this workbook (a bug in xl-campaign).

What it checks:
    Every rule runs on its own: when one raises an exception, this finding names the rule and the error,
    and the other rules still report.
Why it matters:
    The workbook was not fully checked for that rule's problems; the report says so instead of hiding it or
    losing the whole file.
Example:
    ``rule DATE013 (task-overdue) failed: TypeError: …``.
How to fix:
    Nothing to fix in the workbook: report the message (and if possible the workbook) to the maintainers.
""")


# What each file-level code says, by code ("code/variant" for a variant of the message): zh, en, and the hint in
# zh and en. ``{detail}`` is the problem's detail (a part, a size, a reason), said in Chinese where known.
FILE_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "XF001": ("不是 Excel 工作簿（{detail}）", "not an Excel workbook ({detail})",
              "在 Excel 中打开并另存为“Excel 工作簿 (.xlsx)”", "open it in Excel and save as Excel Workbook (.xlsx)"),
    "XF002": ("文件为空（0 字节）", "the file is empty (0 bytes)",
              "从备份或发件人处重新获取文件", "get the file again from a backup or the sender"),
    "XF003": ("旧版 .xls（Excel 97–2003）格式，无法校验", "legacy .xls (Excel 97–2003) format, cannot be checked",
              "在 Excel 中打开并另存为 .xlsx", "open it in Excel and save it as .xlsx"),
    "XF003/encrypted": ("旧版 .xls（Excel 97–2003）格式，且已用密码加密，无法校验",
                        "legacy .xls (Excel 97–2003) format, encrypted with a password; cannot be checked",
                        "用密码在 Excel 中打开，取消“用密码进行加密”，再另存为 .xlsx",
                        "open it in Excel with its password, remove Encrypt with Password, save it as .xlsx"),
    "XF004": ("二进制工作簿（.xlsb），无法校验", "binary workbook (.xlsb), cannot be checked",
              "在 Excel 中另存为 .xlsx", "save it as .xlsx in Excel"),
    "XF005": ("OpenDocument 表格（.ods），无法校验", "OpenDocument spreadsheet (.ods), cannot be checked",
              "另存为 Excel 2007-365 (.xlsx)", "save it as Excel 2007-365 (.xlsx)"),
    "XF006": ("Strict Open XML 格式，无法校验", "Strict Open XML workbook, cannot be checked",
              "另存为普通的“Excel 工作簿 (.xlsx)”", "save it as a normal Excel Workbook (.xlsx)"),
    "XF007": ("工作簿已加密（需要密码），无法读取", "the workbook is encrypted (password), cannot be read",
              "在副本中取消“用密码进行加密”后再校验", "remove Encrypt with Password in a copy, then check it"),
    "XF008": ("文件损坏或不完整：{detail}", "corrupt or truncated file: {detail}",
              "重新获取文件；若 Excel 能修复，保存修复后的副本",
              "get the file again; if Excel can repair it, save the repaired copy"),
    "XF008/parts": ("工作簿内容无法解析：{detail}", "the workbook's parts cannot be parsed: {detail}",
                    "在 Excel 中打开并另存为新工作簿", "open it in Excel and save it as a new workbook"),
    "XF009": ("XML 部件声明了实体（XML 炸弹）：{detail}，已拒绝读取",
              "an XML part declares entities (XML bomb): {detail}; refused",
              "不要打开此文件，向发件人索取由 Excel 保存的工作簿", "do not open it; ask for a workbook saved by Excel"),
    "XF010": ("XML 部件引用外部实体（XXE）：{detail}，已拒绝读取",
              "an XML part declares external entities (XXE): {detail}; refused",
              "不要打开此文件，向发件人索取由 Excel 保存的工作簿", "do not open it; ask for a workbook saved by Excel"),
    "XF011": ("压缩炸弹：{detail}，已拒绝解压", "zip bomb: {detail}; not inflated",
              "不要打开此文件", "do not open the file"),
    "XF012": ("工作表范围过大：{detail}", "sheet too large to read: {detail}",
              "按 Ctrl+End 找到最远的单元格，删除数据与它之间的空行空列后保存",
              "press Ctrl+End to find the far cell, delete the empty rows/columns up to it, save"),
    "XF013": ("文件过大：{detail}", "file too large: {detail}",
              "把大文件（图片、视频）移出工作簿", "move large media out of the workbook"),
    "XF014": ("Excel 锁定文件：工作簿 {detail} 正被打开，已跳过",
              "Excel lock file: the workbook {detail} is open in Excel; skipped",
              "请打开者保存并关闭 {detail} 后再校验", "ask whoever has {detail} open to save and close it, then check again"),
    "XF015": ("不支持的文件类型（{detail}），只校验 .xlsx/.xlsm", "unsupported file type ({detail}); only .xlsx/.xlsm "
              "are checked", "另存为 .xlsx", "save it as .xlsx"),
    "XF016": ("读取进程在处理此文件时崩溃（{detail}）", "the reader process died on this file ({detail})",
              "在 Excel 中另存为新工作簿后再校验", "save it as a new workbook in Excel and check again"),
    "XF017": ("读取超时（{detail}）", "reading took longer than the time limit ({detail})",
              "删除空的格式化区域和无用工作表后再校验", "remove empty formatted areas and unused sheets, check again"),
    "XF018": ("读取所需内存超过限制（{detail}）", "reading needed more memory than the limit ({detail})",
              "删除远处的单元格和空的格式化区域后再校验", "remove far-away cells and empty formatted areas, check again"),
    "XF019": ("无法打开文件：{detail}", "cannot open the file: {detail}",
              "检查路径和权限", "check the path and permissions"),
}
# Details that are words rather than names or numbers, said in Chinese.
_DETAILS_ZH = {"text": "文本文件", "html": "HTML 网页", "binary": "未知二进制文件", "empty zip": "空压缩包",
               "zip without xl/workbook.xml": "压缩包中没有 xl/workbook.xml", "no such file": "文件不存在",
               "a folder": "这是一个文件夹", "no permission": "没有读取权限", "no extension": "无扩展名"}


def file_findings(problem: FileProblem, *, path: str | None = None, lang: str = "en") -> list[Finding]:
    """The XF finding for a file that could not be read (``problem``: its code, detail and variant), in ``lang``:
    the one message every command gives for that problem."""
    key = f"{problem.code}/{problem.variant}" if problem.variant else problem.code
    zh, en, hint_zh, hint_en = FILE_MESSAGES.get(key) or FILE_MESSAGES[problem.code]
    detail = problem.detail
    shown = _DETAILS_ZH.get(detail, detail) if is_zh(lang) else detail
    text = t(lang, zh, en, detail=shown or problem.code)
    if not detail:
        text = text.replace("（）", "").replace(" ()", "").replace("：，", "，").replace(": ;", ";")
    registered = RULES[problem.code]
    return [Finding(code=problem.code, rule=registered.name, severity=registered.severity, message=text, file=path,
                    value=detail or None, hint=t(lang, hint_zh, hint_en, detail=shown))]


# --- XF rules that look at what the package scan noted ---------------------------------------------------------


@rule("XF020", "external-reference", W, "外部引用")
def external_reference(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The package points at an outside address (an XML map schema, an external link).

    What it checks:
        XML map schemas (``xl/xmlMaps.xml``) that name a ``schemaLocation`` outside the file, and links to
        other workbooks (``xl/externalLinks``).
    Why it matters:
        A workbook that fetches or refers to outside files behaves differently on each machine, and a schema
        location on a network address is a classic way to make a parser reach out (XXE-style).
        Nothing is fetched by the checker.
    Example:
        ``<xs:redefine schemaLocation="http://localhost">`` inside an XML map.
    How to fix:
        Remove the XML map (*Developer ▸ Source ▸ XML Maps ▸ Delete*) or break the link (*Data ▸ Edit Links*).
    """
    for note in plan.cell_notes:
        if note.kind == "external-reference":
            yield ctx.finding(None, f"工作簿引用外部地址：{note.value}", f"the workbook refers to an outside address: "
                              f"{note.value}", value=note.value,
                              hint=("删除 XML 映射或断开外部链接", "delete the XML map or break the external link"))


@rule("XF021", "used-range-inflated", W, "已用区域过大")
def used_range_inflated(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A sheet's used range reaches far beyond its data (a stray value or formatting far away).

    What it checks:
        Cells (values or just formatting) beyond row 500,000 or column 1,000 (ALL).
    Why it matters:
        Excel's Ctrl+End, printing, filters and every reader treat the sheet as that large: files get slow,
        and readers that build the used rectangle in memory (pandas, some add-ins) need gigabytes.
    Example:
        One formatted empty cell at A1048576 below a 20-row table.
    How to fix:
        Select the empty rows (or columns) between the data and the far cell, *Delete* them (not just clear),
        save; Ctrl+End then stops at the data.
    """
    for note in plan.cell_notes:
        if note.kind == "inflated":
            yield ctx.finding((note.sheet, note.row, note.col),
                              f"工作表的已用区域延伸到 {note.value}，远超数据范围",
                              f"the sheet's used range reaches {note.value}, far beyond its data", value=note.value,
                              hint=("删除数据与该单元格之间的空行/空列后保存",
                                    "delete the empty rows/columns between the data and that cell, save"))


@rule("XF022", "workbook-structure-protected", INFO, "工作簿结构受保护")
def workbook_structure_protected(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The workbook's structure is protected with a password.

    What it checks:
        ``<workbookProtection>`` with a password in ``xl/workbook.xml`` (not encryption: the file still reads).
    Why it matters:
        Sheets cannot be added, renamed or removed: *Check & Update* cannot rebuild the Gantt, Summary and
        Issues sheets in it.
    Example:
        *Review ▸ Protect Workbook* with a password.
    How to fix:
        *Review ▸ Protect Workbook* again to remove the protection before updating the workbook.
    """
    for note in plan.cell_notes:
        if note.kind == "protected":
            yield ctx.finding(None, "工作簿结构受密码保护，无法增删工作表", "the workbook structure is protected by "
                              "a password; sheets cannot be added or removed",
                              hint=("审阅 ▸ 保护工作簿，取消保护", "Review ▸ Protect Workbook to remove it"))


@rule("XF023", "date-1904-system", INFO, "1904 日期系统")
def date_1904_system(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The workbook uses the 1904 date system.

    What it checks:
        ``date1904`` in the workbook properties (old Mac Excel default).
    Why it matters:
        Date serial numbers are 1,462 days apart from the usual 1900 system: dates copied between a 1904 and a
        1900 workbook shift by four years. The checker converts them correctly.
    Example:
        A workbook first made in Excel 2008 for Mac.
    How to fix:
        Usually nothing; to align with other workbooks, clear *Use 1904 date system* in Excel's options and
        re-check dates that were typed as numbers.
    """
    if plan.date1904:
        yield ctx.finding(None, "工作簿使用 1904 日期系统（日期已按此换算）",
                          "the workbook uses the 1904 date system (dates were converted accordingly)")
