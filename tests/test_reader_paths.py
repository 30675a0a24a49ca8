"""The reader's speed paths read exactly what the plain path reads.

``read_workbook(path)`` scans the sheets' markup in a thread while calamine parses them and reads runs of
ordinary rows column by column; ``read_workbook(path, plain=True)`` scans first and reads every row on its own.
Random sheets (clean rows mixed with blanks, spaces, NFD text, numbers as text, bad dates, booleans, error and
uncalculated formula cells, hidden rows, values right of the table) must give the same records, the same
notes in the same order and the same plan information both ways.
"""

from __future__ import annotations

import random
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_validate_property import write as write_cell
from toolkit.core.model import TrackingWorkbook
from toolkit.core.schema import INFO_HEADERS, INFO_SHEET, PLAN, PROGRESS, ROSTER
from toolkit.workbook.reader import read_workbook

CODES = ["1.1", "1.2", "1.3", "2.1", "2.2"]
PEOPLE = ["Nguyễn Thị Hồng Nhung", "Lê Văn Thành", "Trần Minh Tú"]
NFD = unicodedata.normalize("NFD", "Lê Văn Thành")
ERROR = ("error", "#DIV/0!")  # a formula cell holding an error value
PENDING = ("formula",)  # a formula cell whose value was never calculated

# Per column of ``Tiến độ``: the values offices type cleanly, then the messy ones.
CLEAN: dict[str, list[Any]] = {
    "code": CODES,
    "period": ["Quý I/2023", "Quý II/2023", "Quý III/2023", "Quý IV/2023"],
    "updated": [date(2023, 3, 15), date(2023, 6, 30), date(2023, 10, 2)],
    "updater": PEOPLE,
    "achieved": [0, 3, 12, 40.5],
    "total": [10, 40, 100],
    "ratio": [None],
    "status": ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành"],
    "result": ["Đã triển khai", "Đạt 30 hồ sơ", None],
    "difficulties": [None, "Thiếu kinh phí"],
    "proposals": [None, "Đề nghị hỗ trợ"],
    "evidence": [None, "Số 12/BC-UBND"],
}
MESSY: list[Any] = [None, "", " ", "\u00a0", "  a  b ", "a  b", "a\u00a0b", NFD, NFD + " b", "12", "12,5", "1.234",
                    "85%", "31/02/2023", "15/10/2023", "abc", "Quý 3/2023", "q4-2023", "hoàn thành ", -5, 0, 1, 2.5,
                    45000, True, False, date(2023, 2, 28), ERROR, PENDING, "x@@y"]
ROSTER_CLEAN = [PEOPLE, ["Văn phòng - Thống kê", "Địa chính"], ["a@b.vn", "c@d.vn", None], [None, "0905123456"]]

clean_row = st.tuples(*(st.sampled_from(CLEAN[c.field]) for c in PROGRESS.columns)).map(list)
messy_row = st.lists(st.sampled_from(MESSY), min_size=len(PROGRESS.columns), max_size=len(PROGRESS.columns))
mixed_row = st.tuples(*(st.sampled_from(CLEAN[c.field] + MESSY) for c in PROGRESS.columns)).map(list)
blank_row = st.sampled_from([[None] * len(PROGRESS.columns), [" "] + [None] * (len(PROGRESS.columns) - 1)])
progress_row = st.one_of(clean_row, clean_row, clean_row, messy_row, mixed_row, blank_row)
roster_row = st.one_of(st.tuples(*(st.sampled_from(v) for v in ROSTER_CLEAN)).map(list),
                       st.lists(st.sampled_from(MESSY), min_size=len(ROSTER.columns), max_size=len(ROSTER.columns)))


def write(ws: Any, r: int, c: int, v: Any, date_fmt: Any) -> None:
    """One cell as the property test of validation writes it, plus an uncalculated formula."""
    if v == PENDING:
        ws.write_formula(r, c, "=1+1")  # XlsxWriter's placeholder 0, in a file left for Excel to calculate
    else:
        write_cell(ws, r, c, v, date_fmt)


def make_workbook(path: Path, progress: list[list[Any]], roster: list[list[Any]], hidden: list[int],
                  strays: list[tuple[int, Any]]) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    ws = book.add_worksheet(PLAN.name)
    ws.write_row(0, 0, [c.header for c in PLAN.columns])
    for r, code in enumerate(CODES, start=1):
        ws.write_row(r, 0, [code, f"Nội dung {code}", "Mục tiêu", 100, "Tối thiểu", "- Nhiệm vụ", PEOPLE[r % 3]])
    for table, rows in ((PROGRESS, progress), (ROSTER, roster)):
        ws = book.add_worksheet(table.name)
        ws.write_row(0, 0, [c.header for c in table.columns])
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values):
                write(ws, r, c, v, date_fmt)
        if table is PROGRESS:
            for r in hidden:
                ws.set_row(r, None, None, {"hidden": True})
            for r, v in strays:  # two columns right of the table's last header
                write(ws, r, len(table.columns) + 1, v, date_fmt)
    ws = book.add_worksheet(INFO_SHEET)
    ws.write_row(0, 0, list(INFO_HEADERS))
    ws.write_row(1, 0, ["Tên đơn vị", "xã Đăktover"])
    ws.write_row(2, 0, ["Năm thực hiện", 2023])
    book.close()


def both_ways(path: Path) -> tuple[TrackingWorkbook, TrackingWorkbook]:
    return read_workbook(path), read_workbook(path, plain=True)


def assert_same(fast: TrackingWorkbook, plain: TrackingWorkbook) -> None:
    """The same records (repr: 1 and 1.0 differ), notes in the same order with the same messages, same info."""
    for name in ("items", "progress", "officials"):
        assert repr(getattr(fast, name)) == repr(getattr(plain, name)), name
    assert fast.notes == plain.notes
    assert [n.message for n in fast.notes] == [n.message for n in plain.notes]
    assert repr(fast.info) == repr(plain.info)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    progress=st.lists(progress_row, max_size=30),
    roster=st.lists(roster_row, max_size=5),
    hidden=st.lists(st.integers(1, 30), max_size=3),
    strays=st.lists(st.tuples(st.integers(1, 30), st.sampled_from(["x", 7, " "])), max_size=2),
)
def test_the_fast_paths_read_what_the_plain_path_reads(progress, roster, hidden, strays) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "so.xlsx"
        make_workbook(path, progress, roster, hidden, strays)
        fast, plain = both_ways(path)
    assert_same(fast, plain)


def test_a_log_longer_than_one_chunk_reads_the_same_both_ways(tmp_path: Path) -> None:
    """Rows are read in chunks of 4,096: runs and the rows between them cross a chunk's end."""
    rng = random.Random(19)
    fields = [c.field for c in PROGRESS.columns]
    rows = []
    for i in range(4_500):
        row = [rng.choice(CLEAN[f]) for f in fields]
        if i % 37 == 0 or 4_090 <= i <= 4_100:
            row[rng.randrange(len(row))] = rng.choice(MESSY)
        rows.append(row)
    path = tmp_path / "so.xlsx"
    make_workbook(path, rows, [list(p) for p in zip(*ROSTER_CLEAN[:2], strict=False)], [5, 4_096, 4_097],
                  [(4_095, "x")])
    fast, plain = both_ways(path)
    assert len(fast.progress) > 4_096
    assert {n.code for n in fast.notes} >= {"hidden-row", "value-outside-table", "error-value"}
    assert_same(fast, plain)
