"""Build and check ``xl_campaign.xlam``: the Excel add-in with the "Campaign / 活动" ribbon tab.

The add-in is made from the ribbon add-in template inside the *installed* xlwings
(``quickstart_addin_ribbon.xlam``, what ``xlwings quickstart NAME --addin --ribbon`` copies), so its VBA always
matches the installed xlwings: the VBA declares the xlwings DLL by version, and a VBA/Python mismatch is the
classic xlwings failure. The build changes nothing in the VBA — it only touches plain XML parts of the package (what
needs the VBA changed is done by Excel itself at install on Windows: ``vbproject.py``):

* ``customUI/customUI.xml`` — the ribbon, from ``workbook/ribbon/customUI.xml``. Its button calls the template's
  existing callback ``RibbonMyAddin.RunMain``, which runs ``import <add-in file name>; <name>.main()``; so the file
  must be called ``xl_campaign.xlam`` and runs ``import xl_campaign; xl_campaign.main()``.
* the config sheet — the template ships it inactive as ``_myaddin.conf``; it is renamed ``myaddin.conf`` (the VBA
  constant ``PROJECT_NAME`` is "myaddin" and stays so) and filled with ``UDF Modules = xl_campaign.excel.udfs`` and
  the Python interpreter that built the add-in, so Excel runs the Python where xl-campaign is installed.

:func:`check_addin` re-reads a built add-in as a stranger would: the package, the ribbon XML, every ``onAction``
against the procedures in the VBA (read with oletools' olevba when installed), the VBA's xlwings version against
the installed one, and the config sheet's keys.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PureWindowsPath
from typing import Any
from xml.sax.saxutils import escape

from ..core.text import Texts

ADDIN_FILE = "xl_campaign.xlam"
UDF_MODULE = "xl_campaign.excel.udfs"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
PROJECT_NAME = "myaddin"  # the template's VBA constant PROJECT_NAME: names the config sheet and config files
CONFIG_SHEET = f"{PROJECT_NAME}.conf"
INACTIVE_CONFIG_SHEET = f"_{PROJECT_NAME}.conf"
CUSTOMUI_PART = "customUI/customUI.xml"
RIBBON_CALLBACK = "RibbonMyAddin.RunMain"
TAB_LABEL = "Campaign / 活动"
BUTTON_LABEL = "Check & Update (校验并更新)"

CUSTOMUI_NAMESPACES = ("http://schemas.microsoft.com/office/2006/01/customui",
                       "http://schemas.microsoft.com/office/2009/07/customui")
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
CUSTOMUI_REL_TYPES = ("http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
                      "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility")

# A fixed time stamp for every zip entry: building twice gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class AddinBuildError(Exception):
    """The installed xlwings template is not what this builder knows (a message for the user, not a bug)."""


@dataclass(frozen=True)
class AddinConfig:
    """The settings written to the add-in's ``myaddin.conf`` sheet (xlwings' config keys).

    Keys with an empty value are left out: a key present with an empty value would hide the same key in the
    user's ``%USERPROFILE%\\.myaddin\\myaddin.conf`` file (xlwings.bas GetConfig stops at the sheet).
    """

    interpreter_win: str = ""
    interpreter_mac: str = ""
    conda_path: str = ""
    conda_env: str = ""
    pythonpath: str = ""
    udf_modules: str = UDF_MODULE

    def rows(self) -> list[tuple[str, str | bool]]:
        """(key, value) in sheet order; GetConfigFromSheet reads column A from A1 down to the first blank."""
        text = [("Interpreter_Win", self.interpreter_win), ("Interpreter_Mac", self.interpreter_mac),
                ("Conda Path", self.conda_path), ("Conda Env", self.conda_env), ("PYTHONPATH", self.pythonpath),
                ("UDF Modules", self.udf_modules)]
        # ADD_WORKBOOK_TO_PYTHONPATH FALSE: xl_campaign is an installed package, so RunPython need not put the
        # workbook's folder on sys.path — and must not: it resolves ActiveWorkbook.FullName for that before our
        # code runs (xlwings.utils.prepare_sys_path), which raises for a OneDrive/SharePoint workbook it cannot map
        # (a traceback instead of our message), and a stray .py beside a workbook would shadow a module.
        flags: list[tuple[str, str | bool]] = [("ADD_WORKBOOK_TO_PYTHONPATH", False), ("Debug UDFs", False),
                                               ("Use UDF Server", False), ("Show Console", False)]
        return [(key, value) for key, value in text if value] + flags


def config_for_this_python(platform: str = sys.platform, executable: str = sys.executable,
                           environ: Mapping[str, str] = os.environ, prefix: str = sys.prefix,
                           base_prefix: str = sys.base_prefix) -> AddinConfig:
    """Settings that make Excel run this Python — the one xl-campaign is installed in.

    A conda environment that *is* this Python (``CONDA_PREFIX`` = ``sys.prefix``, no venv on top) is configured by
    Conda Path/Env, as ``xlwings config create`` does (conda's DLLs need the environment activated). Anything else —
    a venv, even one activated inside a conda shell whose variables are still set, or a plain Python — by its
    interpreter path: Conda Path/Env there would start the conda base interpreter, which lacks xl_campaign."""
    if platform.startswith("win"):
        conda_env, conda_exe, conda_prefix = (environ.get("CONDA_DEFAULT_ENV"), environ.get("CONDA_EXE"),
                                              environ.get("CONDA_PREFIX"))
        is_conda_env = (conda_env and conda_exe and conda_prefix and prefix == base_prefix
                        and PureWindowsPath(conda_prefix) == PureWindowsPath(prefix))
        if is_conda_env:
            # xlwings wants the conda root: without the trailing \Scripts\conda.exe
            return AddinConfig(conda_path=str(PureWindowsPath(conda_exe or "").parent.parent), conda_env=conda_env or "")
        return AddinConfig(interpreter_win=executable)
    if platform == "darwin":
        return AddinConfig(interpreter_mac=executable)
    return AddinConfig()  # Linux: no Excel here; the add-in falls back to "python" on PATH


def configured_python(config: AddinConfig, platform: str = sys.platform) -> str | None:
    """The python executable the add-in's settings make Excel start (None: "python" from PATH), as xlwings.bas
    XLPyLoadDLL works it out for Conda Path/Env."""
    if platform.startswith("win"):
        if config.interpreter_win:
            return config.interpreter_win
        if config.conda_path and config.conda_env:
            root = PureWindowsPath(config.conda_path)
            env = config.conda_env
            folder = root if env == "base" else PureWindowsPath(env) if "\\" in env else root / "envs" / env
            return str(folder / "python.exe")
        return None
    if platform == "darwin":
        return config.interpreter_mac or None
    return config.interpreter_mac or config.interpreter_win or None  # Linux: only a build for another machine


INTERPRETER_TEXTS = Texts({
    "missing": ("加载项设置的 Python（{python}）无法运行：{reason}。请在安装了 xl-campaign 的 Python 环境中运行 "
                "`xl-campaign addin install`，或用 `--interpreter` 指定该环境的 python。",
                "The Python the add-in is set to start ({python}) does not run: {reason}. Run `xl-campaign addin "
                "install` from the Python environment where xl-campaign is installed, or name its python with "
                "`--interpreter`."),
    "no_package": ("加载项设置的 Python（{python}）中无法导入 xl_campaign 和 xlwings：{reason}。Excel 会启动这个 Python，"
                   "按钮和函数都会失败。请在安装了 xl-campaign 的环境中运行 `xl-campaign addin install`，或用 `--interpreter` "
                   "指定正确的 python。",
                   "The Python the add-in is set to start ({python}) cannot import xl_campaign and xlwings: {reason}. "
                   "Excel would start this Python and both the button and the functions would fail. Run `xl-campaign "
                   "addin install` from the environment where xl-campaign is installed, or name the right python with "
                   "`--interpreter`."),
    "version": ("加载项设置的 Python（{python}）中的 xlwings 是 {found}，而加载项的 VBA 来自 xlwings {expected}：请在同一环境中生成"
                "加载项。",
                "The Python the add-in is set to start ({python}) has xlwings {found}, but the add-in's VBA comes from "
                "xlwings {expected}: build the add-in from that same environment."),
    "dll": ("xlwings 的 DLL（{dll}）不在 Excel 查找的位置：Excel 只在 python.exe 所在文件夹（{here}）或其上一级（{up}）查找。"
            "“校验并更新”按钮可以使用，但 CAMPAIGN_* 函数会无法加载。这通常是 `pip install --user` 或 Microsoft Store 版 Python "
            "造成的：请改用 python.org 安装包或虚拟环境（python -m venv）安装 xl-campaign。",
            "xlwings' DLL ({dll}) is not where Excel looks for it: only beside python.exe ({here}) or one folder up "
            "({up}). The Check & Update button works, but the CAMPAIGN_* functions will not load. This comes from "
            "`pip install --user` or the Microsoft Store Python: install xl-campaign into a python.org Python or a "
            "virtual environment (python -m venv) instead."),
})


def interpreter_problems(config: AddinConfig, platform: str = sys.platform, lang: str | None = None,
                         run: Any = None) -> list[str]:
    """Run the Python the add-in will start (``-c "import xl_campaign, xlwings"``) and say what is wrong: it does not
    run, lacks the packages, or has another xlwings than the one whose VBA the add-in carries. Empty when fine or
    when there is nothing to run ("python" from PATH)."""
    import subprocess

    import xlwings

    python = configured_python(config, platform)
    if not python:
        return []
    run = run or subprocess.run
    try:
        done = run([python, "-c", "import xl_campaign, xlwings; print(xlwings.__version__)"], capture_output=True,
                   text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as error:
        return [INTERPRETER_TEXTS("missing", lang, python=python, reason=str(error))]
    if done.returncode != 0:
        last = (done.stderr or "").strip().splitlines()
        return [INTERPRETER_TEXTS("no_package", lang, python=python, reason=last[-1] if last else done.returncode)]
    found = (done.stdout or "").strip()
    if found != xlwings.__version__:
        return [INTERPRETER_TEXTS("version", lang, python=python, found=found, expected=xlwings.__version__)]
    return []


def dll_problem(python: str, dll_paths: list[str], lang: str | None = None) -> str | None:
    """Windows: the xlwings DLL the add-in's VBA loads must be beside ``python`` or one folder up (xlwings.bas
    XLPyLoadDLL: ParentFolder(PYTHON_WIN), then ParentFolder(ParentFolder(PYTHON_WIN))). ``dll_paths``: where the
    installed xlwings put its DLLs. None when one is found there (or xlwings installed none: not Windows)."""
    if not dll_paths:
        return None
    here = PureWindowsPath(python).parent
    up = here.parent
    for dll in dll_paths:
        folder = PureWindowsPath(dll).parent
        if str(folder).lower() in (str(here).lower(), str(up).lower()):
            return None
    return INTERPRETER_TEXTS("dll", lang, dll=dll_paths[0], here=str(here), up=str(up))


def installed_dlls() -> list[str]:
    """Where pip put the installed xlwings' DLLs (``xlwings64-<version>.dll``; Windows wheels only)."""
    from importlib import metadata

    try:
        files = metadata.files("xlwings") or []
    except metadata.PackageNotFoundError:
        return []
    return [str(file.locate()) for file in files if re.fullmatch(r"xlwings(32|64)-[\d.]+\.dll", file.name)]


