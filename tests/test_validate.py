"""Validation: the example's imperfections exactly, and each rule family injected into a real workbook."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from toolkit.api import validate, validate_file
from toolkit.core.example_plan import plan_info, plan_items
from toolkit.core.model import Official, PlanInfo, PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.core.schema import INFO_SHEET
from toolkit.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "workbooks"))
import make_example  # noqa: E402

PLAN_S, PROG_S, ROSTER_S = "Kế hoạch", "Tiến độ", "Cán bộ"
Q1, Q2, Q3, Q4 = Period.of_year(2023)


def flat(report) -> list[tuple[str, str, str, str | None]]:
    return [(i.code, i.severity, i.sheet or "", i.cell) for i in report.issues]


# The example as of 20/12/2023 (quarters I-III are over, no deadline has passed yet).
EXAMPLE_EXPECTED = [
    # FLAWS (no row) 1.4 Quý I/2023 and 1.7 Quý II/2023: those quarters ended before the plan was issued
    # (10/8/2023), so they are not reportable and never "chưa báo cáo" (design.md section 4).
    ("target-missing", "warning", PLAN_S, "D5"),  # the Office left 1.4 unquantified (make_example.build)
    ("target-missing", "warning", PLAN_S, "D8"),  # ... and 1.7
    ("text-normalised", "warning", PROG_S, "D5"),  # FLAWS D5: NFD name
    ("hidden-row", "warning", PROG_S, "A8"),  # FLAWS A8
    ("text-normalised", "warning", PROG_S, "D9"),  # FLAWS D9: non-breaking space
    ("result-missing", "error", PROG_S, "I12"),  # FLAWS I12
    ("number-as-text", "warning", PROG_S, "E14"),  # FLAWS E14
    ("period-normalised", "warning", PROG_S, "B15"),  # FLAWS B15
    ("date-as-text", "warning", PROG_S, "C19"),  # FLAWS C19
    ("done-below-target", "warning", PROG_S, "H22"),  # FLAWS H22: Hoàn thành at 98.1% of a 100% target
    ("not-a-date", "error", PROG_S, "C23"),  # FLAWS C23: month first
    ("merged-cells", "warning", PROG_S, "B25"),  # FLAWS B25:B26
    ("choice-normalised", "warning", PROG_S, "H26"),  # FLAWS H26
    ("duplicate-snapshot", "warning", PROG_S, "A30"),  # FLAWS A30
]


@pytest.fixture(scope="module")
def example_wb():
    return read_workbook(example_workbook())


def test_example_has_exactly_its_flaws(example_wb):
    report = validate(example_wb, as_of=date(2023, 12, 20))
    assert flat(report) == EXAMPLE_EXPECTED
    assert (report.errors, report.warnings, report.valid) == (2, 12, False)


def test_every_listed_flaw_is_reported(example_wb):
    make_example.progress_rows()  # fills FLAWS (all but the merged range, which is Tiến độ!B25 below)
    cells = {c for _, _, sheet, c in flat(validate(example_wb, as_of=date(2023, 12, 20))) if sheet == PROG_S}
    for where, what in make_example.FLAWS:
        if where.startswith("(no row)"):
            continue
        assert where.split(":")[0] in cells, what


def test_example_in_january_adds_the_overdue_items(example_wb):
    report = validate(example_wb, as_of=date(2024, 1, 8))
    added = [x for x in flat(report) if x not in EXAMPLE_EXPECTED]
    assert added == [("overdue", "warning", PLAN_S, f"I{r}") for r in (2, 5, 7, 8)] + [  # 1.1, 1.4, 1.6, 1.7
        ("overdue-no-cause", "warning", PROG_S, f"J{r}") for r in (25, 28, 32)]  # 1.6's row gives its cause


UNUSABLE = ("figures-unusable", "warning", PLAN_S, "A2")  # 1.1 is "chưa xác định" for the period: its row is bad

# A clean base: every item reported in quarters I-III (rows 2-25, item by item within each quarter).
AS_OF = date(2023, 10, 20)
NHUNG = "Nguyễn Thị Hồng Nhung"
CODES = [f"1.{n}" for n in range(1, 9)]
UPDATED = {Q1: date(2023, 4, 6), Q2: date(2023, 7, 7), Q3: date(2023, 10, 9)}


def base_rows() -> list[ProgressRow]:
    rows = []
    for p in (Q1, Q2, Q3):
        for code in CODES:
            rows.append(ProgressRow(code=code, period=p, updated=UPDATED[p], updater=NHUNG, achieved=5, total=10,
                                    status="Đang thực hiện", result="Đã triển khai."))
    return rows


def row_of(code: str, p: Period) -> int:
    """The sheet row of ``code``'s ``p`` row in the base workbook."""
    return 2 + (p.quarter - 1) * len(CODES) + CODES.index(code)


