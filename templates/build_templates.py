"""Build the Word templates in ``templates/``: the quarterly report and the plan, in the state format.

Run ``python templates/build_templates.py`` from the repository root after changing this file; the ``.docx``
files it writes are committed and shipped as package data (``toolkit.templates``). They are ordinary Word
documents with docxtpl tags (``{{ ... }}``, ``{%p ... %}``, ``{%tr ... %}``): an official may open them in
Word, change wording or restyle them, and the toolkit still fills them.

Formatting lives in named paragraph styles (Normal, "Đề mục I", "Nơi nhận", ...) rather than in direct
formatting, so restyling one style restyles the document. The rules come from Nghị định 30/2020/NĐ-CP,
Phụ lục I (``../shared/docs/nd30-format.md``):

- A4, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (inside the decree's ranges; the text width of
  165 mm holds the 6.5 cm | 10 cm header table exactly);
- Times New Roman; body 14 pt, justified, first-line indent 1 cm, 6 pt after, single line spacing;
- the header block and the signature block are borderless two-column tables;
- page numbers centred in the header, 14 pt, not on the first page; the appendix is its own landscape section
  whose numbering restarts at 1 and whose table repeats its header row on every page.

The short lines under the issuing body, the motto and the subject are empty paragraphs with a bottom border
(styles "Đường kẻ tiêu ngữ" and "Đường kẻ ngắn"); their indents are set here for the sample text and set
again by ``toolkit.report.render`` for the text actually filled in, so the motto's line is exactly as long as the
motto and the short lines are 2/5 of the text above them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from template_styles import DRAFT_STYLE, RULE_FULL, define_styles  # noqa: E402  (beside this script)

from toolkit.report.render import (  # noqa: E402
    HEADER_LEFT_CM,
    HEADER_RIGHT_CM,
    PLAN_TEMPLATE,
    REPORT_TEMPLATE,
    SIGNATURE_LEFT_CM,
    SIGNATURE_RIGHT_CM,
    Styles,
    fit_short_lines,
)
from toolkit.report.short_lines import StyleTable  # noqa: E402

PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(2.0), Cm(2.0), Cm(3.0), Cm(1.5)
APPENDIX_COLUMNS = (  # header text, width in cm (25.2 cm in all: the landscape text width), centred column?
    ("STT", 1.2, True),
    ("Nội dung", 5.4, False),
    ("Kết quả thực hiện", 6.0, False),
    ("Số liệu đạt / chỉ tiêu", 3.6, True),
    ("Mức độ hoàn thành", 2.8, True),
    ("Tình trạng", 3.0, True),
    ("Minh chứng", 3.2, False),
)
APPENDIX_FIELDS = ("stt", "content", "result", "figure", "completion", "status", "evidence")


# --- layout helpers -----------------------------------------------------------------------------------------

def _para(container, text: str = "", style: str = Styles.NORMAL):
    p = container.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def _first(cell, text: str, style: str):
    """Use the cell's initial empty paragraph for the first line."""
    p = cell.paragraphs[0]
    p.style = cell.part.document.styles[style]
    if text:
        p.add_run(text)
    return p


def _borders(table, value: str) -> None:
    tblpr = table._tbl.tblPr
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    # tblBorders goes after tblW/jc/tblInd in CT_TblPr; appending before tblLayout/tblCellMar/tblLook keeps order.
    anchor = None
    for tag in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"):
        anchor = tblpr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tblpr.append(borders)


