"""Load ``xl_campaign.excel.udfs`` the way xlwings on Windows does, without Windows, and report as JSON.

Run as a separate process by tests/test_excel_udfs.py (it puts stand-ins for pywin32 into ``sys.modules``):

* the pywin32 modules that ``xlwings/udfs.py`` imports at its top are replaced by empty stand-ins, so xlwings'
  real ``xlfunc``/``xlarg``/``xlret`` decorators (the ones ``xw.func`` is on Windows) run over our functions;
* xlwings' real ``generate_vba_wrapper`` writes the VBA module that "Import Functions" would put in the add-in;
* argument and result values go through xlwings' real conversion pipeline (``conversion.read``/``write``, as
  ``call_udf`` calls them), over an engine whose two value-cleaning functions are taken from xlwings'
  ``_xlwindows.py`` source (extracted with ``ast``, since that module itself needs Windows DLLs);
* the spilling rollups are called on the example workbooks' own Excel Tables (``KPI[#All]`` …), handed over as
  pywin32 hands a range (a tuple of row tuples: header texts, floats, datetimes, None for an empty cell), so with
  pandas installed they go through xlwings' DataFrame converter both ways.

``--no-pandas``: run as on a machine without pandas (``import pandas`` fails; xlwings and our functions fall back
to lists).
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import json
import sys
import types
from pathlib import Path
from typing import Any


def _stub_pywin32() -> None:
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    sys.modules["pywintypes"].com_error = Exception  # type: ignore[attr-defined]
    sys.modules["win32com.client"].Dispatch = lambda *args, **kwargs: None  # type: ignore[attr-defined]
    sys.modules["win32com"].client = sys.modules["win32com.client"]  # type: ignore[attr-defined]


def _windows_engine() -> Any:
    """An engine named "excel" whose value cleaning is xlwings' own Windows code."""
    import xlwings

    source = Path(xlwings.__file__).with_name("_xlwindows.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    wanted: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "cell_errors" for t in node.targets):
            wanted.append(node)
        elif isinstance(node, ast.FunctionDef) and node.name == "_clean_value_data_element":
            wanted.append(node)
        elif isinstance(node, ast.ClassDef) and node.name == "Engine":
            methods = [m for m in node.body if isinstance(m, ast.FunctionDef)
                       and m.name in ("prepare_xl_data_element", "clean_value_data")]
            node.body = [*methods]
            node.decorator_list = []
            node.bases = []
            wanted.append(node)
    try:  # _xlwindows imports them as xlwings does: when installed
        import numpy as np
        import pandas as pd
    except ImportError:
        np = pd = None
    namespace: dict[str, Any] = {
        "time_types": (dt.date, dt.datetime),
        "_com_time_to_datetime": lambda value, builder: value,
        "_datetime_to_com_time": lambda value: value,
        "pd": pd,
        "np": np,
    }
    exec(compile(ast.Module(body=wanted, type_ignores=[]), "_xlwindows.py (extract)", "exec"), namespace)
    engine_impl = namespace["Engine"]()
    engine_impl.name = "excel"
    engine_impl.type = "desktop"
    return engine_impl


def _excel_range(rows: list[list[Any]]) -> tuple[tuple[Any, ...], ...]:
    """Cells as pywin32 hands a range to a UDF: row tuples; numbers as floats, dates as datetimes, empty as None."""
    def cell(value: Any) -> Any:
        if value == "" or value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime.combine(value, dt.time())
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value
    return tuple(tuple(cell(v) for v in row) for row in rows)


def _table_calls(path: str) -> dict[str, tuple[str, list[Any]]]:
    """The spilling functions called on the workbook's own tables and Overview values."""
    import python_calamine

    from xl_campaign.io.reader import read_plan

    book = python_calamine.CalamineWorkbook.from_path(path, load_tables=True)

    def table(name: str) -> tuple[tuple[Any, ...], ...]:
        found = book.get_table_by_name(name)
        return _excel_range([list(found.columns)] + [list(row) for row in found.to_python()])

    overview = read_plan(path).overview
    launch, end = (dt.datetime.combine(d, dt.time()) for d in (overview.launch, overview.end))
    as_of = dt.datetime.combine(overview.as_of, dt.time())
    kpi, budget = table("KPI"), table("Budget")
    return {
        "kpi_channel": ("CAMPAIGN_KPI_BY", [kpi, "channel"]),
        "kpi_stage": ("CAMPAIGN_KPI_BY", [kpi, "stage", launch, end]),
        "kpi_week": ("CAMPAIGN_KPI_BY", [kpi, "week"]),
        "kpi_week_sunday": ("CAMPAIGN_KPI_BY", [kpi, "week", None, None, "sunday"]),
        "kpi_day": ("CAMPAIGN_KPI_BY", [kpi, "day"]),
        "budget_category": ("CAMPAIGN_BUDGET_BY", [budget, "category", float(overview.total_budget or 0)]),
        "budget_channel": ("CAMPAIGN_BUDGET_BY", [budget, "channel"]),
        "pacing": ("CAMPAIGN_PACING_TABLE", [kpi, table("Goals"), launch, end, as_of, table("Channels")]),
        "pacing_goals_only": ("CAMPAIGN_PACING_TABLE", [kpi, table("Goals"), launch, end, as_of, None]),
        "stage_without_dates": ("CAMPAIGN_KPI_BY", [kpi, "stage"]),
        "unknown_grouping": ("CAMPAIGN_KPI_BY", [kpi, "month"]),
        "error_cell": ("CAMPAIGN_KPI_BY", [kpi[:3] + (tuple(-2146826281 if i == 3 else v
                                                             for i, v in enumerate(kpi[3])),), "channel"]),
    }


def main() -> None:
    if "--no-pandas" in sys.argv:
        sys.modules["pandas"] = None  # type: ignore[assignment]  # import pandas raises ImportError
    _stub_pywin32()
    import xlwings
    import xlwings.udfs as xludfs

    xlwings.func, xlwings.arg, xlwings.ret = xludfs.xlfunc, xludfs.xlarg, xludfs.xlret  # type: ignore[assignment]
    xlwings.engines.add(xlwings.Engine(impl=_windows_engine()))

    from xl_campaign.excel import udfs

    class AddinWorkbook:
        Name = "xl_campaign.xlam"

    vba = io.StringIO()
    xludfs.generate_vba_wrapper("xl_campaign.excel.udfs", udfs, vba, AddinWorkbook())

    functions = {}
    for name in udfs.UDF_NAMES:
        info = getattr(udfs, name).__xlfunc__
        functions[name] = {
            "name": info["name"],
            "volatile": info["volatile"],
            "category": info["category"],
            "doc": info["ret"]["doc"],
            "ret_options": {k: str(v) for k, v in info["ret"]["options"].items()},
            "args": [{"name": a["name"], "doc": a["doc"], "optional": "optional" in a,
                      "options": {k: str(v) for k, v in a["options"].items()}} for a in info["args"]],
        }

    # Calls as call_udf makes them: pywin32 hands a range as a tuple of row tuples, errors as their int codes.
    div0 = -2146826281
    calls = {
        "roi_column": ("CAMPAIGN_ROI", [((1200.0,), (None,), ("1,800",)), ((1000.0,), ("",), (1000.0,))]),
        "roi_error_cell": ("CAMPAIGN_ROI", [((100.0,), (div0,)), 50.0]),
        "roi_spill_cell": ("CAMPAIGN_ROI", [((1500.0,), (-2146826243,)), ((1000.0,),)]),
        "stage_column": ("CAMPAIGN_STAGE", [((dt.datetime(2024, 5, 21),), (None,), (dt.datetime(2024, 6, 5),)),
                                            dt.datetime(2024, 5, 20), dt.datetime(2024, 6, 2), "en"]),
        "reserve_default": ("CAMPAIGN_RESERVE", [200000.0, None]),
    }
    from xlwings import conversion

    def call(name: str, raw_args: list[Any]) -> tuple[list[Any], Any, Any]:
        func = getattr(udfs, name)
        info = func.__xlfunc__
        args = []
        for position, raw in enumerate(raw_args):
            arg_info = info["args"][position]
            if raw is None and "optional" in arg_info:
                args.append(arg_info["optional"])
            else:
                args.append(conversion.read(None, raw, arg_info["options"]))
        value = func(*args)
        return args, value, conversion.write(value, None, info["ret"]["options"])

    results = {}
    for key, (name, raw_args) in calls.items():
        args, _, written = call(name, raw_args)
        results[key] = {"args": [repr(a) for a in args], "written": written}
    tables: dict[str, Any] = {}
    examples = Path(__file__).resolve().parent.parent / "workbook"
    for lang in ("zh", "en"):
        tables[lang] = {}
        for key, (name, raw_args) in _table_calls(str(examples / f"example_{lang}.xlsx")).items():
            args, value, written = call(name, raw_args)
            tables[lang][key] = {"arg_type": type(args[0]).__name__, "returned_type": type(value).__name__,
                                 "written": written}

    print(json.dumps({"vba": vba.getvalue(), "functions": functions, "calls": results, "tables": tables,
                      "pandas": "pandas" in sys.modules and sys.modules["pandas"] is not None},
                     default=str, ensure_ascii=False))


if __name__ == "__main__":
    main()