@dataclasses.dataclass
class Case:
    """A fault: how to change the base (items, progress rows, officials, info) and what must be reported."""

    change: Callable[[list[PlanItem], list[ProgressRow], list[Official], PlanInfo], Any]
    expected: list[tuple[str, str, str, str | None]]


def _set(objs: list, index: int, **fields: Any) -> None:
    objs[index] = dataclasses.replace(objs[index], **fields)


def _prog(item: str, p: Period, /, **fields: Any) -> Callable[..., None]:
    def change(items, rows, officials, info):
        _set(rows, row_of(item, p) - 2, **fields)
    return change


def _item(index: int, /, **fields: Any) -> Callable[..., None]:
    def change(items, rows, officials, info):
        _set(items, index, **fields)
    return change


def _official(index: int, /, **fields: Any) -> Callable[..., None]:
    def change(items, rows, officials, info):
        _set(officials, index, **fields)
    return change


def _add_row(**fields: Any) -> Callable[..., None]:
    def change(items, rows, officials, info):
        base = dict(code="1.1", period=Q3, updated=date(2023, 10, 10), updater=NHUNG, achieved=5, total=10,
                    status="Đang thực hiện", result="Đã triển khai.")
        rows.append(ProgressRow(**{**base, **fields}))
    return change


def _add_item(**fields: Any) -> Callable[..., None]:
    def change(items, rows, officials, info):
        base = dict(code="1.9", content="Nội dung bổ sung", target=100.0, kind="Hoàn thành", owner="Văn phòng",
                    deadline=date(2023, 12, 31))
        items.append(PlanItem(**{**base, **fields}))
    return change


def _drop_row(code: str, p: Period) -> Callable[..., None]:
    def change(items, rows, officials, info):
        del rows[row_of(code, p) - 2]
    return change


def _info(**fields: Any) -> Callable[..., None]:
    def change(items, rows, officials, info):
        for k, v in fields.items():
            setattr(info, k, v)
    return change


