"""The report's wording helpers, optional parts, data that must survive, output files and the command."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import unicodedata

import pytest
from docx import Document

from tests.reportcase import build_clean, clean_info
from tests.test_report_format import all_text, font_attr, signature_table
from toolkit.api import check
from toolkit.cli import main
from toolkit.core import words
from toolkit.core.example_plan import plan_info
from toolkit.core.files import OutputLocked
from toolkit.core.model import ProgressRow
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.report.wording import number_symbol, place_date_line, recipient_lines
from toolkit.report.write import report_fields, write_report
from toolkit.workbook.reader import read_workbook

Q3, Q4 = Period(2023, 3), Period(2023, 4)
AS_OF = dt.date(2024, 1, 8)
NHUNG = "Nguyễn Thị Hồng Nhung"


@pytest.fixture(scope="module")
def example():
    return read_workbook(example_workbook())


def item_block(doc, code: str) -> list[str]:
    """The lines under item ``code``'s heading in part I, up to the next heading."""
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith(f"{code}. "))
    out = []
    for t in texts[start + 1:]:
        if not t.startswith("- "):
            break
        out.append(t)
    return out


def section_lines(doc, heading: str, until: str) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(heading)
    end = next(i for i in range(start + 1, len(texts)) if texts[i].startswith(until))
    return texts[start + 1:end]


# --- wording helpers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [(95.238, "95,2%"), (100.0, "100%"), (0.0, "0%"), (99.96, "100%"),
                                              (66.666, "66,7%")])
def test_percentages_use_a_decimal_comma(value, shown):
    assert words.percent(value) == shown


@pytest.mark.parametrize(("day", "line"), [
    (dt.date(2024, 2, 5), "Đăktover, ngày 05 tháng 02 năm 2024"),
    (dt.date(2024, 1, 8), "Đăktover, ngày 08 tháng 01 năm 2024"),
    (dt.date(2023, 3, 9), "Đăktover, ngày 09 tháng 3 năm 2023"),
    (dt.date(2023, 12, 25), "Đăktover, ngày 25 tháng 12 năm 2023"),
    (dt.date(2023, 10, 1), "Đăktover, ngày 01 tháng 10 năm 2023"),
])
def test_place_and_date_line_zero_padding(day, line):
    assert place_date_line("Đăktover", day) == line


@pytest.mark.parametrize(("day", "text"), [(dt.date(2023, 8, 10), "10/8/2023"), (dt.date(2024, 1, 8), "08/01/2024"),
                                           (dt.date(2024, 2, 29), "29/02/2024")])
def test_short_dates_follow_the_same_rule(day, text):
    assert words.day(day) == text


@pytest.mark.parametrize(("number", "symbol"), [(5, "05/BC-UBND"), (1, "01/BC-UBND"), (10, "10/BC-UBND"),
                                                (123, "123/BC-UBND"), (None, "     /BC-UBND")])
def test_number_symbol_leading_zero_no_spaces(number, symbol):
    assert number_symbol(number, "BC", "UBND") == symbol


@pytest.mark.parametrize(("recipients", "as_above", "lines"), [
    (["Phòng Nội vụ huyện", "Lưu: VT, VP"], False, ["- Phòng Nội vụ huyện;", "- Lưu: VT, VP."]),
    (["Lưu: VT", "Phòng Nội vụ;"], True, ["- Như trên;", "- Phòng Nội vụ;", "- Lưu: VT."]),
    (["- TT HĐND xã."], False, ["- TT HĐND xã;", "- Lưu: VT."]),
])
def test_recipient_lines(recipients, as_above, lines):
    assert recipient_lines(recipients, as_above=as_above) == lines


# --- not reported, optional parts, data that must survive ------------------------------------------------------

def test_item_without_rows_is_not_reported(build, tmp_path):
    info = clean_info()
    wb = read_workbook(build([], info=info))
    a = check(wb, as_of=dt.date(2023, 10, 5), period=Q3)
    doc = Document(str(write_report(a, tmp_path, date=dt.date(2023, 10, 5)).path))
    block = item_block(doc, "1.1")
    assert not any(line.startswith("- Kết quả thực hiện") for line in block), "no placeholder for a missing result"
    assert "- Mức độ hoàn thành: 0% (chưa báo cáo)." in block
    assert "- Tình trạng: Chưa hoàn thành, chưa báo cáo Quý III/2023." in block
    assert not any(t.startswith("IV.") for t in (p.text for p in doc.paragraphs)), "no proposal: no part IV"
    assert "Không có" not in all_text(doc)


