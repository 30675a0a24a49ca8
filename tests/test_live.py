"""What Excel on Windows hands the button, through xlwings' remote engine: the values COM produces.

COM gives a currency-formatted number as ``Decimal``, an error value xlwings does not name (``#SPILL!``,
``#CALC!``) as its integer code, and the named ones as text; the remote engine passes each through unchanged,
so the click sees exactly what it would see in Excel. Merged ranges and hidden rows come from Excel's object
model, which no engine here has: they are tested on a small stand-in of the three properties the adapter reads.
"""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from tests.test_button import (  # noqa: F401  (remote_engine: the autouse fixture registering the engine)
    AS_OF,
    alert,
    apply,
    macro_book,
    marked,
    payload,
    remote_engine,
    run,
    set_cell,
)
from toolkit.api import validate
from toolkit.workbook.live import error_text, filter_rows, find_merges, hidden_rows, read_book

DIV0, CALC, SPILL_CODE = -2146826281, -2146826238, -2146826243  # CVErr codes: 2007, 2050, 2045


@pytest.mark.parametrize(("value", "shown"), [
    ("#DIV/0!", "#DIV/0!"), ("#SPILL!", "#SPILL!"), ("#CALC!", "#CALC!"), ("#N/A", "#N/A"),
    ("#GETTING_DATA", "#GETTING_DATA"), ("#PYTHON!", "#PYTHON!"), ("#MỚI!", None),
    (DIV0, "#DIV/0!"), (CALC, "#CALC!"), (SPILL_CODE, "#SPILL!"), (-2146826246, "#N/A"),
    (-2146828288 + 2099, "#LỖI!2099"), (20, None), (-5, None), (True, None), (1.5, None), ("20 hồ sơ", None),
])
def test_every_error_value_is_understood_as_excel_shows_it(value: Any, shown: str | None) -> None:
    assert error_text(value) == shown


def test_currency_numbers_and_com_error_codes_read_as_in_excel(macro_book: Path) -> None:  # noqa: F811
    data = payload(macro_book)
    set_cell(data, "Tiến độ", "E2", Decimal("20"))  # 1.1: 20 / 21, the achieved count formatted as currency
    set_cell(data, "Tiến độ", "F2", Decimal("21.00"))
    set_cell(data, "Tiến độ", "E3", DIV0)
    set_cell(data, "Tiến độ", "F3", CALC)
    set_cell(data, "Tiến độ", "F4", "#SPILL!")
    wb = read_book(xw.Book(json=data))
    first = next(r for r in wb.progress if r.code == "1.1")
    assert (first.achieved, first.total) == (20, 21)
    issues = {(i.code, i.ref): i.message for i in validate(wb, as_of=AS_OF).issues}
    assert not [ref for _, ref in issues if ref in ("Tiến độ!E2", "Tiến độ!F2")]
    for ref, shown in (("Tiến độ!E3", "#DIV/0!"), ("Tiến độ!F3", "#CALC!"), ("Tiến độ!F4", "#SPILL!")):
        assert shown in issues[("error-value", ref)]


def test_the_click_marks_com_error_cells_and_uses_currency_figures(macro_book: Path,  # noqa: F811
                                                                    tmp_path: Path) -> None:
    data = payload(macro_book)
    set_cell(data, "Tiến độ", "E2", Decimal("20"))
    set_cell(data, "Tiến độ", "F3", CALC)
    outcome, actions = run(data, tmp_path)
    assert outcome.ok and alert(actions)[1] == "info"
    after = apply(data, actions)
    assert marked(after)["Tiến độ!F3"] == "Lỗi"
    assert "Tiến độ!E2" not in marked(after)
    summary = next(s for s in after["sheets"] if s["name"] == "Tổng hợp")["values"]
    row = next(r for r in summary if r and r[0] == "1.1")
    assert row[5] == round(20 / 21 * 100, 1)


# --- merged ranges: halving the sheet ----------------------------------------------------------------------------