R11 = row_of("1.1", Q3)  # 17
CASES: dict[str, Case] = {
    # Kế hoạch, per column
    "plan code missing": Case(_add_item(code=None), [("required-missing", "error", PLAN_S, "A10")]),
    "plan code duplicate": Case(_add_item(code="1.1"), [("duplicate-code", "error", PLAN_S, "A10")]),
    "content missing": Case(_item(0, content=None), [("required-missing", "error", PLAN_S, "B2")]),
    "target above 100": Case(_item(0, target=120.0), [("out-of-range", "error", PLAN_S, "D2")]),
    "target negative": Case(_item(0, target=-5.0), [("out-of-range", "error", PLAN_S, "D2")]),
    "target not a number": Case(_item(0, target="nhiều"), [("not-a-number", "error", PLAN_S, "D2")]),
    "target missing": Case(_item(0, target=None), [("target-missing", "warning", PLAN_S, "D2")]),
    "target missing, Hoàn thành kind": Case(_item(0, target=None, kind="Hoàn thành"), []),
    "kind not allowed": Case(_item(0, kind="Cao nhất"), [("not-a-choice", "error", PLAN_S, "E2")]),
    "owner missing": Case(_item(0, owner=None), [("required-missing", "error", PLAN_S, "G2")]),
    "owner unknown": Case(_item(0, owner="Địa chính - Xây dựng"), [("unknown-owner", "warning", PLAN_S, "G2")]),
    "deadline and note missing": Case(_item(0, deadline=None, deadline_note=None),
                                      [("deadline-missing", "warning", PLAN_S, "I2")]),
    "deadline as text, day first": Case(_item(0, deadline="31/12/2023"), [("date-as-text", "warning", PLAN_S, "I2")]),
    "deadline unreadable": Case(_item(0, deadline="31/13/2023"), [("not-a-date", "error", PLAN_S, "I2")]),
    "overdue": Case(_item(0, deadline=date(2023, 9, 30)), [("overdue", "warning", PLAN_S, "I2"),
                                                           ("overdue-no-cause", "warning", PROG_S, f"J{R11}")]),
    # Tiến độ, per column
    "item not on the plan": Case(_prog("1.1", Q3, code="9.9"), [("missing-report", "warning", PLAN_S, "A2"),
                                                                ("unknown-item", "error", PROG_S, f"A{R11}")]),
    "item code missing": Case(_prog("1.1", Q3, code=None), [("missing-report", "warning", PLAN_S, "A2"),
                                                            ("required-missing", "error", PROG_S, f"A{R11}")]),
    "item code typed as a number": Case(_prog("1.1", Q3, code=1.1),
                                        [("code-as-number", "warning", PROG_S, f"A{R11}")]),
    # A row without a readable quarter may be the missing one: no missing-report on top of it.
    "period missing": Case(_prog("1.1", Q3, period=None), [("required-missing", "error", PROG_S, f"B{R11}")]),
    "period unreadable": Case(_prog("1.1", Q3, period="Quý 5/2023"), [("not-a-period", "error", PROG_S, f"B{R11}")]),
    "period outside the plan year": Case(_add_row(period=Period(2024, 1)),
                                         [("period-outside-year", "warning", PROG_S, "B26"),
                                          ("date-before-period", "warning", PROG_S, "C26")]),
    "date missing": Case(_prog("1.1", Q3, updated=None), [("required-missing", "error", PROG_S, f"C{R11}")]),
    "date in the future": Case(_prog("1.1", Q3, updated=date(2023, 11, 2)),
                               [("date-in-future", "error", PROG_S, f"C{R11}")]),
    "date before the plan year": Case(_prog("1.1", Q3, updated=date(2022, 12, 1)),
                                      [("date-before-plan-year", "error", PROG_S, f"C{R11}")]),
    "date before the quarter": Case(_prog("1.1", Q3, updated=date(2023, 6, 15)),
                                    [("date-before-period", "warning", PROG_S, f"C{R11}")]),
    "date month first": Case(_prog("1.1", Q3, updated="10/13/2023"), [("not-a-date", "error", PROG_S, f"C{R11}")]),
    "updater missing": Case(_prog("1.1", Q3, updater=None), [("required-missing", "error", PROG_S, f"D{R11}")]),
    "updater not on the roster": Case(_prog("1.1", Q3, updater="Nguyễn Văn An"),
                                      [("unknown-person", "warning", PROG_S, f"D{R11}")]),
    "achieved negative": Case(_prog("1.1", Q3, achieved=-1), [UNUSABLE, ("out-of-range", "error", PROG_S, f"E{R11}")]),
    "achieved unreadable": Case(_prog("1.1", Q3, achieved="1.234"),
                                [UNUSABLE, ("not-a-number", "error", PROG_S, f"E{R11}")]),
    "achieved over total": Case(_prog("1.1", Q3, achieved=12),
                                [UNUSABLE, ("achieved-over-total", "error", PROG_S, f"E{R11}")]),
    "total zero": Case(_prog("1.1", Q3, achieved=0, total=0),
                       [UNUSABLE, ("total-zero", "error", PROG_S, f"F{R11}")]),
    "total negative": Case(_prog("1.1", Q3, total=-10), [UNUSABLE, ("out-of-range", "error", PROG_S, f"F{R11}")]),
    "total as percent text": Case(_prog("1.1", Q3, total="10 "), [("number-as-text", "warning", PROG_S, f"F{R11}")]),
    "status missing": Case(_prog("1.1", Q3, status=None), [("required-missing", "error", PROG_S, f"H{R11}")]),
    "status not allowed": Case(_prog("1.1", Q3, status="Xong"), [("not-a-choice", "error", PROG_S, f"H{R11}")]),
    "result missing": Case(_prog("1.1", Q3, result=None), [("result-missing", "error", PROG_S, f"I{R11}")]),
    "result missing, not started": Case(_prog("1.1", Q3, result=None, status="Chưa thực hiện", achieved=None,
                                              total=None), []),
    "done short of target": Case(_prog("1.1", Q3, status="Hoàn thành"),
                                 [("done-below-target", "warning", PROG_S, f"H{R11}")]),
    "done at target": Case(_prog("1.1", Q3, status="Hoàn thành", achieved=10), []),
    "duplicate snapshot": Case(_add_row(updated=UPDATED[Q3]), [("duplicate-snapshot", "warning", PROG_S, "A26")]),
    "same quarter, another day": Case(_add_row(updated=date(2023, 10, 12)), []),
    "quarter not reported": Case(_drop_row("1.2", Q2), [("missing-report", "warning", PLAN_S, "A3")]),
    # Cán bộ
    "name missing": Case(_official(5, name=None), [("required-missing", "error", ROSTER_S, "A7")]),
    "name twice": Case(_official(5, name="Đinh Văn Tú"), [("duplicate-official", "warning", ROSTER_S, "A7")]),
    "email invalid": Case(_official(1, email="hlim.tp@@daktover"), [("invalid-email", "error", ROSTER_S, "C3")]),
    "email twice": Case(_official(1, email="Nhung.VP@daktover.example.vn"),
                        [("duplicate-email", "warning", ROSTER_S, "C3")]),
    # Thông tin chung
    "signer missing": Case(_info(signer_name=None), [("info-missing", "error", INFO_SHEET, None)]),
    "year missing": Case(_info(year=None), [("info-missing", "error", INFO_SHEET, None)]),
    "office email invalid": Case(_info(office_email="vanphong"), [("invalid-email", "error", INFO_SHEET, "B42")]),
}


