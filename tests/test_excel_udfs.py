"""The worksheet functions, called with the values Excel hands to them (None, floats, text, dates, 2-D lists),
and loaded once more the way xlwings on Windows loads them (tests/excel_udf_probe.py)."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from xl_campaign.core import udf_logic
from xl_campaign.excel import udfs
from xl_campaign.excel.udfs import (
    CAMPAIGN_ATTAINMENT,
    CAMPAIGN_BUDGET_TOTAL,
    CAMPAIGN_CPA,
    CAMPAIGN_CTR,
    CAMPAIGN_CVR,
    CAMPAIGN_PACING,
    CAMPAIGN_RATIO,
    CAMPAIGN_RESERVE,
    CAMPAIGN_ROAS,
    CAMPAIGN_ROI,
    CAMPAIGN_STAGE,
)

# What xlwings passes for a table column with ndim=2: one list per row.
REVENUE = [[1200.0], [None], ["1,800"], [""]]  # "" is what IF(...,"") leaves; None an empty cell
SPEND = [[1000.0], [""], [1000.0], [None]]
LAUNCH, END = datetime(2024, 5, 20), datetime(2024, 6, 2)

CASES = [
    # function, arguments, expected cell value
    (CAMPAIGN_ROI, (REVENUE, SPEND), 0.5),
    (CAMPAIGN_ROI, (1200.0, 1000.0), 0.2),
    (CAMPAIGN_ROI, ([[1200.0]], [[1000.0]]), 0.2),
    (CAMPAIGN_ROI, (None, 1000.0), -1.0),  # nothing sold yet
    (CAMPAIGN_ROI, (500.0, 0.0), "#DIV/0!"),
    (CAMPAIGN_ROI, (500.0, None), "#DIV/0!"),
    (CAMPAIGN_ROI, ([[1.0, 2.0], [3.0, 4.0]], [[5.0, None], [None, 5.0]]), 0.0),  # 2-D block summed
    (CAMPAIGN_ROI, ("¥3,000", "1,000元"), 2.0),
    (CAMPAIGN_ROI, ("50万", "10万"), 4.0),
    (CAMPAIGN_ROI, ("abc", 1.0), "#VALUE!"),
    (CAMPAIGN_ROI, (True, 1.0), "#VALUE!"),
    (CAMPAIGN_ROI, (datetime(2024, 5, 1), 1.0), "#VALUE!"),
    (CAMPAIGN_ROI, ([[100.0], ["#N/A"]], 1.0), "#N/A"),  # an error in the input is passed on
    (CAMPAIGN_ROI, (float("nan"), 1.0), "#NUM!"),
    # newer Excel errors reach Python as pywin32's int HRESULTs (xlwings maps only seven): passed on, not summed
    (CAMPAIGN_ROI, ([[1500.0], [-2146826243]], [[1000.0]]), "#SPILL!"),
    (CAMPAIGN_ROI, ([[1500.0]], [[-2146826238]]), "#CALC!"),
    (CAMPAIGN_ROAS, (-2146826245, 1.0), "#GETTING_DATA"),
    (CAMPAIGN_STAGE, (LAUNCH, [[-2146826239]], END), "#FIELD!"),
    (CAMPAIGN_RESERVE, (100.0, -2146826200), "#UNKNOWN!"),  # a code not known yet is still an error
    (CAMPAIGN_ROAS, (5000.0, 1000.0), 5.0),
    (CAMPAIGN_ROAS, (5000.0, 0.0), "#DIV/0!"),
    (CAMPAIGN_RATIO, (5000.0, 1000.0), "1:5"),
    (CAMPAIGN_RATIO, (4500.0, 1000.0), "1:4.5"),
    (CAMPAIGN_RATIO, (4500.0, None), "#DIV/0!"),
    (CAMPAIGN_CTR, ([[30.0], [30.0]], [[1000.0], [1000.0]]), 0.03),
    (CAMPAIGN_CTR, (30.0, 0.0), "#DIV/0!"),
    (CAMPAIGN_CVR, (5.0, 50.0), 0.1),
    (CAMPAIGN_CPA, (1000.0, 40.0), 25.0),
    (CAMPAIGN_CPA, (1000.0, [[None], [None]]), "#DIV/0!"),
    (CAMPAIGN_ATTAINMENT, (1_200_000.0, 1_000_000.0), 1.2),
    (CAMPAIGN_ATTAINMENT, (1.0, "目标"), "#VALUE!"),
    (CAMPAIGN_RESERVE, (100_000.0, None), 10_000.0),
    (CAMPAIGN_RESERVE, (100_000.0, "15%"), 15_000.0),
    (CAMPAIGN_RESERVE, (100_000.0, 0.12), 12_000.0),
    (CAMPAIGN_RESERVE, (100_000.0, 12.0), 12_000.0),  # a bare 12 reads as 12%
    (CAMPAIGN_RESERVE, ([[60_000.0], [40_000.0]], [[0.1]]), 10_000.0),
    (CAMPAIGN_RESERVE, (100_000.0, 150.0), "#NUM!"),
    (CAMPAIGN_RESERVE, (100_000.0, -0.1), "#NUM!"),
    (CAMPAIGN_RESERVE, (100_000.0, "lots"), "#VALUE!"),
    (CAMPAIGN_RESERVE, (100_000.0, [[0.1], [0.2]]), "#VALUE!"),  # a rate must be one value
    (CAMPAIGN_BUDGET_TOTAL, ([[30_000.0], [60_000.0], [None]], 0.1), 100_000.0),
    (CAMPAIGN_BUDGET_TOTAL, ([[30_000.0], ["60,000"]], None), 90_000.0),
    (CAMPAIGN_BUDGET_TOTAL, ([[30_000.0]], 1.0), "#NUM!"),  # 100% reserve leaves nothing for the lines
    (CAMPAIGN_PACING, ([[1000.0], [2000.0]], 14_000.0, LAUNCH, END, datetime(2024, 5, 22)), 1.0),
    (CAMPAIGN_PACING, (2400.0, 14_000.0, LAUNCH, END, datetime(2024, 5, 22)), 0.8),
    (CAMPAIGN_PACING, (14_000.0, 14_000.0, LAUNCH, END, datetime(2024, 7, 1)), 1.0),  # capped at the end
    (CAMPAIGN_PACING, (0.0, 14_000.0, LAUNCH, END, datetime(2024, 5, 19)), "#DIV/0!"),  # not launched yet
    (CAMPAIGN_PACING, (1.0, 14_000.0, LAUNCH, END, None), "#VALUE!"),
    (CAMPAIGN_PACING, (1.0, 14_000.0, END, LAUNCH, LAUNCH), "#NUM!"),  # end before launch
    (CAMPAIGN_PACING, (1.0, 14_000.0, "2024-05-20", "2024/6/2", 45434.0), pytest.approx(1 / 3000)),
    (CAMPAIGN_STAGE, (datetime(2024, 5, 21), LAUNCH, END), "爆发期"),
    (CAMPAIGN_STAGE, (datetime(2024, 5, 17), LAUNCH, END, "en"), "Warm-up"),
    (CAMPAIGN_STAGE, (datetime(2024, 5, 13), LAUNCH, END, "en"), "Plan & resources"),
    (CAMPAIGN_STAGE, (datetime(2024, 6, 1), LAUNCH, END, "key"), "continuation"),
    (CAMPAIGN_STAGE, (date(2024, 6, 5), LAUNCH, END, [["EN"]]), "Review"),
    (CAMPAIGN_STAGE, (datetime(2024, 8, 1), LAUNCH, END), ""),  # after the review window
    (CAMPAIGN_STAGE, (None, LAUNCH, END), ""),
    (CAMPAIGN_STAGE, ("2024年5月21日", "2024-05-20", 45445.0), "爆发期"),
    (CAMPAIGN_STAGE, ("5/21", LAUNCH, END), "#VALUE!"),  # no year
    (CAMPAIGN_STAGE, (LAUNCH, LAUNCH, END, "fr"), "#VALUE!"),
    (CAMPAIGN_STAGE, (LAUNCH, None, END), "#VALUE!"),
    (CAMPAIGN_STAGE, (LAUNCH, END, LAUNCH), "#NUM!"),
]


@pytest.mark.parametrize(("function", "arguments", "expected"), CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_cell_values(function, arguments, expected) -> None:
    result = function(*arguments)
    assert result == (pytest.approx(expected) if isinstance(expected, float) else expected)
    # never a Decimal: pywin32 would hand it to Excel as a 4-decimal Currency
    assert type(result) in (float, str)


def test_stage_spills_a_column_in_its_shape() -> None:
    column = [[datetime(2024, 5, 10)], [None], ["2024-05-25"], [45440.0], ["bad"], [datetime(2024, 6, 5)]]
    assert CAMPAIGN_STAGE(column, LAUNCH, END, "en") == [
        ["Research & goals"], [""], ["Burst"], ["Burst"], ["#VALUE!"], ["Review"]]
    assert CAMPAIGN_STAGE([datetime(2024, 5, 21), datetime(2024, 6, 1)], LAUNCH, END, "key") == [
        "burst", "continuation"]


def test_budget_total_and_reserve_agree() -> None:
    lines = [[30_000.0], [45_000.0], [15_000.0]]
    for rate in (0.1, 0.15, "12%"):
        total = CAMPAIGN_BUDGET_TOTAL(lines, rate)
        assert isinstance(total, float)
        assert CAMPAIGN_RESERVE(total, rate) + 90_000 == pytest.approx(total)


def test_sums_are_exact() -> None:
    # 0.1 + 0.2 in floats is 0.30000000000000004; the sums are Decimal until the very end
    assert udf_logic.total([[0.1], [0.2]]) == udf_logic.total(0.3)
    assert CAMPAIGN_ROAS([[0.1], [0.2]], 0.3) == 1.0


def test_garbage_never_raises() -> None:
    odd_values = [None, "", " ", 0.0, -1.0, 1e308, float("inf"), "#REF!", "1e5", "--", [], [[]], [[None, None]],
                  (1.0, 2.0), True, date(2024, 1, 1), datetime(2024, 1, 1), "活动全程", "２０２４-０５-２０", object()]
    for name in udfs.UDF_NAMES:
        function = getattr(udfs, name)
        arity = len(inspect.signature(function).parameters)
        for value in odd_values:
            for position in range(arity):
                args = [1.0] * arity
                args[position] = value
                result = function(*args)
                assert isinstance(result, float | str | list), (name, value, result)


NEWER_ERRORS = [code - 2146828288 for code in (2043, 2045, 2046, 2047, 2048, 2049, 2050)]


@pytest.mark.parametrize("name", udfs.UDF_NAMES)
def test_every_function_passes_newer_errors_on(name: str) -> None:
    function = getattr(udfs, name)
    arity = len(inspect.signature(function).parameters)
    for code in NEWER_ERRORS:
        for position in range(arity):
            args: list[object] = [[[1.0]]] * arity
            args[position] = [[2.0], [code]]
            result = function(*args)
            flat = udf_logic.flatten(result)
            assert all(isinstance(x, str) for x in flat), (name, position, code, result)
            assert any(x in udf_logic.EXCEL_ERRORS or x == "" for x in flat), (name, position, code, result)


def test_declarations_follow_xlwings_rules() -> None:
    vba_keywords = {"end", "date", "type", "name", "next", "open", "close", "for", "to", "step", "each", "in",
                    "is", "like", "mod", "not", "and", "or", "xor", "string", "integer", "long", "double", "variant",
                    "object", "boolean", "currency", "error", "property", "rem", "stop", "with", "call", "sub",
                    "function", "let", "set", "get", "print", "input", "line", "width", "seek", "lock", "unlock"}
    for name in udfs.UDF_NAMES:
        function = getattr(udfs, name)
        assert function.__name__ == name and name.startswith("CAMPAIGN_")
        assert function.__doc__ and len(function.__doc__) <= 255 and "\n" not in function.__doc__
        signature = inspect.signature(function)
        assert all(p.annotation is inspect.Parameter.empty for p in signature.parameters.values()), name
        assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in signature.parameters.values())
        assert not {p.lower() for p in signature.parameters} & vba_keywords, name
    assert set(udfs.UDF_NAMES) >= {
        "CAMPAIGN_ROI", "CAMPAIGN_ROAS", "CAMPAIGN_CTR", "CAMPAIGN_CVR", "CAMPAIGN_CPA", "CAMPAIGN_RESERVE",
        "CAMPAIGN_BUDGET_TOTAL", "CAMPAIGN_ATTAINMENT", "CAMPAIGN_STAGE", "CAMPAIGN_PACING"}
    assert {n for n in dir(udfs) if n.startswith("CAMPAIGN_")} == set(udfs.UDF_NAMES)
    assert udfs.cells.__name__ not in udfs.UDF_NAMES and not hasattr(udfs.cells, "__xlfunc__")


@pytest.fixture(scope="module")
def as_windows_loads_them() -> dict:
    probe = Path(__file__).with_name("excel_udf_probe.py")
    result = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_xlwings_registers_every_function(as_windows_loads_them: dict) -> None:
    functions = as_windows_loads_them["functions"]
    assert set(functions) == set(udfs.UDF_NAMES)
    for name, info in functions.items():
        assert info["name"] == name and info["volatile"] is False and info["category"] == "xl-campaign"
        assert len(info["doc"]) <= 255
        spilling = name in udfs.SPILLING
        # a spilling rollup returns a DataFrame written with its header and without its index
        assert info["ret_options"] == ({"index": "False", "header": "True"} if spilling else {})
        tables = {"table", "kpi", "goals", "channels"} if spilling else set()
        for arg in info["args"]:
            assert len(arg["doc"]) <= 255 and not arg["doc"].startswith("Positional argument")
            if arg["name"] in tables:  # a whole Excel Table with its headers, through the DataFrame converter
                options = dict(arg["options"])
                assert options.pop("convert").endswith("DataFrame'>")  # pandas.(core.frame.)DataFrame
                assert options == {"index": "False", "header": "True", "err_to_str": "True"}
                continue
            # no converter taken from an annotation; ranges arrive 2-D with error cells as text
            assert "convert" not in arg["options"]
            assert arg["options"] == {"ndim": "2", "err_to_str": "True"}


def test_generated_vba_wrapper(as_windows_loads_them: dict) -> None:
    vba = as_windows_loads_them["vba"]
    assert "Function CAMPAIGN_ROI(revenue, spend)" in vba
    assert "Function CAMPAIGN_RESERVE(budget, Optional reserve_rate)" in vba
    assert "Function CAMPAIGN_STAGE(on_date, launch_date, end_date, Optional lang)" in vba
    assert "Function CAMPAIGN_PACING(actual, target, launch_date, end_date, as_of)" in vba
    assert ("Function CAMPAIGN_KPI_BY(table, group_by, Optional launch_date, Optional end_date, Optional week_start)"
            in vba)
    assert "Function CAMPAIGN_BUDGET_BY(table, group_by, Optional total_budget)" in vba
    assert "Function CAMPAIGN_PACING_TABLE(kpi, goals, launch_date, end_date, as_of, Optional channels)" in vba
    assert 'XLPy.CallUDF("xl_campaign.excel.udfs", "CAMPAIGN_ROI", Array(revenue, spend), ActiveWorkbook' in vba
    assert "Application.Volatile" not in vba
    assert vba.count("End Function") == len(udfs.UDF_NAMES)


def test_values_through_xlwings_conversion(as_windows_loads_them: dict) -> None:
    calls = as_windows_loads_them["calls"]
    assert calls["roi_column"]["written"] == [[0.5]]
    # pywin32's int code for a #DIV/0! cell becomes its text (err_to_str) and is passed on
    assert calls["roi_error_cell"]["args"][0] == "[[100.0], ['#DIV/0!']]"
    assert calls["roi_error_cell"]["written"] == [["#DIV/0!"]]
    assert calls["stage_column"]["written"] == [["Burst"], [""], ["Review"]]
    assert calls["reserve_default"]["written"] == [[20000.0]]
    # a #SPILL! cell is not in xlwings' cell_errors: it arrives as an int, and still comes out as an error
    assert calls["roi_spill_cell"]["args"][0] == "[[1500.0], [-2146826243]]"
    assert calls["roi_spill_cell"]["written"] == [["#SPILL!"]]