def _keep_rows_whole(table) -> None:
    """No row of ``table`` breaks across pages (the header and signature blocks move as one)."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        trpr.insert(0, OxmlElement("w:cantSplit"))


def _fixed_table(container, rows: int, widths_cm: Iterable[float], *, borders: bool):
    widths = list(widths_cm)
    table = container.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, "single" if borders else "nil")
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    tblw = table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        table._tbl.tblPr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(widths) / 2.54 * 1440)))
    return table


def _page_number(header) -> None:
    p = header.paragraphs[0]
    p.style = header.part.document.styles["Header"] if hasattr(header.part, "document") else p.style
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    run.append(t)
    fld.append(run)
    p._p.append(fld)


def _page_setup(section, *, landscape: bool = False, restart: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    header_style = section.part.document.styles["Header"]
    for hdr in (section.header, section.first_page_header):
        hdr.paragraphs[0].style = header_style
    _page_number(section.header)
    if restart:
        sectpr = section._sectPr
        num = OxmlElement("w:pgNumType")
        num.set(qn("w:start"), "1")
        anchor = None
        for tag in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid"):
            anchor = sectpr.find(qn(tag))
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addprevious(num)
        else:
            sectpr.append(num)


# --- shared blocks ------------------------------------------------------------------------------------------

def header_block(doc) -> None:
    """The borderless header table: issuing body | national name and motto; Số | place and date."""
    S = Styles
    table = _fixed_table(doc, 2, (HEADER_LEFT_CM, HEADER_RIGHT_CM), borders=False)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first(left, "{%p if parent_body %}", S.HEAD)
    _para(left, "{{ parent_body }}", S.PARENT_BODY)
    _para(left, "{%p endif %}", S.HEAD)
    _para(left, "{{ issuer }}", S.ISSUER)
    _para(left, "{{ unit }}", S.ISSUER)
    _para(left, "", S.RULE_SHORT)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", S.NATION)
    _para(right, "Độc lập - Tự do - Hạnh phúc", S.MOTTO)
    _para(right, "", S.RULE_EXACT)
    _keep_rows_whole(table)
    _first(table.cell(1, 0), "Số: {{ number }}", S.NUMBER)
    _first(table.cell(1, 1), "{{ place_date }}", S.PLACE_DATE)


def title_block(doc, doc_type: str) -> None:
    S = Styles
    _para(doc, doc_type, S.DOC_TYPE)
    _para(doc, "{{ subject }}", S.SUBJECT)
    _para(doc, "", S.RULE_TITLE)


def addressee_block(doc) -> None:
    S = Styles
    _para(doc, "{%p if addressee_single %}", S.ADDRESSEE)
    _para(doc, "Kính gửi: {{ addressee_single }}", S.ADDRESSEE)
    _para(doc, "{%p endif %}", S.ADDRESSEE)
    _para(doc, "{%p if addressee_list %}", S.ADDRESSEE_HEAD)
    _para(doc, "Kính gửi:", S.ADDRESSEE_HEAD)
    _para(doc, "{%p for a in addressee_list %}", S.ADDRESSEE_ITEM)
    _para(doc, "{{ a }}", S.ADDRESSEE_ITEM)
    _para(doc, "{%p endfor %}", S.ADDRESSEE_ITEM)
    _para(doc, "{%p endif %}", S.ADDRESSEE_ITEM)


def bullets(doc, var: str, style: str = Styles.NORMAL, prefix: str = "- ") -> None:
    """One paragraph per element of list ``var``, each starting with ``prefix``."""
    _para(doc, f"{{%p for line in {var} %}}", style)
    _para(doc, f"{prefix}{{{{ line }}}}", style)
    _para(doc, "{%p endfor %}", style)


def signature_block(doc) -> None:
    """The borderless signature table: Nơi nhận | authority, position, space for the seal, signer."""
    S = Styles
    table = _fixed_table(doc, 1, (SIGNATURE_LEFT_CM, SIGNATURE_RIGHT_CM), borders=False)
    _keep_rows_whole(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first(left, "Nơi nhận:", S.RECIPIENTS_HEAD)
    _para(left, "{%p for r in recipients %}", S.RECIPIENT)
    _para(left, "{{ r }}", S.RECIPIENT)
    _para(left, "{%p endfor %}", S.RECIPIENT)
    _first(right, "{%p for line in signer_lines %}", S.AUTHORITY)
    _para(right, "{{ line }}", S.AUTHORITY)
    _para(right, "{%p endfor %}", S.AUTHORITY)
    for _ in range(4):  # four blank lines for the signature and the seal
        _para(right, "", S.AUTHORITY)
    _para(right, "{{ signer_name }}", S.SIGNER)


# CT_RPr's child order (ECMA-376 Part 1, 17.3.2.28): Word and openxml-audit reject children out of order.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
              "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign",
              "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def _sort_run_properties(doc) -> None:
    """Put the children of every style's (and the defaults') run properties in schema order."""
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_RPR_ORDER)}
    for rpr in doc.styles.element.iter(qn("w:rPr")):
        children = list(rpr)
        children.sort(key=lambda el: rank.get(el.tag, len(rank)))
        for el in children:
            rpr.append(el)


def _drop_styles_with_effects(doc) -> None:
    """python-docx's default template carries Word 2010's stylesWithEffects part, a stale copy of the styles
    that Word may treat as unreadable once the real styles differ: leave it out."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def new_document():
    doc = Document()
    define_styles(doc)
    _sort_run_properties(doc)
    _drop_styles_with_effects(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _page_setup(doc.sections[0])
    props = doc.core_properties
    props.author = "cchc"
    props.language = "vi-VN"
    return doc


# --- the two templates --------------------------------------------------------------------------------------

def body_sections(doc) -> None:
    """Parts I to IV as composed: each a Roman heading, then blocks of a numbered heading and paragraphs."""
    S = Styles
    _para(doc, "{%p for s in sections %}", S.HEADING_ROMAN)
    _para(doc, "{{ s.title }}", S.HEADING_ROMAN)
    _para(doc, "{%p for b in s.blocks %}", S.HEADING_NUMBER)
    _para(doc, "{%p if b.heading %}", S.HEADING_NUMBER)
    _para(doc, "{{ b.heading }}", S.HEADING_NUMBER)
    _para(doc, "{%p endif %}", S.HEADING_NUMBER)
    bullets(doc, "b.lines", prefix="")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")


def appendix_table(doc) -> None:
    """The appendix table: header row bold, repeated on every page; no row splits across pages."""
    S = Styles
    table = _fixed_table(doc, 4, [w for _, w, _ in APPENDIX_COLUMNS], borders=True)
    _keep_rows_whole(table)
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, (text, _, _) in zip(head.cells, APPENDIX_COLUMNS, strict=True):
        _first(cell, text, S.TABLE_HEAD)
    # docxtpl's row loop: the tags sit in rows 2 and 4, which it removes.
    _first(table.cell(1, 0), "{%tr for r in rows %}", S.TABLE)
    for cell, field, (_, _, centred) in zip(table.rows[2].cells, APPENDIX_FIELDS, APPENDIX_COLUMNS, strict=True):
        _first(cell, f"{{{{ r.{field} }}}}", S.TABLE_CENTRED if centred else S.TABLE)
    _first(table.cell(3, 0), "{%tr endfor %}", S.TABLE)


def build_report(path: Path) -> Path:
    """``bao_cao_quy.docx``: the report on the plan, with its appendix table; it only lays out composed text."""
    S = Styles
    doc = new_document()
    doc.core_properties.title = "Báo cáo kết quả thực hiện kế hoạch khắc phục Chỉ số CCHC"
    _para(doc, "{%p if draft %}", DRAFT_STYLE)
    _para(doc, "DỰ THẢO", DRAFT_STYLE)
    _para(doc, "{%p endif %}", DRAFT_STYLE)
    header_block(doc)
    title_block(doc, "BÁO CÁO")
    addressee_block(doc)
    bullets(doc, "opening", S.OPENING, prefix="")
    body_sections(doc)
    _para(doc, "{{ closing }}", S.CLOSING)
    signature_block(doc)

    # The appendix: its own landscape section, page numbers from 1 again.
    _para(doc, "", S.SECTION_BREAK)
    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(appendix, landscape=True, restart=True)
    _para(doc, "Phụ lục", S.APPENDIX)
    _para(doc, "{{ appendix_title }}", S.APPENDIX_TITLE)
    _para(doc, "{{ appendix_ref }}", S.APPENDIX_REF)
    _para(doc, "", S.RULE_TITLE)
    appendix_table(doc)
    _para(doc, "{{ appendix_note }}", S.TABLE_NOTE)
    _para(doc, "{%p if chart %}", S.PICTURE)
    _para(doc, "{{ chart }}", S.PICTURE)
    _para(doc, "{{ chart_caption }}", S.CAPTION)
    _para(doc, "{%p endif %}", S.CAPTION)

    fit_short_lines(doc.element, StyleTable.of(doc.styles.element))
    doc.save(path)
    return path


def copy_block(doc) -> None:
    """The copy format (Nghị định 30/2020, Phụ lục I Phần II): a full line, then the copying body and
    ``Số: .../SY-...`` | ``SAO Y`` and the place and date, then Nơi nhận | the signer."""
    S = Styles
    _para(doc, "{%p if copy %}", RULE_FULL)
    _para(doc, "", RULE_FULL)
    table = _fixed_table(doc, 1, (HEADER_LEFT_CM, HEADER_RIGHT_CM), borders=False)
    _keep_rows_whole(table)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first(left, "{{ issuer }}", S.ISSUER)
    _para(left, "{{ unit }}", S.ISSUER)
    _para(left, "Số: {{ copy_number }}", S.NUMBER)
    _first(right, "SAO Y", S.NATION)
    _para(right, "{{ copy_place_date }}", S.PLACE_DATE)
    sign = _fixed_table(doc, 1, (SIGNATURE_LEFT_CM, SIGNATURE_RIGHT_CM), borders=False)
    _keep_rows_whole(sign)
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    _first(left, "Nơi nhận:", S.RECIPIENTS_HEAD)
    _para(left, "{%p for r in copy_recipients %}", S.RECIPIENT)
    _para(left, "{{ r }}", S.RECIPIENT)
    _para(left, "{%p endfor %}", S.RECIPIENT)
    _first(right, "{%p for line in signer_lines %}", S.AUTHORITY)
    _para(right, "{{ line }}", S.AUTHORITY)
    _para(right, "{%p endfor %}", S.AUTHORITY)
    for _ in range(4):
        _para(right, "", S.AUTHORITY)
    _para(right, "{{ signer_name }}", S.SIGNER)
    _para(doc, "{%p endif %}", S.SECTION_BREAK)


def build_plan(path: Path) -> Path:
    """``ke_hoach.docx``: the plan (KẾ HOẠCH) itself, regenerated from the workbook."""
    S = Styles
    doc = new_document()
    doc.core_properties.title = "Kế hoạch khắc phục tồn tại, hạn chế Chỉ số CCHC"
    header_block(doc)
    title_block(doc, "KẾ HOẠCH")
    _para(doc, "{%p for line in legal_basis %}", S.LEGAL_BASIS)
    _para(doc, "{{ line }}", S.LEGAL_BASIS)
    _para(doc, "{%p endfor %}", S.LEGAL_BASIS)
    _para(doc, "{%p if implementing %}")
    _para(doc, "Thực hiện {{ implementing }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{{ body_name }} xây dựng Kế hoạch {{ subject_phrase }} như sau:")

    _para(doc, "I. MỤC ĐÍCH, YÊU CẦU", S.HEADING_ROMAN)
    _para(doc, "1. Mục đích", S.HEADING_NUMBER)
    bullets(doc, "purposes")
    _para(doc, "2. Yêu cầu", S.HEADING_NUMBER)
    bullets(doc, "requirements")

    _para(doc, "II. NHIỆM VỤ VÀ GIẢI PHÁP", S.HEADING_ROMAN)
    _para(doc, "{{ body_name }} giao các bộ phận chuyên môn trên cơ sở chức năng, nhiệm vụ tập trung phối hợp triển "
          "khai thực hiện các nhiệm vụ khắc phục tồn tại, hạn chế cụ thể như sau:")
    _para(doc, "{%p for it in items %}", S.HEADING_NUMBER)
    _para(doc, "{{ it.heading }}", S.HEADING_NUMBER)
    _para(doc, "{%p if it.target_text %}")
    _para(doc, "a) Mục tiêu, yêu cầu: {{ it.target_text }}")
    _para(doc, "{%p endif %}")
    _para(doc, "b) Nhiệm vụ, giải pháp:")
    _para(doc, "{%p for t in it.tasks %}")
    _para(doc, "{{ t }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "c) Phân công trách nhiệm:")
    _para(doc, "- Phụ trách: {{ it.owner }}")
    _para(doc, "{%p if it.partners %}")
    _para(doc, "- Phối hợp/Thực hiện: {{ it.partners }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if it.deadline %}")
    _para(doc, "d) Thời gian thực hiện/hoàn thành: {{ it.deadline }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")

    _para(doc, "III. TỔ CHỨC THỰC HIỆN", S.HEADING_ROMAN)
    _para(doc, "{%p for line in organization %}")
    _para(doc, "{{ line }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "Trên đây là Kế hoạch {{ subject_phrase }} của {{ body_name }}; yêu cầu các công chức chuyên môn, "
          "các ngành, đoàn thể có liên quan tập trung tổ chức thực hiện có hiệu quả nội dung kế hoạch này./.",
          S.CLOSING)
    signature_block(doc)
    copy_block(doc)

    fit_short_lines(doc.element, StyleTable.of(doc.styles.element))
    doc.save(path)
    return path


def main() -> None:
    for name, build in ((REPORT_TEMPLATE, build_report), (PLAN_TEMPLATE, build_plan)):
        out = build(HERE / name)
        print(f"Đã tạo mẫu {out}")


if __name__ == "__main__":
    main()
