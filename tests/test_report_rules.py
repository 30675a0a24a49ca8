"""What a Phòng Nội vụ reviewer checks in the report, rule by rule, read back from the produced .docx.

Each period kind is rendered from a clean workbook (``tests.reportcase``: the example's rows typed correctly,
for a plan issued on 16/01/2023) as it stands when that period's report is made. The shipped example, which
has deliberate errors, gives the draft.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.reportcase import REPORT_DAY, build_clean, clean_info, clean_rows
from tests.test_report_format import all_text
from toolkit.api import check, check_file
from toolkit.cli import main
from toolkit.core.example_plan import plan_items
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.report import compose
from toolkit.report.render import text_width_pt
from toolkit.report.write import NotReportable, is_draft, write_plan, write_report
from toolkit.rules.phrases import counts_line
from toolkit.workbook.reader import read_workbook

KINDS = {1: "quý I năm 2023", 2: "6 tháng đầu năm 2023", 3: "quý III năm 2023", 4: "năm 2023"}
WINDOWS = {1: ("15/12/2022", "14/3/2023"), 2: ("15/12/2022", "14/6/2023"), 3: ("15/6/2023", "14/9/2023"),
           4: ("15/12/2022", "14/12/2023")}
NEXT = {1: "QUÝ II NĂM 2023", 2: "6 THÁNG CUỐI NĂM 2023", 3: "QUÝ IV NĂM 2023", 4: "NĂM 2024"}


def items_with_units():
    items = plan_items()
    items[0].unit, items[1].unit = "cán bộ, công chức", "văn bản"
    return items


def make(folder: Path, q: int, *, info=None, rows=None, number: int | None = None, chart: bool = False,
         draft: bool = False):
    """Build the clean workbook as of quarter ``q``'s report, assess it, write the report; (assessment, written)."""
    path = build_clean(folder / f"so-q{q}.xlsx", until=q, info=info, items=items_with_units(), rows=rows)
    _, a = check_file(path, as_of=REPORT_DAY[q], period=Period(2023, q))
    assert a is not None
    return a, write_report(a, folder, number=number, chart=chart, draft=draft)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Every period kind, issued (numbered 05..08); the year report with the chart."""
    out = {}
    for q in (1, 2, 3, 4):
        out[q] = make(tmp_path_factory.mktemp(f"q{q}"), q, number=q + 4, chart=q == 4)
    return out


def doc(reports, q):
    return Document(str(reports[q][1].path))


def texts(d) -> list[str]:
    return [p.text for p in d.paragraphs]


def section(d, start: str, end: str | None = None) -> list[str]:
    """Paragraph texts after the one starting with ``start`` up to the next starting with ``end``."""
    t = texts(d)
    i = next(n for n, x in enumerate(t) if x.startswith(start))
    j = next((n for n in range(i + 1, len(t)) if end and t[n].startswith(end)), len(t))
    return t[i + 1:j]


# --- golden: each period kind ---------------------------------------------------------------------------------

@pytest.mark.parametrize("q", [1, 2, 3, 4])
def test_golden_period_kind(reports, q):
    a, written = reports[q]
    d = doc(reports, q)
    t = texts(d)
    assert not written.draft and written.gaps == []
    assert t[0] == "BÁO CÁO", "an issued report has no DỰ THẢO mark"
    assert t[1] == ("Kết quả thực hiện Kế hoạch khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính năm 2022 và "
                    f"những năm tiếp theo trên địa bàn xã Đăktover {KINDS[q]}")
    start, end = WINDOWS[q]
    opening = next(x for x in t if x.startswith("Thực hiện Kế hoạch số 52/KH-UBND ngày 16/01/2023"))
    assert opening.endswith(f"báo cáo kết quả thực hiện {KINDS[q]} (số liệu tính từ ngày {start} đến ngày {end}), "
                            "cụ thể như sau:")
    assert f"III. NHIỆM VỤ TRỌNG TÂM {NEXT[q]}" in t
    assert f"KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG CỦA KẾ HOẠCH {KINDS[q].upper()}" in t
    assert d.tables[0].cell(1, 0).paragraphs[0].text == f"Số: 0{q + 4}/BC-UBND"
    assert t[t.index("I. KẾT QUẢ THỰC HIỆN") + 1] == (
        f"Kế hoạch có 08 nội dung; đến ngày chốt số liệu {end}, {counts_line(a)}.")
    assert "Không có" not in all_text(d) and "chưa ghi" not in all_text(d)


def test_golden_six_month_report_words(reports):
    d = doc(reports, 2)
    t = texts(d)
    assert t[t.index("I. KẾT QUẢ THỰC HIỆN") + 1:t.index("I. KẾT QUẢ THỰC HIỆN") + 3] == [
        "Kế hoạch có 08 nội dung; đến ngày chốt số liệu 14/6/2023, đã hoàn thành 00/08 nội dung; 08 nội dung chưa "
        "hoàn thành; 01 nội dung chưa báo cáo Quý II/2023.",
        "Mức hoàn thành bình quân 82,5% (tính trên 06/08 nội dung xác định được mức hoàn thành). (Chi tiết tại Phụ "
        "lục kèm theo).",
    ]
    assert section(d, "II. ĐÁNH GIÁ CHUNG", "III.")[:3] == [
        "1. Tồn tại, hạn chế và nguyên nhân",
        "- Nội dung 1.1: chưa hoàn thành (đang thực hiện).",
        "- Nội dung 1.2: chưa hoàn thành (đang thực hiện); nguyên nhân: đường truyền mạng chập chờn.",
    ]
    assert not any(x.startswith("IV.") for x in t), "no proposal stands: part IV is left out"
    assert t[-1].startswith("Ghi chú: số liệu tính từ ngày 15/12/2022 đến ngày 14/6/2023.")


def test_golden_year_report_words(reports):
    d = doc(reports, 4)
    assert section(d, "II. ĐÁNH GIÁ CHUNG", "III.") == [
        "1. Ưu điểm",
        "- Nội dung 1.2 đã hoàn thành: 640/640 văn bản (100%), đạt chỉ tiêu tối thiểu 100%.",
        "- Nội dung 1.3 đã hoàn thành: 300/450 (66,7%), đạt chỉ tiêu tối thiểu 50%.",
        "- Nội dung 1.5 đã hoàn thành: 10/10 (100%), đạt chỉ tiêu hoàn thành (100%).",
        "- Nội dung 1.8 đã hoàn thành: 12/12 (100%), đạt chỉ tiêu hoàn thành (100%).",
        "2. Tồn tại, hạn chế và nguyên nhân",
        "- Nội dung 1.1: chưa hoàn thành (đang thực hiện).",
        "- Nội dung 1.4: chưa hoàn thành (đang thực hiện); nguyên nhân: Kế hoạch chưa lượng hóa chỉ tiêu.",
        "- Nội dung 1.6: chưa hoàn thành (đang thực hiện); nguyên nhân: máy quét hỏng 2 tuần.",
        "- Nội dung 1.7: chưa hoàn thành (đang thực hiện); nguyên nhân: Kế hoạch chưa lượng hóa chỉ tiêu.",
    ]
    assert section(d, "IV. ĐỀ XUẤT, KIẾN NGHỊ", "Trên đây") == [
        "- Đề nghị huyện mở thêm lớp trung cấp lý luận chính trị tại huyện trong quý IV (nội dung 1.1, đề xuất từ "
        "Quý III/2023).",
        "- Đề nghị Phòng Nội vụ huyện trang bị bộ lưu điện cho máy chủ (nội dung 1.2, đề xuất từ Quý III/2023).",
        "- Đề nghị huyện hỗ trợ thiết bị ký số cho Bộ phận Một cửa (nội dung 1.4, đề xuất từ Quý III/2023).",
        "- Đề nghị Phòng Nội vụ huyện sửa chữa máy quét của Văn phòng (nội dung 1.6).",
    ]
    assert ("Trên đây là báo cáo kết quả thực hiện Kế hoạch số 52/KH-UBND năm 2023 của Ủy ban nhân dân xã Đăktover; "
            "kính báo cáo Phòng Nội vụ huyện theo dõi, tổng hợp./.") in texts(d)


# --- 1. periods: the province's own cut-off -------------------------------------------------------------------

def test_province_cutoff_day_is_stated_and_used(tmp_path):
    a, written = make(tmp_path, 2, info=clean_info(cutoff_day=5))
    opening = next(x for x in texts(Document(str(written.path))) if x.startswith("Thực hiện"))
    assert "(số liệu tính từ ngày 06/12/2022 đến ngày 05/6/2023)" in opening
    assert a.window.end == dt.date(2023, 6, 5)


# --- 2. the plan date -----------------------------------------------------------------------------------------

def test_period_before_the_plan_cannot_be_reported(tmp_path, capsys):
    info = clean_info(plan_date=dt.date(2023, 8, 10))
    path = build_clean(tmp_path / "so.xlsx", until=3, info=info)
    wb = read_workbook(path)
    with pytest.raises(NotReportable, match="10/8/2023"):
        write_report(check(wb, as_of=REPORT_DAY[2], period=Period(2023, 2)), tmp_path)
    code = main(["report", str(path), "--period", "Quý II/2023", "--date", "2023-07-10", "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "Quý II/2023" in err and "ban hành ngày 10/8/2023" in err
    assert not list(tmp_path.glob("*.docx"))


def test_report_is_never_dated_before_the_plan(tmp_path, capsys):
    info = clean_info(plan_date=dt.date(2023, 8, 10))
    path = build_clean(tmp_path / "so.xlsx", until=3, info=info)
    code = main(["report", str(path), "--period", "Quý III/2023", "--date", "2023-08-01", "--out", str(tmp_path)])
    assert code == 2
    assert "trước ngày ban hành kế hoạch" in capsys.readouterr().err


# --- 3. draft or issued ---------------------------------------------------------------------------------------

def test_workbook_with_errors_gives_a_draft(tmp_path, capsys):
    wb = tmp_path / "so.xlsx"
    shutil.copyfile(example_workbook(), wb)
    code = main(["report", str(wb), "--period", "Quý IV/2023", "--number", "7", "--date", "2024-01-08",
                 "--out", str(tmp_path)])
    assert code == 1
    captured = capsys.readouterr()
    assert "Đây là DỰ THẢO" in captured.err and "Tiến độ!C23" in captured.err
    d = Document(str(tmp_path / "bao-cao-cchc-quy-IV-2023.docx"))
    assert d.paragraphs[0].text == "DỰ THẢO" and d.paragraphs[0].runs[0].bold is not False
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số:      /BC-UBND", "a draft has no number"
    assert "chưa ghi" not in all_text(d), "gaps go to the terminal, never into the body"


def test_clean_workbook_gives_the_issued_report_blank_number_for_the_van_thu(tmp_path, capsys):
    path = build_clean(tmp_path / "so.xlsx", until=3, info=clean_info(next_report_number=None))
    code = main(["report", str(path), "--period", "Quý III/2023", "--date", "2023-10-12", "--out", str(tmp_path)])
    assert code == 0
    d = Document(str(tmp_path / "bao-cao-cchc-quy-III-2023.docx"))
    assert d.paragraphs[0].text == "BÁO CÁO"
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số:      /BC-UBND"
    assert "Đã lập báo cáo quý III năm 2023" in capsys.readouterr().out


def test_issued_report_takes_the_offices_next_number(tmp_path):
    path = build_clean(tmp_path / "so.xlsx", until=3, info=clean_info(next_report_number=6))
    assert main(["report", str(path), "--period", "Quý III/2023", "--date", "2023-10-12", "--out", str(tmp_path)]) == 0
    d = Document(str(tmp_path / "bao-cao-cchc-quy-III-2023.docx"))
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số: 06/BC-UBND"


def test_draft_flag_forces_a_draft(tmp_path, capsys):
    path = build_clean(tmp_path / "so.xlsx", until=3)
    code = main(["report", str(path), "--period", "Quý III/2023", "--date", "2023-10-12", "--number", "9",
                 "--draft", "--out", str(tmp_path)])
    assert code == 1
    d = Document(str(tmp_path / "bao-cao-cchc-quy-III-2023.docx"))
    assert d.paragraphs[0].text == "DỰ THẢO"
    assert "Số: 09" not in all_text(d) and d.tables[0].cell(1, 0).paragraphs[0].text == "Số:      /BC-UBND"
    assert "đã chọn --draft" in capsys.readouterr().err


def test_is_draft_tells_the_button_which_it_wrote(reports):
    a, written = reports[3]
    assert is_draft(a) is False and is_draft(a, force=True) is True and written.draft is False
    example = check(read_workbook(example_workbook()), as_of=REPORT_DAY[4], period=Period(2023, 4))
    assert is_draft(example) is True


# --- 4. counts first ------------------------------------------------------------------------------------------

def test_headline_is_counts_then_the_average_with_what_it_covers(reports):
    a, _ = reports[4]
    t = texts(doc(reports, 4))
    i = t.index("I. KẾT QUẢ THỰC HIỆN")
    assert t[i + 1] == compose.headline(a)[0]
    assert "đã hoàn thành 04/08 nội dung; 04 nội dung chưa hoàn thành" in t[i + 1]
    assert t[i + 2].startswith("Mức hoàn thành bình quân 99,1% (tính trên 06/08 nội dung xác định được mức hoàn")
    assert "99,1%" not in t[i + 1]


# --- 5. carried figures ---------------------------------------------------------------------------------------

def test_carried_figure_is_labelled_with_its_quarter(reports):
    d = doc(reports, 2)
    block = section(d, "1.7. ", "1.8. ")
    assert "- Số liệu đạt được: 15/280 (5,4%) (số liệu Quý I/2023; kỳ này chưa cập nhật); chỉ tiêu: chưa lượng " \
           "hóa." in block
    assert "- Tình trạng: Chưa hoàn thành (đang thực hiện), chưa báo cáo Quý II/2023." in block
    row = next(r for r in d.tables[-1].rows if r.cells[0].text == "1.7")
    assert "số liệu Quý\u00a0I/2023" in row.cells[3].text, "the quarter never breaks inside its cell"


# --- 6. quote as issued ---------------------------------------------------------------------------------------

def test_items_and_targets_quoted_as_issued_with_one_decree_42_note(reports):
    d = doc(reports, 4)
    t = texts(d)
    for item in plan_items():
        assert f"{item.code}. {item.content.rstrip('.')}" in t
        assert f"- Mục tiêu, yêu cầu: {item.target_text}" in t
    assert "1.7. Kết quả cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4 đạt thấp" in t
    notes = [x for x in t if "Nghị định số 42/2022/NĐ-CP" in x]
    assert len(notes) == 1 and "«một phần», «toàn trình»" in notes[0]
    assert t.index(notes[0]) < t.index("1.4. Tỷ lệ hồ sơ TTHC được tiếp nhận, xử lý trực tuyến mức độ 3, mức độ 4")


# --- 7. units -------------------------------------------------------------------------------------------------

def test_units_are_printed_with_figures(reports):
    d = doc(reports, 4)
    assert "- Số liệu đạt được: 20/21 cán bộ, công chức (95,2%); chỉ tiêu: tối thiểu 100%." in section(d, "1.1. ")
    row = next(r for r in d.tables[-1].rows if r.cells[0].text == "1.2")
    assert row.cells[3].text.startswith("640/640 văn bản (100%)")


# --- 8. assessment, next period, proposals --------------------------------------------------------------------

def test_strengths_and_shortcomings_never_name_the_same_item(reports):
    a, _ = reports[4]
    d = doc(reports, 4)
    strengths = section(d, "1. Ưu điểm", "2. ")
    shortcomings = section(d, "2. Tồn tại", "III.")
    named = {re.search(r"Nội dung (\d\.\d)", x).group(1) for x in strengths}
    missing = {re.search(r"Nội dung (\d\.\d)", x).group(1) for x in shortcomings}
    assert named == {s.code for s in a.done} and missing == {s.code for s in a.not_done}
    assert not named & missing


def test_office_assessment_is_used_verbatim(tmp_path):
    own = ["Công tác CCHC năm 2023 có chuyển biến rõ nét.", "Một số nội dung còn chậm do thiếu kinh phí."]
    _, written = make(tmp_path, 4, info=clean_info(office_assessment=own))
    part = section(Document(str(written.path)), "II. ĐÁNH GIÁ CHUNG", "III.")
    assert part == own


def test_overdue_items_come_first_in_part_three(tmp_path):
    items = items_with_units()
    path = build_clean(tmp_path / "so.xlsx", until=3, items=items)
    wb = read_workbook(path)
    wb.items[0].deadline, wb.items[0].deadline_note = dt.date(2023, 6, 30), None
    a = check(wb, as_of=REPORT_DAY[3], period=Period(2023, 3))
    d = Document(str(write_report(a, tmp_path).path))
    part = section(d, "III. NHIỆM VỤ TRỌNG TÂM", "IV.")
    assert part[0] == "1. Nhiệm vụ đã quá hạn, cần tập trung hoàn thành"
    assert part[1].startswith("- 1.1. Tỷ lệ đạt chuẩn của cán bộ cấp xã, công chức cấp xã; thời hạn: 30/6/2023")
    assert part[2] == "2. Nhiệm vụ tiếp tục thực hiện"


def test_proposals_stay_until_marked_resolved(tmp_path):
    _, written = make(tmp_path, 4, info=clean_info(resolved_proposals=["1.1 Quý III/2023", "1.4"]))
    part = section(Document(str(written.path)), "IV. ĐỀ XUẤT, KIẾN NGHỊ", "Trên đây")
    assert [x.split("(nội dung ")[1][:3] for x in part] == ["1.2", "1.6"]
    assert all(x.startswith("- Đề nghị ") for x in part)


def test_proposal_without_addressee_goes_to_the_report_addressee(tmp_path):
    rows = clean_rows(4)
    rows[0].proposals = "UBND huyện: cấp kinh phí bồi dưỡng"
    _, written = make(tmp_path, 4, rows=rows, info=clean_info(addressees=["Ủy ban nhân dân huyện Chư Păh"]))
    part = section(Document(str(written.path)), "IV. ĐỀ XUẤT, KIẾN NGHỊ", "Trên đây")
    assert "- Đề nghị UBND huyện cấp kinh phí bồi dưỡng (nội dung 1.1, đề xuất từ Quý I/2023)." in part
    assert ("- Đề nghị Ủy ban nhân dân huyện Chư Păh trang bị bộ lưu điện cho máy chủ (nội dung 1.2, đề xuất từ Quý "
            "III/2023).") in part


# --- 9. appendix and chart ------------------------------------------------------------------------------------

def test_body_points_to_the_appendix(reports):
    assert "(Chi tiết tại Phụ lục kèm theo)" in all_text(doc(reports, 3))


def test_appendix_columns_rows_and_one_numbering(reports):
    a, _ = reports[4]
    table = doc(reports, 4).tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung", "Kết quả thực hiện", "Số liệu đạt / chỉ tiêu",
                                                     "Mức độ hoàn thành", "Tình trạng", "Minh chứng"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None, "no row splits across pages"
    body = table.rows[1:]
    assert [r.cells[0].text for r in body] == [s.code for s in a.items]
    assert not any(r.cells[1].text.startswith("1.") for r in body), "the plan's codes only once, in STT"
    assert body[0].cells[2].text.startswith("20/21 cán bộ, công chức đạt chuẩn")


@pytest.mark.parametrize("q", [2, 4])
def test_no_date_or_number_breaks_inside_its_cell(reports, q):
    """Every word holding a digit fits the width of its column at the table's 12 pt."""
    table = doc(reports, q).tables[-1]
    widths_pt = [c.width.pt for c in table.rows[0].cells]
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt, strict=True):
            room = width - 2 * 5.4  # Word's default cell margins, 0.19 cm a side
            for word in cell.text.split():
                if any(ch.isdigit() for ch in word):
                    assert text_width_pt(word, 12) < room, f"{word!r} would break in a {width / 28.35:.1f} cm cell"


