"""The state format (nd30-format.md) in the produced documents, rule by rule, read back with python-docx.

Both documents (the quarterly report and the plan) are rendered once from the example workbook; each test
checks one rule. Helpers here resolve a paragraph's effective formatting through its style chain, the way Word
does, so a rule holds whether it is met by a style or by direct formatting.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from toolkit.api import check
from toolkit.core.period import Period
from toolkit.core.resources import example_workbook
from toolkit.report.render import text_width_pt
from toolkit.report.write import write_plan, write_report
from toolkit.workbook.reader import read_workbook

AS_OF = dt.date(2024, 1, 8)
CM = 360000  # EMU per cm
TWIPS_PER_CM = 1440 / 2.54


# --- reading helpers (shared with the other report tests) ----------------------------------------------------

def chain(style):
    while style is not None:
        yield style
        style = style.base_style


def font_attr(paragraph, attr: str):
    """A run attribute (size in pt, bold, italic, name) as Word resolves it for the paragraph's first run."""
    if paragraph.runs:
        value = getattr(paragraph.runs[0].font, attr)
        if value is not None:
            return value.pt if attr == "size" else value
    for style in chain(paragraph.style):
        value = getattr(style.font, attr)
        if value is not None:
            return value.pt if attr == "size" else value
    if attr == "size":
        sz = paragraph.part.document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/"
                                                          f"{qn('w:rPr')}/{qn('w:sz')}")
        return int(sz.get(qn("w:val"))) / 2 if sz is not None else 10.0
    return None if attr == "name" else False


def para_attr(paragraph, attr: str):
    """A paragraph format attribute resolved through the style chain (None when nowhere set)."""
    value = getattr(paragraph.paragraph_format, attr)
    if value is not None:
        return value
    for style in chain(paragraph.style):
        value = getattr(style.paragraph_format, attr)
        if value is not None:
            return value
    return None


def cm(length) -> float:
    """EMU to cm, rounded to 0.01 cm (Word stores twips, so 1.5 cm reads back as 1.4993)."""
    return round((length or 0) / CM, 2)


def bottom_border(paragraph) -> bool:
    """Whether the paragraph (directly or by style) draws a single bottom border."""
    for ppr in [paragraph._p.pPr] + [s.element.pPr for s in chain(paragraph.style)]:
        if ppr is None:
            continue
        bottom = ppr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
        if bottom is not None:
            return bottom.get(qn("w:val")) == "single"
    return False


def rule_length_cm(paragraph, available_cm: float) -> float:
    left, right = cm(para_attr(paragraph, "left_indent")), cm(para_attr(paragraph, "right_indent"))
    return available_cm - left - right


def cell_text_width_cm(cell) -> float:
    return cm(cell.width) - 2 * 108 / TWIPS_PER_CM  # Word's default cell margins, 0.19 cm each side


def text_cm(paragraph) -> float:
    size, bold = font_attr(paragraph, "size"), bool(font_attr(paragraph, "bold"))
    return text_width_pt(paragraph.text, size, bold=bold) / 72 * 2.54


def table_borders(table) -> dict[str, str]:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders} if borders is not None else {}


def body_paragraphs(doc) -> list:
    """The body's paragraphs (outside tables), in order."""
    return list(doc.paragraphs)


