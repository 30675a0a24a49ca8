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

from toolkit.core.errors import CchcError
from toolkit.core.files import atomic_output
from toolkit.core.text import nfc
from toolkit.report.prepared import Prepared, fill, prepared, resolve_listing
from toolkit.report.short_lines import (
    StyleTable,
    W,
    available_twips,
    effective_font,
    line_paragraphs,
    paragraph_text,
    section_ends,
    set_indents,
)

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


def _line_length_twips(styles: StyleTable, p, name: str, above, avail: int) -> float:
    """How long the line paragraph ``p`` (style ``name``) should be, from the paragraph(s) above it."""
    if name == Styles.RULE_EXACT:
        size, bold = effective_font(above, styles)
        return text_width_pt(paragraph_text(above), size, bold=bold) * _TWIPS_PER_PT
    above_name = styles.name_of(above)
    widest = 0.0
    for i, q in enumerate(p.itersiblings(f"{W}p", preceding=True)):
        size, bold = effective_font(q, styles)
        text = paragraph_text(q)
        if i > 0 and (not styles.name_of(q) or styles.name_of(q) != above_name or not text.strip()):
            break
        widest = max(widest, min(text_width_pt(text, size, bold=bold) * _TWIPS_PER_PT, avail))
    return widest * SHORT_RULE_FRACTION


def fit_short_lines(root, styles: StyleTable) -> None:
    """Set the indents of the line paragraphs of the ``w:document`` element ``root`` so each line has the
    length the format asks for.

    A ``Đường kẻ tiêu ngữ`` line is exactly as long as the paragraph above it (the motto). A ``Đường kẻ
    ngắn`` or ``Đường kẻ dưới trích yếu`` line is 2/5 of the widest of the paragraphs above it that share
    that paragraph's style (the issuing body's lines; the subject, capped at the width it wraps to). Lines
    are centred. The lines are found through the XML: a report has thousands of paragraphs and a few lines.
    """
    body = root.find(f"{W}body")
    widths = section_ends(body)
    rules = (Styles.RULE_EXACT, Styles.RULE_SHORT, Styles.RULE_TITLE)
    for p in list(line_paragraphs(body, styles, rules)):
        above = next(p.itersiblings(f"{W}p", preceding=True), None)
        if above is None:
            continue
        avail = available_twips(p, widths)
        length = _line_length_twips(styles, p, styles.name_of(p), above, avail)
        set_indents(p, max(int((avail - length) / 2), 0))


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
    if type(value) in (list, tuple):  # not a named tuple (a Period): it passes as itself
        return [clean_value(v) for v in value]
    return value


def _jinja_env():
    from jinja2 import Environment, StrictUndefined

    # StrictUndefined: an attribute missing inside a loop (``it.nothing``) fails loudly instead of printing "".
    return Environment(autoescape=True, undefined=StrictUndefined)


def _template(path: Path):
    """A ``DocxTemplate`` for ``path`` whose ``resolve_listing`` skips the paragraphs it would not change
    (``prepared.resolve_listing``: the same rewrite, run only where one of its characters is)."""
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        def resolve_listing(self, xml: str) -> str:
            return resolve_listing(xml)

    return Template(str(path))


def _prepared(path: Path, env) -> Prepared:
    """The template at ``path`` prepared for filling, or ``TemplateError`` when it is not a Word file or its
    tags are broken."""
    import zipfile

    from jinja2 import TemplateError as JinjaError

    try:
        return prepared(path, env)
    except (zipfile.BadZipFile, KeyError, OSError):
        raise TemplateError(f"Mẫu {path.name} bị hỏng hoặc không phải tệp Word (.docx); hãy chép lại mẫu gốc hoặc "
                            f"dựng lại mẫu bằng: python templates/build_templates.py") from None
    except JinjaError as exc:
        raise TemplateError(f"Mẫu {path.name} có thẻ lỗi ({exc}); hãy sửa lại mẫu hoặc dựng lại mẫu bằng: "
                            f"python templates/build_templates.py") from None


def missing_variables(template: Path, context: dict[str, Any]) -> list[str]:
    """The top-level variables ``template`` asks for that ``context`` lacks (sorted; empty when complete)."""
    return sorted(_prepared(template, _jinja_env()).undeclared - set(context))


def _checked(path: Path, context: dict[str, Any], env) -> Prepared:
    """The template at ``path``, prepared, after checking it is a Word file asking only for ``context``."""
    prep = _prepared(path, env)
    missing = sorted(prep.undeclared - set(context))
    if missing:
        keys = ", ".join(f"«{k}»" for k in missing)
        raise TemplateError(
            f"Mẫu {path.name} cần dữ liệu {keys} nhưng bộ công cụ không cung cấp; hãy sửa lại tên biến trong mẫu "
            f"(có thể do chỉnh sửa trong Word) hoặc dựng lại mẫu bằng: python templates/build_templates.py"
        )
    return prep


def _with_docxtpl(path: Path, context: dict[str, Any], env, styles: StyleTable, target: Path) -> None:
    """Fill the template with docxtpl itself (pictures, and what ``prepared.fill`` hands back)."""
    import io

    from docx.shared import Cm
    from docxtpl import InlineImage

    tpl = _template(path)
    tpl.init_docx()
    for key, value in list(context.items()):
        if isinstance(value, Picture):
            context[key] = InlineImage(tpl, io.BytesIO(value.png), width=Cm(value.width_cm))
    tpl.render(context, jinja_env=env, autoescape=True)
    fit_short_lines(tpl.docx.element, styles)
    with atomic_output(target) as tmp:
        tpl.save(str(tmp))


def render_docx(template_name: str, context: dict[str, Any], target: str | Path, *,
                template_path: Path | None = None) -> Path:
    """Fill ``template_name`` (from ``templates/``, or ``template_path``) with ``context`` into ``target``.

    Raises ``TemplateError`` naming the template and the missing key when the template asks for a variable
    the context lacks, and when the template's tags are broken. ``Picture`` values become inline images.
    Raises ``files.OutputLocked`` (after writing to a free name) when ``target`` is locked.
    """
    from jinja2 import TemplateError as JinjaError
    from jinja2 import UndefinedError

    from toolkit.core.resources import template

    path = template_path or template(template_name)
    context = clean_value(context)
    env = _jinja_env()
    prep = _checked(path, context, env)
    target = Path(target)
    try:
        pictures = any(isinstance(v, Picture) for v in context.values())
        data = fill(prep, env, context, fit_short_lines) if prep.fast and not pictures else None
        if data is None:
            _with_docxtpl(path, context, env, prep.styles, target)
            return target
    except UndefinedError as exc:
        raise TemplateError(f"Mẫu {path.name} dùng dữ liệu không có: {exc}. Hãy sửa lại tên biến trong mẫu.") from None
    except JinjaError as exc:
        raise TemplateError(f"Mẫu {path.name} có thẻ lỗi ({exc}); hãy sửa lại mẫu hoặc dựng lại mẫu.") from None
    with atomic_output(target) as tmp:
        Path(tmp).write_bytes(data)
    return target
