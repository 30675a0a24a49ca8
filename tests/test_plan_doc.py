"""The plan (KẾ HOẠCH) from the workbook: a faithful copy of the issued plan (SAO Y), or a new one."""

from __future__ import annotations

import shutil

import pytest
from docx import Document

from tests.test_report_format import all_text, find, font_attr, signature_table
from toolkit.cli import main
from toolkit.core.example_plan import plan_info
from toolkit.core.resources import example_workbook
from toolkit.report.write import plan_context, write_plan
from toolkit.workbook.reader import read_workbook


@pytest.fixture(scope="module")
def plan_doc(tmp_path_factory):
    path = write_plan(read_workbook(example_workbook()), tmp_path_factory.mktemp("plan"))
    assert path.name == "ke-hoach-khac-phuc-cchc-2023.docx"
    return Document(str(path))


def lines_after(doc, heading: str, count: int) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    i = texts.index(heading)
    return texts[i + 1:i + 1 + count]


def test_plan_header_number_and_date(plan_doc):
    assert plan_doc.tables[0].cell(1, 0).paragraphs[0].text == "Số: 52/KH-UBND"
    assert plan_doc.tables[0].cell(1, 1).paragraphs[0].text == "Đăktover, ngày 10 tháng 8 năm 2023"


def test_plan_basis_and_implementing_documents(plan_doc):
    basis = find(plan_doc, "Căn cứ", startswith=True)
    assert basis.text.startswith("Căn cứ Quyết định số 677/QĐ-UBND ngày 21/6/2023 của UBND tỉnh")
    assert basis.text.endswith("tỉnh Gia Lai.")
    implementing = find(plan_doc, "Thực hiện", startswith=True)
    assert not font_attr(implementing, "italic")
    assert "Kế hoạch số 84/KH-UBND ngày 01/8/2023" in implementing.text
    assert "; Công văn số 179/NV-CCHC ngày 31/7/2023" in implementing.text
    assert implementing.text.endswith(".")


@pytest.mark.parametrize(("heading", "first"), [
    ("1. Mục đích", "- Tăng cường nhận thức và nâng cao trách nhiệm của người đứng đầu"),
    ("2. Yêu cầu", "- Việc thực hiện kế hoạch phải đồng bộ, thống nhất"),
    ("III. TỔ CHỨC THỰC HIỆN", "1. Chủ tịch UBND xã giao cho các công chức chuyên môn"),
])
def test_plan_purposes_requirements_organisation(plan_doc, heading, first):
    assert lines_after(plan_doc, heading, 1)[0].startswith(first)


def test_plan_items_in_order_with_all_four_parts(plan_doc):
    texts = [p.text for p in plan_doc.paragraphs]
    headings = [t for t in texts if t[:4] in {f"1.{i}." for i in range(1, 9)}]
    assert [h[:4] for h in headings] == [f"1.{i}." for i in range(1, 9)]
    assert lines_after(plan_doc, "1.1. Tỷ lệ đạt chuẩn của cán bộ cấp xã, công chức cấp xã", 9) == [
        "a) Mục tiêu, yêu cầu: 100% cán bộ, công chức đáp ứng các tiêu chuẩn về tuổi, trình độ lý luận chính trị, "
        "trình độ học vấn và chuyên môn nghiệp vụ theo các quy định của Đảng, Chính phủ, Bộ Nội vụ và các tiêu chuẩn "
        "do các tổ chức đoàn thể, chính trị - xã hội quy định đối với từng chức danh cụ thể.",
        "b) Nhiệm vụ, giải pháp:",
        texts[texts.index("b) Nhiệm vụ, giải pháp:") + 1],
        texts[texts.index("b) Nhiệm vụ, giải pháp:") + 2],
        "c) Phân công trách nhiệm:",
        "- Phụ trách: Văn phòng – Thống kê.",
        "- Phối hợp/Thực hiện: Toàn thể cán bộ, công chức xã, công đoàn xã.",
        "d) Thời gian thực hiện/hoàn thành: Trong năm 2023.",  # the deadline words as issued
        "1.2. Tỷ lệ văn bản, hồ sơ công việc đi được luân chuyển, xử lý hoàn toàn nội bộ trên phần mềm ở cấp huyện, "
        "cấp xã (trừ văn bản mật) chưa đảm bảo",
    ]
    tasks = lines_after(plan_doc, "b) Nhiệm vụ, giải pháp:", 2)
    assert tasks[0].startswith("- Rà soát lại tổng thể đội ngũ cán bộ, công chức")
    assert tasks[1].startswith("- Lập thủ tục đề nghị tinh giảm biên chế")
    assert "d) Thời gian thực hiện/hoàn thành: Sau khi kết thúc đợt kiểm tra." in texts


def test_plan_is_quoted_as_issued(plan_doc):
    text = all_text(plan_doc)
    assert "một phần" not in text and "toàn trình" not in text
    assert "1.7. Kết quả cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4 đạt thấp" in text
    assert "d) Thời gian thực hiện/hoàn thành: Trong năm 2023." in text


def test_plan_recipients_and_signature(plan_doc):
    table = signature_table(plan_doc)
    assert [p.text for p in table.cell(0, 0).paragraphs][1:] == [
        "- Phòng Nội vụ;", "- TT. Đảng ủy xã;", "- TT HĐND xã;", "- Ủy ban MTTQVN và các Đoàn thể xã;",
        "- Lãnh đạo UBND xã;", "- Các bộ phận chuyên môn xã;", "- Lưu: VP."]
    assert table.cell(0, 1).paragraphs[-1].text == "Trần Thành Trung"


def test_plan_without_number_and_date_leaves_blanks(build, tmp_path):
    info = plan_info()
    wb = read_workbook(build([], info=info))
    ctx = plan_context(wb)
    assert ctx["number"] == "     /KH-UBND"
    assert ctx["place_date"] == "Đăktover, ngày      tháng      năm 2023"


def test_plan_copy_block_after_the_signature(plan_doc):
    texts = [p.text for p in plan_doc.paragraphs]
    cells = [p.text for t in plan_doc.tables[-2:] for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "SAO Y" in cells and "Số:      /SY-UBND" in cells
    assert texts.index("") >= 0 and cells[-1] == "Trần Thành Trung"


def test_cli_plan(tmp_path, capsys):
    wb = tmp_path / "so.xlsx"
    shutil.copyfile(example_workbook(), wb)
    assert main(["plan", str(wb), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "ke-hoach-khac-phuc-cchc-2023.docx").is_file()
    assert "Đã xuất bản sao y kế hoạch" in capsys.readouterr().out
