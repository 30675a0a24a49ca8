"""Filling the Word templates: preflight, autoescaped rendering, fitted lines, atomic output.

``render_docx(template_name, context, target)`` is the one entry point. It checks that every variable the
template asks for is in ``context`` (an official may have edited the template in Word), renders with
autoescape on (``&``, ``<``, ``>`` and quotes in an official's text come out intact), sets the short lines
under the issuing body, the motto and the subject to the text actually filled in, and writes the file
atomically. The templates themselves are built by ``templates/build_templates.py``; the style names they use
are declared here (``Styles``) so both sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CchcError
from .files import atomic_output
from .text import nfc

REPORT_TEMPLATE = "bao_cao_quy.docx"
PLAN_TEMPLATE = "ke_hoach.docx"

HEADER_LEFT_CM, HEADER_RIGHT_CM = 6.5, 10.0  # nd30-format.md: "about 6-7 cm | 10 cm"
SIGNATURE_LEFT_CM, SIGNATURE_RIGHT_CM = 5.5, 11.0  # "about 5.3 cm | 11 cm"
SHORT_RULE_FRACTION = 0.4  # the short lines are 1/3 to 1/2 of the text above them


class Styles:
    """The paragraph style names the templates use (what an official sees in Word's style list)."""

    NORMAL = "Normal"
    HEAD = "Đầu văn bản"
    PARENT_BODY = "Cơ quan chủ quản"
    ISSUER = "Cơ quan ban hành"
    NATION = "Quốc hiệu"
    MOTTO = "Tiêu ngữ"
    NUMBER = "Số, ký hiệu"
    PLACE_DATE = "Địa danh, ngày tháng"
    RULE_EXACT = "Đường kẻ tiêu ngữ"
    RULE_SHORT = "Đường kẻ ngắn"
    RULE_TITLE = "Đường kẻ dưới trích yếu"  # a short line with space after it, before the body text
    DOC_TYPE = "Tên loại văn bản"
    SUBJECT = "Trích yếu"
    ADDRESSEE = "Kính gửi"
    ADDRESSEE_HEAD = "Kính gửi (nhiều nơi)"
    ADDRESSEE_ITEM = "Kính gửi - nơi nhận"
    OPENING = "Mở đầu"
    CLOSING = "Kết thúc"  # the last body paragraph (ending ./.), kept on the page of the signature
    HEADING_ROMAN = "Đề mục I"
    HEADING_NUMBER = "Đề mục 1"
    LEGAL_BASIS = "Căn cứ"
    PICTURE = "Hình"
    CAPTION = "Chú thích hình"
    RECIPIENTS_HEAD = "Nơi nhận"
    RECIPIENT = "Nơi nhận - mục"
    AUTHORITY = "Thẩm quyền ký"
    SIGNER = "Người ký"
    SECTION_BREAK = "Ngắt phần"
    APPENDIX = "Phụ lục"
    APPENDIX_TITLE = "Tên phụ lục"
    APPENDIX_REF = "Kèm theo"
    TABLE = "Bảng"
    TABLE_CENTRED = "Bảng - giữa"
    TABLE_HEAD = "Bảng - tiêu đề"
    TABLE_NOTE = "Ghi chú bảng"


class TemplateError(CchcError):
    """A template cannot be filled: it asks for a variable the toolkit does not provide, or is broken."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A PNG to place where the template says ``{{ name }}``, ``width_cm`` wide."""

    png: bytes
    width_cm: float


# --- text widths (Times New Roman; Liberation Serif has the same metrics) ------------------------------------
# Advance widths in 1/1000 em for the printable ASCII characters 32..126; accented letters take the width of
# their base letter (Vietnamese accents do not change the advance), with the few exceptions below.
_REGULAR = (
    "250 333 408 500 500 833 777 180 333 333 500 563 250 333 250 277 500 500 500 500 500 500 500 500 500 500 277 "
    "277 563 563 563 443 920 722 666 666 722 610 556 722 722 333 389 722 610 889 722 722 556 722 666 556 610 722 "
    "722 943 722 722 610 333 277 333 469 500 333 443 500 443 500 443 333 500 500 277 277 500 277 777 500 500 500 "
    "500 333 389 277 500 500 722 500 500 443 479 200 479 541"
)
_BOLD = (
    "250 333 555 500 500 1000 833 277 333 333 500 569 250 333 250 277 500 500 500 500 500 500 500 500 500 500 333 "
    "333 569 569 569 500 930 722 666 722 722 666 610 777 777 389 500 777 666 943 722 777 610 777 722 556 666 722 "
    "722 1000 722 722 666 333 277 333 581 500 333 500 556 443 556 443 333 500 556 277 333 556 277 833 556 500 556 "
    "556 443 389 333 556 500 722 500 500 443 394 220 394 520"
)
_WIDTHS = {False: [int(w) for w in _REGULAR.split()], True: [int(w) for w in _BOLD.split()]}
_SPECIAL = {
    False: {"Đ": 722, "đ": 500, "Ơ": 722, "ơ": 528, "Ư": 775, "ư": 541},
    True: {"Đ": 722, "đ": 556, "Ơ": 777, "ơ": 553, "Ư": 795, "ư": 600},
}


def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of ``text`` in points in Times New Roman at ``size_pt``; unknown glyphs count 1/2 em."""
    table, special = _WIDTHS[bold], _SPECIAL[bold]
    total = 0
    for ch in nfc(text):
        if ch in special:
            total += special[ch]
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if base in special:
            total += special[base]
            continue
        code = ord(base)
        total += table[code - 32] if 32 <= code <= 126 else 500
    return total / 1000 * size_pt


# --- fitting the lines to the text ------------------------------------------------------------------------

_TWIPS_PER_PT = 20
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


class ParagraphStyles:
    """A document's paragraph styles resolved once, by id.

    python-docx answers ``paragraph.style`` by scanning every style of the document (twice when the paragraph
    has no style of its own), which made fitting the lines of a 1,000-item report take most of its time. This
    resolves each paragraph exactly as python-docx does (the first style with the paragraph's id when it is a
    paragraph style, else the last default paragraph style), from one pass over the styles.
    """

    def __init__(self, document) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        first: dict[str, Any] = {}
        default = None
        for style in document.styles:
            first.setdefault(style.style_id, style)
            if style.type == WD_STYLE_TYPE.PARAGRAPH and style._element.default:
                default = style
        self._by_id = {sid: s for sid, s in first.items() if s.type == WD_STYLE_TYPE.PARAGRAPH}
        self._default = default
        self._names = {sid: s.name for sid, s in self._by_id.items()}
        self._default_name = default.name if default is not None else ""

    def of(self, paragraph):
        """The paragraph's style (what ``paragraph.style`` returns), or None when the document has none."""
        return self._by_id.get(paragraph._p.style or "", self._default)

    def ids_named(self, names: tuple[str, ...]) -> set[str]:
        """The ids of the paragraph styles with one of ``names``."""
        return {sid for sid, name in self._names.items() if name in names}

    def name_of(self, p) -> str:
        """The style name of paragraph element ``p`` (``None`` stands for any paragraph without a style of its
        own); "" for such a paragraph when the document has no default paragraph style."""
        pstyle = p.find(f"{_W}pPr/{_W}pStyle") if p is not None else None
        sid = pstyle.get(f"{_W}val") if pstyle is not None else None
        return self._names.get(sid or "", self._default_name)


def effective_font(paragraph, style=None) -> tuple[float, bool]:
    """(size in pt, bold) of a paragraph's text: its first run's direct formatting, else its styles, else 14.

    ``style`` is the paragraph's style when the caller has resolved it already (``ParagraphStyles.of``).
    """
    size = bold = None
    if paragraph.runs:
        font = paragraph.runs[0].font
        size = font.size.pt if font.size is not None else None
        bold = font.bold
    for st in _style_chain(style if style is not None else paragraph.style):
        if size is None and st.font.size is not None:
            size = st.font.size.pt
        if bold is None and st.font.bold is not None:
            bold = st.font.bold
    return (size or 14.0, bool(bold))


def _cell_margins_twips(tbl) -> int:
    """Left + right default cell margins of a table (Word's default 108 twips each when unset)."""
    total = 0
    mar = tbl.find(f"{_W}tblPr/{_W}tblCellMar")
    for side in ("left", "right"):
        el = mar.find(f"{_W}{side}") if mar is not None else None
        total += int(el.get(f"{_W}w")) if el is not None and el.get(f"{_W}w") else 108
    return total


def _available_twips(p, sections: list[tuple[int, int]]) -> int:
    """The width a paragraph element's text can use: its table cell's width, else its section's text width."""
    tc = next((a for a in p.iterancestors(f"{_W}tc")), None)
    if tc is not None:
        tcw = tc.find(f"{_W}tcPr/{_W}tcW")
        if tcw is not None and tcw.get(f"{_W}type") == "dxa":
            tbl = next(tc.iterancestors(f"{_W}tbl"))
            return int(tcw.get(f"{_W}w")) - _cell_margins_twips(tbl)
    top = p
    while top.getparent() is not None and top.getparent().tag != f"{_W}body":
        top = top.getparent()
    if not sections:
        return 9355
    if top.tag not in (f"{_W}p", f"{_W}tbl"):
        return sections[0][1]
    at = top.getparent().index(top)
    return next((w for end, w in sections if at <= end), sections[-1][1])


def _section_ends(document) -> list[tuple[int, int]]:
    """(position in the body of the paragraph ending the section, text width in twips) of every section; the
    last section, ended by the body's own properties, has the position of the body's last child."""
    from docx.section import Section

    body = document.element.body

    def width_of(sect_pr) -> int:
        section = Section(sect_pr, document.part)
        return int((section.page_width - section.left_margin - section.right_margin) / 635)

    out = []
    for sect_pr in body.iter(f"{_W}sectPr"):  # in document order, the body's own last
        parent = sect_pr.getparent()
        if parent is body:
            out.append((len(body), width_of(sect_pr)))
        elif parent.tag == f"{_W}pPr" and parent.getparent().tag == f"{_W}p" and parent.getparent().getparent() is body:
            out.append((body.index(parent.getparent()), width_of(sect_pr)))
    return out


def _fitted(p, body) -> bool:
    """Whether ``fit_rules`` fits paragraph element ``p``: one of the body's paragraphs, or one of a cell's in a
    table of the body (the first cell of a vertical merge, which holds the merged cell's text)."""
    parent = p.getparent()
    if parent is body:
        return True
    if parent is None or parent.tag != f"{_W}tc" or parent.vMerge == "continue":
        return False
    tr = parent.getparent()
    tbl = tr.getparent() if tr is not None and tr.tag == f"{_W}tr" else None
    return tbl is not None and tbl.tag == f"{_W}tbl" and tbl.getparent() is body


def _rule_paragraphs(document, styles: ParagraphStyles):
    """The line paragraphs (a ``Đường kẻ`` style) among the body's and its tables' cells' paragraphs.

    Only the paragraphs naming a style are looked at, unless the document's default paragraph style is itself
    a line style (then every paragraph is).
    """
    rules = (Styles.RULE_EXACT, Styles.RULE_SHORT, Styles.RULE_TITLE)
    body = document.element.body
    if styles.name_of(None) in rules:
        candidates = (p for p in body.iter(f"{_W}p") if styles.name_of(p) in rules)
    else:
        ids = styles.ids_named(rules)
        candidates = (s.getparent().getparent() for s in body.iter(f"{_W}pStyle") if s.get(f"{_W}val") in ids)
    for p in candidates:
        if p.tag == f"{_W}p" and _fitted(p, body):
            yield p


def _rule_length_twips(document, styles: ParagraphStyles, p, name: str, above, avail: int) -> float:
    """How long the line paragraph ``p`` (style ``name``) should be, from the paragraph(s) above it."""
    from docx.text.paragraph import Paragraph

    def font_and_text(el) -> tuple[float, bool, str]:
        para = Paragraph(el, document._body)
        return (*effective_font(para, styles.of(para)), para.text)

    if name == Styles.RULE_EXACT:
        size, bold, text = font_and_text(above)
        return text_width_pt(text, size, bold=bold) * _TWIPS_PER_PT
    above_name = styles.name_of(above)
    widest = 0.0
    for i, q in enumerate(p.itersiblings(f"{_W}p", preceding=True)):
        size, bold, text = font_and_text(q)
        if i > 0 and (not styles.name_of(q) or styles.name_of(q) != above_name or not text.strip()):
            break
        widest = max(widest, min(text_width_pt(text, size, bold=bold) * _TWIPS_PER_PT, avail))
    return widest * SHORT_RULE_FRACTION


def fit_rules(document) -> None:
    """Set the indents of the line paragraphs so each line has the length the format asks for.

    A ``Đường kẻ tiêu ngữ`` line is exactly as long as the paragraph above it (the motto). A ``Đường kẻ
    ngắn`` or ``Đường kẻ dưới trích yếu`` line is 2/5 of the widest of the paragraphs above it that share
    that paragraph's style (the issuing body's lines; the subject, capped at the width it wraps to). Lines
    are centred. The lines are found through the XML: a report has thousands of paragraphs and a few lines.
    """
    from docx.shared import Twips
    from docx.text.paragraph import Paragraph

    styles = ParagraphStyles(document)
    widths = _section_ends(document)
    for p in list(_rule_paragraphs(document, styles)):
        above = next(p.itersiblings(f"{_W}p", preceding=True), None)
        if above is None:
            continue
        avail = _available_twips(p, widths)
        length = _rule_length_twips(document, styles, p, styles.name_of(p), above, avail)
        side = max(int((avail - length) / 2), 0)
        fmt = Paragraph(p, document._body).paragraph_format
        fmt.left_indent = Twips(side)
        fmt.right_indent = Twips(side)
        fmt.first_line_indent = Twips(0)


# --- rendering ----------------------------------------------------------------------------------------------

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_value(value: Any) -> Any:
    """Make a context value safe for Word: NFC text, Windows line ends as ``\\n``, no XML-invalid characters.

    ``\\n`` becomes a line break in the document; ``\\a`` (used deliberately by the toolkit) a new paragraph
    in the same style. Lists, tuples and dicts are cleaned recursively; other objects pass unchanged.
    """
    if isinstance(value, str):
        text = nfc(value).replace("\r\n", "\n").replace("\r", "\n")
        return _XML_INVALID.sub("", text)
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    return value


def _jinja_env():
    from jinja2 import Environment, StrictUndefined

    # StrictUndefined: an attribute missing inside a loop (``it.nothing``) fails loudly instead of printing "".
    return Environment(autoescape=True, undefined=StrictUndefined)


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's own paragraph pattern
_LISTING = re.compile("[\t\a\n\f]")  # what docxtpl's resolve_listing rewrites (tab, new paragraph, break, page)


def _template(path: Path):
    """A ``DocxTemplate`` for ``path`` whose ``resolve_listing`` skips the paragraphs it would not change.

    docxtpl rewrites tabs, ``\a``, ``\n`` and ``\f`` in the rendered text by running three nested regular
    expressions over every paragraph and run of the document, which is most of its rendering time for a long
    report. The same rewrite runs here on each paragraph holding one of these characters, matched by
    docxtpl's own pattern, so the result is the same; the other paragraphs are kept as they are.
    """
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        def resolve_listing(self, xml: str) -> str:
            resolve = super().resolve_listing
            return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml)

    return Template(str(path))


