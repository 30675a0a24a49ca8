"""Messy input as offices make it, read and validated: each mess understood or refused, each at its cell."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from toolkit.api import validate_file
from toolkit.core.example_plan import plan_items
from toolkit.core.model import ProgressRow
from toolkit.core.period import Period
from toolkit.core.schema import PROGRESS
from toolkit.workbook.builder import Built

Q1, Q2 = Period(2023, 1), Period(2023, 2)
NHUNG = "Nguyễn Thị Hồng Nhung"
DAY = date(2023, 4, 5)


def row(excel_row: int, code: str, **fields) -> ProgressRow:
    base = dict(code=code, period=Q1, updated=DAY, updater=NHUNG, achieved=5, total=10,
                status="Đang thực hiện", result="Đã triển khai.")
    return ProgressRow(row=excel_row, **{**base, **fields})


ROWS = [
    row(2, "1.1", updated="05/04/2023"),  # a date typed as text, day first
    # row 3 left blank in the middle
    row(4, "1.2", achieved=None),  # becomes =1/0 showing #DIV/0! (customize)
    row(5, "1.3", hidden=True),
    row(6, "1.4"),  # Kỳ báo cáo merged over rows 6-7 (customize)
    row(7, "1.5", period=None),
    row(8, "1.6", status=unicodedata.normalize("NFD", "Đang thực hiện")),
    row(9, "1.7", updater=NHUNG + "\u00a0", result="Đã\u00a0triển  khai. "),  # free text is cleaned silently
    row(10, "1.8", achieved="5", total="85%"),  # a count as text is fine; 85% of what is not
    row(11, "1.1", period=Q2, updated="10/15/2023"),  # month first: not a date
]


def customize(built: Built) -> None:
    ws = built.sheets[PROGRESS.name]
    col = PROGRESS.columns.index
    ws.write_formula(3, col(PROGRESS.column("achieved")), "=1/0", None, "#DIV/0!")
    ws.merge_range(5, col(PROGRESS.column("period")), 6, col(PROGRESS.column("period")), Q1.label)


@pytest.fixture
def messy(build):
    items = plan_items()
    items[0].target = "85%"  # the target typed as text
    items[7].deadline = date(2023, 12, 31)
    path = build(ROWS, items=items, customize=customize)
    return validate_file(path, as_of=date(2023, 6, 30))


def test_every_mess_is_reported_at_its_cell(messy):
    report, _ = messy
    assert [(i.code, i.severity, i.ref) for i in report.issues] == [
        ("number-as-text", "warning", "Kế hoạch!D2"),
        ("figures-unusable", "warning", "Kế hoạch!A3"),  # 1.2: its Số đạt shows #DIV/0!
        ("target-missing", "warning", "Kế hoạch!D5"),
        ("target-missing", "warning", "Kế hoạch!D8"),
        ("figures-unusable", "warning", "Kế hoạch!A9"),  # 1.8: Tổng số "85%" is not a count
        ("date-as-text", "warning", "Tiến độ!C2"),
        ("error-value", "error", "Tiến độ!E4"),
        ("hidden-row", "warning", "Tiến độ!A5"),
        ("merged-cells", "warning", "Tiến độ!B6"),
        ("choice-normalised", "warning", "Tiến độ!H8"),
        ("text-normalised", "warning", "Tiến độ!D9"),
        ("number-as-text", "warning", "Tiến độ!E10"),
        ("not-a-number", "error", "Tiến độ!F10"),
        ("not-a-date", "error", "Tiến độ!C11"),
    ]


def test_what_was_understood(messy):
    _, wb = messy
    by_row = {r.row: r for r in wb.progress}
    assert sorted(by_row) == [2, 4, 5, 6, 7, 8, 9, 10, 11]  # the blank row is skipped, the hidden one kept
    assert wb.items[0].target == 85.0
    assert by_row[2].updated == DAY
    assert by_row[4].achieved is None and by_row[4].invalid == {"achieved"}
    assert by_row[5].hidden
    assert by_row[7].period == Q1  # from the merged range
    assert by_row[8].status == "Đang thực hiện"
    assert (by_row[9].updater, by_row[9].result) == (NHUNG, "Đã triển khai.")
    assert (by_row[10].achieved, by_row[10].total, by_row[10].invalid) == (5.0, None, {"total"})
    assert by_row[11].updated is None and by_row[11].invalid == {"updated"}


def test_messages_quote_what_was_typed(messy):
    report, _ = messy
    messages = {i.ref: i.message for i in report.issues}
    assert messages["Tiến độ!C11"] == ("«10/15/2023» không phải ngày hợp lệ (nhập theo ngày/tháng/năm, "
                                       "ví dụ 15/10/2023).")
    assert messages["Tiến độ!E4"] == "Ô có giá trị lỗi #DIV/0!; hãy sửa công thức hoặc nhập số liệu trực tiếp."
    assert messages["Kế hoạch!D2"] == "Số «85%» được nhập dạng chữ; đã hiểu là 85. Nên nhập dạng số."