def all_text(doc) -> str:
    """Every paragraph's text in body order, table cells included, one per line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines = []
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(Paragraph(block, doc).text)
        elif block.tag == qn("w:tbl"):
            for row in Table(block, doc).rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def find(doc, text: str, *, startswith: bool = False):
    for p in body_paragraphs(doc):
        if (p.text.startswith(text) if startswith else p.text == text):
            return p
    raise AssertionError(f"no paragraph {'starting with ' if startswith else ''}{text!r}")


def section_of_page_number(header) -> bool:
    return any(qn("w:fldSimple") == el.tag and "PAGE" in el.get(qn("w:instr"), "")
               for el in header._element.iter()) or "PAGE" in "".join(
        el.text or "" for el in header._element.iter(qn("w:instrText")))


# --- the documents -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docs")
    wb = read_workbook(example_workbook())
    a = check(wb, as_of=AS_OF, period=Period(2023, 4))
    return {"report": write_report(a, out, date=AS_OF, number=5).path, "plan": write_plan(wb, out)}


@pytest.fixture(scope="module")
def report(rendered):
    return Document(str(rendered["report"]))


@pytest.fixture(scope="module")
def plan(rendered):
    return Document(str(rendered["plan"]))


BOTH = ["report", "plan"]


def doc_of(request, name):
    return request.getfixturevalue(name)


# --- page -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BOTH)
def test_page_is_a4_with_decree_margins(request, name):
    doc = doc_of(request, name)
    for section in doc.sections:
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        w, h = cm(section.page_width), cm(section.page_height)
        assert (round(w, 1), round(h, 1)) == ((29.7, 21.0) if landscape else (21.0, 29.7))
        assert 2.0 <= cm(section.top_margin) <= 2.5
        assert 2.0 <= cm(section.bottom_margin) <= 2.5
        assert 3.0 <= cm(section.left_margin) <= 3.5
        assert 1.5 <= cm(section.right_margin) <= 2.0
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT


@pytest.mark.parametrize("name", BOTH)
def test_every_paragraph_is_times_new_roman_black(request, name):
    doc = doc_of(request, name)
    for style in doc.styles:
        rpr = style.element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is not None:
            assert fonts.get(qn("w:asciiTheme")) is None, style.name
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert {defaults.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"Times New Roman"}
    for p in doc.paragraphs:
        assert font_attr(p, "name") in (None, "Times New Roman"), p.text
        color = None
        for style in chain(p.style):
            if style.font.color is not None and style.font.color.rgb is not None:
                color = str(style.font.color.rgb)
                break
        assert color in (None, "000000"), (p.style.name, color)


@pytest.mark.parametrize("name", BOTH)
def test_normal_style_is_the_body_format(request, name):
    normal = doc_of(request, name).styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    pf = normal.paragraph_format
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 1.0 <= cm(pf.first_line_indent) <= 1.27
    assert pf.space_after.pt >= 6
    assert pf.line_spacing_rule == WD_LINE_SPACING.SINGLE or 1.0 <= (pf.line_spacing or 1.0) <= 1.5


@pytest.mark.parametrize("name", BOTH)
def test_body_paragraphs_use_styles_not_direct_formatting(request, name):
    """An official restyles by changing styles: body runs carry no direct font, size, bold or italic."""
    doc = doc_of(request, name)
    for p in doc.paragraphs:
        for run in p.runs:
            rpr = run._r.rPr
            if rpr is None:
                continue
            direct = [c.tag.split("}")[1] for c in rpr if c.tag.split("}")[1] in ("rFonts", "sz", "b", "i")]
            assert not direct, (p.text[:40], direct)


# --- header block --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BOTH)
def test_header_is_a_borderless_two_column_table(request, name):
    doc = doc_of(request, name)
    first = doc.element.body[0]
    if name == "report":  # the example workbook has errors: its report is a draft, marked above the header
        assert doc.paragraphs[0].text == "DỰ THẢO"
        first = doc.element.body[1]
    assert first.tag == qn("w:tbl"), "the document starts with the header table"
    table = doc.tables[0]
    assert set(table_borders(table).values()) <= {"nil", "none"}
    assert len(table.columns) == 2
    left, right = (cm(c.width) for c in table.rows[0].cells)
    assert 6.0 <= left <= 7.0 and 9.5 <= right <= 10.5


@pytest.mark.parametrize("name", BOTH)
def test_issuing_body_upper_bold_with_short_line(request, name):
    cell = doc_of(request, name).tables[0].cell(0, 0)
    lines = [p for p in cell.paragraphs if p.text]
    assert [p.text for p in lines] == ["ỦY BAN NHÂN DÂN", "XÃ ĐĂKTOVER"], "no parent body by default"
    for p in lines:
        assert p.text == p.text.upper()
        assert font_attr(p, "bold") is True
        assert 12 <= font_attr(p, "size") <= 13
        assert para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    rule = cell.paragraphs[-1]
    assert rule.text == "" and bottom_border(rule)
    widest = max(text_cm(p) for p in lines)
    assert widest / 3 <= rule_length_cm(rule, cell_text_width_cm(cell)) <= widest / 2


@pytest.mark.parametrize("name", BOTH)
def test_national_name_and_motto_with_its_exact_line(request, name):
    cell = doc_of(request, name).tables[0].cell(0, 1)
    nation, motto, rule = cell.paragraphs[:3]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert font_attr(nation, "bold") is True and 12 <= font_attr(nation, "size") <= 13
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert font_attr(motto, "bold") is True and 13 <= font_attr(motto, "size") <= 14
    for p in (nation, motto, rule):
        assert para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert rule.text == "" and bottom_border(rule), "a solid line right under the motto"
    assert rule_length_cm(rule, cell_text_width_cm(cell)) == pytest.approx(text_cm(motto), abs=0.02)


@pytest.mark.parametrize(("name", "number"), [("report", "Số:      /BC-UBND"), ("plan", "Số: 52/KH-UBND")])
def test_number_line_level_with_the_italic_date_line(request, name, number):
    table = doc_of(request, name).tables[0]
    num, date_line = table.cell(1, 0).paragraphs[0], table.cell(1, 1).paragraphs[0]
    assert num.text == number
    assert font_attr(num, "size") == 13 and not font_attr(num, "bold")
    assert font_attr(date_line, "italic") is True and 13 <= font_attr(date_line, "size") <= 14
    assert para_attr(date_line, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    expected = "Đăktover, ngày 08 tháng 01 năm 2024" if name == "report" else "Đăktover, ngày 10 tháng 8 năm 2023"
    assert date_line.text == expected


# --- title ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind", "subject_start"), [
    ("report", "BÁO CÁO", "Kết quả thực hiện Kế hoạch khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính"),
    ("plan", "KẾ HOẠCH", "Khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính năm 2022"),
])
def test_title_and_subject_with_short_line(request, name, kind, subject_start):
    doc = doc_of(request, name)
    paragraphs = body_paragraphs(doc)
    title = find(doc, kind)
    i = paragraphs.index(title) if title in paragraphs else [p.text for p in paragraphs].index(kind)
    subject, rule = paragraphs[i + 1], paragraphs[i + 2]
    for p in (title, subject):
        assert font_attr(p, "bold") is True and 13 <= font_attr(p, "size") <= 14
        assert para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
        assert cm(para_attr(p, "first_line_indent")) == 0
    assert subject.text.startswith(subject_start)
    assert subject.text[0].isupper() and subject.text[1:3].islower(), "sentence case"
    assert rule.text == "" and bottom_border(rule)
    text_width = 16.5
    written = min(text_cm(subject), text_width)
    assert written / 3 <= rule_length_cm(rule, text_width) <= written / 2


# --- body -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "headings"), [
    ("report", ["I. KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG", "III. NHIỆM VỤ TRỌNG TÂM NĂM 2024",
                "IV. ĐỀ XUẤT, KIẾN NGHỊ"]),
    ("plan", ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ VÀ GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"]),
])
def test_roman_headings_upper_bold_indented_not_centred(request, name, headings):
    doc = doc_of(request, name)
    for text in headings:
        p = find(doc, text)
        assert text == text.upper()
        assert font_attr(p, "bold") is True
        assert para_attr(p, "alignment") != WD_ALIGN_PARAGRAPH.CENTER
        assert cm(para_attr(p, "first_line_indent")) >= 1.0


@pytest.mark.parametrize(("name", "heading"), [
    ("report", "1.1. Tỷ lệ đạt chuẩn của cán bộ cấp xã, công chức cấp xã"),
    ("report", "2. Tồn tại, hạn chế và nguyên nhân"),
    ("plan", "1. Mục đích"),
    ("plan", "1.8. Hình thức tuyên truyền CCHC"),
])
def test_numbered_headings_bold_sentence_case(request, name, heading):
    p = find(doc_of(request, name), heading)
    assert font_attr(p, "bold") is True
    assert para_attr(p, "alignment") != WD_ALIGN_PARAGRAPH.CENTER
    assert cm(para_attr(p, "first_line_indent")) >= 1.0


def test_plan_legal_basis_italic_semicolons_last_full_stop(plan):
    basis = [p for p in plan.paragraphs if p.text.startswith("Căn cứ")]
    assert basis, "the plan cites its legal basis"
    for p in basis:
        assert font_attr(p, "italic") is True
    assert all(p.text.endswith(";") for p in basis[:-1]) and basis[-1].text.endswith(".")


def test_report_opens_with_plain_sentence_citing_the_plan(report):
    opening = find(report, "Thực hiện Kế hoạch", startswith=True)
    assert not font_attr(opening, "italic")
    assert opening.text.startswith("Thực hiện Kế hoạch số 52/KH-UBND ngày 10/8/2023 của Ủy ban nhân dân xã Đăktover "
                                   "về khắc phục tồn tại, hạn chế Chỉ số cải cách hành chính năm 2022")
    assert opening.text.endswith("báo cáo kết quả thực hiện năm 2023 (số liệu tính từ ngày 15/12/2022 đến ngày "
                                 "14/12/2023), cụ thể như sau:")


@pytest.mark.parametrize("name", BOTH)
def test_body_ends_with_the_closing_mark(request, name):
    doc = doc_of(request, name)
    paragraphs = [p for p in body_paragraphs(doc)]
    closing = [p for p in paragraphs if p.text.endswith("./.")]
    assert len(closing) == 1
    # the signature table follows the closing paragraph directly
    assert closing[0]._p.getnext().tag == qn("w:tbl")


# --- signature block --------------------------------------------------------------------------------------------

def signature_table(doc):
    return next(t for t in doc.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")


@pytest.mark.parametrize("name", BOTH)
def test_signature_block_borderless_recipients_and_signer(request, name):
    doc = doc_of(request, name)
    table = signature_table(doc)
    assert set(table_borders(table).values()) <= {"nil", "none"}
    left_w, right_w = (cm(c.width) for c in table.rows[0].cells)
    assert 5.0 <= left_w <= 6.0 and 10.5 <= right_w <= 11.5
    head, *items = table.cell(0, 0).paragraphs
    assert font_attr(head, "size") == 12 and font_attr(head, "bold") and font_attr(head, "italic")
    assert items and all(p.text.startswith("- ") for p in items)
    assert all(p.text.endswith(";") for p in items[:-1])
    assert items[-1].text.startswith("- Lưu:") and items[-1].text.endswith(".")
    for p in items:
        assert font_attr(p, "size") == 11 and not font_attr(p, "bold") and not font_attr(p, "italic")
        assert para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.LEFT
    right = table.cell(0, 1).paragraphs
    authority = [p for p in right[:3]]
    assert [p.text for p in authority] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    for p in authority:
        assert font_attr(p, "bold") and 13 <= font_attr(p, "size") <= 14
        assert para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    blanks = right[3:-1]
    assert 4 <= len(blanks) <= 5 and all(p.text == "" for p in blanks)
    signer = right[-1]
    assert signer.text == "Trần Thành Trung"
    assert font_attr(signer, "bold") and 13 <= font_attr(signer, "size") <= 14


# --- page numbers ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BOTH)
def test_page_numbers_centred_in_header_not_on_first_page(request, name):
    doc = doc_of(request, name)
    for section in doc.sections:
        assert section.different_first_page_header_footer
        header = section.header
        assert not header.is_linked_to_previous
        assert section_of_page_number(header)
        p = header.paragraphs[0]
        assert para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
        assert 13 <= font_attr(p, "size") <= 14
        first = section.first_page_header
        assert not section_of_page_number(first)
        assert all(not q.text.strip() for q in first.paragraphs)


# --- appendix ----------------------------------------------------------------------------------------------------

def test_appendix_is_its_own_landscape_section_restarting_at_one(report):
    assert len(report.sections) == 2
    appendix = report.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    num = appendix._sectPr.find(qn("w:pgNumType"))
    assert num is not None and num.get(qn("w:start")) == "1"


def test_appendix_title_block(report):
    label = find(report, "Phụ lục")
    assert font_attr(label, "bold") and font_attr(label, "size") == 14
    assert para_attr(label, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    paragraphs = body_paragraphs(report)
    i = [p.text for p in paragraphs].index("Phụ lục")
    title, ref, rule = paragraphs[i + 1: i + 4]
    assert title.text == "KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG CỦA KẾ HOẠCH NĂM 2023"
    assert font_attr(title, "bold") and para_attr(title, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    # the example's report is a draft: no number even when one is given
    assert ref.text == "(Kèm theo Báo cáo số      /BC-UBND ngày 08/01/2024 của Ủy ban nhân dân xã Đăktover)"
    assert font_attr(ref, "italic") and para_attr(ref, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert rule.text == "" and bottom_border(rule)


def test_appendix_table_header_repeats_bold_centred(report):
    table = report.tables[-1]
    assert set(table_borders(table).values()) == {"single"}
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None, "the header row repeats on every page"
    assert [c.text for c in header.cells] == ["STT", "Nội dung", "Kết quả thực hiện", "Số liệu đạt / chỉ tiêu",
                                              "Mức độ hoàn thành", "Tình trạng", "Minh chứng"]
    for cell in header.cells:
        p = cell.paragraphs[0]
        assert font_attr(p, "bold") and para_attr(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    for row in table.rows[1:]:
        assert row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
        for cell in row.cells:
            for p in cell.paragraphs:
                assert 12 <= font_attr(p, "size") <= 13
    widths = sum(cm(c.width) for c in header.cells)
    assert widths == pytest.approx(29.7 - 3.0 - 1.5, abs=0.05)


@pytest.mark.parametrize("name", BOTH)
def test_signature_never_stands_alone_on_a_page(request, name):
    """The signature row cannot break across pages and the closing paragraph stays with it."""
    doc = doc_of(request, name)
    row = signature_table(doc).rows[0]
    assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    closing = next(p for p in doc.paragraphs if p.text.endswith("./."))
    assert para_attr(closing, "keep_with_next") is True


@pytest.mark.parametrize("name", BOTH)
def test_header_block_rows_stay_whole(request, name):
    for row in doc_of(request, name).tables[0].rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
