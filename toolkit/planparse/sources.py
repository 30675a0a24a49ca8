"""Reading an issued plan document into a flat list of paragraphs; the only module that knows file formats.

A ``.docx`` is read with python-docx in body order (paragraphs and table cells, as Word shows them); numbering
that Word draws from the paragraph's or its style's list definition (``1.1.``, ``a)``, bullets) is rendered
into the text so later stages see what the reader of the document sees. ``.txt`` and ``.md`` are read line by
line; markdown emphasis and heading marks are removed and remembered as ``bold`` / ``heading``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.core.text import clean

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
WORD_SUFFIXES = (".docx",)
SUFFIXES = WORD_SUFFIXES + TEXT_SUFFIXES


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One line of the plan as a reader sees it.

    ``text`` is cleaned (NFC, single spaces) with list numbering and bullets written out (``- `` for every
    bullet); ``raw`` is the paragraph as the document holds it, for quoting in messages. ``line`` is the
    1-based line (text files) or paragraph number (Word). ``heading`` is the heading level, None for body text.
    ``code_assumed`` marks an item heading made from a table row that had no number of its own.
    """

    text: str
    raw: str
    line: int
    bold: bool = False
    heading: int | None = None
    code_assumed: bool = False  # an item table row without a number: its code was given by position


class PlanUnreadable(Exception):
    """The plan file cannot be read at all; ``reason`` is the Vietnamese explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_paragraphs(path: Path) -> list[Paragraph]:
    """The plan's non-blank paragraphs in reading order.

    Raises ``PlanUnreadable`` for a format other than .docx/.txt/.md or a file that is not what its name says.
    """
    suffix = path.suffix.lower()
    if suffix in WORD_SUFFIXES:
        return _read_docx(path)
    if suffix in TEXT_SUFFIXES:
        return _read_text(path)
    if suffix in (".doc", ".rtf", ".odt", ".pdf"):
        raise PlanUnreadable(f"định dạng {suffix} chưa hỗ trợ; hãy mở bằng Word, lưu thành .docx")
    raise PlanUnreadable(f"định dạng {suffix or '(không đuôi)'} chưa hỗ trợ; chỉ nhận .docx, .txt, .md")


# --- text and markdown -------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_BULLET = re.compile(r"^[*+]\s+")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 as Notepad's "Unicode" saves it (a BOM, or NUL bytes)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\x00" in data[:200] and len(data) % 2 == 0):
        encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    raise PlanUnreadable("không phải UTF-8 (có thể là TCVN3/VNI); hãy lưu lại với bảng mã UTF-8")


def _read_text(path: Path) -> list[Paragraph]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanUnreadable(f"không mở được tệp ({exc.strerror or exc})") from None
    if data[:2] == b"PK":
        raise PlanUnreadable("là tệp Word/Excel nhưng tên có đuôi .txt/.md; hãy đặt đúng đuôi")
    out: list[Paragraph] = []
    for n, raw in enumerate(_decode(data).splitlines(), start=1):
        line = clean(raw)
        if not line or set(line) <= set("-_*=~ "):  # blank lines and markdown rules
            continue
        heading = None
        m = _MD_HEADING.match(line)
        if m:
            heading, line = len(m.group(1)), m.group(2)
        bare = _MD_EMPHASIS.sub(r"\2", line).replace("**", "")
        bold = bare != line and _MD_EMPHASIS.fullmatch(line) is not None
        bare = _MD_BULLET.sub("- ", bare.replace("\\", ""))
        bare = clean(bare)
        if bare:
            out.append(Paragraph(bare, clean(raw), n, bold, heading))
    return out


# --- Word --------------------------------------------------------------------------------------------------


def _read_docx(path: Path) -> list[Paragraph]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError:
        raise PlanUnreadable("tệp không phải tài liệu Word .docx hợp lệ") from None
    except Exception as exc:  # a damaged package fails in many places inside python-docx and lxml
        raise PlanUnreadable(f"tệp Word bị hỏng ({type(exc).__name__})") from None
    numbering = _Numbering(document)
    out: list[Paragraph] = []
    for block in _blocks(document, numbering):
        if isinstance(block, Paragraph):  # a line synthesised from an item table
            out.append(Paragraph(block.text, block.raw, len(out) + 1, block.bold, block.heading, block.code_assumed))
            continue
        raw = _visible_text(block)
        if not clean(raw):
            continue
        prefix = numbering.render(block)
        heading = _heading_level(block)
        bold = _is_bold(block)
        for part in raw.replace("\r", "\n").replace("\t", " ").split("\n"):
            text = clean(part)
            if not text:
                continue
            if prefix and not _OWN_NUMBER.match(text):  # "- " typed into a bulleted paragraph: once
                text = f"{prefix} {text}"
            prefix = ""
            out.append(Paragraph(text, clean(part), len(out) + 1, bold, heading))
    return out


# Text that starts with its own number or bullet, so Word's list number is not added in front of it.
_OWN_NUMBER = re.compile(r"^(?:[-–+•*]|(?:[IVX]{1,4}|\d{1,2})(?:\.\d{1,2})*[.)]|[a-dđ]\))\s")


def _visible_text(paragraph: Any) -> str:
    """The paragraph's text as Word shows it: runs inside hyperlinks, fields and tracked insertions included,
    tracked deletions and field codes left out (``Paragraph.text`` skips insertions)."""
    from docx.oxml.ns import qn

    t, tab, breaks = qn("w:t"), qn("w:tab"), (qn("w:br"), qn("w:cr"))
    parts = []
    for el in paragraph._p.iter(t, tab, *breaks):
        if el.tag == t:
            parts.append(el.text or "")
        elif el.tag == tab:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _blocks(container: Any, numbering: _Numbering) -> list[Any]:
    """Word paragraphs in reading order, descending into tables cell by cell (merged cells once); a table that
    lists the items (columns Nội dung, Mục tiêu, Chủ trì, Thời gian...) comes as the plan's text form instead."""
    from docx.table import Table

    found: list[Any] = []
    for block in container.iter_inner_content():
        if not isinstance(block, Table):
            found.append(block)
            continue
        if _copy_block(block):
            break  # a "SAO Y" copy (Nghị định 30, Điều 25-27): what follows is the copier's, not the plan's
        as_items = _item_table(block, numbering)
        if as_items is not None:
            found.extend(as_items)
            continue
        seen: set[int] = set()
        for row in block.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                found.extend(_blocks(cell, numbering))
    return found


