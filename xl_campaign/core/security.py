"""What can run code, reach outside the file or leak from a workbook: the vocabulary the package scan looks for and
the SEC rules (``core/rules/sec.py``) judge with. Pure: text in, facts out.

- **Formulas** (:func:`formula_hits`): DDE (``app|'topic'!item``, ``DDE()``, ``DDEAUTO()``) and the functions that
  call code (``CALL``, ``REGISTER``, ``REGISTER.ID``, ``EXEC``) run something; ``WEBSERVICE``, ``RTD`` and ``IMAGE``
  reach out (``FILTERXML`` reads what ``WEBSERVICE`` fetched); ``HYPERLINK`` is judged by its target.
- **Links** (:func:`link_risk`): web and mail addresses and links to other spreadsheet files are fine; ``file:``
  URLs, UNC paths (``\\\\server\\share``), script URLs (``javascript:``) and other schemes are not.
- **VBA** (:func:`vba_trigger`, :data:`VBA_CALLS`): which procedures Excel runs by itself (on open, on close, on
  events) and which calls do what malware does. The keyword tables follow oletools' olevba (AutoExec and
  Suspicious keywords), narrowed to what tells an operations team something.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AREA = "SEC"  # the rule codes of these findings (core/rules/sec.py)


def is_security(code: str) -> bool:
    """Whether a finding's code is a SEC rule's: the Issues sheet and the HTML report put those first."""
    return code.startswith(AREA)


# --- formulas ------------------------------------------------------------------------------------------------------

COMMAND = "command"  # starts a program or calls code: an error
WEB = "web"  # sends a request to an address: a warning
LINK = "link"  # HYPERLINK(): judged by its target

FUNCTIONS: dict[str, str] = {
    "DDE": COMMAND, "DDEAUTO": COMMAND, "CALL": COMMAND, "REGISTER": COMMAND, "REGISTER.ID": COMMAND,
    "EXEC": COMMAND, "WEBSERVICE": WEB, "RTD": WEB, "IMAGE": WEB, "FILTERXML": WEB, "HYPERLINK": LINK,
}
# Words the package scan looks for in a sheet part before it reads its formulas one by one (``|`` is DDE's mark).
HINT_WORDS = ("WEBSERVICE", "FILTERXML", "REGISTER.ID", "REGISTER", "HYPERLINK", "DDEAUTO", "CALL", "EXEC", "IMAGE", "DDE", "RTD")

_STRING = re.compile(r'"(?:[^"]|"")*"')
_FUNCTION = re.compile(r"(?i)(?<![\w.])(?:_xlfn\.|_xludf\.)?(DDEAUTO|DDE|CALL|REGISTER\.ID|REGISTER|EXEC|WEBSERVICE|"
                       r"FILTERXML|RTD|IMAGE|HYPERLINK)\s*\(")
_LITERALS = re.compile(r'\s*(?:"((?:[^"]|"")*)"\s*[,;]?)')
# app|topic!item: the application is a name or a quoted name, the topic a quoted or plain text up to "!"
_DDE = re.compile(r"(?:'((?:[^']|'')+)'|([^\s=(),;+\-*/&^<>'|!]+))\|\s*(?:'((?:[^']|'')*)'|([^!]*))!\s*"
                  r"(?:'((?:[^']|'')*)'|([^\s,;)]*))")


@dataclass(frozen=True, slots=True)
class FormulaHit:
    """One function of a formula that runs something or reaches out: its name, its kind (:data:`COMMAND`,
    :data:`WEB`, :data:`LINK`) and what it names (a program and topic, an address, a library and procedure)."""

    function: str
    kind: str
    argument: str = ""


def _blank_strings(text: str) -> str:
    """``text`` with its string literals blanked (same length), so that words inside quotes match nothing."""
    return _STRING.sub(lambda m: '"' + " " * (len(m[0]) - 2) + '"', text)


def _literals(text: str, start: int, limit: int = 2) -> list[str]:
    """The leading string-literal arguments of the call whose ``(`` ends at ``start``."""
    out: list[str] = []
    position = start
    while len(out) < limit:
        m = _LITERALS.match(text, position)
        if m is None:
            break
        out.append(m[1].replace('""', '"'))
        position = m.end()
    return out


def formula_hits(text: str) -> list[FormulaHit]:
    """The functions of the formula ``text`` (with or without its ``=``) that run something or reach out; empty when
    there is none (words inside string literals do not count)."""
    blank = _blank_strings(text)
    hits: list[FormulaHit] = []
    if "|" in blank:
        for m in _DDE.finditer(blank):
            hits.append(FormulaHit("DDE", COMMAND, text[m.start():m.end()].strip()))
    for m in _FUNCTION.finditer(blank):
        name = m[1].upper()
        args = _literals(text, m.end(), 2)
        if name in ("CALL", "REGISTER", "REGISTER.ID"):
            argument = "!".join(args)
        elif name == "DDEAUTO" or name == "DDE":
            argument = "|".join(args[:2])
        else:
            argument = args[0] if args else ""
        hit = FormulaHit(name, FUNCTIONS[name], argument)
        if hit not in hits:
            hits.append(hit)
    if any(h.function == "FILTERXML" for h in hits) and not any(h.function == "WEBSERVICE" for h in hits):
        hits = [h for h in hits if h.function != "FILTERXML"]  # FILTERXML alone parses text, it fetches nothing
    return hits


# --- links ---------------------------------------------------------------------------------------------------------

SCRIPT, UNC, SCHEME, FILE = "script", "unc", "scheme", "file"
SPREADSHEET_FILES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".fods", ".csv", ".et", ".numbers")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_FILE_HOST = re.compile(r"(?i)^file:(?://|\\\\)([^/\\]*)")


def link_risk(target: str) -> str | None:
    """What a link's target is when it is not a web or mail address: :data:`SCRIPT` (``javascript:``,
    ``vbscript:``, ``data:``), :data:`UNC` (a network share, ``\\\\server\\share`` or ``file://server/…``),
    :data:`SCHEME` (another scheme: ``ms-msdt:``, ``search-ms:`` …) or :data:`FILE` (a local path or ``file:`` URL);
    None for web and mail addresses, places in this workbook and paths to other spreadsheet files."""
    text = target.strip().strip('"')
    if not text or text.startswith("#"):
        return None
    lowered = text.lower()
    if lowered.startswith(("http://", "https://", "mailto:")):
        return None
    if text.startswith(("\\\\", "//")):
        return UNC
    if lowered.startswith("file:"):
        rest = text[5:]
        if rest.lstrip("/").startswith("\\\\"):  # file:///\\server\share, as Excel writes a network path
            return UNC
        host = _FILE_HOST.match(text)
        if host is not None and host[1] and host[1].lower() != "localhost":
            return UNC
    scheme = _SCHEME.match(text)
    if scheme is not None and not _DRIVE.match(text) and scheme[1].lower() != "file":
        return SCRIPT if scheme[1].lower() in ("javascript", "vbscript", "data") else SCHEME
    path = text.split("#", 1)[0].split("?", 1)[0].rstrip()
    if path.lower().endswith(SPREADSHEET_FILES):
        return None  # another workbook (a companion's or a portfolio's link back): opening it is checked on its own
    return FILE


# --- connection strings ------------------------------------------------------------------------------------------

_SECRET = re.compile(r"(?i)\b(password|pwd)\s*=\s*(\"[^\"]*\"|'[^']*'|[^;]*)")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s:@]+):([^@/\s]+)@")


def has_secret(text: str) -> bool:
    """Whether a connection string or address holds a password."""
    return any(m[2].strip(" \"'") for m in _SECRET.finditer(text)) or _URL_PASSWORD.search(text) is not None


def mask_secrets(text: str) -> str:
    """``text`` with passwords replaced by ``***`` (``Password=…``, ``Pwd=…``, ``user:password@host``)."""
    text = _SECRET.sub(lambda m: f"{m[1]}=***" if m[2].strip(" \"'") else m[0], text)
    return _URL_PASSWORD.sub(r"\1:***@", text)


# --- VBA ---------------------------------------------------------------------------------------------------------

OPEN, CLOSE, EVENT = "open", "close", "event"
_ON_OPEN = {"auto_open", "auto_ope", "autoopen", "workbook_open", "workbook_activate", "workbook_windowactivate",
            "worksheet_calculate"}  # Worksheet_Calculate: the recalculation when the file opens triggers it
_ON_CLOSE = {"auto_close", "autoclose", "workbook_beforeclose", "workbook_deactivate", "workbook_close"}
# ActiveX controls fire these while the sheet is drawn, without a click (olevba: "runs when the file is opened")
_CONTROL_ON_OPEN = re.compile(r"(?i)^\w+_(?:Painted|Painting|Layout|Resize|GotFocus|BeforeNavigate2|DocumentComplete|"
                              r"DownloadBegin|DownloadComplete|NavigateComplete2|NavigateError|ProgressChange|"
                              r"PropertyChange|SetSecureLockIcon|StatusTextChange|TitleChange|FileDownload|"
                              r"BeforeScriptExecute|OnConnecting)$")
_ON_EVENT = re.compile(r"(?i)^(?:(?:Workbook|Worksheet|Chart|App|Application)_\w+|\w+_(?:Click|DblClick|Change|"
                       r"MouseMove|MouseDown|MouseUp|MouseEnter|MouseLeave|MouseHover|KeyDown|KeyPress|KeyUp|"
                       r"LostFocus|BeforeUpdate|AfterUpdate|Enter|Exit|FollowHyperlink|ContentControlOnEnter))$")


def vba_trigger(procedure: str) -> str | None:
    """When Excel runs the VBA procedure named ``procedure`` by itself: :data:`OPEN` (the file is opened —
    ``Auto_Open``, ``Workbook_Open``, an ActiveX control's drawing events), :data:`CLOSE` (``Auto_Close``,
    ``Workbook_BeforeClose``), :data:`EVENT` (a person edits, clicks, saves: ``Worksheet_Change``,
    ``Button1_Click``), or None (it runs only when someone runs it)."""
    lowered = procedure.lower()
    if lowered in _ON_OPEN or _CONTROL_ON_OPEN.match(procedure):
        return OPEN
    if lowered in _ON_CLOSE:
        return CLOSE
    if _ON_EVENT.match(procedure):
        return EVENT
    return None


# Suspicious calls by what they do: (zh, en) label and the keywords (whole words, any case).
VBA_CALLS: dict[str, tuple[tuple[str, str], tuple[str, ...]]] = {
    "run": (("运行程序或命令", "runs programs or commands"),
            ("Shell", "ShellExecute", "ShellExecuteA", "ShellExecuteW", "WScript.Shell", "Shell.Application",
             "PowerShell", "cmd.exe", "Start-Process", "MacScript", "AppleScript", "ExecuteExcel4Macro",
             "Win32_Process", "InvokeVerb", "InvokeVerbEx", "WinExec")),
    "network": (("联网下载或发送数据", "downloads or sends data over the network"),
                ("URLDownloadToFile", "URLDownloadToFileA", "URLDownloadToFileW", "Msxml2.XMLHTTP",
                 "Microsoft.XMLHTTP", "MSXML2.ServerXMLHTTP", "WinHttp.WinHttpRequest", "Net.WebClient",
                 "DownloadFile", "DownloadString", "InternetOpen", "InternetOpenA", "InternetOpenUrl",
                 "InternetOpenUrlA", "InternetReadFile")),
    "objects": (("创建或接管其他程序的对象", "creates or takes over other programs' objects"),
                ("CreateObject", "GetObject")),
    "library": (("调用 Windows 系统库", "calls Windows system libraries"),
                ("Lib", "VirtualAlloc", "VirtualAllocEx", "VirtualProtect", "RtlMoveMemory", "CreateThread",
                 "WriteProcessMemory", "CallWindowProc")),
    "files": (("写入、复制或删除文件", "writes, copies or deletes files"),
              ("FileCopy", "CopyFile", "MoveFile", "DeleteFile", "Kill", "CreateTextFile", "ADODB.Stream",
               "SaveToFile")),
    "registry": (("读写注册表或宏安全设置", "reads or writes the registry or macro security settings"),
                 ("RegRead", "RegWrite", "RegDelete", "RegOpenKeyEx", "RegOpenKeyExA", "RegSetValueEx",
                  "AccessVBOM", "VBAWarnings", "ProtectedView")),
    "code": (("修改 VBA 代码", "changes VBA code"),
             ("VBProject", "VBComponents", "CodeModule", "AddFromString", "AddFromFile", "InsertLines")),
    "keys": (("向其他程序发送按键", "sends keystrokes to other programs"), ("SendKeys", "AppActivate")),
    "hide": (("隐藏 Excel 窗口", "hides Excel"), ("Application.Visible", "ShowWindow")),
}
_CALL_GROUP = {keyword.lower(): group for group, (_, keywords) in VBA_CALLS.items() for keyword in keywords}
VBA_CALL_PATTERN = re.compile(
    r"(?i)(?<![\w.])(" + "|".join(re.escape(k) for k in sorted(_CALL_GROUP, key=len, reverse=True)) + r")(?![\w])")
VBA_URL_PATTERN = re.compile(r"(?i)\b(?:https?|ftp)://[^\s\"'<>()]+")
VBA_PROCEDURE_PATTERN = re.compile(r"(?im)^[ \t]*(?:(?:Public|Private|Friend|Static)[ \t]+)*"
                                   r"(?:Sub|Function|Property[ \t]+(?:Get|Let|Set))[ \t]+([A-Za-z_]\w*)")


def vba_call_group(keyword: str) -> str | None:
    """The :data:`VBA_CALLS` group a keyword found by :data:`VBA_CALL_PATTERN` belongs to."""
    return _CALL_GROUP.get(keyword.lower())
