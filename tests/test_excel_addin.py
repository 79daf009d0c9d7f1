"""The built add-in xl_campaign.xlam: a valid package whose ribbon calls VBA that exists, for this xlwings."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings
from defusedxml import ElementTree

from xl_campaign.excel import addin as A
from xl_campaign.excel import install as I

ROOT = Path(__file__).resolve().parent.parent
RIBBON_SOURCE = ROOT / "workbook" / "ribbon" / "customUI.xml"
CUSTOMUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
# oletools 0.60 calls pyparsing names that pyparsing 3 deprecates
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin")
    return A.build_addin(out, A.AddinConfig(interpreter_win=r"C:\Users\m\py311\python.exe"))


def olevba_modules(path: Path) -> dict[str, str]:
    """Module name -> code, read here with olevba directly (not through the code under test)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_package_is_the_template_with_four_parts_changed(built: Path) -> None:
    assert built.name == "xl_campaign.xlam"
    template = A.template_path()
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(template) as old:
        assert new.testzip() is None
        assert new.namelist()[0] == "[Content_Types].xml"
        assert sorted(new.namelist()) == sorted(old.namelist())
        changed = {n for n in old.namelist() if old.read(n) != new.read(n)}
        # the VBA project is copied byte for byte: it stays exactly what this xlwings ships
        assert changed == {"customUI/customUI.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                           "xl/sharedStrings.xml"}
        assert new.read("customUI/customUI.xml").decode("utf-8") == RIBBON_SOURCE.read_text(encoding="utf-8")
        for name in new.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(new.read(name))  # every XML part parses


def test_build_is_reproducible(built: Path, tmp_path: Path) -> None:
    again = A.build_addin(tmp_path, A.AddinConfig(interpreter_win=r"C:\Users\m\py311\python.exe"))
    assert again.read_bytes() == built.read_bytes()
    assert not list(tmp_path.glob(".xl_campaign-*"))  # no temp file left behind


def test_ribbon_xml(built: Path) -> None:
    with zipfile.ZipFile(built) as package:
        ui = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    tabs = list(ui.iter(f"{CUSTOMUI}tab"))
    assert [t.get("label") for t in tabs] == ["Campaign / 活动"]
    buttons = list(ui.iter(f"{CUSTOMUI}button"))
    assert len(buttons) == 1
    button = buttons[0]
    assert button.get("size") == "large"
    assert button.get("label") == "Check && Update (校验并更新)"
    assert A.ribbon_label(button.get("label", "")) == "Check & Update (校验并更新)"
    assert button.get("onAction") == "RibbonMyAddin.RunMain"
    assert len(button.get("supertip", "")) <= 1024 and len(button.get("label", "")) <= 1024


def test_every_on_action_is_a_ribbon_callback_in_the_vba(built: Path) -> None:
    modules = olevba_modules(built)
    with zipfile.ZipFile(built) as package:
        ui = ElementTree.fromstring(package.read("customUI/customUI.xml"))
    actions = [e.get("onAction") for e in ui.iter() if e.get("onAction")]
    assert actions
    for action in actions:
        module, _, procedure = action.partition(".")
        code = modules[module]
        assert re.search(rf"^Sub {procedure}\(control As IRibbonControl\)", code, re.M), action
    # and the callback imports the add-in's file name and calls its main()
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in modules["RibbonMyAddin"]
    assert "Left(ThisWorkbook.Name" in modules["RibbonMyAddin"]


def test_vba_is_for_the_installed_xlwings(built: Path) -> None:
    vba = "\n".join(olevba_modules(built).values())
    assert re.search(r'Public Const XLWINGS_VERSION As String = "([^"]+)"', vba)[1] == xlwings.__version__
    assert set(re.findall(r'"xlwings(?:32|64)-([^"]+)\.dll"', vba)) == {xlwings.__version__}
    assert 'Public Const PROJECT_NAME As String = "myaddin"' in vba


def test_config_sheet_read_by_another_reader(built: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(built))
    assert book.sheet_names == ["myaddin.conf"]  # active: the template's "_myaddin.conf" renamed
    rows = book.get_sheet_by_name("myaddin.conf").to_python()
    assert rows == [
        ["Interpreter_Win", r"C:\Users\m\py311\python.exe"],
        ["UDF Modules", "xl_campaign.excel.udfs"],
        ["ADD_WORKBOOK_TO_PYTHONPATH", False],
        ["Debug UDFs", False],
        ["Use UDF Server", False],
        ["Show Console", False],
    ]


def test_check_addin_passes_and_reports(built: Path) -> None:
    check = A.check_addin(built)
    assert check.problems == []
    assert check.vba_checked and check.vba_xlwings_version == xlwings.__version__
    assert check.on_actions == ["RibbonMyAddin.RunMain"]
    assert check.config["UDF Modules"] == "xl_campaign.excel.udfs"
    assert any(p.module == "RibbonMyAddin" and p.name == "RunMain" for p in check.procedures)


def test_runpython_does_not_resolve_a_cloud_workbook_before_main(built: Path) -> None:
    """RunPython passes "<ADD_WORKBOOK_TO_PYTHONPATH>;<ActiveWorkbook.FullName>;<ThisWorkbook.FullName>;<OneDrive and
    SharePoint settings>;<PYTHONPATH>" to xlwings.utils.prepare_sys_path before main() (xlwings.bas RunPython). With
    the template's default TRUE, a OneDrive URL xlwings cannot map raises there: a traceback, not our message."""
    from xlwings import XlwingsError
    from xlwings.utils import prepare_sys_path

    config = A.check_addin(built).config
    flag = config["ADD_WORKBOOK_TO_PYTHONPATH"]  # the sheet's boolean, as VBA's CStr gives it
    vba_text = {"FALSE": "False", "TRUE": "True"}.get(flag, flag)
    url = "https://d.docs.live.net/0123456789abcdef/nowhere-synced/plan.xlsx"
    args = f";{url};C:\\Users\\m\\XLSTART\\xl_campaign.xlam;;;;"
    import sys as _sys

    before = list(_sys.path)
    try:
        prepare_sys_path(vba_text + args)  # does not raise: the URL is not looked at
        with pytest.raises(XlwingsError):
            prepare_sys_path("True" + args)  # the template's default would have
    finally:
        _sys.path[:] = before


BAD_RIBBONS = [
    ('onAction="RibbonMyAddin.RunMain"', 'onAction="RibbonMyAddin.Missing"', "names no procedure"),
    # exists, but is not a ribbon callback: Excel would fail with "wrong number of arguments"
    ('onAction="RibbonMyAddin.RunMain"', 'onAction="ImportPythonUDFsToAddin"', "IRibbonControl"),
    ('label="Campaign / 活动"', 'label="MyAddin"', "ribbon tab"),
    ('size="large"', 'size="normal"', "large button"),
    ("</customUI>", "<oops></customUI>", "does not parse"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_RIBBONS)
def test_check_addin_catches_a_broken_ribbon(tmp_path: Path, old: str, new: str, expected: str) -> None:
    ribbon = RIBBON_SOURCE.read_text(encoding="utf-8")
    assert old in ribbon
    path = A.build_addin(tmp_path, A.AddinConfig(), ribbon=ribbon.replace(old, new))
    problems = A.check_addin(path).problems
    assert any(expected in p for p in problems), problems


def test_check_addin_catches_a_version_mismatch(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlwings, "__version__", "0.99.0")
    problems = A.check_addin(built).problems
    assert any("rebuild the add-in" in p for p in problems)


def test_check_addin_catches_a_renamed_file(built: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "campaign.xlam"
    renamed.write_bytes(built.read_bytes())
    assert any("must be called xl_campaign.xlam" in p for p in A.check_addin(renamed).problems)


def test_check_addin_catches_a_wrong_udf_module(tmp_path: Path) -> None:
    path = A.build_addin(tmp_path, A.AddinConfig(udf_modules="xl_campaign.nowhere"))
    problems = A.check_addin(path).problems
    assert any("UDF Modules must be" in p for p in problems)
    assert any("cannot be imported" in p for p in problems)


def test_without_oletools_the_vba_is_not_claimed_checked(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_oletools(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("oletools"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_oletools)
    check = A.check_addin(built)
    assert check.ok and not check.vba_checked and check.vba_xlwings_version is None


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "xl_campaign.xlam"
    path.write_bytes(b"not a zip")
    assert A.check_addin(path).problems[0].startswith("not a valid zip package")


def test_interpreter_settings_per_platform() -> None:
    win = A.config_for_this_python("win32", r"C:\py\python.exe", {})
    assert win.rows()[0] == ("Interpreter_Win", r"C:\py\python.exe") and not win.interpreter_mac
    conda = A.config_for_this_python("win32", r"C:\mc\envs\c\python.exe",
                                     {"CONDA_DEFAULT_ENV": "c", "CONDA_EXE": r"C:\mc\Scripts\conda.exe",
                                      "CONDA_PREFIX": r"C:\mc\envs\c"},
                                     prefix=r"C:\mc\envs\c", base_prefix=r"C:\mc\envs\c")
    assert (conda.conda_path, conda.conda_env, conda.interpreter_win) == (r"C:\mc", "c", "")
    mac = A.config_for_this_python("darwin", "/opt/py/bin/python3", {})
    assert [k for k, _ in mac.rows()][:2] == ["Interpreter_Mac", "UDF Modules"]
    linux = A.config_for_this_python("linux", "/usr/bin/python3", {})
    assert [k for k, _ in linux.rows()][0] == "UDF Modules"  # empty keys left out, so user files still count


def test_a_venv_inside_a_conda_shell_gets_its_own_interpreter() -> None:
    """conda's variables stay set when a venv is activated inside a conda shell: Conda Path/Env would start conda's
    base Python, which lacks xl_campaign. Only a conda environment that is this very Python is configured by them."""
    conda_vars = {"CONDA_DEFAULT_ENV": "base", "CONDA_EXE": r"C:\mc\Scripts\conda.exe", "CONDA_PREFIX": r"C:\mc"}
    venv = A.config_for_this_python("win32", r"C:\work\.venv\Scripts\python.exe", conda_vars,
                                    prefix=r"C:\work\.venv", base_prefix=r"C:\mc")
    assert (venv.interpreter_win, venv.conda_path, venv.conda_env) == (r"C:\work\.venv\Scripts\python.exe", "", "")
    env = A.config_for_this_python("win32", r"C:\mc\python.exe", conda_vars, prefix=r"C:\mc", base_prefix=r"C:\mc")
    assert (env.conda_path, env.conda_env) == (r"C:\mc", "base")
    assert A.configured_python(env, "win32") == r"C:\mc\python.exe"
    named = A.AddinConfig(conda_path=r"C:\mc", conda_env="shop")
    assert A.configured_python(named, "win32") == r"C:\mc\envs\shop\python.exe"


def test_the_configured_python_is_run(tmp_path: Path) -> None:
    assert A.interpreter_problems(A.AddinConfig(interpreter_win=sys.executable), "linux") == []
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'ModuleNotFoundError: No module named xl_campaign' >&2\nexit 1\n")
    broken.chmod(0o755)
    problems = A.interpreter_problems(A.AddinConfig(interpreter_win=str(broken)), "linux", lang="en")
    assert len(problems) == 1 and "cannot import xl_campaign and xlwings" in problems[0]
    assert "No module named xl_campaign" in problems[0]
    old = tmp_path / "old-python"
    old.write_text("#!/bin/sh\necho 0.30.0\n")
    old.chmod(0o755)
    assert "has xlwings 0.30.0" in A.interpreter_problems(A.AddinConfig(interpreter_win=str(old)), "linux")[0]
    missing = A.interpreter_problems(A.AddinConfig(interpreter_win=str(tmp_path / "nope")), "linux", lang="zh")
    assert "无法运行" in missing[0]


def test_dll_must_be_where_the_vba_looks() -> None:
    venv = r"C:\work\.venv\Scripts\python.exe"
    assert A.dll_problem(venv, [r"C:\work\.venv\xlwings64-0.37.8.dll"]) is None  # one folder up
    assert A.dll_problem(r"C:\Python311\python.exe", [r"C:\Python311\xlwings64-0.37.8.dll"]) is None
    user = A.dll_problem(r"C:\Python311\python.exe",
                         [r"C:\Users\m\AppData\Roaming\Python\xlwings64-0.37.8.dll"], "en")
    assert user is not None and "pip install --user" in user and "CAMPAIGN_* functions will not load" in user
    assert A.dll_problem(venv, []) is None  # no DLL installed: not Windows


def test_cli_build_refuses_a_python_without_xl_campaign(tmp_path: Path) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    result = run_cli("addin", "build", "-o", "out", "--interpreter", str(broken), cwd=tmp_path)
    assert result.returncode == 2
    assert "cannot import xl_campaign" in result.stderr and "无法导入 xl_campaign" in result.stderr
    assert not (tmp_path / "out").exists()


def test_default_startup_folders(tmp_path: Path) -> None:
    win = I.default_startup_dir("win32", {"APPDATA": r"C:\Users\m\AppData\Roaming"}, tmp_path)
    assert str(win).replace("\\", "/").endswith("Microsoft/Excel/XLSTART")
    mac = I.default_startup_dir("darwin", {}, tmp_path)
    assert mac == tmp_path / "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    assert I.default_startup_dir("linux", {}, tmp_path) is None


def test_install_on_linux_explains(tmp_path: Path) -> None:
    result = I.install_addin(platform="linux")
    assert not result.ok and result.target is None
    text = "\n".join(result.problems)
    assert "Excel does not run on Linux" in text and "Linux 上运行" in text and "xl-campaign update" in text


def test_install_into_a_startup_folder(tmp_path: Path) -> None:
    startup = tmp_path / "XLSTART"
    result = I.install_addin(platform="win32", startup_dir=startup,
                             config=A.AddinConfig(interpreter_win=r"C:\py\python.exe"),
                             ask_excel=lambda: pytest.fail("Excel must not be asked when the folder is given"))
    assert result.ok, result.problems
    assert result.target == startup / "xl_campaign.xlam" and result.target.is_file()
    assert any("Trust access to the VBA project object model" in line for line in result.todo)
    assert any("信任对 VBA 工程对象模型的访问" in line for line in result.todo)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_cli_build(tmp_path: Path) -> None:
    result = run_cli("addin", "build", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "xl_campaign.xlam").is_file()
    assert f"xlwings {xlwings.__version__}" in result.stdout and "RibbonMyAddin.RunMain" in result.stdout
    assert A.check_addin(tmp_path / "out" / "xl_campaign.xlam").ok


@pytest.mark.skipif(sys.platform.startswith(("win", "darwin")), reason="explains the Linux case")
def test_cli_install_on_linux(tmp_path: Path) -> None:
    result = run_cli("addin", "install", cwd=tmp_path)
    assert result.returncode == 2
    assert "Excel does not run on Linux" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
