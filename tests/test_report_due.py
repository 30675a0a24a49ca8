"""Before the period's figures fall due, the owners of items with no row of the period are reminded."""

from __future__ import annotations

from datetime import date

from tests.conftest import BuildFn
from toolkit.api import check_file
from toolkit.core.example_plan import plan_info
from toolkit.core.model import ProgressRow
from toolkit.core.period import Period
from toolkit.mail.compose import compose_night

Q3, Q4 = Period(2023, 3), Period(2023, 4)
NHUNG = "Nguyễn Thị Hồng Nhung"
OFFICE = ("vanphong@daktover.example.vn",)


def rows() -> list[ProgressRow]:
    """Every item reported in quarter III; only 1.1 has its quarter IV row yet."""
    out = [ProgressRow(code=f"1.{n}", period=Q3, updated=date(2023, 10, 5), updater=NHUNG, achieved=5, total=10,
                       status="Đang thực hiện", result="Đã triển khai.", difficulties="Thiếu kinh phí.")
           for n in range(1, 9)]
    out.append(ProgressRow(code="1.1", period=Q4, updated=date(2023, 12, 1), updater=NHUNG, achieved=8, total=10,
                           status="Đang thực hiện", result="Đã triển khai.", difficulties="Thiếu kinh phí."))
    return out


def drafts_on(build: BuildFn, day: date, due_day: int | None) -> tuple[object, list]:
    info = plan_info()
    info.plan_number, info.office_email, info.due_day = "52/KH-UBND", OFFICE[0], due_day
    report, a = check_file(build(rows(), info=info), as_of=day)
    assert a is not None
    return a, compose_night(report, a, as_of=day, office=OFFICE)


def test_owners_are_reminded_before_the_province_due_date(build: BuildFn) -> None:
    a, drafts = drafts_on(build, date(2023, 12, 1), due_day=10)
    assert a.report_due == date(2023, 12, 10) and [s.code for s in a.to_update] == [f"1.{n}" for n in range(2, 9)]
    nhung = next(d for d in drafts if d.addresses == ("nhung.vp@daktover.example.vn",))  # owns 1.1, 1.3, 1.6
    assert "Cần cập nhật số liệu Quý IV/2023 trước ngày 10/12/2023 (2)" in nhung.text
    assert "  - 1.3 " in nhung.text and "  - 1.6 " in nhung.text and "2 nội dung cần cập nhật số liệu" in nhung.subject
    digest = next(d for d in drafts if d.kind == "office")
    assert ("Hạn cập nhật số liệu Quý IV/2023: 10/12/2023; 7 nội dung chưa có dòng kỳ này (1.2, 1.3, 1.4, 1.5, 1.6, "
            "1.7, 1.8)") in digest.text


def test_no_reminder_while_the_due_date_is_far_or_without_a_province_date_before_the_cutoff(build: BuildFn) -> None:
    a, drafts = drafts_on(build, date(2023, 11, 1), due_day=10)  # 39 days ahead: not yet
    assert a.to_update == [] and not any("Cần cập nhật số liệu" in d.text for d in drafts)
    a, _ = drafts_on(build, date(2023, 12, 1), due_day=None)  # the decree's cut-off, 14/12, is the due date
    assert a.report_due == date(2023, 12, 14) and len(a.to_update) == 7