def make(build, case: Case | None = None) -> Path:
    items, rows = plan_items(), base_rows()
    items[7].deadline, items[7].deadline_note = date(2023, 12, 31), "Văn phòng đề xuất"  # as make_example decides
    officials = [dataclasses.replace(o) for o in make_example.OFFICIALS]
    info = plan_info()
    info.plan_number, info.office_email = "52/KH-UBND", "vanphong@daktover.example.vn"
    info.next_report_number = 5
    if case is not None:
        case.change(items, rows, officials, info)
    return build(rows, items=items, officials=officials, info=info)


# What the clean base itself gives: only the plan's two unquantified items.
BASE = [("target-missing", "warning", PLAN_S, "D5"), ("target-missing", "warning", PLAN_S, "D8")]


def test_base_is_clean_but_for_the_plan(build):
    report, _ = validate_file(make(build), as_of=AS_OF)
    assert flat(report) == BASE
    assert report.valid


@pytest.mark.parametrize("name", list(CASES))
def test_rule(build, name: str):
    case = CASES[name]
    report, wb = validate_file(make(build, case), as_of=AS_OF)
    assert wb is not None
    assert [x for x in flat(report) if x not in BASE] == case.expected
    errors = [x for x in case.expected if x[1] == "error"]
    assert report.valid is (not errors)
    for i in report.issues:
        assert i.message and "{" not in i.message


def test_plan_empty(build):
    report, _ = validate_file(build([], items=[]), as_of=AS_OF)
    assert flat(report) == [("plan-empty", "error", PLAN_S, None)]


def test_messages_name_the_values(build):
    case = CASES["achieved over total"]
    report, _ = validate_file(make(build, case), as_of=AS_OF)
    (problem,) = [i for i in report.issues if i.code == "achieved-over-total"]
    assert problem.message == "Số đạt (12) lớn hơn Tổng số (10)."
    assert problem.ref == f"Tiến độ!E{R11}" and problem.column == "Số đạt" and problem.row == R11


def test_cap_keeps_errors_and_says_how_many_more(build):
    rows = base_rows()
    for r in rows:
        r.updater = "Người lạ"  # 24 warnings
    rows[-1].total = 0  # one error, last in sheet order
    report, _ = validate_file(build(rows), as_of=AS_OF)
    full = len(report.issues)
    capped = validate(read_workbook(report.workbook), as_of=AS_OF, limit=5)
    assert len(capped.issues) == 6 and capped.capped == full - 5
    assert capped.issues[-1].code == "issues-capped"
    assert str(full - 5) in capped.issues[-1].message
    assert "total-zero" in [i.code for i in capped.issues] and not capped.valid
