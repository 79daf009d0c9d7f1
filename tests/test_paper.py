"""How the generated sheets measure text and lay out pages (core.sheets.paper), checked without a spreadsheet
program; tests/test_print.py prints the same sheets with LibreOffice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xl_campaign.core.budget import budget_report
from xl_campaign.core.kpi import kpi_report
from xl_campaign.core.sheets import labels as L
from xl_campaign.core.sheets import paper
from xl_campaign.core.sheets import summary as SM
from xl_campaign.io.reader import plan_of_values

from . import sheet_pictures as P

CLOSING = "）)」』】》”’]},，。、：；！？!?:;%"
OPENING = "（(「『【《“‘[{"


@pytest.mark.parametrize(("value", "fmt", "shown"), [
    (Decimal("500000"), '"¥"#,##0', "¥500,000"),
    (Decimal("-101500"), '"CNY "#,##0', "-CNY 101,500"),
    (Decimal("84.376"), "#,##0.00", "84.38"),
    (Decimal("0.1234"), "0.0%", "12.3%"),
    (Decimal("0.2"), "+0%;-0%;0%", "+20%"),
    (Decimal("-0.67"), "+0%;-0%;0%", "-67%"),
    (Decimal("5.46"), '"1:"0.0#', "1:5.46"),
    (Decimal("4"), '"1:"0.0#', "1:4.0"),
    (3278, "#,##0", "3,278"),
    (date(2024, 5, 23), "mm-dd", "05-23"),
    (date(2024, 5, 23), None, "2024-05-23"),
    ("", "#,##0", ""),
])
def test_a_value_is_measured_as_its_format_shows_it(value: object, fmt: str | None, shown: str) -> None:
    assert paper.shown(value, fmt) == shown


def test_widths_are_those_of_the_widest_rendering() -> None:
    assert paper.text_units("0123456789") == pytest.approx(10.0)  # a digit: one unit (7 pt)
    assert paper.text_units("新增用户") == pytest.approx(4 * 11 / 7, rel=0.01)  # a Chinese character: 11 pt
    assert paper.text_units("Impressions", bold=True) > paper.text_units("Impressions") > 9


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_header_never_breaks_before_a_closing_or_after_an_opening_mark(lang: str) -> None:
    for key in L.LABELS:
        text = L.t(key, lang)
        if "{" in text:
            continue
        for lines in (2, 3):
            broken, width = paper.split_label(text, lines, bold=True)
            parts = broken.split("\n")
            assert len(parts) <= lines and width == pytest.approx(max(paper.text_units(p, bold=True) for p in parts))
            assert all(part and part[0] not in CLOSING and part[-1] not in OPENING for part in parts), (key, broken)


def test_a_header_breaks_where_a_reader_expects() -> None:
    assert paper.split_label("ROI 1:N（销售额:花费）", 2)[0] == "ROI 1:N\n（销售额:花费）"
    assert paper.split_label("Share of budget", 2)[0] == "Share of\nbudget"
    assert paper.split_label("Projected attainment", 2)[0] == "Projected\nattainment"
    assert paper.split_label("单次转化成本", 2)[0] == "单次转\n化成本"
    assert paper.wrapped_lines("Re-engagement", 11) == 2  # after the hyphen, as LibreOffice does
    assert paper.longest_piece("Re-engagement") == pytest.approx(paper.text_units("engagement"))


def test_the_print_scale_fits_the_widths_and_each_page() -> None:
    assert paper.print_scale([10] * 10, [300]) == 100
    scale = paper.print_scale([10] * 14, [600, 700])  # 980 pt wide, the taller page 700 pt
    assert scale == int((595 - 72) / 700 * paper.SAFETY * 100)
    assert paper.page_room(scale) >= 700
    assert paper.print_scale([10] * 14, [100]) == int((842 - 57.6) / 980 * paper.SAFETY * 100)  # the width


def rows_height(doc: SM.SheetDoc, first: int, last: int) -> float:
    return sum(doc.row_heights[row] for row in range(first, last + 1))


def pages_of(doc: SM.SheetDoc) -> list[tuple[int, int]]:
    last = int(doc.page.area.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) if doc.page.area else 0
    starts = [1, *doc.page.row_breaks]
    return [(start, end - 1) for start, end in zip(starts, [*starts[1:], last + 1], strict=True)]


def summary_of(content: object, lang: str) -> SM.SheetDoc:
    plan = plan_of_values(lang, content.overview, content.tables)  # type: ignore[attr-defined]
    as_of = plan.overview.as_of
    assert as_of is not None
    return SM.summary_sheet(plan, budget_report(plan), kpi_report(plan, as_of), lang, name="Summary")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("channels", [3, 8, 16])
def test_every_summary_page_holds_its_rows_at_the_scale(lang: str, channels: int) -> None:
    """Every row has a height, each page's rows fit the page at the sheet's scale, and page 2 starts with the
    detail. Three channels print at ≥ 65%; more channels (a row in five tables each) at a smaller scale, never
    below FLOOR_SCALE: the detail then flows onto a third page, breaking between blocks."""
    content = P.long_campaign(lang)
    base = content.tables["channels"]  # type: ignore[attr-defined]
    content.tables["channels"] = [  # type: ignore[attr-defined]
        {**base[i % len(base)], "name": f"{base[i % len(base)]['name']} {i + 1}" if i >= len(base) else
         base[i]["name"], "share": Decimal(1) / channels} for i in range(channels)]
    doc = summary_of(content, lang)
    assert doc.page.scale and doc.page.area and doc.page.area.startswith("A1:L")
    pages = pages_of(doc)
    assert doc.page.scale >= SM.FLOOR_SCALE
    detail = L.t("budget_by_channel", lang)
    assert any(doc.cells[(first, 1)].value == detail for first, _ in pages[1:])  # the detail begins a page
    assert all(doc.cells[(first, 1)].style == "section" for first, _ in pages[1:])  # pages break between blocks
    for first, last in pages:
        assert all(row in doc.row_heights for row in range(first, last + 1))
        assert rows_height(doc, first, last) <= paper.page_room(doc.page.scale)
    width = sum(doc.col_widths[c] for c in range(1, SM.GRID + 1)) * paper.POINTS_PER_UNIT
    assert width * doc.page.scale / 100 <= paper.A4[0] - 2 * paper.MARGIN_X
    if channels == 3:
        assert len(pages) == 2 and doc.page.scale >= 65


def test_a_detail_too_long_for_one_page_flows_on_between_blocks() -> None:
    content = P.long_campaign("en")
    tasks = content.tables["tasks"]  # type: ignore[attr-defined]
    for index in range(60):  # sixty deliverable standards: a block longer than the page
        tasks.append({**tasks[0], "id": f"X{index:02d}", "deliverable": "Impressions ≥ 1000, CTR ≥ 2%"})
    doc = summary_of(content, "en")
    pages = pages_of(doc)
    assert doc.page.scale is not None and doc.page.scale >= SM.FLOOR_SCALE and len(pages) > 2
    assert all(doc.cells[(first, 1)].style == "section" for first, _ in pages[1:])  # between blocks
    assert rows_height(doc, *pages[0]) <= paper.page_room(doc.page.scale)  # the management view on one page