@pytest.mark.parametrize(("addressees", "lines", "first_recipient"), [
    (["Phòng Nội vụ huyện Chư Păh"], ["Kính gửi: Phòng Nội vụ huyện Chư Păh."], "- Như trên;"),
    (["Ủy ban nhân dân huyện", "Phòng Nội vụ huyện"],
     ["Kính gửi:", "- Ủy ban nhân dân huyện;", "- Phòng Nội vụ huyện."], "- Như trên;"),
    ([], [], "- Phòng Nội vụ huyện;"),
])
def test_optional_parent_body_and_addressees(build, tmp_path, addressees, lines, first_recipient):
    info = plan_info()
    info.plan_number, info.plan_date = "52/KH-UBND", dt.date(2023, 8, 10)
    info.parent_body = "UBND huyện Chư Păh" if addressees else None
    info.addressees = addressees
    wb = read_workbook(build([], info=info))
    a = check(wb, as_of=dt.date(2023, 10, 5), period=Q3)
    doc = Document(str(write_report(a, tmp_path, date=dt.date(2023, 10, 5), number=7).path))
    head = [p.text for p in doc.tables[0].cell(0, 0).paragraphs if p.text]
    if addressees:
        assert head == ["UBND HUYỆN CHƯ PĂH", "ỦY BAN NHÂN DÂN", "XÃ ĐĂKTOVER"]
        parent = doc.tables[0].cell(0, 0).paragraphs[0]
        assert not font_attr(parent, "bold") and 12 <= font_attr(parent, "size") <= 13
    else:
        assert head == ["ỦY BAN NHÂN DÂN", "XÃ ĐĂKTOVER"]
    texts = [p.text for p in doc.paragraphs]
    found = [t for t in texts if t.startswith("Kính gửi") or (lines and t in lines[1:])]
    assert found == lines
    assert signature_table(doc).cell(0, 0).paragraphs[1].text == first_recipient
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 07/BC-UBND"


NASTY = 'Hồ sơ A & B <đã kiểm tra> "ngoặc kép" \'đơn\' </w:t> {{ not_a_tag }} {% if %}'
LONG = "Rà soát hồ sơ công việc & lưu trữ điện tử. " * 150


@pytest.fixture(scope="module")
def nasty_doc(tmp_path_factory):
    """A workbook whose official typed markup characters, line breaks, a very long text and NFD Vietnamese."""
    import sys as _sys

    from tests.conftest import ROOT
    from toolkit.workbook.builder import build_workbook

    _sys.path.insert(0, str(ROOT / "workbooks"))
    import make_example

    info = plan_info()
    info.plan_number, info.plan_date = "52/KH-UBND", dt.date(2023, 8, 10)
    info.signer_name = unicodedata.normalize("NFD", "Trần Thành Trung")
    rows = [
        ProgressRow(code="1.1", period=Q3, updated=dt.date(2023, 10, 2), updater=NHUNG, achieved=1, total=2,
                    status="Đang thực hiện", result=NASTY + "\nDòng thứ hai < 3 & > 1",
                    proposals=unicodedata.normalize("NFD", "Đề nghị cấp kinh phí sửa máy quét"),
                    evidence="https://example.vn/?a=1&b=<2>", difficulties="Khó khăn\r\nthứ hai"),
        ProgressRow(code="1.2", period=Q3, updated=dt.date(2023, 10, 2), updater=NHUNG, achieved=3, total=4,
                    status="Đang thực hiện", result=LONG),
    ]
    folder = tmp_path_factory.mktemp("nasty")
    path = build_workbook(folder / "nasty.xlsx", info, make_example.plan_items(), make_example.OFFICIALS, rows)
    wb = read_workbook(path)
    a = check(wb, as_of=dt.date(2023, 10, 5), period=Q3)
    return Document(str(write_report(a, folder, date=dt.date(2023, 10, 5), draft=True).path))