def _undeclared(tpl, context: dict[str, Any]) -> set[str]:
    """The variables the loaded template ``tpl`` asks for that ``context`` lacks.

    What ``DocxTemplate.get_undeclared_template_variables`` answers (body, headers and footers), read from the
    document ``tpl`` has loaded already instead of opening the template file a second time.
    """
    from docx.opc.oxml import parse_xml

    tpl.init_docx(reload=False)
    xml = tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in tpl.docx.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    from jinja2 import meta

    return meta.find_undeclared_variables(_jinja_env().parse(xml)) - set(context)


def missing_variables(template: Path, context: dict[str, Any]) -> list[str]:
    """The top-level variables ``template`` asks for that ``context`` lacks (sorted; empty when complete)."""
    return sorted(_undeclared(_template(template), context))


def _checked_template(path: Path, context: dict[str, Any]):
    """The template at ``path``, loaded once, after checking it is a Word file asking only for ``context``."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from jinja2 import TemplateError as JinjaError

    tpl = _template(path)
    try:
        missing = sorted(_undeclared(tpl, context))
    except (zipfile.BadZipFile, KeyError, PackageNotFoundError):
        raise TemplateError(f"Mẫu {path.name} bị hỏng hoặc không phải tệp Word (.docx); hãy chép lại mẫu gốc hoặc "
                            f"dựng lại mẫu bằng: python templates/build_templates.py") from None
    except JinjaError as exc:
        raise TemplateError(f"Mẫu {path.name} có thẻ lỗi ({exc}); hãy sửa lại mẫu hoặc dựng lại mẫu bằng: "
                            f"python templates/build_templates.py") from None
    if missing:
        keys = ", ".join(f"«{k}»" for k in missing)
        raise TemplateError(
            f"Mẫu {path.name} cần dữ liệu {keys} nhưng bộ công cụ không cung cấp; hãy sửa lại tên biến trong mẫu "
            f"(có thể do chỉnh sửa trong Word) hoặc dựng lại mẫu bằng: python templates/build_templates.py"
        )
    return tpl


def render_docx(template_name: str, context: dict[str, Any], target: str | Path, *,
                template_path: Path | None = None) -> Path:
    """Fill ``template_name`` (from ``templates/``, or ``template_path``) with ``context`` into ``target``.

    Raises ``TemplateError`` naming the template and the missing key when the template asks for a variable
    the context lacks, and when the template's tags are broken. ``Picture`` values become inline images.
    Raises ``files.OutputLocked`` (after writing to a free name) when ``target`` is locked.
    """
    import io

    from docx.shared import Cm
    from docxtpl import InlineImage
    from jinja2 import TemplateError as JinjaError
    from jinja2 import UndefinedError

    from .resources import template

    path = template_path or template(template_name)
    context = clean_value(context)
    tpl = _checked_template(path, context)
    for key, value in list(context.items()):
        if isinstance(value, Picture):
            context[key] = InlineImage(tpl, io.BytesIO(value.png), width=Cm(value.width_cm))
    try:
        tpl.render(context, jinja_env=_jinja_env(), autoescape=True)
    except UndefinedError as exc:
        raise TemplateError(f"Mẫu {path.name} dùng dữ liệu không có: {exc}. Hãy sửa lại tên biến trong mẫu.") from None
    except JinjaError as exc:
        raise TemplateError(f"Mẫu {path.name} có thẻ lỗi ({exc}); hãy sửa lại mẫu hoặc dựng lại mẫu.") from None
    fit_rules(tpl.docx)
    target = Path(target)
    with atomic_output(target) as tmp:
        tpl.save(str(tmp))
    return target
