"""What people type parses to the right values, and what does not parse says why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from xl_campaign.core import parse as P

D = date(2024, 5, 10)


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        (D, D, None),
        (datetime(2024, 5, 10, 9, 30), D, None),
        (45422.0, D, None),
        ("2024-05-10", D, P.TEXT_DATE),
        ("2024/5/10", D, P.TEXT_DATE),
        ("2024.5.10", D, P.TEXT_DATE),
        ("2024年5月10日", D, P.TEXT_DATE),
        ("２０２４年５月１０日", D, P.TEXT_DATE),
        ("20240510", D, P.TEXT_DATE),
        ("13/05/2024", date(2024, 5, 13), P.TEXT_DATE),
        ("05/13/2024", date(2024, 5, 13), P.TEXT_DATE),
        ("10/05/2024", None, P.AMBIGUOUS_DATE),
        ("5/10/2024", None, P.AMBIGUOUS_DATE),
        ("5月10日", None, P.MISSING_YEAR),
        ("活动全程", None, P.WHOLE_CAMPAIGN_DATE),
        ("2024-02-30", None, P.UNPARSEABLE),
        ("next week", None, P.UNPARSEABLE),
        (None, None, None),
        ("  ", None, None),
    ],
)
def test_dates(raw: object, value: date | None, problem: str | None) -> None:
    parsed = P.parse_date(raw)
    assert (parsed.value, parsed.problem) == (value, problem)


def test_ambiguous_date_names_both_readings() -> None:
    assert P.parse_date("10/05/2024").detail == "2024-05-10 / 2024-10-05"


def test_1904_serial() -> None:
    assert P.parse_date(43960.0, date1904=True).value == D
    assert P.parse_date(43960.0).value == date(2020, 5, 9)


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        (1200, Decimal(1200), None),
        (1200.5, Decimal("1200.5"), None),
        (0.1, Decimal("0.1"), None),
        ("1,200", Decimal(1200), P.TEXT_NUMBER),
        ("¥1,200", Decimal(1200), P.TEXT_NUMBER),
        ("￥1,200.50", Decimal("1200.50"), P.TEXT_NUMBER),
        ("50万", Decimal(500000), P.TEXT_NUMBER),
        ("1.5亿", Decimal(150000000), P.TEXT_NUMBER),
        ("12.5k", Decimal(12500), P.TEXT_NUMBER),
        ("(300)", Decimal(-300), P.TEXT_NUMBER),
        ("RMB 1,000元", Decimal(1000), P.TEXT_NUMBER),
        ("３００", Decimal(300), P.TEXT_NUMBER),
        ("3%", None, P.UNPARSEABLE),
        ("about 5", None, P.UNPARSEABLE),
        (True, None, P.UNPARSEABLE),
    ],
)
def test_money(raw: object, value: Decimal | None, problem: str | None) -> None:
    parsed = P.parse_money(raw)
    assert (parsed.value, parsed.problem) == (value, problem)


def test_money_sums_exactly() -> None:
    total = sum((P.parse_money(x).value for x in (0.1, 0.2, "0.3")), Decimal(0))
    assert total == Decimal("0.6")


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [(0.1, Decimal("0.1"), None), ("10%", Decimal("0.1"), P.TEXT_NUMBER), (10, Decimal("0.1"), None),
     ("3%", Decimal("0.03"), P.TEXT_NUMBER), ("x%", None, P.UNPARSEABLE)],
)
def test_percent(raw: object, value: Decimal | None, problem: str | None) -> None:
    parsed = P.parse_percent(raw)
    assert (parsed.value, parsed.problem) == (value, problem)


def test_counts_must_be_whole() -> None:
    assert P.parse_int("50万").value == 500000
    assert P.parse_int(12.5).problem == P.NOT_INTEGER


@pytest.mark.parametrize(
    ("raw", "names"),
    [("*小明", ["小明"]), ("＊小明", ["小明"]), ("小明、小红", ["小明", "小红"]), ("Xiao Ming, Xiao Hong", ["Xiao Ming", "Xiao Hong"]),
     ("小明/小红", ["小明", "小红"]), (" 小丽 ", ["小丽"]), (None, None)],
)
def test_people(raw: object, names: list[str] | None) -> None:
    assert P.parse_people(raw).value == names


def test_departments_and_ids() -> None:
    assert P.split_list("市场部、设计部") == ["市场部", "设计部"]
    assert P.parse_ids("T1, T2").value == ["T1", "T2"]
    assert P.parse_ids(3.0).value == ["3"]


@pytest.mark.parametrize(
    ("raw", "key", "problem", "detail"),
    [("已完成", "done", None, ""), ("In progress", "in_progress", None, ""), ("未开始", "not_started", None, ""),
     ("未开", "not_started", P.UNKNOWN_CHOICE, "not_started"), ("进行终", None, P.UNKNOWN_CHOICE, "in_progress"),
     ("whatever", None, P.UNKNOWN_CHOICE, "")],
)
def test_status_values(raw: str, key: str | None, problem: str | None, detail: str) -> None:
    parsed = P.parse_choice(raw, "status")
    assert (parsed.value, parsed.problem, parsed.detail) == (key, problem, detail)


def test_text_keeps_full_width_punctuation() -> None:
    assert P.parse_text("曝光量≥50万，点击率≥3%").value == "曝光量≥50万，点击率≥3%"