def template_path() -> Path:
    """The ribbon add-in template shipped with the installed xlwings."""
    import xlwings

    path = Path(xlwings.__file__).with_name(TEMPLATE_NAME)
    if not path.is_file():
        raise AddinBuildError(f"xlwings {xlwings.__version__} has no {TEMPLATE_NAME}; "
                              "reinstall xlwings (pip install --force-reinstall xlwings)")
    return path


def ribbon_xml() -> str:
    """The ribbon source text, ``workbook/ribbon/customUI.xml`` (installed as package data)."""
    return (resources.files("xl_campaign.workbook") / "ribbon" / "customUI.xml").read_text(encoding="utf-8")


def _config_sheet_xml(template_sheet: str, shared: dict[str, int], config: AddinConfig) -> str:
    rows = config.rows()
    cells = []
    for number, (key, value) in enumerate(rows, start=1):
        key_cell = f'<c r="A{number}" s="1" t="s"><v>{shared.setdefault(key, len(shared))}</v></c>'
        if isinstance(value, bool):
            value_cell = f'<c r="B{number}" s="1" t="b"><v>{int(value)}</v></c>'
        else:
            value_cell = f'<c r="B{number}" s="1" t="s"><v>{shared.setdefault(value, len(shared))}</v></c>'
        cells.append(f'<row r="{number}" spans="1:2">{key_cell}{value_cell}</row>')
    sheet, count = re.subn(r"<sheetData>.*</sheetData>|<sheetData\s*/>", "<sheetData>" + "".join(cells) + "</sheetData>",
                           template_sheet, flags=re.S)
    if count != 1:
        raise AddinBuildError("the template's config sheet has an unexpected layout (no sheetData)")
    return re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:B{len(rows)}" />', sheet)


