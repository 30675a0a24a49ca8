"""`cchc init`: the workbook built from the plan holds the plan faithfully and guards entry like Excel should."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from toolkit.core.errors import CchcError
from toolkit.core.resources import plan_text
from toolkit.core.schema import GUIDE_SHEET, INFO_SHEET, PLAN, PROGRESS, ROSTER
from toolkit.core.text import clean
from toolkit.create import create_workbook
from toolkit.workbook import excel_forms
from toolkit.workbook.reader import read_workbook

from .conftest import soffice_convert


@pytest.fixture(scope="module")
def init_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_workbook(tmp_path_factory.mktemp("init") / "theo_doi_cchc_2023.xlsx")


def _flat(text: str) -> str:
    """Plan text with markdown, line breaks and bullets removed, for containment checks."""
    text = text.replace("**", "").replace("#", "")
    return clean(re.sub(r"\s+", " ", text))


PLAN_TEXT = _flat(plan_text().read_text(encoding="utf-8"))

# code -> (numeric target, deadline, deadline note), read off the plan by hand.
EXPECTED = {
    "1.1": (100.0, date(2023, 12, 31), "Trong năm 2023"),
    "1.2": (100.0, None, "Sau khi kết thúc đợt kiểm tra"),
    "1.3": (50.0, date(2023, 12, 31), "Trong năm 2023"),
    "1.4": (None, date(2023, 12, 31), "Trong năm 2023"),
    "1.5": (100.0, date(2023, 12, 31), "Trong năm 2023"),
    "1.6": (100.0, date(2023, 12, 31), "Trong năm 2023"),
    "1.7": (None, date(2023, 12, 31), "Trong năm 2023"),
    "1.8": (100.0, None, None),
}


def test_sheets_in_contract_order(init_path: Path) -> None:
    wb = openpyxl.load_workbook(init_path)
    assert wb.sheetnames == [GUIDE_SHEET, PLAN.name, PROGRESS.name, ROSTER.name, INFO_SHEET]
    for table in (PLAN, PROGRESS, ROSTER):
        ws = wb[table.name]
        assert [c.value for c in ws[1]][: len(table.columns)] == [c.header for c in table.columns]
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.paperSize == 9  # A4


def test_all_eight_items_read_back_as_in_the_plan(init_path: Path) -> None:
    wb = read_workbook(init_path)
    assert [it.code for it in wb.items] == list(EXPECTED)
    for it in wb.items:
        target, deadline, note = EXPECTED[it.code]
        assert (it.target, it.deadline, it.deadline_note) == (target, deadline, note), it.code
        for text in (it.content, it.target_text, it.owner, it.partners):
            assert _flat(text) in PLAN_TEXT, (it.code, text)
        for bullet in it.tasks.split("\n"):
            assert bullet.startswith("- ")
            assert _flat(bullet[2:]) in PLAN_TEXT, (it.code, bullet)
    # The plan's c) bullet of 1.8 that is really a task is kept with the tasks, not dropped.
    assert "Tăng cường công tác kiểm tra, đôn đốc" in wb.item("1.8").tasks


def test_roster_and_general_information(init_path: Path) -> None:
    wb = read_workbook(init_path)
    positions = {o.position for o in wb.officials}
    assert {"Văn phòng - Thống kê", "Tư pháp - Hộ tịch", "Văn hóa - Xã hội", "Văn hóa - Thông tin"} <= positions
    info = wb.info
    assert info.body_name == "Ủy ban nhân dân xã Đăktover"
    assert (info.signer_authority, info.signer_deputy, info.signer_position, info.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thành Trung")
    assert info.plan_recipients[0] == "Phòng Nội vụ" and info.plan_recipients[-1] == "Lưu: VP"
    assert len(info.plan_recipients) == 7
    assert info.plan_subject.startswith("Khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính năm 2022")
    assert info.year == 2023
    assert wb.notes == []


def test_dropdowns_messages_and_alerts(init_path: Path) -> None:
    wb = openpyxl.load_workbook(init_path)
    ws = wb[PROGRESS.name]
    rules = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert rules["A"].type == "list" and rules["A"].formula1 == "DS_Ma"
    assert rules["D"].type == "list" and rules["D"].formula1 == "DS_CanBo"
    assert rules["B"].type == "list" and rules["B"].formula1 == '"Quý I/2023,Quý II/2023,Quý III/2023,Quý IV/2023"'
    assert rules["H"].formula1 == '"Chưa thực hiện,Đang thực hiện,Hoàn thành"'
    assert rules["C"].type == "date" and rules["C"].formula2 == "TODAY()"
    assert rules["E"].type == "decimal" and rules["E"].operator == "greaterThanOrEqual"
    assert rules["F"].type == "decimal" and rules["F"].operator == "greaterThan"
    for letter in "ABCDEFH":
        assert rules[letter].showErrorMessage and rules[letter].error and rules[letter].promptTitle
        assert str(rules[letter].sqref).endswith(str(PROGRESS.data_rows + 1))
    assert "Kết quả" in rules["I"].prompt or "kết quả" in rules["I"].prompt.lower()
    names = {n: wb.defined_names[n].attr_text for n in ("DS_Ma", "DS_CanBo")}
    assert names == {"DS_Ma": "'Kế hoạch'!$A$2:$A$201", "DS_CanBo": "'Cán bộ'!$A$2:$A$101"}
    plan_rules = {str(dv.sqref)[0]: dv for dv in wb[PLAN.name].data_validations.dataValidation}
    assert plan_rules["E"].formula1 == '"Tối thiểu,Tối đa,Hoàn thành"'
    assert plan_rules["D"].type == "decimal" and (plan_rules["D"].formula1, plan_rules["D"].formula2) == ("0", "100")


def test_formula_formats_and_conditional_formatting(init_path: Path) -> None:
    wb = openpyxl.load_workbook(init_path)
    ws = wb[PROGRESS.name]
    assert ws["G2"].value == '=IF(AND(ISNUMBER(E2),ISNUMBER(F2),F2>0),ROUND(E2/F2*100,1),"")'
    assert ws["G1001"].value.startswith("=IF(AND(ISNUMBER(E1001)")
    plan = wb[PLAN.name]
    assert plan["A2"].number_format == "@"  # codes stay text: 1.10 is not 1.1
    assert plan["I2"].number_format == "dd/mm/yyyy"
    # No second overdue rule in Excel: overdue items are marked from the toolkit's own check (xlsm mark rules).
    assert not any("TODAY()" in f for cf in plan.conditional_formatting for r in cf.rules for f in r.formula)
    impossible = {str(cf.sqref): [f for r in cf.rules for f in r.formula] for cf in ws.conditional_formatting}
    last = PROGRESS.data_rows + 1
    assert impossible[f"E2:E{last}"] == [excel_forms.achieved_bad("$E2", "$F2")]  # tests/test_excel_rules.py
    assert impossible[f"F2:F{last}"] == [excel_forms.total_bad("$F2")]
    assert plan.column_dimensions["F"].width > 40


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_converts_with_libreoffice_and_reads_back(init_path: Path, tmp_path: Path, fmt: str) -> None:
    converted = soffice_convert(init_path, fmt, tmp_path)
    wb = read_workbook(converted)
    assert [it.code for it in wb.items] == list(EXPECTED)
    assert wb.item("1.3").target == 50.0


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    path = create_workbook(tmp_path / "a.xlsx")
    before = path.read_bytes()
    with pytest.raises(CchcError, match="--force"):
        create_workbook(path)
    assert path.read_bytes() == before
    create_workbook(path, force=True, year=2024)
    assert read_workbook(path).info.year == 2024


@pytest.mark.parametrize("name", ["a.docx", "a", "a.csv"])
def test_unsupported_format_is_refused_with_the_fix(tmp_path: Path, name: str) -> None:
    with pytest.raises(CchcError, match="xlsx"):
        create_workbook(tmp_path / name)
    assert not (tmp_path / name).exists()