def test_markup_characters_and_line_breaks_survive(nasty_doc):
    block = item_block(nasty_doc, "1.1")
    result = next(line for line in block if line.startswith("- Kết quả thực hiện:"))
    assert result == f"- Kết quả thực hiện: {NASTY}\nDòng thứ hai < 3 & > 1."
    assert "- Minh chứng: https://example.vn/?a=1&b=<2>" in block
    texts = [p.text for p in nasty_doc.paragraphs]
    assert any(t.startswith("- Nội dung 1.1: chưa hoàn thành") and t.endswith("nguyên nhân: khó khăn\nthứ hai.")
               for t in texts)
    row = [c.text for c in nasty_doc.tables[-1].rows[1].cells]
    assert row[6] == "https://example.vn/?a=1&b=<2>"


def test_very_long_text_survives_whole(nasty_doc):
    block = item_block(nasty_doc, "1.2")
    result = next(line for line in block if line.startswith("- Kết quả thực hiện:"))
    assert result == f"- Kết quả thực hiện: {LONG.strip()}"


def test_nfd_text_comes_out_composed(nasty_doc):
    texts = [p.text for p in nasty_doc.paragraphs]
    assert "- Đề nghị Phòng Nội vụ huyện cấp kinh phí sửa máy quét (nội dung 1.1)." in texts
    assert signature_table(nasty_doc).cell(0, 1).paragraphs[-1].text == "Trần Thành Trung"
    assert all(t == unicodedata.normalize("NFC", t) for t in texts)


def test_context_is_plain_data(example):
    ctx = report_fields(check(example, as_of=AS_OF, period=Q4), number=5)
    assert ctx["number"] == "05/BC-UBND"
    assert all(isinstance(s["title"], str) and isinstance(s["blocks"], list) for s in ctx["sections"])
    assert ctx["place_date"] == "Đăktover, ngày 08 tháng 01 năm 2024"
    assert ctx["signer_lines"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


# --- output files, the command ----------------------------------------------------------------------------------

def test_locked_target_goes_to_a_free_name(example, tmp_path):
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available to lock a file")
    a = check(example, as_of=AS_OF, period=Q4)
    first = write_report(a, tmp_path, date=AS_OF).path
    before = first.read_bytes()
    if subprocess.run(["chattr", "+i", str(first)], capture_output=True).returncode != 0:
        pytest.skip("this file system cannot lock a file (chattr +i)")
    try:
        with pytest.raises(OutputLocked) as caught:
            write_report(a, tmp_path, date=AS_OF, number=6)
    finally:
        subprocess.run(["chattr", "-i", str(first)], check=True)
    assert first.read_bytes() == before, "the locked file is untouched"
    assert caught.value.free == tmp_path / "bao-cao-cchc-quy-IV-2023 (2).docx"
    assert "DỰ THẢO" in all_text(Document(str(caught.value.free)))
    assert "đang mở trong Word" in str(caught.value)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_cli_report(tmp_path, capsys):
    wb = build_clean(tmp_path / "so.xlsx", until=3)
    before = wb.read_bytes()
    code = main(["report", str(wb), "--period", "Quý III/2023", "--number", "12", "--date", "2023-10-12",
                 "--out", str(tmp_path / "out")])
    assert code == 0
    out = capsys.readouterr().out
    path = tmp_path / "out" / "bao-cao-cchc-quy-III-2023.docx"
    assert str(path) in out
    doc = Document(str(path))
    assert doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 12/BC-UBND"
    assert doc.tables[0].cell(1, 1).paragraphs[0].text == "Đăktover, ngày 12 tháng 10 năm 2023"
    assert wb.read_bytes() == before, "the workbook is never written"


@pytest.mark.parametrize(("argv", "message"), [
    (["--number", "0"], "số báo cáo 0 không hợp lệ"),
    (["--period", "Quý 5/2023"], "không phải kỳ báo cáo"),
])
def test_cli_report_bad_arguments(tmp_path, capsys, argv, message):
    try:
        code = main(["report", str(example_workbook()), "--out", str(tmp_path), *argv])
    except SystemExit as exc:  # argparse rejects a bad --period itself
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_cli_report_unreadable_workbook(tmp_path, capsys):
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main(["report", str(bad), "--out", str(tmp_path)]) == 2
    assert "Lỗi:" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.docx"))


def test_cli_does_not_import_word_libraries_until_needed():
    """``cchc --help`` and every other command stay fast: docxtpl and python-docx load only for documents."""
    code = ("import sys; import toolkit.cli as c; c.build_parser(); "
            "print(any(m in sys.modules for m in ('docxtpl', 'docx', 'toolkit.report', 'toolkit.report.chart')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