def _shared_strings_xml(shared: dict[str, int]) -> str:
    items = "".join(f"<si><t xml:space=\"preserve\">{escape(text)}</t></si>"
                    for text, _ in sorted(shared.items(), key=lambda item: item[1]))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<sst xmlns="{MAIN_NS}" count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>')


def build_addin(out_dir: str | Path, config: AddinConfig | None = None, *, template: str | Path | None = None,
                ribbon: str | None = None) -> Path:
    """Write ``xl_campaign.xlam`` into ``out_dir`` (atomically) and return its path."""
    config = config or config_for_this_python()
    source = Path(template) if template else template_path()
    ribbon_text = ribbon if ribbon is not None else ribbon_xml()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_FILE

    with zipfile.ZipFile(source) as package:
        names = package.namelist()
        for needed in ("xl/workbook.xml", "xl/vbaProject.bin", CUSTOMUI_PART, "xl/sharedStrings.xml"):
            if needed not in names:
                raise AddinBuildError(f"{source.name} lacks {needed}; this xlwings template is not supported")
        parts = {name: package.read(name) for name in names}

    workbook = parts["xl/workbook.xml"].decode("utf-8")
    if f'name="{INACTIVE_CONFIG_SHEET}"' in workbook:
        workbook = workbook.replace(f'name="{INACTIVE_CONFIG_SHEET}"', f'name="{CONFIG_SHEET}"', 1)
    elif f'name="{CONFIG_SHEET}"' not in workbook:
        raise AddinBuildError(f"{source.name} has no {INACTIVE_CONFIG_SHEET} sheet")
    sheet_part = _sheet_part(parts, CONFIG_SHEET, workbook)
    shared: dict[str, int] = {}
    parts[sheet_part] = _config_sheet_xml(parts[sheet_part].decode("utf-8"), shared, config).encode("utf-8")
    parts["xl/sharedStrings.xml"] = _shared_strings_xml(shared).encode("utf-8")
    parts["xl/workbook.xml"] = workbook.encode("utf-8")
    parts[CUSTOMUI_PART] = ribbon_text.encode("utf-8")

    handle, temp_name = tempfile.mkstemp(prefix=".xl_campaign-", suffix=".xlam.tmp", dir=out_dir)
    os.close(handle)
    try:
        with zipfile.ZipFile(temp_name, "w", zipfile.ZIP_DEFLATED) as out:
            # [Content_Types].xml first, as Office writes it
            for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", names.index(n))):
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                out.writestr(info, parts[name])
        os.replace(temp_name, target)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
    return target


