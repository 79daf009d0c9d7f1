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
""", doc_zh="""
不是工作簿：文件其实是文本、HTML 或其他格式，只是用了电子表格的文件名。

检查内容：
    文件开头的几个字节。.xlsx/.xlsm 文件是一个 zip 压缩包，其中含有 ``xl/workbook.xml`` 部件；改名为
    ``.xlsx`` 的 CSV 文本、另存为 ``.xls`` 的网页，或装着其他内容的 zip 包，都不是工作簿。
为什么重要：
    这样的文件里没有任何内容能当作活动计划读取；用 Excel 打开时会提示文件格式不符或显示乱码。
示例：
    以 ``Task,Start`` 开头的 ``report.xlsx``（改了扩展名的 CSV 文件），或者其实是 HTML 网页的
    ``export.xls``。
如何修复：
    在 Excel 中打开该文件（CSV 文件通过导入打开），然后另存为「Excel 工作簿 (.xlsx)」。
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
""", doc_zh="""
空文件：文件一个字节也没有。

检查内容：
    文件的大小。
为什么重要：
    0 字节的文件通常是复制或保存中途被打断的结果；本应在其中的计划已经丢失。
示例：
    大小为 0 字节的 ``campaign.xlsx``。
如何修复：
    从备份或发件人处恢复工作簿，或用 ``xl-campaign new`` 新建一个。
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
""", doc_zh="""
旧版 .xls 格式：Excel 97–2003 的二进制工作簿。

检查内容：
    文件是否为不含加密流的 OLE2 复合文档（即旧的 ``.xls`` 格式）。如果其工作簿流以 FILEPASS 记录开头，提
    示信息会说明它还设置了密码加密。
为什么重要：
    本工具只读取 Open XML 格式（``.xlsx``/``.xlsm``）；Excel 表格、模板中的公式和数据验证都依赖这种格式
    。
示例：
    由 Excel 2003 或导出“Excel 97”格式的工具保存的 ``plan.xls``。
如何修复：
    在 Excel 中打开，选择「文件 ▸ 另存为」，保存类型选「Excel 工作簿 (.xlsx)」。设有密码的文件：先用密
    码打开，在「文件 ▸ 信息 ▸ 保护工作簿 ▸ 用密码进行加密」中清空密码，再另存为 .xlsx。
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
""", doc_zh="""
二进制工作簿（.xlsb）。

检查内容：
    zip 包中是否含有 ``xl/workbook.bin``（Excel 二进制工作簿）。
为什么重要：
    本工具无法脱离 Excel 读取或校验二进制格式。
示例：
    ``campaign.xlsb``。
如何修复：
    在 Excel 中另存为「Excel 工作簿 (.xlsx)」。
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
""", doc_zh="""
OpenDocument 电子表格（.ods）。

检查内容：
    zip 包是否为 OpenDocument 电子表格（含有 ``mimetype`` 和 ``content.xml``）。
为什么重要：
    活动模板依赖 Excel 表格和 Excel 公式，而 .ods 无法以同样的方式保存它们。
示例：
    由 LibreOffice Calc 保存的 ``plan.ods``，或被改名为 .xlsx 的 .ods 文件。
如何修复：
    在 LibreOffice 中选择「文件 ▸ 另存为」，文件类型选「Excel 2007-365 (.xlsx)」。
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
""", doc_zh="""
Strict Open XML 格式的工作簿。

检查内容：
    ``xl/workbook.xml`` 是否使用 ISO Strict 命名空间（``purl.oclc.org/ooxml``）。
为什么重要：
    Strict OOXML 很少见，大多数读取程序（包括本工具使用的快速读取器）都无法识别。
示例：
    通过「另存为」以「Strict Open XML 电子表格」类型保存的工作簿。
如何修复：
    重新另存为普通的「Excel 工作簿 (.xlsx)」。
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
""", doc_zh="""
工作簿已加密（设置了打开密码）。

检查内容：
    文件是否为加密的 Office 文件包（含有 ``EncryptionInfo`` 和 ``EncryptedPackage`` 流的 OLE2 容器）。用
    Excel 默认密码标记为只读的工作簿同样属于加密文件。
为什么重要：
    没有密码就什么也读不出来，而本工具从不询问、也不猜测密码。
示例：
    通过「文件 ▸ 信息 ▸ 保护工作簿 ▸ 用密码进行加密」保存的工作簿。
如何修复：
    另存一份专门用于校验的副本，在副本中取消密码（打开「用密码进行加密」，清空密码框）。
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
""", doc_zh="""
工作簿文件包已损坏或不完整。

检查内容：
    zip 目录和工作簿各部件能否读取（下载中断或保存出错，会留下缺少中央目录的 zip 包，或无法解析的部件）
    。
为什么重要：
    损坏的文件无法可靠读取；Excel 可能会提示修复，并在修复时悄悄丢掉部分内容。
示例：
    上传中断后只剩 9 KB 的 ``campaign.xlsx``。
