"""Completion figures (design.md section 4), hand-computed, on the example and on a workbook built for the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from toolkit.builder import build_workbook
from toolkit.example_plan import plan_info
from toolkit.model import Official, PlanItem, ProgressRow
from toolkit.period import Period
from toolkit.progress import compute_progress, default_period
from toolkit.reader import read_workbook
from toolkit.resources import example_workbook
from toolkit.schema import KIND_DONE, KIND_MAX, KIND_MIN

Q1, Q2, Q3, Q4 = Period.of_year(2023)
AS_OF = date(2024, 1, 8)  # the demo's date: every 2023 deadline has passed
END = date(2023, 12, 31)
DOING, DONE, NOT = "Đang thực hiện", "Hoàn thành", "Chưa thực hiện"


@pytest.fixture(scope="module")
def example():
    return read_workbook(example_workbook())


# (period, code) -> (current row on the sheet, ratio, completion, overdue as of 2024-01-08); None = not reported.
EXAMPLE = [
    (Q4, "1.1", 25, 20 / 21 * 100, 20 / 21 * 100, True),  # 95.24, short of 100
    (Q4, "1.2", 26, 100.0, 100.0, False),  # event-based deadline: never overdue
    (Q4, "1.3", 27, 300 / 450 * 100, 100.0, False),  # 66.7% against a target of 50
    (Q4, "1.4", 28, 130 / 350 * 100, None, True),  # no numeric target: unknown, not done -> overdue
    (Q4, "1.5", 30, 100.0, 100.0, False),  # two snapshots on the same day: the lower row is current
    (Q4, "1.6", 31, 1190 / 1200 * 100, 1190 / 1200 * 100, True),
    (Q4, "1.7", 32, 95 / 320 * 100, None, True),
    (Q4, "1.8", 33, 100.0, 100.0, False),  # Hoàn thành kind with status Hoàn thành
    (Q1, "1.3", 4, 30.0, 60.0, True),  # 120/400 = 30% of a 50% target
    (Q1, "1.4", None, None, 0.0, True),  # no row by quarter I: chưa báo cáo, 0
    (Q2, "1.7", 7, 15 / 280 * 100, None, True),  # no quarter II row: the quarter I snapshot still stands
    (Q2, "1.8", 15, 50.0, 50.0, True),  # Hoàn thành kind in progress: the ratio is the completion
    (Q3, "1.5", 21, 100.0, 100.0, False),
    (Q3, "1.7", 23, 20.0, None, True),  # its date is unreadable, yet it is still the quarter III snapshot
]


@pytest.mark.parametrize(("period", "code", "row", "ratio", "completion", "overdue"), EXAMPLE)
def test_example_items(example, period, code, row, ratio, completion, overdue):
    ip = {i.code: i for i in compute_progress(example, period, as_of=AS_OF).items}[code]
    assert (ip.row.row if ip.row else None) == row
    assert ip.reported is (row is not None)
    assert ip.ratio == pytest.approx(ratio)
    assert ip.completion == pytest.approx(completion)
    assert ip.overdue is overdue


@pytest.mark.parametrize(("period", "mean", "unknown"), [
    (Q4, (20 / 21 * 100 + 100 + 100 + 100 + 1190 / 1200 * 100 + 100) / 6, 2),
    (Q1, (17 / 21 * 100 + 412 / 450 * 100 + 60 + 0 + 60 + 700 / 820 * 100 + 25) / 7, 1),
])
def test_example_plan_completion(example, period, mean, unknown):
    pp = compute_progress(example, period, as_of=AS_OF)
    assert [i.code for i in pp.items] == [f"1.{n}" for n in range(1, 9)]
    assert pp.plan_completion == pytest.approx(mean)
    assert pp.unknown == unknown


def test_example_q4_headline(example):
    pp = compute_progress(example, Q4, as_of=AS_OF)
    assert round(pp.plan_completion, 2) == 99.07
    assert [i.code for i in pp.overdue] == ["1.1", "1.4", "1.6", "1.7"]
    assert pp.not_reported == []


def test_nothing_overdue_before_the_deadline(example):
    assert compute_progress(example, Q4, as_of=END).overdue == []


def test_by_owner_of_example(example):
    pp = compute_progress(example, Q4, as_of=AS_OF)
    owners = {name: [i.code for i in items] for name, items in pp.by_owner(example.officials).items()}
    assert owners == {
        "Nguyễn Thị Hồng Nhung": ["1.1", "1.3", "1.6"],
        "Lê Văn Thành": ["1.5"],
        "Siu Thị Nguyệt": ["1.8"],
        "Đinh Văn Tú": ["1.2", "1.4", "1.7"],
    }
    assert pp.unassigned(example.officials) == []


# A plan built for the rules: (code, kind, target, deadline).
RULE_ITEMS = [
    ("A1", KIND_MIN, 80.0, END),
    ("A2", KIND_MIN, 0.0, END),
    ("A3", KIND_MIN, 100.0, END),
    ("B1", KIND_MAX, 5.0, END),
    ("B2", KIND_MAX, 0.0, END),
    ("C1", KIND_DONE, 100.0, END),
    ("C2", KIND_DONE, None, END),
    ("D1", KIND_MIN, None, END),
    ("D2", KIND_MIN, None, END),
    ("E1", KIND_MIN, 100.0, END),
    ("E2", KIND_MIN, 100.0, None),
    ("F1", KIND_MIN, 50.0, END),
    ("G1", None, 50.0, END),
]
# (code, quarter, updated, achieved, total, status), written in this order from row 2.
RULE_ROWS = [
    ("A1", Q1, date(2023, 4, 5), 40, 100, DOING),
    ("A1", Q2, date(2023, 7, 5), 60, 100, DOING),
    ("A1", Q2, date(2023, 7, 20), 70, 100, DOING),  # a later correction of quarter II ...
    ("A1", Q2, date(2023, 7, 20), 72, 100, DOING),  # ... and another on the same day, lower: this one counts
    ("A1", Q2, date(2023, 7, 1), 99, 100, DOING),  # typed below, but dated earlier: does not count
    ("A1", Q4, date(2023, 12, 10), 90, 100, DOING),
    ("A2", Q1, date(2023, 4, 5), 0, 10, DOING),
    ("A3", Q4, date(2023, 12, 10), 30, 100, DOING),
    ("A3", Q3, date(2023, 12, 20), 50, 100, DOING),  # a later date, but an earlier quarter
    ("B1", Q1, date(2023, 4, 5), 8, 100, DOING),
    ("B1", Q2, date(2023, 7, 5), 4, 100, DOING),
    ("B1", Q3, date(2023, 10, 5), 5, 100, DOING),
    ("B2", Q1, date(2023, 4, 5), 1, 50, DOING),
    ("C1", Q1, date(2023, 4, 5), 3, 12, DOING),
    ("C1", Q2, date(2023, 7, 5), 6, 12, DONE),
    ("C2", Q1, date(2023, 4, 5), None, None, DOING),
    ("D1", Q1, date(2023, 4, 5), 10, 40, DONE),
    ("D2", Q1, date(2023, 4, 5), 10, 40, DOING),
    ("F1", Q1, date(2023, 4, 5), None, None, NOT),
    ("G1", Q1, date(2023, 4, 5), 25, 100, DOING),
]


@pytest.fixture(scope="module")
def rules_wb(tmp_path_factory: pytest.TempPathFactory):
    items = [PlanItem(code=c, content=f"Nội dung {c}", kind=k, target=t, owner="Văn phòng - Thống kê",
                      deadline=d, deadline_note=None if d else "Sau khi kết thúc đợt kiểm tra")
             for c, k, t, d in RULE_ITEMS]
    officials = [Official(name="Nguyễn Thị Hồng Nhung", position="Văn phòng - Thống kê")]
    rows = [ProgressRow(code=c, period=p, updated=u, updater="Nguyễn Thị Hồng Nhung", achieved=a, total=t,
                        status=s, result="Đã làm")
            for c, p, u, a, t, s in RULE_ROWS]
    path: Path = tmp_path_factory.mktemp("progress") / "rules.xlsx"
    return read_workbook(build_workbook(path, plan_info(), items, officials, rows))


# (period, code, ratio, completion, overdue as of 2024-01-08)
RULE_CASES = [
    (Q1, "A1", 40.0, 50.0, True),  # Tối thiểu: 40 / 80
    (Q2, "A1", 72.0, 90.0, True),  # snapshot rule: latest date, then the lower row
    (Q3, "A1", 72.0, 90.0, True),  # no quarter III row: quarter II stands
    (Q4, "A1", 90.0, 100.0, False),  # above target: capped at 100
    (Q1, "A2", 0.0, 100.0, False),  # a target of 0 counts as met
    (Q3, "A3", 50.0, 50.0, True),
    (Q4, "A3", 30.0, 30.0, True),  # the quarter IV row wins over a later-dated quarter III row
    (Q1, "B1", 8.0, 5 / 8 * 100, True),  # Tối đa above target: T / R
    (Q2, "B1", 4.0, 100.0, False),  # Tối đa below target
    (Q3, "B1", 5.0, 100.0, False),  # Tối đa at target
    (Q1, "B2", 2.0, 0.0, True),  # Tối đa with target 0 and some late: 0
    (Q1, "C1", 25.0, 25.0, True),  # Hoàn thành kind in progress: the ratio
    (Q2, "C1", 50.0, 100.0, False),  # Hoàn thành kind, status Hoàn thành: 100 whatever the ratio
    (Q1, "C2", None, 0.0, True),  # Hoàn thành kind, no ratio, not done: 0 (a target is not needed)
    (Q1, "D1", 25.0, None, False),  # no numeric target: unknown; marked done, so not overdue
    (Q1, "D2", 25.0, None, True),  # unknown and not done: overdue
    (Q4, "E1", None, 0.0, True),  # never reported: 0
    (Q4, "E2", None, 0.0, False),  # never reported, but an event-based deadline: not overdue
    (Q1, "F1", None, 0.0, True),  # Chưa thực hiện with no figures: 0, known
    (Q1, "G1", 25.0, 50.0, True),  # blank Loại chỉ tiêu counts as Tối thiểu
]


@pytest.mark.parametrize(("period", "code", "ratio", "completion", "overdue"), RULE_CASES)
def test_completion_rules(rules_wb, period, code, ratio, completion, overdue):
    ip = {i.code: i for i in compute_progress(rules_wb, period, as_of=AS_OF).items}[code]
    assert ip.ratio == pytest.approx(ratio)
    assert ip.completion == pytest.approx(completion)
    assert ip.overdue is overdue


def test_rules_plan_mean_skips_unknown(rules_wb):
    pp = compute_progress(rules_wb, Q1, as_of=AS_OF)
    known = [i.completion for i in pp.items if i.completion is not None]
    assert pp.unknown == 2  # D1 and D2
    assert len(known) == len(RULE_ITEMS) - 2
    assert pp.plan_completion == pytest.approx(sum(known) / len(known))


@pytest.mark.parametrize(("as_of", "period"), [
    (date(2024, 1, 8), Q4),  # after the plan year: its last quarter
    (date(2023, 8, 15), Q3),
    (date(2022, 11, 1), Q1),  # before the plan year: its first quarter
])
def test_default_period(example, as_of, period):
    assert default_period(example, as_of) == period
