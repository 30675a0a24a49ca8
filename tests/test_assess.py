"""Completion figures and the facts of each item (design.md section 4), hand-computed, on the example and on a
workbook built for the rules, through the one assessment (``toolkit.rules.assess``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from toolkit.core.example_plan import plan_info
from toolkit.core.model import Official, PlanItem, ProgressRow
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.core.schema import KIND_DONE, KIND_MAX, KIND_MIN
from toolkit.rules.assess import assess, current_period, item_state
from toolkit.rules.completion import current_rows
from toolkit.workbook.builder import build_workbook
from toolkit.workbook.reader import read_workbook

Q1, Q2, Q3, Q4 = Period.of_year(2023)
AS_OF = date(2024, 1, 8)  # the demo's date: every 2023 deadline has passed
END = date(2023, 12, 31)
DOING, DONE, NOT = "Đang thực hiện", "Hoàn thành", "Chưa thực hiện"


@pytest.fixture(scope="module")
def example():
    return read_workbook(example_workbook())


# (period, code) -> (current row on the sheet, the quarter it reports, ratio, completion); None = no row.
# A period named explicitly is judged at its data cut-off (14th of its last month): no 2023 deadline has passed
# there, so nothing is overdue in these; the check about "today" below judges at 08/01/2024.
EXAMPLE = [
    (Q4, "1.1", 25, Q4, 20 / 21 * 100, 20 / 21 * 100),  # 95.24, short of 100
    (Q4, "1.2", 26, Q4, 100.0, 100.0),
    (Q4, "1.3", 27, Q4, 300 / 450 * 100, 100.0),  # 66.7% against a target of 50
    (Q4, "1.4", 28, Q4, 130 / 350 * 100, None),  # no numeric target: unknown
    (Q4, "1.5", 30, Q4, 100.0, 100.0),  # two snapshots on the same day: the lower row is current
    (Q4, "1.6", 31, Q4, 1190 / 1200 * 100, 1190 / 1200 * 100),
    (Q4, "1.7", 32, Q4, 95 / 320 * 100, None),
    (Q4, "1.8", 33, Q4, 100.0, 100.0),  # Hoàn thành kind with status Hoàn thành
    (Q1, "1.3", 4, Q1, 30.0, 60.0),  # 120/400 = 30% of a 50% target
    (Q1, "1.4", None, None, None, 0.0),  # no row by quarter I: 0
    (Q2, "1.7", 7, Q1, 15 / 280 * 100, None),  # no quarter II row: the quarter I snapshot is carried
    (Q2, "1.8", 15, Q2, 50.0, 50.0),  # Hoàn thành kind in progress: the ratio is the completion
    (Q3, "1.5", 21, Q3, 100.0, 100.0),
    (Q3, "1.7", 23, Q3, 20.0, None),  # its date is unreadable, yet it is still the quarter III snapshot
]


@pytest.mark.parametrize(("period", "code", "row", "of", "ratio", "completion"), EXAMPLE)
def test_example_items(example, period, code, row, of, ratio, completion):
    s = assess(example, as_of=AS_OF, period=period).state(code)
    assert (s.row.row if s.row else None) == row
    assert s.reported is (of == period)
    assert s.carried_from == (of if of is not None and of != period else None)
    assert s.ratio == pytest.approx(ratio)
    assert s.completion == pytest.approx(completion)
    assert s.overdue is False


@pytest.mark.parametrize(("period", "mean", "unknown"), [
    (Q4, (20 / 21 * 100 + 100 + 100 + 100 + 1190 / 1200 * 100 + 100) / 6, 2),
    (Q1, (17 / 21 * 100 + 412 / 450 * 100 + 60 + 0 + 60 + 700 / 820 * 100 + 25) / 7, 1),
])
def test_example_plan_completion(example, period, mean, unknown):
    a = assess(example, as_of=AS_OF, period=period)
    assert [i.code for i in a.items] == [f"1.{n}" for n in range(1, 9)]
    assert a.mean == pytest.approx(mean)
    assert len(a.unknown) == unknown


def test_example_today_in_january(example):
    """A check about today (no period named) on 08/01/2024: quarter IV, deadlines judged at that day."""
    a = assess(example, as_of=AS_OF)
    assert (a.period, a.overdue_on) == (Q4, AS_OF)
    assert round(a.mean, 2) == 99.07
    assert [i.code for i in a.overdue] == ["1.1", "1.4", "1.6", "1.7"]
    assert [i.code for i in a.done] == ["1.2", "1.3", "1.5", "1.8"]
    assert a.not_reported == []


def test_a_past_period_is_judged_at_its_cutoff(example):
    a = assess(example, as_of=AS_OF, period=Q4)
    assert (a.window.start, a.window.end, a.overdue_on) == (date(2022, 12, 15), date(2023, 12, 14), date(2023, 12, 14))
    assert a.overdue == []


def test_nothing_overdue_before_the_deadline(example):
    assert assess(example, as_of=END).overdue == []


def test_periods_before_the_plan_are_not_reportable(example):
    """The example plan was issued on 10/8/2023: quarters I and II cannot be reported or be "chưa báo cáo"."""
    assert [assess(example, as_of=AS_OF, period=p).reportable for p in (Q1, Q2, Q3, Q4)] == [False, False, True, True]
    assert all(s.missing == () for s in assess(example, as_of=AS_OF).items)


def test_by_owner_of_example(example):
    pp = assess(example, as_of=AS_OF, period=Q4)
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
    """The item rules, with deadlines judged at 08/01/2024 (``assess.item_state`` is what ``assess`` applies)."""
    item = next(it for it in rules_wb.items if it.code == code)
    s = item_state(item, current_rows(rules_wb.progress, period).get(code), period, AS_OF, AS_OF)
    assert s.ratio == pytest.approx(ratio)
    assert s.completion == pytest.approx(completion)
    assert s.overdue is overdue
    assert s.done is (completion == 100.0 or (completion is None and s.status == DONE))


def test_rules_plan_mean_skips_unknown(rules_wb):
    pp = assess(rules_wb, as_of=AS_OF, period=Q1)
    known = [i.completion for i in pp.items if i.completion is not None]
    assert [s.code for s in pp.unknown] == ["D1", "D2"]
    assert pp.known == len(known) == len(RULE_ITEMS) - 2
    assert pp.mean == pytest.approx(sum(known) / len(known))


@pytest.mark.parametrize(("as_of", "period"), [
    (date(2024, 1, 8), Q4),  # after the plan year: its last quarter
    (date(2023, 8, 15), Q3),
    (date(2022, 11, 1), Q3),  # before the plan year: its first reportable quarter (issued 10/8/2023)
    (date(2023, 5, 2), Q3),  # before the plan was issued: likewise
])
def test_default_period(example, as_of, period):
    assert current_period(example, as_of) == period