def test_chart_is_off_by_default(reports):
    assert not doc(reports, 3).inline_shapes


def test_chart_sits_in_the_appendix_and_fits_the_page(reports):
    d = doc(reports, 4)
    assert len(d.inline_shapes) == 1
    shape = d.inline_shapes[0]
    assert shape.width.cm <= 25.2 and shape.height.cm <= 15
    paragraphs = d.paragraphs
    appendix_at = [p.text for p in paragraphs].index("Phụ lục")
    pic_at = next(i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:drawing")))
    assert pic_at > appendix_at


def _pixels(png: bytes):
    import io

    from PIL import Image

    data = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def test_chart_is_black_and_white_with_no_bar_for_unknown():
    from toolkit.report.chart import Bar, completion_chart

    known = _pixels(completion_chart([Bar("1.1", 60.0)]))
    unknown = _pixels(completion_chart([Bar("1.1", None)]))
    assert all(r == g == b for r, g, b in known), "grey levels only: prints in black and white"
    bar_grey = (0xBF, 0xBF, 0xBF)
    # the bar's fill is thousands of pixels; without a bar only a few anti-aliased text pixels share its grey
    assert known.count(bar_grey) > 10000 and unknown.count(bar_grey) < 200


def test_chart_keeps_one_row_per_item_and_fits_a_page_at_any_count():
    from toolkit.report.chart import MAX_HEIGHT_CM, chart_size_cm

    assert chart_size_cm(8)[1] < chart_size_cm(12)[1] <= MAX_HEIGHT_CM
    assert chart_size_cm(200)[1] == MAX_HEIGHT_CM


# --- 10. the plan ---------------------------------------------------------------------------------------------

def test_plan_copy_keeps_the_issued_number_and_adds_sao_y(tmp_path):
    wb = read_workbook(build_clean(tmp_path / "so.xlsx"))
    d = Document(str(write_plan(wb, tmp_path)))
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số: 52/KH-UBND"
    assert d.tables[0].cell(1, 1).paragraphs[0].text == "Đăktover, ngày 16 tháng 01 năm 2023"
    text = all_text(d)
    assert "SAO Y" in text and "Số:      /SY-UBND" in text
    assert "1.7. Kết quả cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4 đạt thấp" in text
    assert "toàn trình" not in text, "the issued text is quoted as issued"


def test_new_plan_has_number_and_day_blank(tmp_path, capsys):
    path = build_clean(tmp_path / "so.xlsx")
    assert main(["plan", str(path), "--new", "--out", str(tmp_path)]) == 0
    d = Document(str(tmp_path / "ke-hoach-khac-phuc-cchc-2023-moi.docx"))
    assert d.tables[0].cell(1, 0).paragraphs[0].text == "Số:      /KH-UBND"
    assert d.tables[0].cell(1, 1).paragraphs[0].text == "Đăktover, ngày      tháng      năm 2024"
    assert "SAO Y" not in all_text(d) and "52/KH-UBND" not in all_text(d)


# --- 12. valid OOXML ------------------------------------------------------------------------------------------

def audit_errors(path: Path) -> list[str]:
    import json
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("openxml-audit")
    if not exe.exists():
        pytest.skip("openxml-audit is not installed")
    out = subprocess.run([str(exe), "-o", "json", str(path)], capture_output=True, text=True, timeout=300).stdout
    results = json.loads(out)
    return [f"{e['part_uri']} {e['path']}: {e['description']}" for r in results for e in r.get("errors", [])]


def test_every_kind_of_output_passes_openxml_audit(reports, tmp_path):
    from toolkit.create import create_workbook

    wb = read_workbook(build_clean(tmp_path / "so.xlsx"))
    outputs = [reports[4][1].path, reports[2][1].path, write_plan(wb, tmp_path),
               write_plan(wb, tmp_path, new=True), build_clean(tmp_path / "so2.xlsx"),
               create_workbook(tmp_path / "TheoDoiCCHC2023.xlsm", year=2023)]
    for path in outputs:
        assert Path(path).suffix in {".docx", ".xlsx", ".xlsm"}
        assert audit_errors(Path(path)) == [], path