def _copy_block(table: Any) -> bool:
    """The header of a copy (``SAO Y``, ``SAO LỤC``, ``TRÍCH SAO``) placed under the copied document."""
    first = table.rows[0].cells if len(table.rows) else []
    return any(line.strip().upper() in {"SAO Y", "SAO LỤC", "TRÍCH SAO"}
               for cell in first for line in cell.text.splitlines())


# Item tables: header words -> the item field of that column (first match wins, so order matters).
_TABLE_COLUMNS = (
    ("code", ("tt", "stt", "số tt", "số thứ tự", "mã")),
    ("partners", ("phối hợp",)),
    ("owner", ("chủ trì", "phụ trách", "đơn vị thực hiện", "người thực hiện")),
    ("deadline", ("thời gian", "thời hạn", "tiến độ")),
    ("target", ("mục tiêu", "chỉ tiêu", "yêu cầu", "kết quả")),
    ("tasks", ("giải pháp", "biện pháp", "nhiệm vụ")),
    ("content", ("nội dung", "tồn tại", "hạn chế", "tiêu chí")),
)


_TABLE_CODE = re.compile(r"(?:[IVX]{1,4}\.)?\d{1,3}(?:\.\d{1,3})*")
_CELL_BULLET = re.compile(r"^[-–+•*]\s*")


def _table_columns(headers: list[str]) -> dict[str, int] | None:
    """Which grid column holds which item field, or None when the table does not list items."""
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        words = clean(header).lower()
        for name, keys in _TABLE_COLUMNS:
            if name not in columns and any(words == k or words.startswith(k + " ") or f" {k}" in f" {words}"
                                           for k in keys):
                columns[name] = index
                break
    if "content" not in columns and "tasks" in columns:
        columns["content"] = columns.pop("tasks")
    others = {"target", "tasks", "owner", "deadline"} & set(columns)
    return columns if "content" in columns and len(others) >= 2 else None


def _item_table(table: Any, numbering: _Numbering) -> list[Paragraph] | None:
    """The rows of an item table written as ``1.1. Nội dung`` / ``a) Mục tiêu, yêu cầu: ...`` / ``b) ...``
    lines, so the structure stage reads them like items typed as paragraphs; None for other tables."""
    rows = list(table.rows)
    for start in (0, 1):
        if start < len(rows):
            columns = _table_columns([_visible_text_of(c) for c in rows[start].cells])
            if columns is not None:
                break
    else:
        return None
    lines: list[Paragraph] = []
    last_code = "0"

    def emit(text: str, bold: bool = False, assumed: bool = False) -> None:
        lines.append(Paragraph(text, text, 0, bold, code_assumed=assumed))

    for row in rows[start + 1:]:
        cells = row.cells
        values = {}
        for name, index in columns.items():
            if index < len(cells):
                values[name] = [line for p in cells[index].paragraphs
                                for line in _cell_lines(p, numbering)]
        content = " ".join(values.get("content", []))
        filled = [name for name in ("target", "tasks", "owner", "deadline") if values.get(name)
                  and values[name] != values.get("content")]  # a merged title row repeats one text
        if not content and not filled:
            continue
        code = " ".join(values.get("code", [])).strip(" .")
        if not filled:  # a title row over the items below it
            emit(f"{code}. {content}" if code.isdigit() else content, bold=True)
            continue
        assumed = not _TABLE_CODE.fullmatch(code)
        if assumed:
            head, _, tail = last_code.rpartition(".")
            code = f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)
        last_code = code
        emit(f"{code}. {content}", bold=True, assumed=assumed)
        emit(f"a) Mục tiêu, yêu cầu: {' '.join(values.get('target', []))}".rstrip(": "))
        emit("b) Nhiệm vụ, giải pháp:")
        for task in values.get("tasks", []):
            emit("- " + _CELL_BULLET.sub("", task))
        emit("c) Phân công trách nhiệm:")
        if values.get("owner"):
            emit(f"- Phụ trách: {', '.join(values['owner'])}")
        if values.get("partners"):
            emit(f"- Phối hợp: {', '.join(values['partners'])}")
        if values.get("deadline"):
            emit(f"d) Thời gian thực hiện: {' '.join(values['deadline'])}")
    return lines


