"""Any workbook yields a well-formed report: every column filled with random values of random types."""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.api import check, validate_file
from toolkit.core.issues import CATALOGUE
from toolkit.core.period import Period
from toolkit.core.schema import INFO_FIELDS, INFO_HEADERS, INFO_SHEET, PLAN, PROGRESS, ROSTER

SHEETS = {PLAN.name, PROGRESS.name, ROSTER.name, INFO_SHEET}
CELL = re.compile(r"^[A-Z]{1,3}[1-9]\d*$")

# Values offices really type, mixed with anything at all.
SAMPLES = ["1.1", "1.2", "1.10", "Quý III/2023", "Quý 3/2023", "q4-2023", "15/10/2023", "10/15/2023", "85%",
           "12,5", "1.234", "Hoàn thành", "hoàn thành ", "Chưa thực hiện", "Đang thực hiện", "Tối thiểu", "Tối đa",
           "Nguyễn Thị Hồng Nhung", unicodedata.normalize("NFD", "Lê Văn Thành"), "Văn phòng - Thống kê",
           "a@b.vn", "x@@y", "#N/A", "=1/0", " ", "\u00a0", "0", "-5", "2023"]

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=30)
cell = st.one_of(
    st.none(),
    st.sampled_from(SAMPLES),
    text,
    st.integers(-10**6, 10**6),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(date(1990, 1, 1), date(2040, 12, 31)),
    st.just(("error", "#DIV/0!")),
)


def rows_of(width: int, max_rows: int) -> st.SearchStrategy[list[list[Any]]]:
    return st.lists(st.lists(cell, min_size=width, max_size=width), max_size=max_rows)


def write(ws: Any, r: int, c: int, v: Any, date_fmt: Any) -> None:
    if v is None:
        return
    if isinstance(v, tuple):
        ws.write_formula(r, c, "=1/0", None, v[1])
    elif isinstance(v, bool):
        ws.write_boolean(r, c, v)
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v)
    elif isinstance(v, date):
        ws.write_datetime(r, c, datetime(v.year, v.month, v.day), date_fmt)
    else:
        ws.write_string(r, c, v)


def make_workbook(path: Path, tables: dict[str, list[list[Any]]], info: list[list[Any]], hidden: list[int],
                  merge: bool) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    for table in (PLAN, PROGRESS, ROSTER):
        ws = book.add_worksheet(table.name)
        for c, col in enumerate(table.columns):
            ws.write_string(0, c, col.header)
        for r, values in enumerate(tables[table.name], start=1):
            for c, v in enumerate(values):
                write(ws, r, c, v, date_fmt)
        for r in hidden:
            ws.set_row(r, None, None, {"hidden": True})
        if merge and len(tables[table.name]) >= 2:
            ws.merge_range(1, 1, 2, 1, "Quý I/2023")
    ws = book.add_worksheet(INFO_SHEET)
    for c, h in enumerate(INFO_HEADERS):
        ws.write_string(0, c, h)
    for r, (label, value) in enumerate(info, start=1):
        ws.write_string(r, 0, label)
        write(ws, r, 1, value, date_fmt)
    book.close()


# A quick run by default; CCHC_PROPERTY_EXAMPLES=1000 for a thorough one.
@settings(max_examples=int(os.environ.get("CCHC_PROPERTY_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=rows_of(len(PLAN.columns), 5),
    progress=rows_of(len(PROGRESS.columns), 8),
    roster=rows_of(len(ROSTER.columns), 4),
    info=st.lists(st.tuples(st.sampled_from([f.label for f in INFO_FIELDS] + ["Mục lạ"]), cell), max_size=8),
    hidden=st.lists(st.integers(1, 6), max_size=2),
    merge=st.booleans(),
    as_of=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_any_workbook_gives_a_well_formed_report(plan, progress, roster, info, hidden, merge, as_of):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so.xlsx"
        make_workbook(path, {PLAN.name: plan, PROGRESS.name: progress, ROSTER.name: roster},
                      [list(x) for x in info], hidden, merge)
        report, wb = validate_file(path, as_of=as_of)
    assert not report.fatal and wb is not None
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert data["errors"] + data["warnings"] == len(data["issues"])
    assert data["valid"] is (data["errors"] == 0)
    for i in report.issues:
        assert i.code in CATALOGUE
        assert i.severity == CATALOGUE[i.code][0]
        assert i.message and unicodedata.is_normalized("NFC", i.message)
        assert i.sheet is None or i.sheet in SHEETS
        assert i.cell is None or CELL.match(i.cell), i
        assert i.row is None or i.row >= 1
    cells = [(i.code, i.sheet, i.cell, i.column) for i in report.issues]
    assert len(cells) == len(set(cells)), "an issue is reported twice"
    year = wb.year if wb.year and 2000 <= wb.year <= 2100 else as_of.year
    for period in Period.of_year(year):
        a = check(wb, as_of=as_of, period=period)
        for s in a.items:
            assert s.completion is None or 0 <= s.completion <= 100
            assert not (s.done and s.overdue) and (s.usable or (s.completion is None and s.ratio is None))
            assert s.reported is (s.row is not None and s.row.period == period)


def add_strays(path: Path, strays: list[tuple[int, int, int, Any]], percent: list[tuple[int, Any]]) -> None:
    """Rewrite ``path`` with stray values anywhere on the table sheets and percent-formatted targets."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    names = [PLAN.name, PROGRESS.name, ROSTER.name, INFO_SHEET]
    for sheet, r, c, v in strays:
        wb[names[sheet]].cell(row=r, column=c, value=v)
    for r, v in percent:
        target = wb[PLAN.name].cell(row=r, column=4, value=v)
        target.number_format = "0.0%"
    wb.save(path)


@settings(max_examples=int(os.environ.get("CCHC_PROPERTY_EXAMPLES", "15")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=rows_of(len(PLAN.columns), 4),
    progress=rows_of(len(PROGRESS.columns), 5),
    strays=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 1_048_576), st.integers(1, 16_384),
                              st.one_of(st.sampled_from(SAMPLES), st.floats(-1e6, 1e6, allow_nan=False))),
                    max_size=3),
    percent=st.lists(st.tuples(st.integers(2, 6), st.one_of(st.floats(-2, 2, allow_nan=False),
                                                             st.sampled_from(["0,5%", "1", "abc"]))), max_size=3),
)
def test_stray_cells_and_formats_never_crash_nor_cost_the_declared_range(plan, progress, strays, percent):
    import resource

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so.xlsx"
        make_workbook(path, {PLAN.name: plan, PROGRESS.name: progress, ROSTER.name: []}, [], [], False)
        add_strays(path, strays, percent)
        report, wb = validate_file(path, as_of=date(2023, 12, 20))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1_500_000  # KB: never the declared range
    if report.fatal:  # a stray in row 1 can push a header aside; it is then named, never a crash
        assert all(i.code in CATALOGUE for i in report.issues)
        return
    assert wb is not None
    for i in report.issues:
        assert i.cell is None or CELL.match(i.cell), i
    far = {(n, r, c) for n, r, c, _ in strays if c > 64 or r > 20_000}
    outside = {(i.sheet, i.cell) for i in report.issues if i.code in ("value-outside-table", "values-outside-table")}
    names = [PLAN.name, PROGRESS.name, ROSTER.name, INFO_SHEET]
    for n, r, c in far:
        if names[n] != INFO_SHEET:
            from toolkit.core.schema import column_letter

            assert (names[n], f"{column_letter(c - 1)}{r}") in outside or len(far) > 1