如何修复：
    从来源或备份重新获取文件；如果 Excel 能修复，保存修复后的副本。
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
""", doc_zh="""
XML 实体声明（“XML 炸弹”）。

检查内容：
    文件包中是否有 XML 部件声明了带实体的 DOCTYPE。Office 从不写入这类内容。
为什么重要：
    层层嵌套的实体能把几百字节展开成数 GB 的文本（“十亿笑声”攻击），耗尽内存；因此本工具在任何解析器读取
    之前就拒绝此文件。
示例：
    以 ``<!DOCTYPE foo [<!ENTITY a0 "aaaa"> <!ENTITY a1 "&a0;&a0;"> …`` 开头的 ``xl/sharedStrings.xml``
    。
如何修复：
    不要打开此文件；请发件人提供由 Excel 保存的工作簿。
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
""", doc_zh="""
XML 外部实体（XXE）。

检查内容：
    XML 部件是否声明了带 ``SYSTEM`` 或 ``PUBLIC`` 标识符的 DOCTYPE。
为什么重要：
    外部实体会让不够谨慎的解析器读取本机文件或访问网络地址。此文件会被拒绝。
示例：
    某个工作表部件中的 ``<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>``。
如何修复：
    不要打开此文件；请发件人提供由 Excel 保存的工作簿。
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
""", doc_zh="""
压缩炸弹：文件包解压后会远远超出其本身的大小。

检查内容：
    在不解压任何内容的前提下检查 zip 目录，限值参照 Apache POI 的防护设置：最多 1000 个条目；原大小超过
    100 KiB 的条目，压缩后不得小于原大小的 1%；解压后合计不超过 512 MiB。
为什么重要：
    几百 KB 的文件就能装下数 GB 的 XML，在每台打开它的机器上耗尽内存和时间。
示例：
    一个 300 KB 的文件，其中的 ``sheet1.xml`` 解压后达 300 MB。
如何修复：
    不要打开此文件；如果文件确实正常，删除其中大片的空白区域后重新保存。
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
""", doc_zh="""
工作表过大，无法读取：单元格范围超过 1000 万个位置。

检查内容：
    在任何读取器接触文件之前，检查每个工作表部件中单元格的范围（从 A1 到最远的单元格）。
为什么重要：
    读取器会在内存中构建整个矩形区域：XFD1048576（工作表的最后一个单元格）中的一个值就意味着 170 亿个单
    元格，会让 python-calamine 直接中止整个进程，让 pandas 占用数 GB 内存。
示例：
    数据在 A1:B3，而 XFD1048576 中有一个误输入的值。
如何修复：
    按 Ctrl+End 找到最远的单元格，删除数据与它之间的空行和空列，然后保存。
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
""", doc_zh="""
文件过大：磁盘上超过 200 MB。

检查内容：
    打开之前先检查文件大小。
为什么重要：
    一份活动计划通常只有几百 KB；这么大的文件几乎肯定是别的东西，或者被图片、大片带格式的空白区域撑大了
    ，还会拖慢所有人的批量校验。
示例：
    嵌入了视频、大小为 350 MB 的 ``.xlsx``。
如何修复：
    把大型媒体文件移出工作簿，只保留计划本身的工作表。
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
""", doc_zh="""
Excel 锁定文件：有人正打开着这个工作簿。

检查内容：
    以 ``~$``（Excel）或 ``.~lock.``（LibreOffice）开头的文件名：即工作簿打开期间，Excel 在它旁边写入的
    所有者文件。锁定文件本身会被跳过。
为什么重要：
    它所指的工作簿正在某人的 Excel 中打开：磁盘上的这份可能还没有包含对方最新的修改。
示例：
    ``Campaign.xlsx`` 旁边的 ``~$Campaign.xlsx``。
如何修复：
    锁定文件本身无需处理。请打开该工作簿的人保存并关闭它，然后重新校验。
""")
file_rule("XF015", "unsupported-file-type", E, "不支持的文件类型", """Unsupported file type: only Open XML workbooks (.xlsx, .xlsm, .xltx, .xltm, .xlam) are checked.

What it checks:
    The extension of a file named on the command line (files found in folders are filtered to workbooks).
Why it matters:
    Other formats cannot hold the campaign template.
Example:
    ``xl-campaign check notes.txt``.
How to fix:
    Check the workbook itself, or save the data as an Excel Workbook (*.xlsx*).
""", doc_zh="""
不支持的文件类型：只校验 Open XML 工作簿（.xlsx、.xlsm、.xltx、.xltm、.xlam）。

检查内容：
    命令行中直接指定的文件的扩展名（在文件夹中找到的文件会自动只保留工作簿）。
为什么重要：
    其他格式无法承载活动模板。
示例：
    ``xl-campaign check notes.txt``。
如何修复：
    校验工作簿本身，或把数据另存为「Excel 工作簿 (.xlsx)」。
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
""", doc_zh="""
读取进程在处理此文件时崩溃。

检查内容：
    每个文件都在独立的工作进程中读取；这条结果记录的是读取该文件时意外退出的工作进程（原生读取器崩溃或中
    止）。
为什么重要：
    这个文件会让电子表格读取器出错，其他工具也可能因它崩溃。批量校验会继续处理下一个文件。
示例：
    经过模糊测试生成或手工改动过的文件包，使原生 XML 读取器中止。
如何修复：
    在 Excel 中打开该文件并另存为新工作簿；如果仍然失败，请把它发给维护者。
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
""", doc_zh="""
读取文件的时间超过了时间限制。

检查内容：
    处理单个文件所用的实际时间（``--timeout``，默认 60 秒）；超时后该工作进程会被停止。
为什么重要：
    一个活动工作簿不到一秒就能读完；迟迟读不完的文件必有异常，还会拖住整批校验。
示例：
    带有数百万行带格式空行的工作簿。
如何修复：
    删除带格式的空白区域和无用的工作表，保存后重新校验。
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
""", doc_zh="""
读取文件所需的内存超过了单个文件的上限。

检查内容：
    每个工作进程都有地址空间上限（``--memory-limit``，默认 2048 MB）；超出上限的内存分配会让该文件的读取
    停止。
为什么重要：
    一个异常文件不能占走整台机器的内存，影响同批其他文件的校验。
示例：
    已用区域达数百万个单元格的工作表。
如何修复：
    删除远处的单元格和带格式的空白区域（按 Ctrl+End 可看到最后一个单元格），保存后重新校验。
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
""", doc_zh="""
无法打开文件（文件不存在、是文件夹或没有权限）。

检查内容：
    能否以读取方式打开该路径。
为什么重要：
    什么都无法校验。
示例：
    ``xl-campaign check missing.xlsx``，或只有其他用户才能读取的文件。
如何修复：
    检查路径和文件权限。
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
""", doc_zh="""
某条校验规则在此工作簿上出错（xl-campaign 自身的缺陷）。

检查内容：
    每条规则独立运行：某条规则抛出异常时，这条结果会写明是哪条规则、出了什么错，其他规则照常报告。
为什么重要：
    这条规则负责的问题在此工作簿中没有被完整检查；报告会如实说明，既不隐瞒，也不会因此丢掉整个文件的校验
    结果。
示例：
    ``校验规则 DATE013（task-overdue）出错：TypeError: …``。
如何修复：
    工作簿无需修改：请把这条信息（如有可能，连同工作簿）报告给维护者。
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
    "XF015": ("不支持的文件类型（{detail}），只校验 .xlsx/.xlsm/.xltx/.xltm/.xlam",
              "unsupported file type ({detail}); only .xlsx/.xlsm/.xltx/.xltm/.xlam are checked",
              "另存为 .xlsx", "save it as .xlsx"),
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


@rule("XF021", "used-range-inflated", W, "已用区域过大", doc_zh="""
工作表的已用区域远远超出数据范围（远处有零散的值或格式）。

检查内容：
    第 500,000 行以下或第 1,000 列（ALL 列）以右的单元格（有值或仅有格式）。
为什么重要：
    Excel 的 Ctrl+End、打印、筛选以及所有读取程序都会把工作表当作这么大：文件变慢，而在内存中构建整个已
    用区域的读取器（pandas、某些加载项）需要数 GB 内存。
示例：
    一个 20 行的表格下方，A1048576 中有一个带格式的空单元格。
如何修复：
    选中数据与远处单元格之间的空行（或空列），执行「删除」（不是只清除内容），然后保存；之后按 Ctrl+End
    就会停在数据末尾。
""")
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


@rule("XF022", "workbook-structure-protected", INFO, "工作簿结构受保护", doc_zh="""
工作簿结构受密码保护。

检查内容：
    ``xl/workbook.xml`` 中带密码的 ``<workbookProtection>``（这不是加密：文件仍然可以读取）。
为什么重要：
    无法添加、重命名或删除工作表：「校验并更新」无法在其中重建「甘特图」「汇总」和「问题清单」工作表。
示例：
    用密码执行了「审阅 ▸ 保护工作簿」。
如何修复：
    更新工作簿之前，再次点击「审阅 ▸ 保护工作簿」并输入密码，取消保护。
""")
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


@rule("XF023", "date-1904-system", INFO, "1904 日期系统", doc_zh="""
工作簿使用 1904 日期系统。

检查内容：
    工作簿属性中的 ``date1904``（旧版 Mac Excel 的默认设置）。
为什么重要：
    日期序列号与常用的 1900 日期系统相差 1,462 天：在 1904 和 1900 日期系统的工作簿之间复制日期，会偏移
    四年。本工具会正确换算。
示例：
    最初在 Excel 2008 for Mac 中创建的工作簿。
如何修复：
    通常无需处理；如需与其他工作簿保持一致，在「文件 ▸ 选项 ▸ 高级」中取消勾选「使用 1904 日期系统」，并
    重新检查以数字形式输入的日期。
""")
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
