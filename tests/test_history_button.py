"""The button records the report it writes in the ledger and shows figures changed after an earlier report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.test_button import alert, payload, remote_engine, run, set_cell  # noqa: F401 (remote_engine: autouse)
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.memory.ledger import ledger_path, load, record
from toolkit.workbook.reader import read_workbook


def test_the_button_records_its_report_and_warns_of_figures_changed_after_another(tmp_path: Path) -> None:
    book = tmp_path / Path(example_workbook()).name  # where the button's workbook lives: its ledger is beside it
    record(book, read_workbook(example_workbook()), Period(2023, 3), number="09/BC-UBND", day=date(2023, 10, 10))
    data = payload(example_workbook())
    outcome, actions = run(data, tmp_path)
    assert outcome.ok and "Báo cáo số" not in alert(actions)[0]
    (_, issued) = load(ledger_path(book))
    assert (issued.number, issued.day, issued.period.label) == ("05/BC-UBND", date(2024, 1, 8), "Quý IV/2023")
    assert issued.document == "bao-cao-cchc-quy-IV-2023.docx"
    item = next(p for p in issued.items if p.code == "1.3")
    assert (item.row, item.achieved, item.total) == (27, 300, 450)

    data = payload(example_workbook())
    set_cell(data, "Tiến độ", "E19", 280)  # Quý III's 260/430, printed in report 09, corrected afterwards
    outcome, actions = run(data, tmp_path)
    assert outcome.ok and ("Chú ý: Nội dung 1.3, Quý III/2023: Báo cáo số 09/BC-UBND ngày 10/10/2023 đã ghi "
                           "260/430; nay ô Tiến độ!E19 là 280/430") in alert(actions)[0]
    assert [r.number for r in load(ledger_path(book))] == ["09/BC-UBND", "05/BC-UBND"]  # 05 again: replaced