def _sheet_part(parts: Mapping[str, bytes], sheet_name: str, workbook_xml: str | None = None) -> str:
    """The package part of the sheet called ``sheet_name``, through workbook.xml and its relationships."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(workbook_xml or parts["xl/workbook.xml"])
    rel_id = None
    for sheet in root.iter(f"{{{MAIN_NS}}}sheet"):
        if sheet.get("name") == sheet_name:
            rel_id = sheet.get(f"{{{REL_NS}}}id")
    if rel_id is None:
        raise AddinBuildError(f"no sheet {sheet_name!r} in the add-in")
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    for rel in rels.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise AddinBuildError(f"the sheet {sheet_name!r} has no part in the add-in")


# ----------------------------------------------------------------------------------------------------------------
# Checking a built add-in


@dataclass(frozen=True)
class Procedure:
    """A Sub or Function of the add-in's VBA."""

    module: str
    name: str
    kind: str  # "Sub" | "Function"
    params: str
    private: bool


@dataclass
class AddinCheck:
    """What :func:`check_addin` found. ``problems`` is empty for a good add-in."""

    path: Path
    problems: list[str] = field(default_factory=list)
    on_actions: list[str] = field(default_factory=list)
    config: dict[str, str] = field(default_factory=dict)
    vba_checked: bool = False  # False when oletools is not installed
    vba_xlwings_version: str | None = None
    procedures: list[Procedure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_PROC = re.compile(r"^[ \t]*(?:(Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?(Sub|Function)[ \t]+(\w+)"
                   r"[ \t]*\(([^)]*)\)", re.M | re.I)
_RIBBON_PARAMS = re.compile(r"^\s*(?:ByRef\s+|ByVal\s+)?\w+\s+As\s+IRibbonControl\s*$", re.I)


def vba_modules(path: str | Path) -> dict[str, str] | None:
    """Module name → VBA source of an Office package's VBA project (``xl/vbaProject.bin``, read by ``io.vba``:
    oletools' olevba); {} when it has none or it cannot be read, None without oletools."""
    from ..io.vba import modules

    try:
        with zipfile.ZipFile(path) as package:
            data = package.read("xl/vbaProject.bin")
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    try:
        return dict(modules(data))
    except ImportError:
        return None
    except Exception:  # olevba's own errors for a project it cannot read
        return {}


def procedures(modules: Mapping[str, str]) -> list[Procedure]:
    """Every Sub and Function declared in ``modules`` (Declare statements are not procedures)."""
    found = []
    for module, code in modules.items():
        for match in _PROC.finditer(code):
            found.append(Procedure(module, match[3], match[2].capitalize(), match[4].strip(),
                                   (match[1] or "").lower() == "private"))
    return found


def ribbon_label(label: str) -> str:
    """The text a ribbon shows for ``label``: "&&" is a literal "&", a single "&" marks an access key."""
    return re.sub(r"&(&?)", lambda m: m[1], label)


def check_addin(path: str | Path) -> AddinCheck:
    """Re-read a built add-in and list what would stop it from working in Excel."""
    import xlwings
    from defusedxml import ElementTree

    path = Path(path)
    check = AddinCheck(path)
    problems = check.problems
    if path.name != ADDIN_FILE:
        problems.append(f"the file must be called {ADDIN_FILE}: RunMain imports the add-in's file name")
    try:
        with zipfile.ZipFile(path) as package:
            bad = package.testzip()
            if bad:
                problems.append(f"corrupt zip entry {bad}")
            parts = {name: package.read(name) for name in package.namelist()}
    except (OSError, zipfile.BadZipFile) as error:
        problems.append(f"not a valid zip package: {error}")
        return check

    # Package: content types and relationships
    types_root = ElementTree.fromstring(parts.get("[Content_Types].xml", b"<Types/>"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types_root.iter(f"{{{CT_NS}}}Override")}
    if overrides.get("/xl/workbook.xml") != ADDIN_CONTENT_TYPE:
        problems.append("xl/workbook.xml is not declared as a macro-enabled add-in")
    if overrides.get("/xl/vbaProject.bin") != VBA_CONTENT_TYPE or "xl/vbaProject.bin" not in parts:
        problems.append("the VBA project (xl/vbaProject.bin) is missing or undeclared")
    for name, ctype in overrides.items():
        if name and name.lstrip("/") not in parts:
            problems.append(f"[Content_Types].xml declares {name} ({ctype}) but the part is missing")
    root_rels = ElementTree.fromstring(parts.get("_rels/.rels", b"<Relationships/>"))
    ui_targets = [r.get("Target", "").lstrip("/") for r in root_rels.iter(f"{{{PKG_REL_NS}}}Relationship")
                  if r.get("Type") in CUSTOMUI_REL_TYPES]
    if ui_targets != [CUSTOMUI_PART]:
        problems.append(f"the package must point to exactly one ribbon part {CUSTOMUI_PART}, found {ui_targets}")

    # Ribbon
    try:
        ui = ElementTree.fromstring(parts[CUSTOMUI_PART])
    except KeyError:
        problems.append(f"{CUSTOMUI_PART} is missing")
        ui = None
    except ElementTree.ParseError as error:
        problems.append(f"{CUSTOMUI_PART} does not parse: {error}")
        ui = None
    if ui is not None:
        namespace = ui.tag[1:].split("}")[0] if ui.tag.startswith("{") else ""
        if namespace not in CUSTOMUI_NAMESPACES or not ui.tag.endswith("}customUI"):
            problems.append(f"{CUSTOMUI_PART} is not a customUI document ({ui.tag})")
        ns = f"{{{namespace}}}"
        tabs = [t.get("label") for t in ui.iter(f"{ns}tab")]
        if tabs != [TAB_LABEL]:
            problems.append(f"expected one ribbon tab {TAB_LABEL!r}, found {tabs}")
        buttons = [b for b in ui.iter(f"{ns}button")
                   if ribbon_label(b.get("label", "")) == BUTTON_LABEL and b.get("size") == "large"]
        if len(buttons) != 1:
            problems.append(f"expected one large button {BUTTON_LABEL!r}")
        ids = [e.get("id") for e in ui.iter() if e.get("id")]
        if len(ids) != len(set(ids)):
            problems.append("ribbon control ids are not unique")
        check.on_actions = [e.get("onAction", "") for e in ui.iter() if e.get("onAction") is not None]
        if buttons and buttons[0].get("onAction") != RIBBON_CALLBACK:
            problems.append(f"the Check & Update button must call {RIBBON_CALLBACK}")

    # Config sheet
    try:
        check.config = _read_config_sheet(parts)
    except (AddinBuildError, KeyError, ElementTree.ParseError) as error:
        problems.append(f"config sheet {CONFIG_SHEET}: {error}")
    else:
        if check.config.get("UDF Modules") != UDF_MODULE:
            problems.append(f"config sheet: UDF Modules must be {UDF_MODULE}, is {check.config.get('UDF Modules')!r}")
        for module in (check.config.get("UDF Modules") or "").split(";"):
            if module and importlib.util.find_spec(module) is None:
                problems.append(f"config sheet: UDF module {module} cannot be imported by this Python")
    if importlib.util.find_spec(path.stem) is None:
        problems.append(f"RunMain will run 'import {path.stem}', which this Python cannot import")

    # VBA
    modules = vba_modules(path)
    if modules is None:
        return check
    check.vba_checked = True
    check.procedures = procedures(modules)
    by_module = {(p.module.lower(), p.name.lower()): p for p in check.procedures}
    for action in check.on_actions:
        module, _, name = action.rpartition(".")
        candidates = ([by_module.get((module.lower(), name.lower()))] if module
                      else [p for p in check.procedures if p.name.lower() == name.lower()])
        found = [p for p in candidates if p is not None]
        if not found:
            problems.append(f"onAction {action!r} names no procedure in the add-in's VBA")
        elif not any(p.kind == "Sub" and not p.private and _RIBBON_PARAMS.match(p.params) for p in found):
            problems.append(f"onAction {action!r}: the procedure must be a public Sub(control As IRibbonControl)")
    vba_text = "\n".join(modules.values())
    version = re.search(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', vba_text)
    check.vba_xlwings_version = version[1] if version else None
    if check.vba_xlwings_version != xlwings.__version__:
        problems.append(f"the add-in's VBA is for xlwings {check.vba_xlwings_version}, "
                        f"the installed xlwings is {xlwings.__version__}: rebuild the add-in")
    dlls = set(re.findall(r'"xlwings(?:32|64)-([0-9][^"]*)\.dll"', vba_text))
    if dlls != {xlwings.__version__}:
        problems.append(f"the VBA declares xlwings DLL versions {sorted(dlls)}, expected {xlwings.__version__}")
    project = re.search(r'PROJECT_NAME\s+As\s+String\s*=\s*"([^"]+)"', vba_text)
    if not project or f"{project[1]}.conf" != CONFIG_SHEET:
        problems.append(f"the VBA's PROJECT_NAME does not match the config sheet {CONFIG_SHEET}")
    run_main = modules.get("RibbonMyAddin", "")
    if "ThisWorkbook.Name" not in run_main or ".main()" not in run_main:
        problems.append("RibbonMyAddin.RunMain no longer runs '<add-in name>.main()'")
    return check


def _read_config_sheet(parts: Mapping[str, bytes]) -> dict[str, str]:
    """The key/value rows of the config sheet, as xlwings.bas GetConfigFromSheet reads them (A1 down to a blank)."""
    from defusedxml import ElementTree

    strings = []
    if "xl/sharedStrings.xml" in parts:
        for item in ElementTree.fromstring(parts["xl/sharedStrings.xml"]).iter(f"{{{MAIN_NS}}}si"):
            strings.append("".join(t.text or "" for t in item.iter(f"{{{MAIN_NS}}}t")))
    sheet = ElementTree.fromstring(parts[_sheet_part(parts, CONFIG_SHEET)])
    cells: dict[str, str] = {}
    for cell in sheet.iter(f"{{{MAIN_NS}}}c"):
        value = cell.find(f"{{{MAIN_NS}}}v")
        text = value.text if value is not None and value.text is not None else ""
        kind = cell.get("t")
        if kind == "s":
            text = strings[int(text)]
        elif kind == "b":
            text = "TRUE" if text == "1" else "FALSE"
        elif kind == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(f"{{{MAIN_NS}}}t"))
        cells[cell.get("r", "")] = text
    config: dict[str, str] = {}
    row = 1
    while cells.get(f"A{row}"):
        config[cells[f"A{row}"]] = cells.get(f"B{row}", "")
        row += 1
    if not config:
        raise AddinBuildError("no settings from A1 down")
    return config
