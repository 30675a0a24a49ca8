"""Every output states the same facts: one assessment per run, read by validate, status, the report, the Office
digest and the button's two sheets.

The workbook is built to be tricky: an item carried from an earlier quarter, a row whose figures are unusable,
a period chosen that is not the current one, a target of "không quá 1%", an address written with a display
name, and items overdue at the check date. Each output is produced the way an official gets it (the CLI,
the Word file, the composed email, a click through xlwings' remote engine) and read back.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from docx import Document

from tests.conftest import ROOT, BuildFn
from tests.test_button import apply, payload, remote_engine, sheet_of  # noqa: F401  (remote_engine: autouse)
from toolkit.api import check
from toolkit.cli import main
from toolkit.core.example_plan import plan_items
from toolkit.core.model import ProgressRow
from toolkit.core.period import Period
from toolkit.core.schema import KIND_MAX
from toolkit.core.words import upper_first
from toolkit.excel.button import click
from toolkit.excel.layout import RESULTS_FIRST_ROW, RESULTS_HEADERS, RESULTS_SHEET, SUMMARY_SHEET
from toolkit.mail.compose import compose_night
from toolkit.rules.assess import Assessment
from toolkit.rules.phrases import completion_text, counts_line
from toolkit.workbook.reader import read_workbook

sys.path.insert(0, str(ROOT / "workbooks"))
import make_example

Q2, Q3 = Period(2023, 2), Period(2023, 3)
AS_OF = date(2023, 12, 20)  # in quarter IV: quarter III is a period chosen, not the current one
LATE = date(2023, 8, 31)  # before quarter III's data cut-off (14/9/2023): overdue there and on the check date
TU_CELL = "Đinh Văn Tú <tu.dcxd@daktover.example.vn>"  # a display name: not one address

EXPECTED = {
    "overdue": ["1.1", "1.4"],
    "done": ["1.2", "1.3"],  # 1.2 from its quarter II row; 1.3 is 0,5% against "không quá 1%"
    "not_reported": ["1.2", "1.5"],  # 1.2 is carried, 1.5 has no row at all
    "unknown": ["1.4", "1.7"],  # 1.4's row says 12 of 10; 1.7's plan gives no number
}


def rows() -> list[ProgressRow]:
    def r(code: str, period: Period, achieved: object, total: object, status: str = "Đang thực hiện",
          who: str = make_example.NHUNG) -> ProgressRow:
        return ProgressRow(code=code, period=period, updated=date(2023, 3 * period.quarter, 20), updater=who,
                           achieved=achieved, total=total, status=status, result="Đã triển khai.")

    return [r("1.1", Q3, 19, 21), r("1.2", Q2, 600, 600, "Hoàn thành", make_example.TU), r("1.3", Q3, 1, 200),
            r("1.4", Q3, 12, 10, who=make_example.TU), r("1.6", Q3, 50, 100), r("1.7", Q3, 10, 40),
            r("1.8", Q3, 3, 4, who=make_example.NGUYET)]


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import build as build_fixture

    items = plan_items()
    items[0].deadline = items[3].deadline = LATE
    items[2] = dataclasses.replace(items[2], kind=KIND_MAX, target=1.0,
                                   target_text="Tỷ lệ hồ sơ giải quyết trễ hạn không quá 1%")
    items[3].target = 50.0
    officials = [dataclasses.replace(p, email=TU_CELL) if p.name == make_example.TU else p
                 for p in make_example.OFFICIALS]
    build: BuildFn = build_fixture.__wrapped__(tmp_path_factory.mktemp("tricky"))
    return build(rows(), items=items, officials=officials, name="theo_doi.xlsx")


@pytest.fixture(scope="module")
def truth(tricky: Path) -> Assessment:
    return check(read_workbook(tricky), as_of=AS_OF, period=Q3)


def codes_of(states: list[Any]) -> list[str]:
    return [s.code for s in states]


def test_the_assessment_itself(truth: Assessment) -> None:
    assert truth.overdue_on == date(2023, 9, 14)  # the chosen past period is judged at its data cut-off
    assert {k: codes_of(getattr(truth, k)) for k in EXPECTED} == EXPECTED
    assert truth.state("1.2").carried_from == Q2 and truth.state("1.4").bad_cells == ("Tiến độ!E5",)


def test_validate_json_states_the_same_facts(tricky: Path, truth: Assessment, capsys) -> None:
    assert main(["validate", str(tricky), "--json", "--period", Q3.label, "--as-of", AS_OF.isoformat()]) == 1
    issues = json.loads(capsys.readouterr().out)["issues"]
    plan_row = {s.item.row: s.code for s in truth.items}

    def items_with(code: str) -> list[str]:
        return sorted(plan_row[i["row"]] for i in issues if i["code"] == code)

    assert items_with("overdue") == EXPECTED["overdue"]
    assert items_with("figures-unusable") == ["1.4"]
    assert sorted(plan_row[i["row"]] for i in issues if i["code"] == "missing-report") == ["1.1", "1.2", "1.3",
                                                                                            "1.4", "1.5", "1.6",
                                                                                            "1.7", "1.8"]
    bad_email = [i for i in issues if i["code"] == "invalid-email"]
    assert [(i["sheet"], i["severity"]) for i in bad_email] == [("Cán bộ", "error")]
    assert [i["cell"] for i in issues if i["code"] == "achieved-over-total"] == ["E5"]


def test_status_json_states_the_same_facts(tricky: Path, truth: Assessment, capsys) -> None:
    assert main(["status", str(tricky), "--json", "--period", Q3.label, "--as-of", AS_OF.isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in EXPECTED} == EXPECTED
    items = {i["code"]: i for i in data["items"]}
    assert (items["1.2"]["reported"], items["1.2"]["carried_from"], items["1.2"]["ratio"]) == (False, "Quý II/2023",
                                                                                               100.0)
    assert (items["1.4"]["usable"], items["1.4"]["ratio"], items["1.4"]["bad_cells"]) == (False, None,
                                                                                          ["Tiến độ!E5"])
    assert items["1.3"]["ratio"] == 0.5 and items["1.3"]["completion"] == 100.0


def test_the_report_states_the_same_facts(tricky: Path, truth: Assessment, tmp_path: Path, capsys) -> None:
    main(["report", str(tricky), "--period", Q3.label, "--date", AS_OF.isoformat(), "--out", str(tmp_path)])
    capsys.readouterr()
    (path,) = tmp_path.glob("*.docx")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert counts_line(truth) in text
    appendix = doc.tables[-1]
    by_code = {}
    for row in appendix.rows[1:]:
        cells = [c.text.replace("\u00a0", " ") for c in row.cells]  # "Quý\u00a0II/2023" never breaks in a cell
        if re.fullmatch(r"1\.\d", cells[0]):  # the plan's codes are the STT: one numbering
            by_code[cells[0]] = " | ".join(cells)
    assert sorted(by_code) == [s.code for s in truth.items]
    for s in truth.items:
        assert ("quá hạn" in by_code[s.code]) is s.overdue, s.code
        assert completion_text(s) in by_code[s.code], s.code
    assert "600/600" in by_code["1.2"] and "Quý II/2023" in by_code["1.2"]  # the carried figure, labelled
    assert "12/10" not in by_code["1.4"]  # no figure from the bad cells


def test_the_office_digest_states_the_same_facts(truth: Assessment) -> None:
    drafts = compose_night(truth.report, truth, as_of=AS_OF, office=("vanphong@daktover.example.vn",))
    digest = next(d for d in drafts if d.kind == "office")
    assert upper_first(counts_line(truth)) in digest.text  # the same words, starting the digest's sentence
    late = re.search(r"Quá hạn \((\d+)\)\n-+\n((?:  - .*\n)+)", digest.text)
    assert late and int(late.group(1)) == 2
    assert [line.split()[1] for line in late.group(2).splitlines()] == EXPECTED["overdue"]
    assert all("tu.dcxd" not in a for d in drafts for a in d.addresses)  # the display-name cell is not mailed
    assert f"{make_example.TU}: " in digest.text and "chưa có email hợp lệ" in digest.text


def test_the_buttons_two_sheets_state_the_same_facts(tricky: Path, truth: Assessment, tmp_path: Path, capsys,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # xlwings' remote engine cannot read number formats; Excel can (Range.NumberFormat). The stand-in answers
    # from the file what Excel would, so the target "1" of 1.3 is read as the cell shows it, "1%".
    import openpyxl

    from toolkit.workbook import live

    plan_sheet = openpyxl.load_workbook(tricky)["Kế hoạch"]

    class ExcelFormats:
        def range(self, where: tuple[int, int]) -> Any:
            return plan_sheet.cell(*where)

    real = live.percent_cells
    monkeypatch.setattr(live, "percent_cells", lambda sheet, values: real(ExcelFormats(), values))
    data = payload(tricky)
    data["sheets"].append({"name": SUMMARY_SHEET, "values": [["TỔNG HỢP"], ["Kỳ báo cáo:", Q3.label]],
                           "pictures": [], "tables": []})
    book = xw.Book(json=data)
    outcome = click(book, as_of=AS_OF, now=datetime(2023, 12, 20, 9, 0), folder=tmp_path)
    assert outcome.ok, outcome.message
    after = apply(data, book.json()["actions"])
    # Kết quả kiểm tra: exactly the issues of cchc validate for the same period and day.
    main(["validate", str(tricky), "--json", "--period", Q3.label, "--as-of", AS_OF.isoformat()])
    issues = json.loads(capsys.readouterr().out)["issues"]
    listed = sheet_of(after, RESULTS_SHEET)["values"][RESULTS_FIRST_ROW - 1:]
    place, message = RESULTS_HEADERS.index("Vị trí"), RESULTS_HEADERS.index("Nội dung")
    assert [(r[place], r[message]) for r in listed if len(r) > message and r[message]] == \
        [(f"{i['sheet']}!{i['cell']}" if i["cell"] else i["sheet"], i["message"]) for i in issues]
    # Tổng hợp: per item, the same figure, completion and flags; then the overdue items.
    summary = sheet_of(after, SUMMARY_SHEET)["values"]
    coded = [r for r in summary if r and isinstance(r[0], str) and re.fullmatch(r"1\.\d", r[0])]
    per_item = {r[0]: r for r in coded[:len(truth.items)]}
    for s in truth.items:
        row = per_item[s.code]
        assert row[5] == (round(s.completion, 1) if s.completion is not None else "chưa xác định"), s.code
        assert ("Quá hạn" in row[8]) is s.overdue and ("Số liệu lỗi" in row[8]) is (not s.usable), s.code
    assert [r[0] for r in coded[len(truth.items):]] == EXPECTED["overdue"]
    assert "Số liệu Quý II/2023" in per_item["1.2"][8]


def test_the_nightly_digest_for_a_named_period_states_the_same_facts(tricky: Path, truth: Assessment,
                                                                    tmp_path: Path, capsys) -> None:
    """``cchc notify --period`` (a dry run: the messages are written as .eml files, nothing is sent)."""
    from email import policy
    from email.parser import BytesParser

    config = tmp_path / "cchc.toml"
    config.write_text(f'workbook = "{tricky.as_posix()}"\n[smtp]\nhost = "127.0.0.1"\nport = 2525\n'
                      'security = "none"\nsender = "Văn phòng <vanphong@daktover.example.vn>"\n'
                      '[notify]\noffice = "vanphong@daktover.example.vn"\n', encoding="utf-8")
    assert main(["notify", "--config", str(config), "--dry-run", "--period", Q3.label,
                 "--as-of", AS_OF.isoformat()]) == 0
    capsys.readouterr()
    (digest,) = (tmp_path / "outbox" / "xem-truoc" / AS_OF.isoformat()).glob("office__*.eml")
    message = BytesParser(policy=policy.default).parsebytes(digest.read_bytes())
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert counts_line(truth) in message["Subject"] and upper_first(counts_line(truth)) in text
    assert re.search(r"Quá hạn \(2\)\n-+\n  - 1\.1 .*\n  - 1\.4 ", text)
