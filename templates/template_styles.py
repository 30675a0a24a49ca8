"""The paragraph styles of the Word templates (``build_templates.py`` builds the documents with them).

Formatting lives in named styles (Normal, "Đề mục I", "Nơi nhận", ...) rather than in direct formatting, so an
official restyles a document by changing a style. Sizes, spacing and indents follow Nghị định 30/2020/NĐ-CP,
Phụ lục I (``../shared/docs/nd30-format.md``).
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from toolkit.report.render import Styles

FONT = "Times New Roman"
DRAFT_STYLE = "Dự thảo"  # the DỰ THẢO mark at the top of a draft
RULE_FULL = "Đường kẻ bản sao"  # the full-width line between the plan and its copy block (SAO Y)


def _fonts(rpr_parent, size: float | None = None) -> None:
    """Times New Roman for every script (no theme font can win), black, Vietnamese."""
    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_parent.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def _paragraph_style(doc, name: str, style_id: str, *, base: str = Styles.NORMAL, size: float | None = None,
                     bold: bool | None = None, italic: bool | None = None, align=None,
                     first_indent: float | None = None, left_indent: float | None = None,
                     before: float | None = None, after: float | None = None, keep_next: bool | None = None,
                     outline: int | None = None, exact_line: float | None = None, next_style: str | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
    if name != Styles.NORMAL:
        style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    font.color.rgb = RGBColor(0, 0, 0)
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_indent is not None:
        pf.first_line_indent = Cm(first_indent)
    if left_indent is not None:
        pf.left_indent = Cm(left_indent)
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if exact_line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact_line)
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        el = OxmlElement("w:outlineLvl")
        el.set(qn("w:val"), str(outline))
        ppr.append(el)
    if next_style is not None:
        style.next_paragraph_style = styles[next_style]
    return style


def _bottom_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    # pBdr must precede spacing/ind/jc in CT_PPrBase; python-docx inserts its own children in order later.
    ppr.remove(bdr)
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(bdr)
    else:
        ppr.append(bdr)


def define_styles(doc) -> None:
    """Every style the templates use; an official restyles the document by changing these."""
    _defaults_and_built_ins(doc)
    _header_styles(doc)
    _title_and_body_styles(doc)
    _signature_styles(doc)
    _appendix_styles(doc)


def _defaults_and_built_ins(doc) -> None:
    """Times New Roman 14, Vietnamese, black everywhere: the document defaults, every built-in style an official
    might pick (Heading 1, Title, ... come with theme fonts and blue text in python-docx's default template),
    Normal, and the page numbers' Header style."""
    styles = doc.styles
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    _fonts(rpr_default, 14)
    for style in styles:
        rpr = style.element.rPr
        if rpr is None:
            continue
        if rpr.find(qn("w:rFonts")) is not None:
            _fonts(style.element)
        color = rpr.find(qn("w:color"))
        if color is not None:
            color.attrib.clear()
            color.set(qn("w:val"), "000000")
    normal = styles[Styles.NORMAL]
    _fonts(normal.element, 14)
    _paragraph_style(doc, Styles.NORMAL, "Normal", size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=1.0,
                     before=0, after=6)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.widow_control = True


def _header_styles(doc) -> None:
    """The header block (inside the borderless table) and its short lines."""
    centred = WD_ALIGN_PARAGRAPH.CENTER
    S = Styles
    # Header block (inside the borderless table): centred, no indent, no spacing.
    _paragraph_style(doc, S.HEAD, "DauVanBan", size=13, align=centred, first_indent=0, after=0)
    _paragraph_style(doc, S.PARENT_BODY, "CoQuanChuQuan", base=S.HEAD, size=13, bold=False)
    _paragraph_style(doc, S.ISSUER, "CoQuanBanHanh", base=S.HEAD, size=13, bold=True)
    _paragraph_style(doc, S.NATION, "QuocHieu", base=S.HEAD, size=12, bold=True)
    _paragraph_style(doc, S.MOTTO, "TieuNgu", base=S.HEAD, size=13, bold=True)
    _paragraph_style(doc, S.NUMBER, "SoKyHieu", base=S.HEAD, size=13, before=6)
    _paragraph_style(doc, S.PLACE_DATE, "DiaDanhNgayThang", base=S.HEAD, size=14, italic=True, before=6)
    # The lines: empty, 3 pt high paragraphs with a bottom border; render.fit_short_lines sets their indents.
    for name, sid in ((S.RULE_EXACT, "DuongKeTieuNgu"), (S.RULE_SHORT, "DuongKeNgan")):
        st = _paragraph_style(doc, name, sid, base=S.HEAD, size=2, exact_line=3, before=0, after=0)
        _bottom_border(st)
    _paragraph_style(doc, S.RULE_TITLE, "DuongKeTrichYeu", base=S.RULE_SHORT, after=12)


def _title_and_body_styles(doc) -> None:
    """Title, subject, addressees and the body."""
    centred = WD_ALIGN_PARAGRAPH.CENTER
    left = WD_ALIGN_PARAGRAPH.LEFT
    S = Styles
    # Title, subject, addressees.
    _paragraph_style(doc, S.DOC_TYPE, "TenLoaiVanBan", size=14, bold=True, align=centred, first_indent=0, before=18,
                     after=0, keep_next=True)
    _paragraph_style(doc, S.SUBJECT, "TrichYeu", size=14, bold=True, align=centred, first_indent=0, after=0,
                     keep_next=True)
    _paragraph_style(doc, S.ADDRESSEE, "KinhGui", size=14, align=centred, first_indent=0, before=12, after=6)
    _paragraph_style(doc, S.ADDRESSEE_HEAD, "KinhGuiDanhSach", size=14, align=left, first_indent=0,
                     left_indent=3.0, before=12, after=0)
    _paragraph_style(doc, S.ADDRESSEE_ITEM, "KinhGuiMuc", size=14, align=left, first_indent=0, left_indent=5.0,
                     after=0)
    # Body.
    _paragraph_style(doc, S.OPENING, "MoDau", before=12)
    _paragraph_style(doc, S.CLOSING, "KetThuc", keep_next=True)
    _paragraph_style(doc, S.HEADING_ROMAN, "DeMucLaMa", bold=True, keep_next=True, outline=0)
    _paragraph_style(doc, S.HEADING_NUMBER, "DeMucSo", bold=True, keep_next=True, outline=1)
    _paragraph_style(doc, S.LEGAL_BASIS, "CanCu", italic=True)
    _paragraph_style(doc, S.PICTURE, "Hinh", align=centred, first_indent=0, before=6, after=0, keep_next=True)
    _paragraph_style(doc, S.CAPTION, "ChuThichHinh", size=13, italic=True, align=centred, first_indent=0)


def _signature_styles(doc) -> None:
    """Nơi nhận, the signer, the section break."""
    centred = WD_ALIGN_PARAGRAPH.CENTER
    left = WD_ALIGN_PARAGRAPH.LEFT
    S = Styles
    # Signature block.
    _paragraph_style(doc, S.RECIPIENTS_HEAD, "NoiNhan", size=12, bold=True, italic=True, align=left,
                     first_indent=0, after=0)
    _paragraph_style(doc, S.RECIPIENT, "NoiNhanMuc", size=11, align=left, first_indent=0, after=0)
    _paragraph_style(doc, S.AUTHORITY, "ThamQuyenKy", size=14, bold=True, align=centred, first_indent=0, after=0)
    _paragraph_style(doc, S.SIGNER, "NguoiKy", size=14, bold=True, align=centred, first_indent=0, after=0)
    _paragraph_style(doc, S.SECTION_BREAK, "NgatPhan", size=1, exact_line=1, first_indent=0, after=0)


def _appendix_styles(doc) -> None:
    """The appendix, its table, the draft mark, the copy line and the page numbers."""
    centred = WD_ALIGN_PARAGRAPH.CENTER
    left = WD_ALIGN_PARAGRAPH.LEFT
    S = Styles
    # Appendix.
    _paragraph_style(doc, S.APPENDIX, "PhuLuc", size=14, bold=True, align=centred, first_indent=0, after=0)
    _paragraph_style(doc, S.APPENDIX_TITLE, "TenPhuLuc", size=14, bold=True, align=centred, first_indent=0,
                     after=0)
    _paragraph_style(doc, S.APPENDIX_REF, "KemTheo", size=14, italic=True, align=centred, first_indent=0, after=0)
    _paragraph_style(doc, S.TABLE, "Bang", size=12, align=left, first_indent=0, after=0)
    _paragraph_style(doc, S.TABLE_CENTRED, "BangGiua", base=S.TABLE, align=centred)
    _paragraph_style(doc, S.TABLE_HEAD, "BangTieuDe", base=S.TABLE, bold=True, align=centred)
    _paragraph_style(doc, S.TABLE_NOTE, "GhiChuBang", size=12, italic=True, first_indent=0, before=6)
    _paragraph_style(doc, DRAFT_STYLE, "DuThao", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT,
                     first_indent=0, after=6)
    full = _paragraph_style(doc, RULE_FULL, "DuongKeBanSao", size=2, exact_line=3, first_indent=0, before=12,
                            after=6)
    _bottom_border(full)
    # Page numbers.
    _fonts(doc.styles["Header"].element, 14)
    _paragraph_style(doc, "Header", "Header", base=S.NORMAL, size=14, align=centred, first_indent=0, after=0)