class Merges:
    """Excel's answers about merged cells for a sheet with the given merged ranges (1-based, inclusive)."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        self.ranges, self.calls = ranges, 0

    def _hits(self, r1: int, c1: int, r2: int, c2: int) -> list[tuple[int, int, int, int]]:
        return [m for m in self.ranges if m[0] <= r2 and m[2] >= r1 and m[1] <= c2 and m[3] >= c1]

    def state(self, r1: int, c1: int, r2: int, c2: int) -> bool | None:
        """``Range.MergeCells``: True when every cell is merged, False when none, None when mixed."""
        self.calls += 1
        merged = sum(max(0, min(m[2], r2) - max(m[0], r1) + 1) * max(0, min(m[3], c2) - max(m[1], c1) + 1)
                     for m in self._hits(r1, c1, r2, c2))
        return False if merged == 0 else True if merged == (r2 - r1 + 1) * (c2 - c1 + 1) else None

    def area(self, r: int, c: int) -> tuple[int, int, int, int]:
        self.calls += 1
        return self._hits(r, c, r, c)[0]


def test_merged_ranges_are_found_with_few_calls_on_a_thousand_rows() -> None:
    ranges = [(25, 2, 26, 2), (400, 1, 400, 5), (999, 9, 1000, 12)]
    excel = Merges(ranges)
    found = find_merges(excel.state, excel.area, 1000, 12)
    assert found == sorted(((r1 - 1, c1 - 1), (r2 - 1, c2 - 1)) for r1, c1, r2, c2 in ranges)
    assert excel.calls < 150, "a per-cell scan would make 12,000 calls"
    assert Merges([]).state(1, 1, 1000, 12) is False


def test_merged_ranges_match_a_cell_by_cell_scan_on_random_sheets() -> None:
    rng = random.Random(15)
    for _ in range(40):
        height, width = rng.randint(1, 40), rng.randint(1, 8)
        taken: set[tuple[int, int]] = set()
        ranges = []
        for _ in range(rng.randint(0, 5)):
            r1, c1 = rng.randint(1, height), rng.randint(1, width)
            r2, c2 = min(height, r1 + rng.randint(0, 3)), min(width, c1 + rng.randint(0, 2))
            cells = set(itertools.product(range(r1, r2 + 1), range(c1, c2 + 1)))
            if len(cells) > 1 and not cells & taken:
                taken |= cells
                ranges.append((r1, c1, r2, c2))
        excel = Merges(ranges)
        expected = sorted(((r1 - 1, c1 - 1), (r2 - 1, c2 - 1)) for r1, c1, r2, c2 in ranges)
        assert find_merges(excel.state, excel.area, height, width) == expected, ranges


# --- hidden rows: the filter's are not the official's -------------------------------------------------------------

class Rows:
    """Excel's sheet object for ``hidden_rows``: visible cells of column A, and the autofilter's state."""

    def __init__(self, hidden: set[int], *, filter_span: tuple[int, int] | None, criteria: bool,
                 table: tuple[int, int] | None = None) -> None:
        self.hidden, self.AutoFilterMode, self.FilterMode = hidden, filter_span is not None, criteria
        self.filter_span = filter_span
        self.ListObjects: list[Any] = []
        if table is not None:  # an Excel table with a criterion applied in its own autofilter
            listed = _Area(table[0], table[1] - table[0] + 1)
            listed.ShowAutoFilter, listed.AutoFilter, listed.Range = True, type("F", (), {"FilterMode": True}), listed
            self.ListObjects.append(listed)

    @property
    def api(self) -> Rows:
        return self

    def Cells(self, row: int, column: int) -> int:
        return row

    def Range(self, first: int, last: int) -> Rows:
        self.height = last
        return self

    def SpecialCells(self, kind: int) -> Rows:
        assert kind == 12  # xlCellTypeVisible
        return self

    @property
    def Areas(self) -> list[Any]:
        areas: list[_Area] = []
        for r in range(1, self.height + 1):
            if r in self.hidden:
                continue
            if areas and areas[-1].Row + areas[-1].Rows.Count == r:
                areas[-1].Rows.Count += 1
            else:
                areas.append(_Area(r, 1))
        return areas

    @property
    def AutoFilter(self) -> Any:
        first, last = self.filter_span or (0, 0)
        return _Area(first, last - first + 1, as_range=True)


class _Area:
    def __init__(self, row: int, count: int, *, as_range: bool = False) -> None:
        self.Row = row
        self.Rows = type("Rows", (), {})()
        self.Rows.Count = count
        if as_range:
            self.Range = self


@pytest.mark.parametrize(("span", "criteria", "expected"), [
    ((1, 30), True, {40}),  # filtered to one official: the rows the filter hides are not reported
    ((1, 30), False, {5, 6, 40}),  # filter arrows but no criterion: every hidden row was hidden by hand
    (None, False, {5, 6, 40}),  # no autofilter at all
])
def test_rows_hidden_by_an_active_filter_are_not_hidden_rows(span: tuple[int, int] | None, criteria: bool,
                                                             expected: set[int]) -> None:
    sheet = Rows({5, 6, 40}, filter_span=span, criteria=criteria)
    assert hidden_rows(sheet, 45) == frozenset(expected)
    assert (filter_rows(sheet) == set(range(2, 31))) is (span is not None and criteria)


def test_rows_hidden_by_an_excel_tables_filter_are_not_hidden_rows() -> None:
    sheet = Rows({5, 6, 40}, filter_span=None, criteria=False, table=(1, 30))
    assert hidden_rows(sheet, 45) == frozenset({40})


def test_the_remote_engine_reports_no_layout(macro_book: Path) -> None:  # noqa: F811
    """The remote engine cannot tell merges or hidden rows: the adapter says none rather than failing."""
    wb = read_book(xw.Book(json=payload(macro_book)))
    assert not [r for r in wb.progress if r.hidden]


def test_percent_formatted_targets_are_read_as_excel_shows_them() -> None:
    """A target cell holding 1 shows 100% when Excel formats it as a percentage and 1% otherwise: the live
    adapter asks Excel for the format of exactly those cells (stand-in sheet: Excel's Range.NumberFormat)."""
    from toolkit.core.schema import PLAN
    from toolkit.workbook.live import percent_cells

    target = [c.field for c in PLAN.columns].index("target")
    formats = {(2, target + 1): "0%", (3, target + 1): 'General"%"'}  # the builder's: shows 1 as "1%"

    class Cell:
        def __init__(self, fmt: str) -> None:
            self.number_format = fmt

    class Sheet:
        def __init__(self) -> None:
            self.asked: list[tuple[int, int]] = []

        def range(self, where: tuple[int, int]) -> Cell:
            self.asked.append(where)
            return Cell(formats[where])

    def plan_row(value: object) -> list[object]:
        row: list[object] = [""] * len(PLAN.columns)
        row[target] = value
        return row

    rows = [[c.header for c in PLAN.columns], plan_row(1.0), plan_row(1), plan_row(50.0)]
    sheet = Sheet()
    assert percent_cells(sheet, rows) == frozenset({(2, target)})
    assert sheet.asked == [(2, target + 1), (3, target + 1)]  # 50 is not ambiguous: its format is not asked

    class Remote:
        def range(self, where: tuple[int, int]) -> Cell:
            raise NotImplementedError("number formats are asynchronous on this engine")

    assert percent_cells(Remote(), rows) is None
    assert percent_cells(Remote(), [rows[0], plan_row(50.0)]) == frozenset()
