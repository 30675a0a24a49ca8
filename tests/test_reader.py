"""Reading workbooks back: every value remembers its cell; headers are matched tolerantly but not guessed."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from toolkit.core.model import ProgressRow
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.workbook.reader import read_workbook
from toolkit.workbook.rows import UnreadableWorkbook


@pytest.fixture(scope="module")
def example():
    return read_workbook(example_workbook())


def test_example_reads_without_a_fatal_problem(example) -> None:
    assert [it.code for it in example.items] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"]
    assert len(example.officials) == 6
    assert len(example.progress) == 31
    assert example.info.plan_number == "52/KH-UBND" and example.info.plan_date == date(2023, 8, 10)


@pytest.mark.parametrize(
    ("row", "code", "period", "field", "ref", "value"),
    [
        (2, "1.1", Period(2023, 1), "achieved", "Tiến độ!E2", 17.0),
        (9, "1.1", Period(2023, 2), "updater", "Tiến độ!D9", "Nguyễn Thị Hồng Nhung"),  # NBSP cleaned
        (14, "1.6", Period(2023, 2), "achieved", "Tiến độ!E14", 900.0),  # "900" typed as text
        (15, "1.8", Period(2023, 2), "period", "Tiến độ!B15", Period(2023, 2)),  # "Quý 2/2023"
        (19, "1.3", Period(2023, 3), "updated", "Tiến độ!C19", date(2023, 10, 9)),  # "09/10/2023" day first
        (26, "1.2", Period(2023, 4), "period", "Tiến độ!B26", Period(2023, 4)),  # filled down from a merge
        (33, "1.8", Period(2023, 4), "status", "Tiến độ!H33", "Hoàn thành"),  # after the blank row 16
    ],
)
def test_rows_come_back_with_their_source_cells(example, row, code, period, field, ref, value) -> None:
    rec = next(r for r in example.progress if r.row == row)
    assert (rec.code, rec.period) == (code, period)
    assert rec.ref(field) == ref
    assert getattr(rec, field) == value


def test_unclear_cells_are_none_and_flagged(example) -> None:
    rec = next(r for r in example.progress if r.row == 23)  # "10/13/2023": month first, not a date
    assert rec.updated is None and "updated" in rec.invalid
    assert [(n.code, n.severity, n.ref) for n in example.notes if n.row == 23] == [
        ("not-a-date", "error", "Tiến độ!C23")]


def test_hidden_row_is_read_and_marked(example) -> None:
    rec = next(r for r in example.progress if r.row == 8)
    assert rec.hidden and rec.code == "1.8"
    assert any(n.code == "hidden-row" and n.ref == "Tiến độ!A8" for n in example.notes)


def test_plan_items_remember_cells(example) -> None:
    item = example.item("1.3")
    assert item.ref("target") == "Kế hoạch!D4" and item.target == 50.0
    assert example.info.cells["plan_number"].startswith("B")


def _rewrite(path: Path, edit) -> Path:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def test_headers_tolerate_case_spacing_and_unicode_form(example_copy: Path) -> None:
    import unicodedata

    def edit(wb):
        ws = wb["Tiến độ"]
        ws["E1"] = "  SỐ   ĐẠT "
        ws["F1"] = unicodedata.normalize("NFD", "tổng số")
        # columns moved: swap Minh chứng and Đề xuất, kiến nghị headers and values
        for row in ws.iter_rows(min_row=1):
            row[10].value, row[11].value = row[11].value, row[10].value

    wb = read_workbook(_rewrite(example_copy, edit))
    rec = next(r for r in wb.progress if r.row == 2)
    assert (rec.achieved, rec.total) == (17.0, 21.0)
    assert rec.ref("evidence") == "Tiến độ!K2" and rec.evidence == "Báo cáo số 12/BC-UBND ngày 05/4/2023"


def test_renamed_column_is_reported_by_name(example_copy: Path) -> None:
    _rewrite(example_copy, lambda wb: wb["Tiến độ"].cell(1, 8, "Trạng thái"))
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(example_copy)
    assert err.value.issue.code == "column-missing"
    assert "Tình trạng" in err.value.issue.message and "Tiến độ" in err.value.issue.message


def test_item_codes_stay_text(build) -> None:
    from toolkit.core.example_plan import plan_items

    items = plan_items()
    items[0].code, items[1].code = "1.1", "1.10"
    path = build([ProgressRow(code="1.10", period=Period(2023, 1), updated=date(2023, 4, 1))], items=items)
    wb = read_workbook(path)
    assert [it.code for it in wb.items][:2] == ["1.1", "1.10"]
    assert wb.progress[0].code == "1.10"


def test_code_typed_as_number_is_understood_and_warned(build) -> None:
    path = build([ProgressRow(code=1.2, period=Period(2023, 1))])
    wb = read_workbook(path)
    assert wb.progress[0].code == "1.2"
    assert [(n.code, n.ref) for n in wb.notes] == [("code-as-number", "Tiến độ!A2")]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a workbook at all", "file-unreadable"),
        (None, "file-missing"),
    ],
)
def test_unreadable_files_raise_with_a_vietnamese_reason(tmp_path: Path, content, code) -> None:
    path = tmp_path / "so.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(path)
    assert err.value.issue.code == code
    assert str(path) in err.value.issue.message


def test_truncated_file_is_unreadable_not_misread(example_copy: Path) -> None:
    data = example_copy.read_bytes()
    example_copy.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(example_copy)
    assert err.value.issue.code == "file-unreadable"


def test_missing_sheet_is_named(example_copy: Path) -> None:
    _rewrite(example_copy, lambda wb: wb.remove(wb["Cán bộ"]))
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(example_copy)
    assert err.value.issue.code == "sheet-missing" and "Cán bộ" in err.value.issue.message


def test_reading_never_writes(example_copy: Path) -> None:
    before = (example_copy.read_bytes(), example_copy.stat().st_mtime_ns)
    read_workbook(example_copy)
    assert (example_copy.read_bytes(), example_copy.stat().st_mtime_ns) == before
    assert zipfile.is_zipfile(example_copy)