def _cell_lines(paragraph: Any, numbering: _Numbering) -> list[str]:
    prefix = numbering.render(paragraph)
    text = [clean(t) for t in _visible_text(paragraph).replace("\t", " ").split("\n") if clean(t)]
    if text and prefix:
        text[0] = f"{prefix} {text[0]}"
    return text


def _visible_text_of(cell: Any) -> str:
    return " ".join(_visible_text(p) for p in cell.paragraphs)


def _style_chain(paragraph: Any) -> list[Any]:
    chain, style = [], paragraph.style
    while style is not None and len(chain) < 10:
        chain.append(style)
        style = style.base_style
    return chain


def _heading_level(paragraph: Any) -> int | None:
    for style in _style_chain(paragraph):
        name = (style.name or "").lower()
        m = re.match(r"heading\s*(\d)", name)
        if m:
            return int(m.group(1))
        if name == "title":
            return 0
    return None


def _is_bold(paragraph: Any) -> bool:
    """True when every run with visible text is bold (directly, by its character style or paragraph style)."""
    style_bold = next((s.font.bold for s in _style_chain(paragraph) if s.font.bold is not None), False)
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    for run in runs:
        bold = run.bold
        if bold is None and run.style is not None and run.style.font.bold is not None:
            bold = run.style.font.bold
        if not (style_bold if bold is None else bold):
            return False
    return True


_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
          ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def _roman(n: int) -> str:
    out = ""
    for sym, val in _ROMAN:
        while n >= val:
            out, n = out + sym, n - val
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Renders Word list numbers (``1.2.``, ``a)``, bullets as ``-``) the way Word counts them."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> fmt, text, start
        self._style_levels: dict[tuple[str, str], int] = {}  # (abstractNumId, styleId) -> ilvl
        self._counters: dict[str, list[int]] = {}
        if root is None:
            return
        for absn in root.findall(qn("w:abstractNum")):
            aid = absn.get(qn("w:abstractNumId"))
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in absn.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                text = self._val(lvl, "w:lvlText") or ""
                start = int(self._val(lvl, "w:start") or "1")
                levels[ilvl] = (fmt, text, start)
                pstyle = self._val(lvl, "w:pStyle")
                if pstyle:
                    self._style_levels[(aid, pstyle)] = ilvl
            self._levels[aid] = levels
        for num in root.findall(qn("w:num")):
            overrides = {}
            for ov in num.findall(qn("w:lvlOverride")):
                start = self._val(ov, "w:startOverride")
                if start is not None:
                    overrides[int(ov.get(qn("w:ilvl"), "0"))] = int(start)
            self._nums[num.get(qn("w:numId"))] = (self._val(num, "w:abstractNumId") or "", overrides)

    def _val(self, el: Any, tag: str) -> str | None:
        child = el.find(self._qn(tag))
        return None if child is None else child.get(self._qn("w:val"))

    def _num_pr(self, paragraph: Any) -> tuple[str, int | None] | None:
        """(numId, ilvl) from the paragraph, else from its style chain; ilvl None when not stated."""
        candidates = [paragraph._p.pPr] + [s.element.pPr for s in _style_chain(paragraph)]
        for ppr in candidates:
            if ppr is None or ppr.numPr is None:
                continue
            num_id = ppr.numPr.numId.val if ppr.numPr.numId is not None else None
            ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else None
            if num_id is not None:
                return str(num_id), ilvl
        return None

    def render(self, paragraph: Any) -> str:
        """The number Word shows before this paragraph (``1.1.``, ``a)``, ``-``), or ``""``."""
        found = self._num_pr(paragraph)
        if found is None or found[0] == "0" or found[0] not in self._nums:
            return ""
        num_id, ilvl = found
        aid, overrides = self._nums[num_id]
        levels = self._levels.get(aid, {})
        if ilvl is None:
            ilvl = self._style_levels.get((aid, paragraph.style.style_id), 0)
        if ilvl not in levels:
            return ""
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "-"
        counters = self._counters.get(num_id)
        if counters is None:
            counters = [overrides.get(i, levels.get(i, ("", "", 1))[2]) - 1 for i in range(9)]
            self._counters[num_id] = counters
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = overrides.get(deeper, levels.get(deeper, ("", "", 1))[2]) - 1
        shown = text
        for i in range(ilvl + 1):
            lvl_fmt = levels.get(i, ("decimal", "", 1))[0]
            shown = shown.replace(f"%{i + 1}", _format_number(max(counters[i], 1), lvl_fmt))
        return clean(shown)
