"""The change list compares content, not row numbers; routing gives each official the changes in their rows."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from pathlib import Path

import pytest

from toolkit.core.model import TrackingWorkbook
from toolkit.core.resources import example_workbook
from toolkit.mail.annotate import annotate
from toolkit.mail.draft import Draft
from toolkit.memory.backups import Copy, Kept
from toolkit.memory.changes import ADDED, DELETED, EDITED, compare
from toolkit.memory.history import Night
from toolkit.workbook.reader import read_workbook

HLIM = "Rơ Mah H'Lim"


@pytest.fixture(scope="module")
def base() -> TrackingWorkbook:
    return read_workbook(example_workbook())


def renumbered(wb: TrackingWorkbook, rows: list) -> TrackingWorkbook:
    new = copy.copy(wb)
    new.progress = [dataclasses.replace(r, row=n) for n, r in enumerate(rows, 2)]
    return new


def test_sorted_rows_are_no_change(base: TrackingWorkbook) -> None:
    by_code = sorted(base.progress, key=lambda r: (r.code or "", r.period or base.progress[0].period))
    assert compare(base, renumbered(base, by_code)) == []
    assert compare(base, renumbered(base, list(reversed(base.progress)))) == []


def test_an_inserted_row_changes_only_itself(base: TrackingWorkbook) -> None:
    extra = dataclasses.replace(base.progress[3], code="1.4", achieved=1.0, total=2.0, result="Mới")
    rows = [*base.progress[:5], extra, *base.progress[5:]]
    (change,) = compare(base, renumbered(base, rows))
    assert (change.action, change.ref) == (ADDED, "Tiến độ!A7") and "Số đạt 1, Tổng số 2" in change.new


def test_an_edited_key_field_is_one_edited_cell_not_a_deletion(base: TrackingWorkbook) -> None:
    rows = list(base.progress)
    rows[0] = dataclasses.replace(rows[0], updated=date(2023, 4, 7))
    (change,) = compare(base, renumbered(base, rows))
    assert (change.action, change.ref, change.column, change.old, change.new) == (
        EDITED, "Tiến độ!C2", "Ngày cập nhật", "06/04/2023", "07/04/2023")
    assert change.updater == "Nguyễn Thị Hồng Nhung"


def test_one_of_two_identical_rows_deleted_is_one_deletion(base: TrackingWorkbook) -> None:
    dup = [r for r in base.progress if r.code == "1.5" and r.period and r.period.label == "Quý IV/2023"]
    assert len(dup) == 2
    rows = [r for r in base.progress if r is not dup[1]]
    new = copy.copy(base)
    new.progress = rows  # the rows keep their cells; only the deleted one is gone
    (change,) = compare(base, new, old_label="trong bản sao ngày 19/10/2023")
    assert change.action == DELETED and change.ref == f"Tiến độ!A{dup[1].row}"
    assert "trong bản sao ngày 19/10/2023" in change.what and "Mã nhiệm vụ 1.5" in change.old


def test_a_target_and_a_deadline_come_first(base: TrackingWorkbook) -> None:
    new = copy.copy(base)
    rows = list(base.progress)
    rows[1] = dataclasses.replace(rows[1], achieved=413.0)
    new.progress = rows
    new.items = [dataclasses.replace(it, target=70.0, deadline=date(2024, 3, 31)) if it.code == "1.3" else it
                 for it in base.items]
    changes = compare(base, new)
    assert [(c.ref, c.old, c.new) for c in changes] == [
        ("Kế hoạch!D4", "50", "70"), ("Kế hoạch!I4", "31/12/2023", "31/03/2024"), ("Tiến độ!E3", "412", "413")]


def test_an_official_with_nothing_else_to_hear_gets_the_changes_in_their_rows(base: TrackingWorkbook) -> None:
    new = copy.copy(base)
    rows = list(base.progress)
    rows[2] = dataclasses.replace(rows[2], updater=HLIM, result="Đã cập nhật")
    new.progress = rows
    night = Night(date(2023, 10, 20), Path(example_workbook()),
                  kept=Kept(Copy(Path("hom-nay.xlsx"), date(2023, 10, 20)), new, True, []),
                  previous=Copy(Path(example_workbook()), date(2023, 10, 19)))
    digest = Draft("office", "Văn phòng", ("vanphong@daktover.example.vn",), "Tổng hợp", "Kính gửi Văn phòng,\n",
                   "<html><body><p>Kính gửi Văn phòng,</p></body></html>")
    drafts = annotate([digest], night, new)
    assert [d.kind for d in drafts] == ["official", "official", "office"]
    hlim = next(d for d in drafts if d.addresses == ("hlim.tp@daktover.example.vn",))
    assert hlim.subject == "Nhắc việc CCHC xã Đăktover ngày 20/10/2023: 2 thay đổi trong dòng anh/chị phụ trách"
    assert f"Kính gửi {HLIM}," in hlim.text and "Tiến độ!D4" in hlim.text and "Tiến độ!I4" in hlim.text
    assert "Tiến độ!D4" in hlim.html and hlim.html.count("<tr>") == 3
    assert "Thay đổi từ bản sao ngày 19/10/2023 (2)" in drafts[-1].text  # the Office sees them too
